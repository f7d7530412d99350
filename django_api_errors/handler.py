"""The exception handler DRF calls for every failure of a view: the one path of an error.

Set it as DRF's ``EXCEPTION_HANDLER``::

    REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"}
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import set_rollback

from django_api_errors.errors import ApiError, to_api_error
from django_api_errors.incidents import report_server_error
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import Style, get_style, style_for

logger = logging.getLogger("django_api_errors")


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
    style, body = styled_body(error, request, request)
    content_type = getattr(style, "CONTENT_TYPE", None)
    renderer = getattr(request, "accepted_renderer", None)
    if content_type and getattr(renderer, "format", "json") != "json":
        content_type = None  # the browsable API renders HTML: keep its own content type
    return Response(body, status=error.status, headers=error.headers, content_type=content_type)


def styled_body(
    error: ApiError, request: HttpRequest | Request | None, link_request: HttpRequest | Request | None
) -> tuple[Style, dict[str, Any]]:
    """The style answering ``request`` and its body (links built from ``link_request``).

    A project style that cannot be imported or fails to render is logged, and the error answers in the
    built-in awork style: a broken style must not turn every error into Django's HTML 500 page.
    """
    try:
        style = style_for(request)
        return style, style.render(error, link_request)
    except Exception:
        logger.exception("The error style %r failed; answering in the awork style", api_errors_settings.STYLE)
        style = get_style("awork")
        return style, style.render(error, link_request)
