"""Styles turn an error value into a response body and describe it for OpenAPI (docs/styles.md)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.core.exceptions import DisallowedHost
from django.utils.module_loading import import_string

from django_api_errors.caches import cached
from django_api_errors.flatten import DataKey, FieldError, Path
from django_api_errors.negotiation import JSON, prefers_problem_json
from django_api_errors.request_facts import django_request_of
from django_api_errors.settings import api_errors_settings

if TYPE_CHECKING:
    from django_api_errors.values import ErrorValue

logger = logging.getLogger("django_api_errors")

BUILT_IN_STYLES = {
    "awork": "django_api_errors.styles.awork",
    "asana": "django_api_errors.styles.asana",
    "problem": "django_api_errors.styles.problem",
}


def media_type(style: Any) -> str:
    """The media type a style answers with: its ``MEDIA_TYPE``, else JSON's."""
    return str(getattr(style, "MEDIA_TYPE", None) or JSON)


def render_styled(error: ErrorValue, request: Any) -> tuple[dict[str, Any], str]:
    """The body and media type of ``error`` in the style answering ``request``; a style that fails to
    import or render is logged and replaced by awork's, so it cannot turn every error into a 500."""
    try:
        return _rendered_in(get_style(style_name(request)), error, request)
    except Exception:
        logger.exception("The error style %r failed; answering in the awork style", api_errors_settings.STYLE)
        return _rendered_in(get_style("awork"), error, request)


def style_name(request: Any) -> str:
    """The style answering ``request``: ``problem`` when ``NEGOTIATE`` and its ``Accept`` prefer
    problem details, else ``STYLE``."""
    negotiate = api_errors_settings.NEGOTIATE and request is not None
    accept = django_request_of(request).META.get("HTTP_ACCEPT", "") if negotiate else ""
    return "problem" if accept and prefers_problem_json(accept) else api_errors_settings.STYLE


def _rendered_in(style: Any, error: ErrorValue, request: Any) -> tuple[dict[str, Any], str]:
    try:
        body = style.render(error, request)
    except DisallowedHost:
        body = style.render(error, None)  # a Host Django refused: links stay relative
    return body, media_type(style)


@cached(32)
def get_style(name: str) -> Any:
    """The style named by a built-in name or by the dotted path of a module or object."""
    path = BUILT_IN_STYLES.get(name, name)
    try:
        return import_module(path)
    except ImportError:
        return import_string(path)


def cased_field_errors(error: ErrorValue) -> Sequence[FieldError]:
    """The error's field errors with every key of their paths in the configured ``PROPERTY_CASE``."""
    if not error.validation_errors or (case := api_errors_settings.PROPERTY_CASE) == "as-is":
        return error.validation_errors
    return [
        FieldError(convert_path(path, case), message, code) for path, message, code in error.validation_errors
    ]


# djangorestframework-camel-case's rule: "_" before a lower-case letter or digit goes, that one upper-cased.
_UNDERSCORE = re.compile(r"[a-z0-9]?_[a-z0-9]")


def _camel(match: re.Match[str]) -> str:
    group = match.group()
    return group[0] + group[2].upper() if len(group) == 3 else group[1].upper()


def convert_key(key: str, case: str) -> str:
    """One field or dict key in the given case."""
    if case == "as-is":
        return key
    camel = _UNDERSCORE.sub(_camel, key)
    return camel[:1].upper() + camel[1:] if case == "pascal" else camel


def convert_path(path: Iterable[str | int], case: str) -> Path:
    """Every field name of a path in the given case; list indexes and the client's keys stay as sent."""
    return tuple(
        segment if isinstance(segment, (int, DataKey)) else convert_key(str(segment), case)
        for segment in path
    )
