"""Errors that tell the client when to come back: ``Retry-After`` and a wait in ``details`` (docs/http.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from django_api_errors.codes import BaseErrorCode, ErrorCode
from django_api_errors.errors import ApiError

RetryAfter = int | float | timedelta | datetime | None


class RetryLaterError(ApiError):
    """An ``ApiError`` with an optional wait, given in seconds, as a ``timedelta`` or as a moment."""

    default_code: BaseErrorCode = ErrorCode.SERVICE_UNAVAILABLE

    def __init__(
        self,
        code: BaseErrorCode | str | None = None,
        *,
        retry_after: RetryAfter = None,
        details: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        self.retry_after = retry_after_seconds(retry_after)
        headers = dict(kwargs.pop("headers", None) or {})
        details = list(details)
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
            details.append(wait_detail(self.retry_after))
        super().__init__(code or self.default_code, details=details, headers=headers, **kwargs)


class ServiceUnavailable(RetryLaterError):
    """503 ``service-unavailable``: maintenance, or a backend the request needs is down."""


class TooManyRequests(RetryLaterError):
    """429 ``too-many-requests`` for limits a project enforces outside DRF's throttles."""

    default_code = ErrorCode.TOO_MANY_REQUESTS


def retry_after_seconds(retry_after: RetryAfter) -> int | None:
    """The wait in whole seconds, rounded up (a client retrying early would only fail again)."""
    if retry_after is None:
        return None
    if isinstance(retry_after, datetime):
        retry_after = retry_after - timezone.now()
    if isinstance(retry_after, timedelta):
        retry_after = retry_after.total_seconds()
    return max(0, math.ceil(retry_after))


def wait_detail(seconds: int) -> str:
    """The client-facing sentence saying how long to wait."""
    text = ngettext("Try again in %(seconds)d second.", "Try again in %(seconds)d seconds.", seconds)
    return text % {"seconds": seconds}
