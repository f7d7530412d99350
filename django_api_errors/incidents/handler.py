"""Storing incidents: a ``QueueHandler`` on the package's logger and a ``QueueListener`` thread writing
batches through the ORM with bounded waits (``docs/incidents.md``)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import math
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterable
from contextvars import ContextVar
from logging.handlers import QueueHandler, QueueListener
from typing import Any, NamedTuple

from django.core import mail
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.connection import ConnectionDoesNotExist

from django_api_errors.incidents.models import Incident, IncidentGroup
from django_api_errors.pipeline.reporting import unescape
from django_api_errors.settings import api_errors_settings

logger = logging.getLogger("django_api_errors")

#: Fingerprints the rate cap and the waiting group counts remember at most (per process).
MAX_FINGERPRINTS = 1000
NOT_RECORDED = "%d incidents could not be recorded in the database (%s); this log is their only record."


class Failure(NamedTuple):
    """One failure as the store needs it: its group's counts and, under the cap, its row."""

    group: IncidentGroup
    row: Incident | None


class IncidentWriter(QueueListener):
    """The store of one process: its thread writes the queue's failures in batches, under the rate cap and
    the circuit breaker of docs/incidents.md; counts it could not write wait for the next write."""

    batch_size = 500
    #: Seconds a batch gathers rows after its first: a storm is a few transactions a second.
    gather = 0.2
    #: Seconds without tries after a failed write.
    cooldown = 30.0
    #: Seconds between the warnings that count failures stored without a row.
    warning_interval = 60.0

    def __init__(self, items: queue.Queue[Any]) -> None:
        super().__init__(items)
        self.lock = threading.Lock()
        self.windows: dict[str, list[float]] = {}  # fingerprint -> [end of its minute, failures]
        self.pending: dict[str, IncidentGroup] = {}  # group counts waiting for a write
        self.unstored: Counter[str] = Counter()
        self.open_until, self.warned = 0.0, time.monotonic()

    def admits(self, fingerprint: str, now: float) -> bool:
        """Count a failure of ``fingerprint`` at ``now`` (monotonic seconds); True if it gets a row: at most
        ``INCIDENTS_RATE_CAP`` per fingerprint in a minute starting with its first failure after the last."""
        cap = api_errors_settings.INCIDENTS_RATE_CAP
        if cap is None:
            return True
        with self.lock:
            window = self.windows.get(fingerprint)
            if window is None or now >= window[0]:
                self.windows.pop(fingerprint, None)
                while len(self.windows) >= MAX_FINGERPRINTS:  # in order of start, so ending first
                    oldest = next(iter(self.windows))
                    if now < self.windows[oldest][0]:
                        return False
                    del self.windows[oldest]
                window = self.windows[fingerprint] = [now + 60, 0]
            window[1] += 1
            return window[1] <= cap

    def keep(self, groups: Iterable[IncidentGroup], reason: str = "", rows: int = 0) -> None:
        """Keep ``groups``' counts for the next write, and count ``rows`` not stored for ``reason``."""
        with self.lock:
            for group in groups:
                if group.fingerprint in self.pending or len(self.pending) < MAX_FINGERPRINTS:
                    _merge(self.pending, group)
                else:
                    self.unstored["not counted (too many groups waiting)"] += group.count
            if rows:
                self.unstored[reason] += rows

    def write(self, failures: list[Failure], *, own: bool) -> bool:
        """Write the rows and every group count waiting in one transaction, on a connection of its own
        when ``own``; True when written. What is not written is kept, counted and logged, never raised."""
        with self.lock:
            groups, self.pending = self.pending, {}
        for group, _ in failures:
            _merge(groups, group)
        rows = [row for _, row in failures if row is not None]
        reason = "circuit breaker open"
        if groups and time.monotonic() >= self.open_until:
            try:
                _save(groups, rows, own=own)
                groups = {}
            except Exception:
                self.open_until, reason = time.monotonic() + self.cooldown, "write failed"
                if phrases := [row.phrase for row in rows]:
                    extra = {"incident_phrases": phrases}
                    logger.warning(NOT_RECORDED, len(phrases), ", ".join(phrases), exc_info=True, extra=extra)
        if groups:
            for row in rows:
                groups[row.fingerprint].capped += 1
            self.keep(groups.values(), reason, len(rows))
        self.warn(now=False)
        return not groups

    def warn(self, *, now: bool) -> None:
        """Log how many failures went without a row, once the interval has passed (or ``now``)."""
        with self.lock:
            if not self.unstored or not (now or time.monotonic() - self.warned >= self.warning_interval):
                return
            counts, self.unstored, self.warned = self.unstored, Counter(), time.monotonic()
        logger.warning(
            "%d incidents were not stored as rows (%s); their phrases are in their error log lines only.",
            sum(counts.values()),
            ", ".join(f"{reason}: {number}" for reason, number in sorted(counts.items())),
            extra={"incidents_not_stored": dict(counts)},
        )

    def dequeue(self, block: bool) -> Any:
        """The next item; while none comes, the counts still waiting are written each second."""
        while True:
            try:
                return self.queue.get(timeout=1.0)
            except queue.Empty:
                if self.pending:
                    self.write([], own=True)

    def handle(self, item: Any) -> None:
        """Write ``item`` and what else comes within ``gather`` seconds (up to a batch); wake who flushed."""
        items, deadline = [item], time.monotonic() + self.gather
        while len(items) < self.batch_size and isinstance(items[-1], Failure):
            try:
                items.append(self.queue.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        if items[-1] is None:  # stop(): the sentinel goes back for _monitor to see
            self.enqueue_sentinel()
        self.write([failure for failure in items if isinstance(failure, Failure)], own=True)
        for marker in items:
            if isinstance(marker, threading.Event):
                marker.set()


def _merge(groups: dict[str, IncidentGroup], group: IncidentGroup) -> None:
    kept = groups.setdefault(group.fingerprint, group)
    if kept is not group:
        kept.count, kept.capped = kept.count + group.count, kept.capped + group.capped
        kept.first_seen = min(kept.first_seen, group.first_seen)
        kept.last_seen = max(kept.last_seen, group.last_seen)


def _save(groups: dict[str, IncidentGroup], rows: list[Incident], *, own: bool) -> None:
    alias = router.db_for_write(Incident)
    using = own_connection(alias) if own else alias
    keys = sorted(groups)  # one order in every process: concurrent writers never deadlock
    try:
        with transaction.atomic(using=using):
            new = [copy.copy(groups[key]) for key in keys]
            for group in new:
                group.count = group.capped = 0
            IncidentGroup.objects.using(using).bulk_create(new, ignore_conflicts=True)
            for key in keys:
                IncidentGroup.objects.using(using).filter(fingerprint=key).update(
                    count=F("count") + groups[key].count,
                    capped=F("capped") + groups[key].capped,
                    last_seen=Greatest(
                        "last_seen", Value(groups[key].last_seen, output_field=DateTimeField())
                    ),
                )
            Incident.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    finally:
        if own:  # as Django does after a request: closed unless CONN_MAX_AGE keeps it and it is usable
            connections[using].close_if_unusable_or_obsolete()


def own_connection(alias: str) -> str:
    """``<alias>:incidents``, this thread's connection to ``alias`` for the store: never a request's, with
    the vendor's timeouts derived from ``INCIDENTS_TIMEOUT``, given Django's per-request treatment."""
    name = f"{alias}:incidents"
    with contextlib.suppress(ConnectionDoesNotExist):
        connections[name].close_if_unusable_or_obsolete()
        return name
    settings_dict = copy.deepcopy(connections.settings[alias])
    settings_dict["ATOMIC_REQUESTS"] = False
    backend = load_backend(settings_dict["ENGINE"])
    options = settings_dict.setdefault("OPTIONS", {})
    options.pop("pool", None)  # a pool of its own would hold connections the project never planned for
    seconds = float(api_errors_settings.INCIDENTS_TIMEOUT)
    whole, ms = max(1, math.ceil(seconds)), max(1, int(seconds * 1000))
    vendor = backend.DatabaseWrapper.vendor
    if vendor == "sqlite":  # BEGIN IMMEDIATE: wait for the write lock, never upgrade a read lock
        options.update(timeout=seconds, transaction_mode="IMMEDIATE")
    elif vendor == "postgresql":  # libpq counts connect_timeout in whole seconds, 2 at least
        limits = f"-c lock_timeout={ms} -c statement_timeout={ms} -c synchronous_commit=off"
        options.update(
            connect_timeout=max(2, whole), options=f"{options.get('options', '')} {limits}".strip()
        )
    elif vendor == "mysql":
        options.update(connect_timeout=whole, read_timeout=whole, write_timeout=whole)
        options.setdefault(
            "init_command", f"SET SESSION innodb_lock_wait_timeout={whole}, lock_wait_timeout={whole}"
        )
    connections[name] = backend.DatabaseWrapper(settings_dict, name)
    return name


def _storable(text: str) -> str:
    # PostgreSQL's text refuses NUL (``%00`` in a path is enough) and would refuse the whole batch.
    return text.replace("\x00", "\ufffd")


def _in_event_loop() -> bool:
    # A Ninja async operation answers its failure inside the loop, where Django allows no sync query.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _in_callers_block(connection: BaseDatabaseWrapper) -> bool:
    # The innermost atomic block is a request's or a caller's, not a test's: it may yet roll back.
    blocks = connection.atomic_blocks
    return bool(blocks) and not getattr(blocks[-1], "_from_testcase", False)


class IncidentHandler(QueueHandler):
    """Stores the report step's records: queued for the writer thread, or written here in tests."""

    queue_size = 10_000

    def __init__(self) -> None:
        super().__init__(queue.Queue(self.queue_size))
        self.addFilter(lambda record: hasattr(record, "error_fingerprint"))  # the 5xx records only
        self.reset()

    def reset(self) -> None:
        """Start afresh (in a forked child, or between tests): no thread, an empty queue, no counts."""
        self.queue: queue.Queue[Any] = queue.Queue(self.queue_size)
        self.writer = IncidentWriter(self.queue)
        self.start_lock, self.deferred = threading.Lock(), threading.local()
        # Failures answered inside an event loop wait in a context variable: asgiref carries it back
        # from the async view to the thread that sends request_finished.
        self.from_loop: ContextVar[list[Failure] | None] = ContextVar("incidents_from_loop", default=None)

    def prepare(self, record: logging.LogRecord) -> Failure:  # type: ignore[override]
        """The failure ``record`` reports; its row (formatting costs) only under the rate cap."""
        exc_type = record.exc_info[0] if record.exc_info else None
        exception_type = f"{exc_type.__module__}.{exc_type.__qualname__}"[:300] if exc_type else ""
        at, fingerprint = timezone.now(), record.error_fingerprint
        with_row = self.writer.admits(fingerprint, time.monotonic())
        group = IncidentGroup(
            fingerprint=fingerprint,
            code=record.error_code,
            status=record.status_code,
            exception_type=exception_type,
            route=record.error_route[:300],
            frame=record.error_frame[:300],
            count=1,
            capped=0 if with_row else 1,
            first_seen=at,
            last_seen=at,
        )
        if not with_row:
            return Failure(group, None)
        text = record.exc_text or (logging.Formatter().formatException(record.exc_info) if exc_type else "")
        row = Incident(
            phrase=record.error_phrase,
            code=record.error_code,
            status=record.status_code,
            method=_storable(unescape(record.request_method)),
            path=_storable(unescape(record.request_path)),
            user_id=_storable(unescape(record.user_id)),
            request_id=_storable(unescape(record.request_id)),
            exception_type=exception_type,
            traceback=_storable(text),
            fingerprint=fingerprint,
            created_at=at,
        )
        return Failure(group, row)

    def enqueue(self, failure: Failure) -> None:  # type: ignore[override]
        """Queue ``failure`` for the writer thread without blocking; in a ``TestCase``'s transaction or on
        in-memory SQLite, write it here once the caller's atomic block (or event loop) is left
        (docs/incidents.md)."""
        if _in_event_loop() and hasattr(mail, "outbox"):  # an async view under Django's test environment
            # The test's transaction is another thread's: the row waits for request_finished there.
            if (waiting := self.from_loop.get()) is None:
                self.from_loop.set(waiting := [])
            waiting.append(failure)
            return
        connection = connections[router.db_for_write(Incident)]
        in_test = any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
        if in_test or (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            if _in_callers_block(connection):
                vars(self.deferred).setdefault("failures", []).append(failure)
            else:
                self.writer.write([failure], own=False)
            return
        with self.start_lock:
            if self.writer._thread is None:
                self.writer.start()
        try:
            if failure.row is None:
                self.writer.keep([failure.group])  # the thread writes the counts within a second
            else:
                self.queue.put_nowait(failure)
        except queue.Full:
            failure.group.capped += 1
            self.writer.keep([failure.group], "queue full", 1)

    def request_finished(self, **kwargs: Any) -> None:
        """Write this thread's deferred failures: the request's transaction has ended."""
        failures = vars(self.deferred).pop("failures", [])
        if waiting := self.from_loop.get():
            self.from_loop.set(None)
            failures += waiting
        if failures:
            connection = connections[router.db_for_write(Incident)]
            self.writer.write(failures, own=_in_callers_block(connection))

    def flush(self, timeout: float | None = None) -> bool:
        """Write what waits now (this thread's deferred failures, the queue); False past ``timeout``."""
        self.request_finished()
        if self.writer._thread is None:
            return not self.writer.pending or self.writer.write([], own=True)
        limit = api_errors_settings.INCIDENTS_TIMEOUT + 1 if timeout is None else timeout
        marker = threading.Event()
        try:
            self.queue.put(marker, timeout=limit)
        except queue.Full:
            return False
        return marker.wait(limit)

    def close(self) -> None:
        """At exit (``logging.shutdown``, after :meth:`flush`): the counts still waiting, in a warning."""
        waiting = sum(group.count for group in self.writer.pending.values())
        self.writer.keep([], "not counted in their groups (exiting)", waiting)
        self.writer.warn(now=True)
        super().close()


def flush_incidents(timeout: float | None = None) -> bool:
    """Wait until the incidents reported so far are written; for tests, jobs and shutdown hooks."""
    handlers = [h for h in logging.getLogger("django_api_errors").handlers if isinstance(h, IncidentHandler)]
    return all(handler.flush(timeout) for handler in handlers)
