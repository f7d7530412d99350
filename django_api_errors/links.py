"""Where an error points: the code's documentation page, as a ``link`` and as a problem ``type``.

``DOCS_URL`` is the one base every client sees, in every style. Without it each code points at the
app's own catalogue page ``/errors/<code>/``: the ``link`` of the awork and Asana styles is that page's
absolute URL, so a person can click it; the problem style's ``type`` is its site-relative path, which
does not change with the request's ``Host``, so a client can compare it across environments.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from rest_framework.request import Request

from django_api_errors.settings import api_errors_settings

CODE_PLACEHOLDER = "{code}"
NO_TYPE = "about:blank"  # RFC 9457 3.1.1: the problem has no semantics beyond its status


def docs_link(slug: str) -> str | None:
    """The code's page under ``DOCS_URL``: its ``{code}`` replaced by the slug, else the slug appended.

    ``None`` when ``DOCS_URL`` is not set.
    """
    docs_url = api_errors_settings.DOCS_URL
    if not docs_url:
        return None
    if CODE_PLACEHOLDER in docs_url:
        return docs_url.replace(CODE_PLACEHOLDER, slug)
    return f"{docs_url}{slug}"


def catalogue_path(slug: str, request: Request | None = None) -> str | None:
    """The site-relative path of the code's catalogue page (``/errors/<slug>/``, script prefix included).

    Uses the request's URL conf when it has one; ``None`` when the catalogue URLs are not mounted.
    """
    urlconf = getattr(request, "urlconf", None) if request is not None else get_urlconf()
    return _catalogue_path(slug, urlconf, get_script_prefix())


def link_for(slug: str, request: Request | None = None) -> str | None:
    """The ``link`` of the awork and Asana styles: :func:`docs_link`, else the catalogue page's URL.

    Absolute (built from the request's host) when there is a request, so it is clickable; the path
    alone without one; ``None`` when neither ``DOCS_URL`` nor the catalogue URLs are available.
    """
    link = docs_link(slug)
    if link is not None:
        return link
    path = catalogue_path(slug, request)
    if path is None or request is None:
        return path
    return request.build_absolute_uri(path)


def type_uri_for(slug: str, request: Request | None = None) -> str:
    """The problem style's ``type``: the same string in every environment of one deployment.

    :func:`docs_link` when ``DOCS_URL`` is set; else the catalogue page's site-relative path (RFC 9457
    3.1.1 asks relative references to carry the full path); ``about:blank`` without either.
    """
    return docs_link(slug) or catalogue_path(slug, request) or NO_TYPE


@lru_cache(maxsize=1024)
def _catalogue_path(slug: str, urlconf: str | None, script_prefix: str) -> str | None:
    # urlconf and the script prefix are part of the cache key: reverse() depends on both.
    try:
        return reverse("django_api_errors:code-detail", args=[slug], urlconf=urlconf)
    except NoReverseMatch:
        return None


def _clear_cache(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _catalogue_path.cache_clear()


setting_changed.connect(_clear_cache)
