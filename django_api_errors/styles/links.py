"""Where an error points: the code's page under ``DOCS_URL``, else its catalogue page ``/errors/<code>/``.

The ``link`` of the awork and Asana styles is that page's absolute URL, so a person can click it; the
problem style's ``type`` is its site-relative path, the same whatever the ``Host``, so a client can
compare it across environments.
"""

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
    """The site-relative path of the code's catalogue page in the request's URL conf (script prefix
    included); ``None`` when the catalogue URLs are not mounted."""
    urlconf = own_attribute(django_request_of(request), "urlconf") if request is not None else get_urlconf()
    return _catalogue_path(slug, urlconf, get_script_prefix())


def link_for(slug: str, request: Request | None = None) -> str | None:
    """The ``link`` of the awork and Asana styles: :func:`docs_link`, else the catalogue page's URL,
    absolute when there is a request (the path alone without one)."""
    if api_errors_settings.DOCS_URL:
        return docs_link(slug)
    if request is None:
        return catalogue_path(slug)
    django_request = getattr(request, "_request", request)  # DRF's Request, read without proxying
    urlconf = own_attribute(django_request, "urlconf")  # set by a middleware choosing the URL conf
    script_prefix = get_script_prefix()
    # Every header get_host() reads; a forwarded one only when Django reads it (else each value a
    # client sends is one more cached link), its setting read only when the header is there.
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
    """The problem style's ``type``: :func:`docs_link`, else the catalogue page's site-relative path
    (RFC 9457 3.1.1: relative references carry the full path), else ``about:blank``."""
    return docs_link(slug) or catalogue_path(slug, request) or NO_TYPE


#: Absolute links by code, URL conf, script prefix, scheme and host headers (validated against
#: ``ALLOWED_HOSTS`` when first built). Hosts come from clients: at most 1 024 entries, of host headers
#: of at most 512 characters (longer ones are built, not kept), so about 2 MB at most.
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
