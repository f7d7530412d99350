"""The exception handler DRF calls for every failure of a view: the one path of an error.

Set it as DRF's ``EXCEPTION_HANDLER``::

    REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"}
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import set_rollback

from django_api_errors.errors import ApiError, to_api_error
from django_api_errors.incidents import report_server_error
from django_api_errors.styles import style_for


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Answer any exception with its status and the body of the configured style."""
    request = context.get("request")
    error = to_api_error(exc, getattr(request, "LANGUAGE_CODE", None))
    if error.status >= 500:
        report_server_error(error, exc, request)
    set_rollback()
    return render_response(error, request)


def render_response(error: ApiError, request: Request | None) -> Response:
    """The DRF response for a normalised error, in the configured (or negotiated) style."""
    style = style_for(request)
    body = style.render(error, request)
    content_type = getattr(style, "CONTENT_TYPE", None)
    renderer = getattr(request, "accepted_renderer", None)
    if content_type and getattr(renderer, "format", "json") != "json":
        content_type = None  # the browsable API renders HTML: keep its own content type
    return Response(body, status=error.status, headers=error.headers, content_type=content_type)
