"""Styles turn an ``ApiError`` into a response body; each is a module with a ``render`` function.

A style never sees the exception, only the normalised error, so every style answers for every source
of failure alike. A project adds its own by pointing ``API_ERRORS["STYLE"]`` at a module (or any
object) with ``render(error, request) -> dict`` and, optionally, a ``CONTENT_TYPE``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from typing import Any, Protocol

from django.utils.module_loading import import_string
from rest_framework.request import Request

from django_api_errors.casing import convert_path
from django_api_errors.errors import ApiError
from django_api_errors.flatten import FieldError
from django_api_errors.settings import api_errors_settings

BUILT_IN_STYLES = {
    "awork": "django_api_errors.styles.awork",
    "asana": "django_api_errors.styles.asana",
    "problem": "django_api_errors.styles.problem",
}

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Style(Protocol):
    """What a style provides (``CONTENT_TYPE`` is optional; JSON's when absent)."""

    def render(self, error: ApiError, request: Request | None) -> dict[str, Any]: ...


@lru_cache(maxsize=32)
def get_style(name: str) -> Style:
    """The style named by a built-in name or by the dotted path of a module or object."""
    path = BUILT_IN_STYLES.get(name, name)
    try:
        return import_module(path)
    except ImportError:
        return import_string(path)


def style_for(request: Request | None) -> Style:
    """The configured style, or RFC 9457's when ``NEGOTIATE`` is on and the client asks for it."""
    negotiate = api_errors_settings.NEGOTIATE and request is not None
    if negotiate and PROBLEM_MEDIA_TYPE in request.META.get("HTTP_ACCEPT", ""):
        return get_style("problem")
    return get_style(api_errors_settings.STYLE)


def cased_field_errors(error: ApiError) -> list[FieldError]:
    """The error's field errors with every key of their paths in the configured ``PROPERTY_CASE``."""
    case = api_errors_settings.PROPERTY_CASE
    if case == "as-is":
        return error.validation_errors
    return [
        FieldError(convert_path(path, case), message, code) for path, message, code in error.validation_errors
    ]
