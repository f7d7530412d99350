"""Reporting server-side failures: the log line (always) and, later, the incident row."""

from __future__ import annotations

import logging

from rest_framework.request import Request

from django_api_errors.errors import ApiError

logger = logging.getLogger("django_api_errors")


def report_server_error(error: ApiError, exc: BaseException, request: Request | None) -> None:
    """Log a server-side failure with its traceback; the client's body never carries it."""
    logger.error(
        "%s %s failed with %s (%s)",
        getattr(request, "method", "-"),
        getattr(request, "path", "-"),
        error.status,
        error.slug,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"error_code": error.slug, "status_code": error.status},
    )
