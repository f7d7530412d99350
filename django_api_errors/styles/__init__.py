"""Styles turn an ``ApiError`` into a response body; each is a module with a ``render`` function.

A style never sees the exception, only the normalised error, so every style answers for every source
of failure alike. A project adds its own by pointing ``API_ERRORS["STYLE"]`` at a module (or any object)
with ``render(error, request) -> dict``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from typing import Any, Protocol

from django.utils.module_loading import import_string
from rest_framework.request import Request

from django_api_errors.errors import ApiError

BUILT_IN_STYLES = {
    "awork": "django_api_errors.styles.awork",
}


class Style(Protocol):
    """What a style provides."""

    def render(self, error: ApiError, request: Request | None) -> dict[str, Any]: ...


@lru_cache(maxsize=32)
def get_style(name: str) -> Style:
    """The style named by a built-in name or by the dotted path of a module or object."""
    path = BUILT_IN_STYLES.get(name, name)
    try:
        return import_module(path)
    except ImportError:
        return import_string(path)
