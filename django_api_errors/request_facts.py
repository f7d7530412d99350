"""What the error path reads from a request, read from the Django request under DRF's ``Request``: its
``__getattr__`` proxy is reached only after an ``AttributeError`` (``docs/performance.md``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def django_request_of(request: Any) -> Any:
    """The Django ``HttpRequest`` under a DRF ``Request`` (``_request``), else ``request`` itself."""
    # A DRF Request keeps _request in its own __dict__; an HttpRequest has no __getattr__, so the
    # miss costs a dictionary lookup and raises nothing.
    return getattr(request, "_request", request)


def own_attribute(request: Any, name: str) -> Any:
    """``name`` as set on this very request object (``None`` when unset), never proxied or computed."""
    return getattr(request, "__dict__", _EMPTY).get(name)


_EMPTY: dict[str, Any] = {}


def language_of(request: Any) -> str | None:
    """The request's language: ``LANGUAGE_CODE`` as ``LocaleMiddleware`` leaves it, else the active one."""
    # django_request_of and own_attribute written out: this runs on every error.
    django_request = getattr(request, "_request", request)
    return getattr(django_request, "__dict__", _EMPTY).get("LANGUAGE_CODE") or get_language()
