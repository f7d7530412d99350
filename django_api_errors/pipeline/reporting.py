"""The report step of a 5xx: one structured log record for any log handler to read (``docs/incidents.md``)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from django_api_errors.pipeline.fingerprints import fingerprint, route_of
from django_api_errors.request_facts import django_request_of
from django_api_errors.settings import api_errors_settings

logger = logging.getLogger("django_api_errors")

#: Response header carrying the phrase of a 5xx.
PHRASE_HEADER = "X-Error-Phrase"
#: Characters of the request path and of the request id the record keeps (before escaping).
MAX_PATH_LENGTH = 2048
MAX_REQUEST_ID_LENGTH = 200
#: The record's attributes (``extra``), described in ``docs/incidents.md``; request values are escaped.
FACTS = (
    "error_phrase",
    "error_code",
    "status_code",
    "error_fingerprint",
    "error_route",
    "error_frame",
    "request_method",
    "request_path",
    "request_id",
    "user_id",
)


def report_failure(phrase: str, code: str, status: int, exc: BaseException, request: Any) -> None:
    """Log the failure as one ``ERROR`` record with its traceback and facts; tag Sentry and the span.
    Never raises: an unreadable request is logged without its values, a failing handler's record goes
    to Python's last-resort handler."""
    extra = dict.fromkeys(FACTS, "") | {"error_phrase": phrase, "error_code": code, "status_code": status}
    try:
        extra |= _facts(request, code, exc)
        tag_sentry_scope(phrase)
        mark_current_span(phrase, code)
    except Exception:
        logger.debug("Reading the failed request or tagging its failure failed.", exc_info=True)
    extra["error_fingerprint"] = extra["error_fingerprint"] or fingerprint(code, "", "", None).digest
    message = "Incident %s: %s %s failed with %s (%s)"
    args = (phrase, extra["request_method"] or "-", extra["request_path"] or "-", status, code)
    exc_info = (type(exc), exc, exc.__traceback__)
    try:
        logger.error(message, *args, exc_info=exc_info, extra=extra)
    except Exception:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 0, message, args, exc_info, extra=extra
        )
        logging.lastResort.handle(record)  # type: ignore[union-attr]


def escape_for_log(value: str) -> str:
    r"""``value`` with control characters, line separators and non-ASCII escaped (``\r``, ``\u2028``), as
    Django escapes its own request log lines (``log_response``): no forged line, no terminal escape."""
    return value.encode("unicode_escape").decode("ascii")


def unescape(value: str) -> str:
    """The value :func:`escape_for_log` was given."""
    return value.encode("ascii").decode("unicode_escape")


def _facts(request: Any, code: str, exc: BaseException) -> dict[str, Any]:
    django_request = django_request_of(request)
    exc_type = type(exc)
    print_ = fingerprint(
        code, f"{exc_type.__module__}.{exc_type.__qualname__}", route_of(django_request), exc.__traceback__
    )
    return {
        "error_fingerprint": print_.digest,
        "error_route": print_.route,
        "error_frame": print_.frame,
        "request_method": escape_for_log(str(getattr(django_request, "method", "") or "")[:16]),
        "request_path": escape_for_log(str(getattr(django_request, "path", "") or "")[:MAX_PATH_LENGTH]),
        "request_id": escape_for_log(_request_id(django_request)[:MAX_REQUEST_ID_LENGTH]),
        "user_id": escape_for_log(_user_id(request)[:150]),
    }


def _user_id(request: Any) -> str:
    # Only a user already loaded: authenticating again could query the request's broken transaction.
    # vars(): reading a missing attribute through DRF's Request costs an exception each time.
    user = vars(request).get("_user") if request is not None else None  # DRF, once authenticated
    if user is None:
        django_request = django_request_of(request)
        user = vars(django_request).get("_cached_user") if django_request is not None else None
    return str(user.pk) if getattr(user, "is_authenticated", False) else ""


def _request_id(request: Any) -> str:
    meta = getattr(request, "META", None) or {}
    # The META key of the header, as Django names it (X-Request-ID: HTTP_X_REQUEST_ID).
    value = str(meta.get("HTTP_" + api_errors_settings.REQUEST_ID_HEADER.upper().replace("-", "_"), ""))
    # WSGI hands header bytes over as Latin-1; a UTF-8 id is read back as the client sent it.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def tag_sentry_scope(phrase: str) -> None:
    """Tag the current Sentry scope with the phrase, when ``sentry_sdk`` is in use."""
    sentry_sdk = sys.modules.get("sentry_sdk")  # initialised means imported: nothing to import here
    if sentry_sdk is not None and sentry_sdk.is_initialized():
        sentry_sdk.set_tag("error_phrase", phrase)


def mark_current_span(phrase: str, code: str) -> None:
    """Set the current OpenTelemetry span's status to error with the code and phrase, when in use."""
    trace = sys.modules.get("opentelemetry.trace")  # a recording span means imported
    span = trace.get_current_span() if trace is not None else None
    if span is not None and span.is_recording():
        span.set_status(trace.Status(trace.StatusCode.ERROR, code))
        span.set_attributes({"error.type": code, "api_errors.code": code, "api_errors.phrase": phrase})
