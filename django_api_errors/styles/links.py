"""Where an error points: the code's documentation page, as a ``link`` and as a problem ``type``.

``DOCS_URL`` is the one base every client sees, in every style. Without it each code points at the
app's own catalogue page ``/errors/<code>/``: the ``link`` of the awork and Asana styles is that page's
absolute URL, so a person can click it; the problem style's ``type`` is its site-relative path, which
does not change with the request's ``Host``, so a client can compare it across environments.
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
    urlconf = own_attribute(django_request_of(request), "urlconf") if request is not None else get_urlconf()
    return _catalogue_path(slug, urlconf, get_script_prefix())


def link_for(slug: str, request: Request | None = None) -> str | None:
    """The ``link`` of the awork and Asana styles: :func:`docs_link`, else the catalogue page's URL.

    Absolute (built from the request's host) when there is a request, so it is clickable; the path
    alone without one; ``None`` when neither ``DOCS_URL`` nor the catalogue URLs are available.
    """
    if api_errors_settings.DOCS_URL:
        return docs_link(slug)
    if request is None:
        return catalogue_path(slug)
    django_request = getattr(request, "_request", request)  # DRF's Request: no proxying
    urlconf = own_attribute(django_request, "urlconf")  # set by a middleware choosing the URL conf
    script_prefix = get_script_prefix()
    # Every header get_host() reads: equal values name the same host. The forwarded ones count only
    # when Django reads them (otherwise any value a client sends would be one more cached link); a
    # setting costs a Python call to read, so it is read only when the header is there.
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
    """The problem style's ``type``: the same string in every environment of one deployment.

    :func:`docs_link` when ``DOCS_URL`` is set; else the catalogue page's site-relative path (RFC 9457
    3.1.1 asks relative references to carry the full path); ``about:blank`` without either.
    """
    return docs_link(slug) or catalogue_path(slug, request) or NO_TYPE


#: Absolute links already built, by code, URL conf, script prefix, scheme and host headers. A host
#: is validated (``ALLOWED_HOSTS``) when its link is first built; hosts come from clients, so the
#: table is bounded by entries and by the length of the host headers of each.
_absolute_links = BoundedCache(1024)
#: Characters of host headers above which a link is built but not kept (a valid host is far shorter).
_MAX_CACHED_HOST_LENGTH = 512
_UNKNOWN = object()


@cached(1024)
def _catalogue_path(slug: str, urlconf: str | None, script_prefix: str) -> str | None:
    # urlconf and the script prefix are part of the cache key: reverse() depends on both.
    try:
        return reverse("django_api_errors:code-detail", args=[slug], urlconf=urlconf)
    except NoReverseMatch:
        return None
