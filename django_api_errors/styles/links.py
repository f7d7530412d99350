"""Where an error points: the code's page under ``DOCS_URL``, else its catalogue page (docs/clients.md)."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from rest_framework.request import Request

from django_api_errors.caches import BoundedCache, cached
from django_api_errors.request_facts import django_request_of, own_attribute
from django_api_errors.settings import api_errors_settings

CODE_PLACEHOLDER = "{code}"
NO_TYPE = "about:blank"  # RFC 9457 3.1.1: the problem has no semantics beyond its status


def docs_link(slug: str) -> str | None:
    """The code's page under ``DOCS_URL`` (its ``{code}`` replaced by the slug, else the slug appended)."""
    docs_url = api_errors_settings.DOCS_URL
    if not docs_url:
        return None
    if CODE_PLACEHOLDER in docs_url:
        return docs_url.replace(CODE_PLACEHOLDER, slug)
    return f"{docs_url}{slug}"


def catalogue_path(slug: str, request: Request | None = None) -> str | None:
    """The code's catalogue page, site-relative in the request's URL conf; ``None`` when not mounted."""
    urlconf = own_attribute(django_request_of(request), "urlconf") if request is not None else get_urlconf()
    return _catalogue_path(slug, urlconf, get_script_prefix())


def link_for(slug: str, request: Request | None = None) -> str | None:
    """awork's and Asana's ``link``: :func:`docs_link`, else the catalogue page (absolute with a request)."""
    if api_errors_settings.DOCS_URL:
        return docs_link(slug)
    if request is None:
        return catalogue_path(slug)
    django_request = getattr(request, "_request", request)  # django_request_of, minus a call per link
    urlconf = own_attribute(django_request, "urlconf")  # set by a middleware choosing the URL conf
    script_prefix = get_script_prefix()
    # Every header get_host() reads; a forwarded one only when Django does (else one cached link per value).
    meta = django_request.META
    forwarded_host, forwarded_port = meta.get("HTTP_X_FORWARDED_HOST"), meta.get("HTTP_X_FORWARDED_PORT")
    host = (
        forwarded_host if forwarded_host and settings.USE_X_FORWARDED_HOST else None,
        meta.get("HTTP_HOST"),
        meta.get("SERVER_NAME"),
        forwarded_port if forwarded_port and settings.USE_X_FORWARDED_PORT else None,
        meta.get("SERVER_PORT"),
    )
    key = (slug, urlconf, script_prefix, django_request.scheme, host)
    link = _absolute_links.get(key, _UNKNOWN)
    if link is _UNKNOWN:
        path = _catalogue_path(slug, urlconf, script_prefix)
        # build_absolute_uri validates the host (DisallowedHost propagates and nothing is kept).
        link = None if path is None else django_request.build_absolute_uri(path)
        if sum(len(part) for part in host if part) <= _MAX_CACHED_HOST_LENGTH:
            _absolute_links.put(key, link)
    return link


def type_uri_for(slug: str, request: Request | None = None) -> str:
    """The problem ``type``: :func:`docs_link`, else the catalogue page's path, else ``about:blank``."""
    return docs_link(slug) or catalogue_path(slug, request) or NO_TYPE


#: Absolute links by code, URL conf, script prefix, scheme and host headers (docs/performance.md).
_absolute_links = BoundedCache(1024)
_MAX_CACHED_HOST_LENGTH = 512
_UNKNOWN = object()


@cached(1024)
def _catalogue_path(slug: str, urlconf: str | None, script_prefix: str) -> str | None:
    # urlconf and the script prefix are part of the cache key: reverse() depends on both.
    try:
        return reverse("django_api_errors:code-detail", args=[slug], urlconf=urlconf)
    except NoReverseMatch:
        return None
