"""Reporting server-side failures: a log line, a Sentry tag, an OpenTelemetry span status, an incident row.

:func:`report_incident` is the report step of every 5xx. It reads the error's phrase, code and
status (never changing the error), logs one ``ERROR`` line with the phrase and the traceback at
once, tags Sentry and the current OpenTelemetry span, and hands the incident to the writer
(:mod:`django_api_errors.incident_writer`), which stores it off the request within
``INCIDENTS_TIMEOUT``, or says in the log that it did not. It never raises.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import traceback
from typing import Any, Protocol

from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.utils import timezone

from django_api_errors.fingerprints import fingerprint, route_of
from django_api_errors.incident_writer import (
    IncidentFacts,
    admits,
    flush_incidents,
    log_safely,
    logger,
    not_recorded,
    record_incident,
    submit,
)
from django_api_errors.request_facts import django_request_of
from django_api_errors.settings import api_errors_settings

__all__ = [
    "MAX_PATH_LENGTH",
    "MAX_REQUEST_ID_LENGTH",
    "PHRASE_HEADER",
    "SENTRY_TAG",
    "IncidentFacts",
    "flush_incidents",
    "log_safely",
    "logger",
    "record_incident",
    "report_incident",
]

#: Response header carrying the phrase of a 5xx.
PHRASE_HEADER = "X-Error-Phrase"
#: Sentry tag carrying the phrase of a 5xx.
SENTRY_TAG = "error_phrase"
#: Characters of the request path kept in the incident row and its log line (escaped there).
MAX_PATH_LENGTH = 2048
#: Characters of the request id kept in the log line and the incident row.
MAX_REQUEST_ID_LENGTH = 200


class ReportedError(Protocol):
    """What :func:`report_incident` reads of an error: its phrase, code and HTTP status."""

    phrase: str | None
    slug: str
    status: int


def report_incident(error: ReportedError, exc: BaseException, request: Any) -> None:
    """Log the 5xx with its phrase and traceback, tag Sentry and the span, and record its incident.

    Reads only ``error.phrase``, ``error.slug`` and ``error.status``; never raises, and never keeps
    the request waiting on the incident store longer than ``INCIDENTS_TIMEOUT``.
    """
    try:
        facts = _facts(str(error.phrase or ""), error, exc, request)
    except Exception:  # a request object too odd to read: the incident still gets its line
        logger.exception("Reading the failed request for its incident failed.")
        facts = _facts(str(error.phrase or ""), error, exc, None)
    for step in (tag_sentry_scope, mark_current_span):
        try:
            step(facts.phrase, facts.code)
        except Exception:
            logger.debug("Tagging the failure with %s failed.", step.__name__, exc_info=True)
    method, path = escape_for_log(facts.method), escape_for_log(facts.path)
    log_safely(
        logging.ERROR,
        "Incident %s: %s %s failed with %s (%s)",
        facts.phrase,
        method or "-",
        path or "-",
        facts.status,
        facts.code,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={
            "error_code": facts.code,
            "status_code": facts.status,
            "error_phrase": facts.phrase,
            "request_method": method,
            "request_path": path,
            "user_id": escape_for_log(facts.user_id),
            "request_id": escape_for_log(facts.request_id),
            "error_fingerprint": facts.fingerprint,
        },
    )
    if not api_errors_settings.INCIDENTS:
        return
    try:
        _schedule(_with_traceback(facts, exc) if admits(facts) else dataclasses.replace(facts, capped=True))
    except Exception:
        not_recorded([facts])


def escape_for_log(value: str) -> str:
    r"""``value`` with control characters, line separators and non-ASCII escaped (``\r``, ``\u2028``).

    The escaping Django applies to the request values of its own log lines (``log_response``), so a
    path or header cannot forge a log line or send a terminal escape.
    """
    return value.encode("unicode_escape").decode("ascii")


def _storable(text: str) -> str:
    """``text`` with each NUL replaced by U+FFFD: PostgreSQL's text refuses NUL (``%00`` in a path
    is enough), and one such row would make the database refuse its whole batch."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _with_traceback(facts: IncidentFacts, exc: BaseException) -> IncidentFacts:
    # The log handler formats the traceback for the log; a row needs its own copy, and only a row
    # under the rate cap is written: formatting it for the others would be a storm's main cost.
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return dataclasses.replace(facts, traceback=_storable(text))


def _facts(phrase: str, error: ReportedError, exc: BaseException, request: Any) -> IncidentFacts:
    # The Django request under DRF's: DRF's Request reaches path, method and META by raising inside.
    django_request = django_request_of(request)
    exc_type = type(exc)
    exception_type = f"{exc_type.__module__}.{exc_type.__qualname__}"[:300]
    code = str(error.slug)[:100]
    print_ = fingerprint(
        code, exception_type, route_of(request) if request is not None else "", exc.__traceback__
    )
    return IncidentFacts(
        phrase=phrase,
        code=code,
        status=int(error.status),
        method=str(getattr(django_request, "method", "") or "")[:16],
        path=_storable(str(getattr(django_request, "path", "") or "")[:MAX_PATH_LENGTH]),
        user_id=_user_id(request)[:150],
        request_id=_storable(_request_id(django_request)[:MAX_REQUEST_ID_LENGTH]),
        exception_type=exception_type,
        traceback="",
        fingerprint=print_.digest,
        route=print_.route,
        frame=print_.frame,
        created_at=timezone.now(),
    )


def _user_id(request: Any) -> str:
    # Only a user already loaded: authenticating again could query the request's broken transaction.
    # vars(): reading a missing attribute through DRF's Request costs an exception each time.
    user = vars(request).get("_user") if request is not None else None  # DRF, once authenticated
    if user is None:
        django_request = getattr(request, "_request", request)
        user = vars(django_request).get("_cached_user") if django_request is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.pk)


def _request_id(request: Any) -> str:
    meta = getattr(request, "META", None)
    if meta is None:
        return ""
    # The META key of the header, as Django names it (X-Request-ID: HTTP_X_REQUEST_ID).
    key = "HTTP_" + api_errors_settings.REQUEST_ID_HEADER.upper().replace("-", "_")
    value = str(meta.get(key, ""))
    # WSGI hands header bytes over as Latin-1; a UTF-8 id is read back as the client sent it.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def tag_sentry_scope(phrase: str, code: str = "") -> None:
    """Tag the current Sentry scope with the phrase, when ``sentry_sdk`` is installed."""
    try:
        import sentry_sdk
    except ImportError:
        return
    sentry_sdk.set_tag(SENTRY_TAG, phrase)


def mark_current_span(phrase: str, code: str) -> None:
    """Set the current OpenTelemetry span's status to error with the code and phrase, when installed."""
    try:
        from opentelemetry import trace
    except ImportError:
        return
    span = trace.get_current_span()
    if not span.is_recording():
        return
    span.set_status(trace.Status(trace.StatusCode.ERROR, code))
    span.set_attribute("error.type", code)
    span.set_attribute("api_errors.code", code)
    span.set_attribute("api_errors.phrase", phrase)


class _RequestCycle:
    """Per thread: is a request being served (between ``request_started`` and ``request_finished``)?

    A thread-local rather than a context variable: under ASGI the signals, the sync view and the
    response's close() run in the request's one sync thread, while context changes made in the
    view's task never reach the code that ends the request.
    """

    def __init__(self) -> None:
        self.local = threading.local()

    @property
    def active(self) -> bool:
        return getattr(self.local, "active", False)

    def start(self) -> None:
        self.local.active = True
        self.local.pending = []

    def finish(self) -> list[IncidentFacts]:
        self.local.active = False
        pending, self.local.pending = getattr(self.local, "pending", []), []
        return pending

    def defer(self, facts: IncidentFacts) -> None:
        self.local.pending.append(facts)


_cycle = _RequestCycle()


def _schedule(facts: IncidentFacts) -> None:
    # Inside a request, the row waits for its end: the request's transaction (ATOMIC_REQUESTS) has
    # then been rolled back, and a caller's transaction (a TestCase) can be told from it.
    if _cycle.active:
        _cycle.defer(facts)
    else:
        submit(facts)


@receiver(request_started, dispatch_uid="django_api_errors.incidents.request_started")
def _start_request_cycle(**kwargs: Any) -> None:
    _cycle.start()


@receiver(request_finished, dispatch_uid="django_api_errors.incidents.record_pending_incidents")
def record_pending_incidents(**kwargs: Any) -> None:
    """Hand the incidents of the request that just finished to the writer (its transaction has ended)."""
    for facts in _cycle.finish():
        submit(facts)
