"""What the error path reads from a request, read without DRF's proxying.

DRF's ``Request`` hands attributes it lacks to the Django request through ``__getattr__``, which
Python reaches only after a lookup has failed and raised ``AttributeError``: about a microsecond per
read, twice that for a name neither has. The error path reads the Django request underneath directly.
"""

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
