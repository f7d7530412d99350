"""Django's own error views, answering API requests in the active style and everything else as Django.

Failures outside DRF views (an unknown URL, a bad ``Host`` header, a body over the limit found while
parsing, a failed CSRF check, a crash in a middleware) never reach DRF's exception handler; Django
answers them through ``handler400`` / ``handler403`` / ``handler404`` / ``handler500`` and
``CSRF_FAILURE_VIEW``. Point those at this module::

    # urls.py
    handler400 = "django_api_errors.django_views.bad_request"
    handler403 = "django_api_errors.django_views.permission_denied"
    handler404 = "django_api_errors.django_views.page_not_found"
    handler500 = "django_api_errors.django_views.server_error"

    # settings.py
    CSRF_FAILURE_VIEW = "django_api_errors.django_views.csrf_failure"

A request is an API request when its path starts with one of ``API_ERRORS["API_PREFIXES"]`` or its
``Accept`` header prefers JSON to HTML; any other request gets Django's usual page.
"""

from __future__ import annotations

import sys

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults

from django_api_errors.codes import ErrorCode
from django_api_errors.errors import ApiError, to_api_error
from django_api_errors.handler import styled_body
from django_api_errors.incidents import report_server_error
from django_api_errors.settings import api_errors_settings

CSRF_FAILED = _(
    "The request carries no valid CSRF token; send the token from the csrftoken cookie in the "
    "X-CSRFToken header, or authenticate with a token instead of a session."
)


def wants_api_error(request: HttpRequest) -> bool:
    """Whether a failure of this request answers in the API's style rather than as an HTML page."""
    path = request.path_info
    if any(path.startswith(prefix) for prefix in api_errors_settings.API_PREFIXES):
        return True
    return _prefers_json(request)


def _prefers_json(request: HttpRequest) -> bool:
    # The first concrete type naming JSON or HTML decides; wildcards (*/*) say nothing either way.
    for media_type in request.accepted_types:
        sub_type = media_type.sub_type.lower()
        if sub_type == "json" or sub_type.endswith("+json"):
            return True
        if sub_type in ("html", "xhtml+xml"):
            return False
    return False


def error_response(error: ApiError, request: HttpRequest | None) -> HttpResponse:
    """The plain Django response for a normalised error: the style's body, its status and headers."""
    style, body = styled_body(error, request, _linkable(request))
    content_type = getattr(style, "CONTENT_TYPE", None) or "application/json"
    return JsonResponse(body, status=error.status, headers=error.headers, content_type=content_type)


def exception_response(exc: BaseException, request: HttpRequest) -> HttpResponse:
    """Normalise any exception, report it when it is a server error, and answer it in the style."""
    error = to_api_error(exc)
    if error.status >= 500:
        report_server_error(error, exc, request)
    return error_response(error, request)


def _linkable(request: HttpRequest | None) -> HttpRequest | None:
    # Absolute links need the Host header; when Django refuses it, links stay relative paths.
    if request is None:
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None
    return request


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a bad Host header, a body over Django's limit, any ``SuspiciousOperation``."""
    if not wants_api_error(request):
        return defaults.bad_request(request, exception)
    return exception_response(exception, request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: ``PermissionDenied`` raised outside a view (in a middleware or decorator)."""
    if not wants_api_error(request):
        return defaults.permission_denied(request, exception)
    return exception_response(exception, request)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an unknown URL, or ``Http404`` that no middleware answered."""
    if not wants_api_error(request):
        return defaults.page_not_found(request, exception)
    return exception_response(exception, request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: an exception nothing else answered; Django calls this inside its ``except``."""
    if not wants_api_error(request):
        return defaults.server_error(request)
    exc = sys.exc_info()[1]
    if exc is None:
        exc = ApiError(ErrorCode.SERVER_ERROR)
    return exception_response(exc, request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: 403 ``unauthorized`` with a detail saying how to pass the check."""
    if not wants_api_error(request):
        return csrf.csrf_failure(request, reason)
    return error_response(ApiError(ErrorCode.UNAUTHORIZED, details=[CSRF_FAILED]), request)
