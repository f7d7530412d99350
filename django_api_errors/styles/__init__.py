"""Styles turn an error value into a response body and describe that body for OpenAPI.

A style sees only the pipeline's :class:`~django_api_errors.values.ErrorValue`, never the exception. It
is a module (or any object) with ``render(error, request) -> dict`` and optionally ``MEDIA_TYPE`` and
the OpenAPI functions of :mod:`~django_api_errors.styles.schema`; ``API_ERRORS["STYLE"]`` names it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.core.exceptions import DisallowedHost
from django.utils.module_loading import import_string
from rest_framework.request import Request

from django_api_errors.caches import cached
from django_api_errors.flatten import FieldError
from django_api_errors.negotiation import JSON, prefers_problem_json
from django_api_errors.request_facts import django_request_of
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles.casing import convert_path

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
        return _rendered_in(style_for(request), error, request)
    except Exception:
        logger.exception("The error style %r failed; answering in the awork style", api_errors_settings.STYLE)
        return _rendered_in(get_style("awork"), error, request)


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


def style_for(request: Request | None) -> Any:
    """The configured style, or RFC 9457's when ``NEGOTIATE`` is on and the client asks for it."""
    negotiate = api_errors_settings.NEGOTIATE and request is not None
    if negotiate and prefers_problem_json(django_request_of(request).META.get("HTTP_ACCEPT", "")):
        return get_style("problem")
    return get_style(api_errors_settings.STYLE)


def cased_field_errors(error: ErrorValue) -> Sequence[FieldError]:
    """The error's field errors with every key of their paths in the configured ``PROPERTY_CASE``."""
    if not error.validation_errors or (case := api_errors_settings.PROPERTY_CASE) == "as-is":
        return error.validation_errors
    return [
        FieldError(convert_path(path, case), message, code) for path, message, code in error.validation_errors
    ]
