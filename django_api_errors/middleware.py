"""The middleware giving plain Django views under the API prefixes the API's error shape, and refusing an
oversized body or a NUL in a header before anything reads them (docs/http.md, docs/hardening.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from rest_framework.views import APIView

from django_api_errors.codes import ErrorCode
from django_api_errors.django_views import exception_response, wants_api_error
from django_api_errors.errors import ApiError
from django_api_errors.request_facts import own_attribute
from django_api_errors.settings import api_errors_settings

#: Request attribute: the error of a NUL in a header, found once per request by ``__call__``.
NUL_HEADER = "_api_errors_nul_header"


class ApiErrorMiddleware:
    """Answers failures of plain Django views under the API prefixes in the active style."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nul_header = nul_in_request(request)
        refused = body_too_large(request) or nul_header
        if refused is not None and wants_api_error(request):
            return exception_response(refused, request)
        setattr(request, NUL_HEADER, nul_header)  # process_view refuses it for DRF views elsewhere
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (400, 404):
            return debug_page_replaced(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        """Refuse a NUL in a header for every DRF view, wherever it is routed, before it authenticates."""
        view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
        refused = own_attribute(request, NUL_HEADER)
        if refused is None or not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            return None
        return exception_response(refused, request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer an exception of a plain view for API requests; leave every other request to Django."""
        return exception_response(exception, request) if wants_api_error(request) else None


def debug_page_replaced(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Under ``DEBUG``, the API's error instead of Django's technical 404 (no URL pattern matched: no
    ``resolver_match``) or 400 (a refused ``Host``) for an API request; a view's own are left."""
    if not response.get("Content-Type", "").startswith("text/html") or not wants_api_error(request):
        return response
    if response.status_code == 404:
        return exception_response(Http404(), request) if request.resolver_match is None else response
    try:
        request.get_host()
    except DisallowedHost as refused:
        return exception_response(refused, request)
    return response


def body_too_large(request: HttpRequest) -> ApiError | None:
    """A ``request-body-too-large`` error when ``Content-Length`` exceeds ``MAX_REQUEST_BODY_SIZE`` (else
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``), else ``None``: checked before any parser reads (docs/http.md)."""
    limit = api_errors_settings.MAX_REQUEST_BODY_SIZE
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE if limit is None else limit
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not limit or size <= limit:
        return None
    detail = gettext("The body has %(size)d bytes; this API accepts at most %(limit)d.")
    return ApiError(ErrorCode.REQUEST_BODY_TOO_LARGE, details=[detail % {"size": size, "limit": limit}])


def nul_in_request(request: HttpRequest) -> ApiError | None:
    """A ``bad-request`` error when a header value holds a NUL byte, which authentication would send to
    the database (a 500 on PostgreSQL: docs/hardening.md)."""
    if not any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_")):
        return None
    detail = gettext("A request header holds a NUL character (U+0000).")
    return ApiError(ErrorCode.BAD_REQUEST, details=[detail])
