"""Reporting server-side failures: a phrase for the client, a log line, a Sentry tag, an incident row.

:func:`report_incident` takes a 5xx whose phrase the pipeline has chosen (body and
``X-Error-Phrase`` header), tags the current Sentry scope with it and logs it with the traceback at
once. The incident row is written
later, when Django sends ``request_finished`` after the response: by then the request's own
transaction (``ATOMIC_REQUESTS``) has been rolled back, so nothing of the failed request is pending and
SQLite's write lock is free. The row goes through a connection of its own, opened with the settings
of the incidents' database and a short timeout, so it can neither commit the request's writes nor be
refused by the request's aborted transaction. When that write fails (database down, locked, full),
a warning carrying the phrase is logged and nothing is raised: the first log line still tells the
whole story.
"""

from __future__ import annotations

import copy
import logging
import threading
import traceback
from dataclasses import asdict, dataclass
from typing import Any

from django.core.signals import request_finished
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.dispatch import receiver
from rest_framework.request import Request

from django_api_errors.settings import api_errors_settings

logger = logging.getLogger("django_api_errors")

#: Response header carrying the phrase of a 5xx.
PHRASE_HEADER = "X-Error-Phrase"
#: Sentry tag carrying the phrase of a 5xx.
SENTRY_TAG = "error_phrase"


@dataclass(frozen=True)
class IncidentFacts:
    """What is known of one server failure, as plain values (kept until the row is written)."""

    phrase: str
    code: str
    status: int
    method: str
    path: str
    user_id: str
    request_id: str
    exception_type: str
    traceback: str


def report_incident(error: Any, exc: BaseException, request: Request | None) -> None:
    """Log a 5xx with the traceback, tag Sentry, and record its incident; never changes ``error``.

    Reads only ``error.phrase`` (already chosen), ``error.slug`` and ``error.status``.
    """
    phrase = error.phrase
    record = api_errors_settings.INCIDENTS
    facts = _facts(phrase, error, exc, request, with_traceback=record)
    tag_sentry_scope(phrase)
    log_safely(
        logging.ERROR,
        "Incident %s: %s %s failed with %s (%s)",
        phrase,
        facts.method or "-",
        facts.path or "-",
        error.status,
        error.slug,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={
            "error_code": error.slug,
            "status_code": error.status,
            "error_phrase": phrase,
            "request_method": facts.method,
            "request_path": facts.path,
            "user_id": facts.user_id,
            "request_id": facts.request_id,
        },
    )
    if record:
        _schedule(facts, during_request=request is not None)


def log_safely(level: int, message: str, *args: Any, **kwargs: Any) -> None:
    """Log on ``django_api_errors``; when a handler raises, the record goes to stderr instead.

    A broken handler (a log shipper down, a full disk) must cost neither the client's answer nor the
    incident row, and the record it dropped is still printed by Python's last-resort handler.
    """
    try:
        logger.log(level, message, *args, stacklevel=2, **kwargs)
    except Exception:
        record = logger.makeRecord(
            logger.name, level, __file__, 0, message, args, kwargs.get("exc_info"), extra=kwargs.get("extra")
        )
        logging.lastResort.handle(record)  # type: ignore[union-attr]


def _facts(
    phrase: str, error: Any, exc: BaseException, request: Request | None, *, with_traceback: bool
) -> IncidentFacts:
    exc_type = type(exc)
    # The log handler formats the traceback for the log; the row needs its own copy only when kept.
    stored_traceback = traceback.format_exception(exc_type, exc, exc.__traceback__) if with_traceback else ()
    return IncidentFacts(
        phrase=phrase,
        code=error.slug[:100],
        status=error.status,
        method=str(getattr(request, "method", "") or "")[:16],
        path=str(getattr(request, "path", "") or ""),
        user_id=_user_id(request)[:150],
        request_id=_request_id(request)[:200],
        exception_type=f"{exc_type.__module__}.{exc_type.__qualname__}"[:300],
        traceback="".join(stored_traceback),
    )


def _user_id(request: Request | None) -> str:
    # Only a user already loaded: authenticating again could query the request's broken transaction.
    # vars(): reading a missing attribute through DRF's Request costs an exception each time.
    user = vars(request).get("_user") if request is not None else None  # DRF, once authenticated
    if user is None:
        django_request = getattr(request, "_request", request)
        user = vars(django_request).get("_cached_user") if django_request is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.pk)


def _request_id(request: Request | None) -> str:
    meta = getattr(request, "META", None)
    if meta is None:
        return ""
    # The META key of the header, as Django names it (X-Request-ID: HTTP_X_REQUEST_ID).
    key = "HTTP_" + api_errors_settings.REQUEST_ID_HEADER.upper().replace("-", "_")
    return str(meta.get(key, ""))


def tag_sentry_scope(phrase: str) -> None:
    """Tag the current Sentry scope with the phrase, when ``sentry_sdk`` is installed."""
    try:
        import sentry_sdk
    except ImportError:
        return
    sentry_sdk.set_tag(SENTRY_TAG, phrase)


# Incidents of the request running in this thread, written once its response has been sent. A
# thread-local rather than a context variable: under ASGI the sync view and the response's close()
# run in the request's one sync thread, while context changes made in the view's task never reach
# the code that ends the request.
_pending = threading.local()


def _schedule(facts: IncidentFacts, *, during_request: bool) -> None:
    if during_request:
        _pending.__dict__.setdefault("incidents", []).append(facts)
    else:
        record_incident(facts)


@receiver(request_finished, dispatch_uid="django_api_errors.incidents.record_pending_incidents")
def record_pending_incidents(**kwargs: Any) -> None:
    """Write the incidents of the request that just finished (its transaction has ended)."""
    for facts in _pending.__dict__.pop("incidents", ()):
        record_incident(facts)


def record_incident(facts: IncidentFacts) -> bool:
    """Insert one incident; when that fails, log a warning with the phrase and return False."""
    connection = None
    try:
        alias = _incidents_alias()
        if connections[alias].in_atomic_block:
            # Once a request has ended, only its caller's transaction can still be open (a test case,
            # a job calling the handler): join it as a savepoint rather than commit beside it.
            _insert_in_open_transaction(alias, facts)
        else:
            connection = _writer_connection(alias)
            _insert(connection, facts)
            connection.close_if_unusable_or_obsolete()
    except Exception:
        log_safely(
            logging.WARNING,
            "Incident %s could not be recorded in the database; this log is its only record.",
            facts.phrase,
            exc_info=True,
            extra={"error_phrase": facts.phrase, "error_code": facts.code, "status_code": facts.status},
        )
        _close_quietly(connection)
        return False
    return True


def _incidents_alias() -> str:
    from django_api_errors.models import Incident

    return api_errors_settings.INCIDENTS_DATABASE or router.db_for_write(Incident)


def _insert_in_open_transaction(alias: str, facts: IncidentFacts) -> None:
    from django_api_errors.models import Incident

    with transaction.atomic(using=alias):
        Incident.objects.using(alias).create(**asdict(facts))


def _insert(connection: BaseDatabaseWrapper, facts: IncidentFacts) -> None:
    from django_api_errors.models import Incident

    incident = Incident(**asdict(facts))
    fields = [field for field in Incident._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(incident, True), connection) for field in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Incident._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    if connection.vendor == "postgresql":
        # The log line is the durable record, so the row need not wait for the WAL to reach the disk.
        # Set inside the INSERT's own transaction: no extra round trip, and nothing left on the
        # session for a pooler in transaction mode to hand on to another client.
        sql += " RETURNING set_config('synchronous_commit', 'off', true)"
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    if not connection.get_autocommit():
        connection.commit()


# The option that bounds how long the writer waits, per database vendor.
_TIMEOUT_OPTIONS = {"postgresql": "connect_timeout", "mysql": "connect_timeout", "sqlite": "timeout"}

# One writer connection per thread and database alias; closed after each write unless the alias
# keeps connections (CONN_MAX_AGE), exactly as Django treats its own.
_writers = threading.local()


def _writer_connection(alias: str) -> BaseDatabaseWrapper:
    cache: dict[str, BaseDatabaseWrapper] = _writers.__dict__.setdefault("connections", {})
    if alias not in cache:
        cache[alias] = _new_connection(alias)
    return cache[alias]


def _new_connection(alias: str) -> BaseDatabaseWrapper:
    settings_dict = copy.deepcopy(connections.settings[alias])
    backend = load_backend(settings_dict["ENGINE"])
    options = settings_dict.setdefault("OPTIONS", {})
    # A pool of its own per writer would hold connections the project never planned for.
    options.pop("pool", None)
    option = _TIMEOUT_OPTIONS.get(backend.DatabaseWrapper.vendor)
    if option:
        options[option] = api_errors_settings.INCIDENTS_TIMEOUT
    # An alias of its own: this connection is not the request's, and must never be taken for it.
    return backend.DatabaseWrapper(settings_dict, alias=f"{alias}:incidents")


def _close_quietly(connection: BaseDatabaseWrapper | None) -> None:
    if connection is None:
        return
    try:
        connection.close()
    except Exception:
        logger.debug("Closing the incident writer's connection failed.", exc_info=True)
