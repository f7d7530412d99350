"""Django's error views (``handler400`` to ``handler500``, ``CSRF_FAILURE_VIEW``): API requests answer in
the active style, every other request as Django does (docs/http.md shows how to wire them)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults

from django_api_errors.codes import ErrorCode
from django_api_errors.errors import ApiError
from django_api_errors.negotiation import prefers_json
from django_api_errors.pipeline import SIGNALLED, get_pipeline
from django_api_errors.settings import api_errors_settings

CSRF_FAILED = _(
    "The request carries no valid CSRF token; send the token from the csrftoken cookie in the "
    "X-CSRFToken header, or authenticate with a token instead of a session."
)


def under_api_prefix(request: HttpRequest) -> bool:
    """Whether the request's path starts with one of ``API_PREFIXES``."""
    return any(request.path_info.startswith(prefix) for prefix in api_errors_settings.API_PREFIXES)


def wants_api_error(request: HttpRequest) -> bool:
    """Whether a failure of this request answers in the API's style rather than as an HTML page: under
    an API prefix, or when ``Accept`` ranks JSON above HTML."""
    return under_api_prefix(request) or prefers_json(request.META.get("HTTP_ACCEPT", ""))


def exception_response(exc: BaseException, request: HttpRequest) -> HttpResponse:
    """Run ``exc`` through the pipeline (reported when a server error) and answer it as JSON, with
    ``Vary: Accept`` where ``Accept`` chose the style or chose JSON over Django's page."""
    body, status, headers, content_type = get_pipeline().respond(exc, request)
    response = JsonResponse(body, status=status, headers=headers, content_type=content_type)
    if api_errors_settings.NEGOTIATE or not under_api_prefix(request):
        patch_vary_headers(response, ["Accept"])
    return response


def _or_django(error: BaseException, request: HttpRequest, page: Callable[[], HttpResponse]) -> HttpResponse:
    # Django's page when the request is no API request: Accept chose it over JSON, so it varies on it.
    if wants_api_error(request):
        return exception_response(error, request)
    response = page()
    patch_vary_headers(response, ["Accept"])
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a bad Host header, a body over Django's limit, any ``SuspiciousOperation``."""
    return _or_django(exception, request, lambda: defaults.bad_request(request, exception))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: ``PermissionDenied`` raised outside a view (in a middleware or decorator)."""
    return _or_django(exception, request, lambda: defaults.permission_denied(request, exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an unknown URL, or ``Http404`` that no middleware answered."""
    return _or_django(exception, request, lambda: defaults.page_not_found(request, exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: an exception nothing else answered; Django calls this inside its ``except``."""
    setattr(request, SIGNALLED, True)  # Django sent got_request_exception before calling handler500
    error = sys.exc_info()[1] or ApiError(ErrorCode.SERVER_ERROR)
    return _or_django(error, request, lambda: defaults.server_error(request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: 403 ``unauthorized`` with a detail saying how to pass the check."""
    error = ApiError(ErrorCode.UNAUTHORIZED, details=[CSRF_FAILED])
    return _or_django(error, request, lambda: csrf.csrf_failure(request, reason))
