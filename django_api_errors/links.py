"""Where an error's ``link`` points: the code's documentation page."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from rest_framework.request import Request

from django_api_errors.settings import api_errors_settings


def link_for(slug: str, request: Request | None = None) -> str | None:
    """``DOCS_URL + slug`` when ``DOCS_URL`` is set, else the absolute URL of ``/errors/<slug>/``.

    ``None`` when neither is available (no ``DOCS_URL`` and the catalogue URLs are not mounted).
    """
    docs_url = api_errors_settings.DOCS_URL
    if docs_url:
        return f"{docs_url}{slug}"
    if request is None:
        return _catalogue_path(slug, get_urlconf(), get_script_prefix())
    # The request knows its urlconf and script name: cheaper than Django's thread-local lookups.
    script_name = request.META.get("SCRIPT_NAME", "")
    path = _catalogue_path(slug, getattr(request, "urlconf", None), script_name)
    return None if path is None else request.build_absolute_uri(path)


@lru_cache(maxsize=1024)
def _catalogue_path(slug: str, urlconf: str | None, script_name: str) -> str | None:
    # urlconf and the script name are part of the cache key: reverse() depends on both.
    try:
        return reverse("django_api_errors:code-detail", args=[slug], urlconf=urlconf)
    except NoReverseMatch:
        return None


def _clear_cache(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _catalogue_path.cache_clear()


setting_changed.connect(_clear_cache)
