"""Storing incidents: a ``QueueHandler`` on the package's logger and a ``QueueListener`` thread that
writes its batches through the ORM, on a connection of its own with bounded waits; a rate cap per
fingerprint, a circuit breaker, and counts that wait through an outage (``docs/incidents.md``).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import queue
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from logging.handlers import QueueHandler, QueueListener
from typing import Any

import django
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.db.utils import load_backend
from django.utils import timezone

from django_api_errors.incidents.models import Incident, IncidentGroup
from django_api_errors.pipeline.reporting import unescape
from django_api_errors.settings import api_errors_settings

logger = logging.getLogger("django_api_errors")

#: Fingerprints the rate cap and the waiting group counts remember at most (per process).
MAX_FINGERPRINTS = 1000


@dataclass
class Failure:
    """One failure as the store needs it: its group's counts and, under the cap, its row."""

    group: IncidentGroup
    row: Incident | None


def failure_of(record: logging.LogRecord, with_row: bool) -> Failure:
    """The failure a report record describes (its row only when ``with_row``: formatting costs)."""
    exc_type = record.exc_info[0] if record.exc_info else None
    exception_type = f"{exc_type.__module__}.{exc_type.__qualname__}"[:300] if exc_type else ""
    at, fingerprint = timezone.now(), record.error_fingerprint
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
    text = record.exc_text or (
        logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
    )
    row = Incident(
        phrase=record.error_phrase,
        code=record.error_code,
        status=record.status_code,
        method=unescape(record.request_method),
        path=_storable(unescape(record.request_path)),
        user_id=unescape(record.user_id),
        request_id=_storable(unescape(record.request_id)),
        exception_type=exception_type,
        traceback=_storable(text),
        fingerprint=fingerprint,
        created_at=at,
    )
    return Failure(group, row)


def _storable(text: str) -> str:
    # PostgreSQL's text refuses NUL (``%00`` in a path is enough) and would refuse the whole batch.
    return text.replace("\x00", "\ufffd")


class RateCap:
    """At most ``INCIDENTS_RATE_CAP`` rows per fingerprint per minute and process.

    Each fingerprint's minute starts with its first failure after the previous one ended, so a storm
    shorter than a minute stores at most the cap wherever it falls. While :data:`MAX_FINGERPRINTS`
    minutes are running, a new fingerprint gets no row (it is counted).
    """

    def __init__(self, clock: Any = time.monotonic) -> None:
        self.lock, self.clock = threading.Lock(), clock
        self.windows: dict[str, list[float]] = {}  # fingerprint -> [end of its minute, failures]

    def admits(self, fingerprint: str) -> bool:
        """Count one failure of ``fingerprint``; True while its minute has room for a row."""
        cap = api_errors_settings.INCIDENTS_RATE_CAP
        if cap is None:
            return True
        now = self.clock()
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


class IncidentStore:
    """Writes failures in batches, keeps the counts of those it could not write, warns of them."""

    #: Seconds without tries after a failed write (the circuit breaker).
    cooldown = 30.0
    #: Seconds between the warnings that count failures stored without a row.
    warning_interval = 60.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[str, IncidentGroup] = {}  # group counts waiting for a write
        self.unstored: Counter[str] = Counter()
        self.open_until = 0.0
        self.warned = time.monotonic()

    def keep(self, groups: Iterable[IncidentGroup], reason: str = "", rows: int = 0) -> None:
        """Keep ``groups``' counts for the next write, and count ``rows`` not stored for ``reason``."""
        with self.lock:
            for group in groups:
                if group.fingerprint in self.pending:
                    _merge(self.pending[group.fingerprint], group)
                elif len(self.pending) < MAX_FINGERPRINTS:
                    self.pending[group.fingerprint] = group
                else:
                    self.unstored["not counted (too many groups waiting)"] += group.count
            if rows:
                self.unstored[reason] += rows

    def write(self, failures: list[Failure], *, own: bool) -> bool:
        """Write the rows and all group counts in one transaction, on a connection of its own when ``own``."""
        with self.lock:
            groups, self.pending = self.pending, {}
        for failure in failures:
            if failure.group.fingerprint in groups:
                _merge(groups[failure.group.fingerprint], failure.group)
            else:
                groups[failure.group.fingerprint] = failure.group
        rows = [failure.row for failure in failures if failure.row is not None]
        reason = "circuit breaker open"
        if not groups:
            return True
        if time.monotonic() >= self.open_until:
            try:
                _save(groups, rows, own=own)
                self.warn(now=False)
                return True
            except Exception:
                self.open_until, reason = time.monotonic() + self.cooldown, "write failed"
                _not_recorded(rows)
        for row in rows:
            groups[row.fingerprint].capped += 1
        self.keep(groups.values(), reason, len(rows))
        self.warn(now=False)
        return False

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


def _merge(group: IncidentGroup, other: IncidentGroup) -> None:
    group.count += other.count
    group.capped += other.capped
    group.first_seen, group.last_seen = (
        min(group.first_seen, other.first_seen),
        max(group.last_seen, other.last_seen),
    )


def _not_recorded(rows: list[Incident]) -> None:
    if rows:
        logger.warning(
            "%d incidents could not be recorded in the database (%s); this log is their only record.",
            len(rows),
            ", ".join(row.phrase for row in rows),
            exc_info=True,
            extra={"incident_phrases": [row.phrase for row in rows]},
        )


def _save(groups: dict[str, IncidentGroup], rows: list[Incident], *, own: bool) -> None:
    alias = router.db_for_write(Incident)
    with own_connection(alias) if own else contextlib.nullcontext(), transaction.atomic(using=alias):
        new = [copy.copy(groups[key]) for key in sorted(groups)]  # one order everywhere: no deadlock
        for group in new:
            group.count = group.capped = 0
        IncidentGroup.objects.using(alias).bulk_create(new, ignore_conflicts=True)
        for key in sorted(groups):
            group = groups[key]
            IncidentGroup.objects.using(alias).filter(fingerprint=key).update(
                count=F("count") + group.count,
                capped=F("capped") + group.capped,
                last_seen=Greatest("last_seen", Value(group.last_seen, output_field=DateTimeField())),
            )
        Incident.objects.using(alias).bulk_create(rows, ignore_conflicts=True)


_own = threading.local()


@contextlib.contextmanager
def own_connection(alias: str) -> Iterator[None]:
    """While writing, ``connections[alias]`` in this thread is the store's own, with bounded waits.

    It is closed after each write unless the alias keeps connections (``CONN_MAX_AGE``), after any
    failure, and before reuse when unusable or too old, as Django does per request.
    """
    own = vars(_own).get(alias)
    if own is None:
        own = vars(_own)[alias] = _new_connection(alias)
    previous, connections[alias] = connections[alias], own
    try:
        own.close_if_unusable_or_obsolete()
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            own.close()
        raise
    finally:
        connections[alias] = previous
    if not own.settings_dict.get("CONN_MAX_AGE"):
        own.close()


def _new_connection(alias: str) -> BaseDatabaseWrapper:
    settings_dict = copy.deepcopy(connections.settings[alias])
    settings_dict["ATOMIC_REQUESTS"] = False
    backend = load_backend(settings_dict["ENGINE"])
    options = settings_dict.setdefault("OPTIONS", {})
    options.pop("pool", None)  # a pool of its own would hold connections the project never planned for
    seconds = float(api_errors_settings.INCIDENTS_TIMEOUT)
    whole, milliseconds = max(1, math.ceil(seconds)), max(1, int(seconds * 1000))
    vendor = backend.DatabaseWrapper.vendor
    if vendor == "sqlite":
        options["timeout"] = seconds
        if django.VERSION >= (5, 1):  # BEGIN IMMEDIATE: wait for the write lock, never upgrade a read lock
            options["transaction_mode"] = "IMMEDIATE"
    elif vendor == "postgresql":  # libpq counts connect_timeout in whole seconds, 2 at least
        options["connect_timeout"] = max(2, whole)
        limits = (
            f"-c lock_timeout={milliseconds} -c statement_timeout={milliseconds} -c synchronous_commit=off"
        )
        options["options"] = f"{options.get('options', '')} {limits}".strip()
    elif vendor == "mysql":
        options.update(connect_timeout=whole, read_timeout=whole, write_timeout=whole)
        options.setdefault(
            "init_command", f"SET SESSION innodb_lock_wait_timeout={whole}, lock_wait_timeout={whole}"
        )
    return backend.DatabaseWrapper(settings_dict, f"{alias}:incidents")


class BatchWriter(QueueListener):
    """The thread writing what the queue holds, as one batch per turn."""

    def __init__(self, rows: queue.Queue[Any], store: IncidentStore, batch_size: int, gather: float) -> None:
        super().__init__(rows)
        self.store, self.batch_size, self.gather = store, batch_size, gather

    def dequeue(self, block: bool) -> Any:
        """The next item; while none comes, the counts still waiting are written each second."""
        while True:
            try:
                return self.queue.get(timeout=1.0)
            except queue.Empty:
                if self.store.pending:
                    self.store.write([], own=True)

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
        try:
            self.store.write([failure for failure in items if isinstance(failure, Failure)], own=True)
        except Exception:  # the thread must outlive any surprise, or the queue stops draining
            logger.exception("The incident writer failed; it goes on.")
        for marker in items:
            if isinstance(marker, threading.Event):
                marker.set()


class IncidentHandler(QueueHandler):
    """Stores the report step's records: queued for the writer thread, or written here in tests."""

    queue_size = 10_000
    batch_size = 500
    #: Seconds the writer gathers rows after the first: a storm is a few transactions a second.
    gather = 0.2

    def __init__(self) -> None:
        super().__init__(queue.Queue(self.queue_size))
        self.addFilter(lambda record: hasattr(record, "error_fingerprint"))  # the 5xx records only
        self.reset()

    def reset(self) -> None:
        """Start afresh (in a forked child, or between tests): no thread, an empty queue, no counts."""
        self.queue: queue.Queue[Any] = queue.Queue(self.queue_size)
        self.store, self.cap, self.writer = IncidentStore(), RateCap(), None
        self.start_lock, self.deferred = threading.Lock(), threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        """Queue the failure, or write it in this thread where another thread cannot (see above)."""
        try:
            failure = failure_of(record, self.cap.admits(record.error_fingerprint))
            connection = connections[router.db_for_write(Incident)]
            in_test = any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
            if not in_test and not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
                self.enqueue(failure)
            elif connection.in_atomic_block and not getattr(
                connection.atomic_blocks[-1], "_from_testcase", False
            ):
                vars(self.deferred).setdefault("failures", []).append(
                    failure
                )  # the request's block rolls back
            else:
                self.store.write([failure], own=False)
        except Exception:
            self.handleError(record)

    def enqueue(self, failure: Failure) -> None:  # type: ignore[override]
        """Put ``failure`` on the queue (its counts only when over the cap); never blocks."""
        with self.start_lock:
            if self.writer is None:
                self.writer = BatchWriter(self.queue, self.store, self.batch_size, self.gather)
                self.writer.start()
        try:
            if failure.row is not None:
                self.queue.put_nowait(failure)
            else:
                self.store.keep([failure.group])  # the writer writes the counts within a second
        except queue.Full:
            if failure.row is not None:
                failure.group.capped += 1
                self.store.keep([failure.group], "queue full", 1)

    def request_finished(self, **kwargs: Any) -> None:
        """Write this thread's deferred failures: the request's transaction has ended."""
        failures = vars(self.deferred).pop("failures", [])
        if failures:
            connection = connections[router.db_for_write(Incident)]
            blocks = connection.atomic_blocks
            self.store.write(failures, own=bool(blocks) and not getattr(blocks[-1], "_from_testcase", False))

    def flush(self, timeout: float | None = None) -> bool:
        """Write what waits now (this thread's deferred failures, the queue); False past ``timeout``."""
        self.request_finished()
        if self.writer is None:
            return not self.store.pending or self.store.write([], own=True)
        limit = api_errors_settings.INCIDENTS_TIMEOUT + 1 if timeout is None else timeout
        marker = threading.Event()
        try:
            self.queue.put(marker, timeout=limit)
        except queue.Full:
            return False
        return marker.wait(limit)

    def close(self) -> None:
        """At exit (``logging.shutdown``, after :meth:`flush`): the counts still waiting, in a warning."""
        waiting = sum(group.count for group in self.store.pending.values())
        self.store.keep([], "not counted in their groups (exiting)", waiting)
        self.store.warn(now=True)
        super().close()


def flush_incidents(timeout: float | None = None) -> bool:
    """Wait until the incidents reported so far are written; for tests, jobs and shutdown hooks."""
    handlers = [h for h in logging.getLogger("django_api_errors").handlers if isinstance(h, IncidentHandler)]
    return all(handler.flush(timeout) for handler in handlers)
