"""Storing incidents off the request: a bounded queue, a writer thread, a rate cap and a circuit breaker.

A request hands its incident over with :func:`submit` and goes on: in the default ``"thread"`` mode
the row is put on a bounded per-process queue (never blocking) and a daemon thread writes what is
queued in batches — one transaction, one ``INSERT`` of many rows, one upsert of their groups — on
its own connection of a database alias of its own (``<alias>:incidents``), whose connect, lock and
statement waits are bounded by ``INCIDENTS_TIMEOUT``. After a failed write the breaker opens: for
``INCIDENTS_BREAKER_COOLDOWN`` seconds nothing is tried and rows are only counted. Rows over the
per-fingerprint cap, dropped by a full queue or by the open breaker are counted in one warning per
``INCIDENTS_DROP_WARNING_INTERVAL``; each phrase is in its ``ERROR`` line anyway. Every failure is
counted in its group: the counts of failures without a row wait in memory (a few integers per
fingerprint, :data:`MAX_FINGERPRINTS` fingerprints at most) until a write succeeds.

``"sync"`` mode writes in the calling thread (still bounded, still behind the breaker). An
in-memory SQLite database (a test run) is always written synchronously: another thread cannot share
it. A row due while the alias's innermost ``atomic`` block is a ``TestCase``'s joins it, so tests stay
isolated and see it; a caller's own block (a job, a task calling a view) is never joined: the handler
marks it for rollback on any error, and the row would go with it.
"""

from __future__ import annotations

import atexit
import copy
import logging
import math
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DataError, IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone

from django_api_errors.settings import api_errors_settings

logger = logging.getLogger("django_api_errors")

#: Fingerprints the rate cap and the pending group counts remember at most, each (per process): a
#: fingerprint is made of the code's own names, so only a code base with more distinct failures
#: than this within a minute reaches it.
MAX_FINGERPRINTS = 1000

ROW_FIELDS = (
    "phrase",
    "code",
    "status",
    "method",
    "path",
    "user_id",
    "request_id",
    "exception_type",
    "traceback",
    "fingerprint",
    "created_at",
)


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
    fingerprint: str = ""
    route: str = ""
    frame: str = ""
    created_at: datetime = field(default_factory=timezone.now)
    #: Over its fingerprint's rate cap: no row, only the group's counts.
    capped: bool = False


@dataclass
class GroupDelta:
    """What one batch adds to an incident group: failures, failures without a row, times."""

    code: str
    status: int
    exception_type: str
    route: str
    frame: str
    first_seen: datetime
    last_seen: datetime
    count: int = 0
    capped: int = 0

    @classmethod
    def of(cls, facts: IncidentFacts) -> GroupDelta:
        return cls(
            facts.code,
            facts.status,
            facts.exception_type,
            facts.route,
            facts.frame,
            facts.created_at,
            facts.created_at,
        )

    def add(self, facts: IncidentFacts, *, capped: bool) -> None:
        self.count += 1
        self.capped += capped
        self.first_seen = min(self.first_seen, facts.created_at)
        self.last_seen = max(self.last_seen, facts.created_at)

    def merge(self, other: GroupDelta) -> None:
        """Add what ``other`` (of the same fingerprint) counted."""
        self.count += other.count
        self.capped += other.capped
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)


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


class RateCap:
    """At most ``INCIDENTS_RATE_CAP`` rows per fingerprint per minute and process.

    Each fingerprint has its own minute, which starts with its first failure after its previous
    minute ended (not on the clock's minute): a storm shorter than a minute stores at most the cap,
    wherever it falls and whatever other fingerprints did before. At most :data:`MAX_FINGERPRINTS`
    minutes are remembered; while that many are running, a new fingerprint gets no row (it is counted).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, size: int = MAX_FINGERPRINTS) -> None:
        self.clock = clock
        self.size = size
        self.lock = threading.Lock()
        # fingerprint -> [end of its minute, failures in it]; in order of start, so ending first.
        self.windows: dict[str, list[float]] = {}

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
                while len(self.windows) >= self.size:
                    oldest = next(iter(self.windows))
                    if now < self.windows[oldest][0]:
                        return False
                    del self.windows[oldest]
                window = self.windows[fingerprint] = [now + 60, 0]
            window[1] += 1
            return window[1] <= cap


class Breaker:
    """Open for ``INCIDENTS_BREAKER_COOLDOWN`` seconds after a failed write; nothing is tried meanwhile."""

    def __init__(self) -> None:
        self.open_until = 0.0

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self) -> None:
        self.open_until = time.monotonic() + float(api_errors_settings.INCIDENTS_BREAKER_COOLDOWN)


class DropCount:
    """Rows not stored, by reason, reported in one warning per interval rather than one per row."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.last_warning = time.monotonic()

    def add(self, reason: str, number: int = 1) -> None:
        with self.lock:
            self.counts[reason] += number
        self.warn_if_due()

    def warn_if_due(self, *, now: bool = False) -> None:
        """Log the counts once the interval has passed since the last warning (or ``now``)."""
        with self.lock:
            due = time.monotonic() - self.last_warning >= api_errors_settings.INCIDENTS_DROP_WARNING_INTERVAL
            if not self.counts or not (due or now):
                return
            counts, self.counts = self.counts, Counter()
            self.last_warning = time.monotonic()
        reasons = ", ".join(f"{reason}: {number}" for reason, number in sorted(counts.items()))
        log_safely(
            logging.WARNING,
            "%d incidents were not stored as rows (%s); their phrases are in their error log lines only.",
            sum(counts.values()),
            reasons,
            extra={"incidents_not_stored": dict(counts)},
        )


class IncidentWriter:
    """The per-process queue and the daemon thread that drains it in batches."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: queue.Queue[Any] | None = None
        self.thread: threading.Thread | None = None
        self.cap = RateCap()
        self.breaker = Breaker()
        self.drops = DropCount()
        # Group counts not written yet (failures over the cap, rows not stored), by fingerprint.
        self.pending: dict[str, GroupDelta] = {}

    def submit(self, facts: IncidentFacts) -> None:
        """Queue or write the incident (by mode and cap); never raises, never blocks past the timeout."""
        if facts.capped:
            self.keep({}, [facts])
            if self.threaded(facts):
                self.ensure_thread()  # it writes the counts, even when no row ever starts it (cap 0)
            else:
                self.write_now([], drain=True)
            return
        if not self.threaded(facts):
            self.write_now([facts], drain=True)
            return
        try:
            self.ensure_thread().put_nowait(facts)
        except queue.Full:
            self.drops.add("queue full")
            self.keep({}, [facts])

    def keep(self, groups: dict[str, GroupDelta], rows: list[IncidentFacts]) -> None:
        """Keep ``groups`` and one failure without a row per item of ``rows`` for the next write."""
        lost = 0
        with self.lock:
            for facts in rows:
                delta = groups.get(facts.fingerprint) or GroupDelta.of(facts)
                delta.add(facts, capped=True)
                groups[facts.fingerprint] = delta
            for digest, delta in groups.items():
                if digest in self.pending:
                    self.pending[digest].merge(delta)
                elif len(self.pending) < MAX_FINGERPRINTS:
                    self.pending[digest] = delta
                else:
                    lost += delta.count
        if lost:
            self.drops.add("not counted in their groups (too many groups waiting)", lost)

    def take_pending(self) -> dict[str, GroupDelta]:
        with self.lock:
            pending, self.pending = self.pending, {}
        return pending

    def threaded(self, facts: IncidentFacts) -> bool:
        alias = incidents_alias()
        connection = connections[alias]
        if in_test_transaction(connection):
            return False  # the row joins it (see write_batch)
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            return False
        return api_errors_settings.INCIDENTS_WRITER == "thread"

    def ensure_thread(self) -> queue.Queue[Any]:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.queue = queue.Queue(maxsize=api_errors_settings.INCIDENTS_QUEUE_SIZE)
                self.thread = threading.Thread(
                    target=self.run, args=(self.queue,), name="django-api-errors-incidents", daemon=True
                )
                self.thread.start()
            assert self.queue is not None
            return self.queue

    def run(self, rows: queue.Queue[Any]) -> None:
        """Writer thread: wait for a row, gather more for the flush interval, write them as one batch.

        Ends once :meth:`forget` has left the writer without this queue (between tests): an old thread
        must not take the pending counts meant for the next one's.
        """
        while rows is self.queue:
            try:
                self.drain_once(rows)
            except Exception:  # the thread must outlive any surprise, or the queue stops draining
                logger.exception("The incident writer failed; it goes on.")

    def drain_once(self, rows: queue.Queue[Any]) -> None:
        try:
            first = rows.get(timeout=1.0)
        except queue.Empty:
            if rows is not self.queue:
                return  # forgotten meanwhile: run() ends
            self.drops.warn_if_due()
            self.write_now([], drain=True)  # pending counts of a quiet second
            return
        batch, markers = [], []
        (markers if isinstance(first, threading.Event) else batch).append(first)
        deadline = time.monotonic() + api_errors_settings.INCIDENTS_FLUSH_INTERVAL
        while not markers and len(batch) < api_errors_settings.INCIDENTS_BATCH_SIZE:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                item = rows.get(timeout=remaining)
            except queue.Empty:
                break
            (markers if isinstance(item, threading.Event) else batch).append(item)
        try:
            self.write_now(batch, drain=True)
            self.drops.warn_if_due()
        finally:
            for marker in markers:
                marker.set()

    def write_now(self, rows: list[IncidentFacts], *, drain: bool) -> bool:
        """Write ``rows`` and the pending counts in one transaction, unless the breaker is open.

        Whatever is not written (breaker open, write failed) is kept as counts for the next write.
        """
        groups = self.take_pending() if drain else {}
        if not rows and not groups:
            return True
        if self.breaker.is_open:
            if rows:
                self.drops.add("circuit breaker open", len(rows))
            self.keep(groups, rows)
            return False
        # The rows' counts go into copies: if the write fails, the groups are kept as they were.
        written = {digest: copy.copy(delta) for digest, delta in groups.items()}
        for facts in rows:
            delta = written.get(facts.fingerprint) or GroupDelta.of(facts)
            delta.add(facts, capped=False)
            written[facts.fingerprint] = delta
        try:
            write_batch(rows, written)
        except (IntegrityError, DataError):
            # A repeated phrase, or a row a constraint or column refused: write the others one by one.
            return self.write_one_by_one(rows, groups)
        except Exception:
            self.breaker.trip()
            not_recorded(rows)
            self.keep(groups, rows)
            return False
        return True

    def write_one_by_one(self, rows: list[IncidentFacts], groups: dict[str, GroupDelta]) -> bool:
        written = True
        for facts in rows:
            try:
                write_batch([facts], {})
                stored = True
            except Exception:
                not_recorded([facts])
                written = stored = False
            delta = groups.get(facts.fingerprint) or GroupDelta.of(facts)
            delta.add(facts, capped=not stored)
            groups[facts.fingerprint] = delta
        try:
            write_batch([], groups)
        except Exception:
            logger.debug(
                "Counting the incident groups failed; the counts wait for the next write.", exc_info=True
            )
            self.keep(groups, [])
        return written

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until what is queued now has been written (or given up on); False on timeout."""
        with self.lock:
            rows, thread = self.queue, self.thread
        if rows is None or thread is None or not thread.is_alive():
            return self.write_now([], drain=True)
        marker = threading.Event()
        limit = api_errors_settings.INCIDENTS_TIMEOUT + 1 if timeout is None else timeout
        try:
            rows.put(marker, timeout=limit)
        except queue.Full:
            return False
        return marker.wait(limit)

    def shut_down(self) -> None:
        """At exit: write what is queued within the timeout, then count what is left as not stored."""
        with self.lock:
            rows = self.queue
        if rows is None and not self.pending and not self.drops.counts:
            return  # nothing was ever reported in this process (settings may not even be configured)
        try:
            flushed = self.flush(api_errors_settings.INCIDENTS_TIMEOUT)
            if not flushed and rows is not None:
                self.drops.add("worker exiting", rows.qsize())
            uncounted = sum(delta.count for delta in self.take_pending().values())
            if uncounted:
                self.drops.add("not counted in their groups (worker exiting)", uncounted)
            self.drops.warn_if_due(now=True)
        except Exception:
            logger.exception("Writing the queued incidents at exit failed.")

    def forget(self) -> None:
        """Start afresh (after fork, or between tests): no thread, no queue, breaker closed."""
        self.__init__()  # type: ignore[misc]


def not_recorded(rows: list[IncidentFacts]) -> None:
    """The warning for rows whose write failed: their phrases, and the cause."""
    if not rows:
        return
    if len(rows) == 1:
        message, args = (
            "Incident %s could not be recorded in the database; this log is its only record.",
            (rows[0].phrase,),
        )
    else:
        message = "%d incidents could not be recorded in the database (%s); this log is their only record."
        args = (len(rows), ", ".join(facts.phrase for facts in rows))
    log_safely(
        logging.WARNING,
        message,
        *args,
        exc_info=True,
        extra={"error_phrase": rows[0].phrase, "error_code": rows[0].code, "status_code": rows[0].status},
    )


def in_test_transaction(connection: BaseDatabaseWrapper) -> bool:
    """Whether the connection's innermost ``atomic`` block is a ``TestCase``'s (pytest-django's too).

    A row joins such a block, so tests stay isolated and see their rows. Any other block is a
    caller's (a job, a task or a test calling a view in ``atomic()``): the handler marks it for
    rollback on an error, so a row written in it would be lost while the client holds its phrase.
    """
    return connection.in_atomic_block and getattr(connection.atomic_blocks[-1], "_from_testcase", False)


def incidents_alias() -> str:
    """The alias incidents are written to: ``INCIDENTS_DATABASE``, or the router's for ``Incident``."""
    from django_api_errors.models import Incident

    return api_errors_settings.INCIDENTS_DATABASE or router.db_for_write(Incident)


# One writer connection per thread and database alias, built from the alias's settings with the
# timeout options applied. Not registered in ``connections``: it is never the request's connection,
# and it is closed here, deterministically — after each write unless the alias keeps connections
# (``CONN_MAX_AGE``), after any failure, and before reuse when unusable or too old.
_writers = threading.local()


def writer_connection(alias: str) -> BaseDatabaseWrapper:
    """This thread's writer connection for ``alias`` (``<alias>:incidents``)."""
    cache: dict[str, BaseDatabaseWrapper] = _writers.__dict__.setdefault("connections", {})
    if alias not in cache:
        cache[alias] = _new_connection(alias)
    return cache[alias]


def _new_connection(alias: str) -> BaseDatabaseWrapper:
    settings_dict = copy.deepcopy(connections.settings[alias])
    settings_dict["ATOMIC_REQUESTS"] = False
    backend = load_backend(settings_dict["ENGINE"])
    options = settings_dict.setdefault("OPTIONS", {})
    options.pop("pool", None)  # a pool of its own would hold connections the project never planned for
    seconds = math.ceil(float(api_errors_settings.INCIDENTS_TIMEOUT))
    vendor_options = {
        # IMMEDIATE: each batch takes SQLite's write lock at BEGIN, waiting for it within the busy
        # timeout; it never holds a read lock it must then upgrade (which SQLite refuses at once).
        "sqlite": {"timeout": float(api_errors_settings.INCIDENTS_TIMEOUT), "transaction_mode": "IMMEDIATE"},
        # libpq counts connect_timeout in whole seconds, 2 at least.
        "postgresql": {"connect_timeout": max(2, seconds)},
        "mysql": {"connect_timeout": max(1, seconds), "read_timeout": max(1, seconds)},
    }
    options.update(vendor_options.get(backend.DatabaseWrapper.vendor, {}))
    return backend.DatabaseWrapper(settings_dict, alias=f"{alias}:incidents")


# Per vendor: the statement that bounds lock and statement waits inside the writer's transaction.
_TRANSACTION_LIMITS = {
    "postgresql": (
        "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true),"
        " set_config('synchronous_commit', 'off', true)"
    ),
    "mysql": "SET SESSION innodb_lock_wait_timeout = %s, SESSION lock_wait_timeout = %s",
}


def write_batch(rows: list[IncidentFacts], groups: dict[str, GroupDelta]) -> None:
    """One short transaction: the groups upserted (count, capped, last seen) and the rows inserted.

    Nothing else runs inside it (the batch is gathered before, the connection checked before), so
    the write lock is held for these two statements only.
    """
    alias = incidents_alias()
    if in_test_transaction(connections[alias]):
        # A test's transaction: join it as a savepoint rather than commit beside it.
        connection = connections[alias]
        with transaction.atomic(using=alias):
            _write(connection, rows, groups)
        return
    connection = writer_connection(alias)
    connection.close_if_unusable_or_obsolete()  # CONN_MAX_AGE and health checks, as Django does per request
    try:
        with _own_transaction(connection):
            _limit_waits(connection)
            _write(connection, rows, groups)
    except Exception:
        _close_quietly(connection)  # a broken or timed-out connection is never reused
        raise
    if not connection.settings_dict.get("CONN_MAX_AGE"):
        _close_quietly(connection)


class _own_transaction:
    """A transaction on a connection that ``connections`` does not know, committed or rolled back."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.ensure_connection()
        # On SQLite: an explicit BEGIN of the connection's transaction mode (IMMEDIATE), as atomic()
        # does; other backends ignore the flag.
        self.connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.connection.commit()
            else:
                self.connection.rollback()
        finally:
            self.connection.set_autocommit(True)


def _write(connection: BaseDatabaseWrapper, rows: list[IncidentFacts], groups: dict[str, GroupDelta]) -> None:
    if groups:
        _upsert_groups(connection, groups)
    if rows:
        _insert_rows(connection, rows)


def _insert_rows(connection: BaseDatabaseWrapper, rows: list[IncidentFacts]) -> None:
    from django_api_errors.models import Incident

    fields = [Incident._meta.get_field(name) for name in ROW_FIELDS]
    values = [
        field.get_db_prep_save(getattr(facts, field.name), connection) for facts in rows for field in fields
    ]
    _execute_insert(connection, Incident._meta.db_table, fields, len(rows), values, "")


def _execute_insert(
    connection: BaseDatabaseWrapper, table: str, fields: list[Any], count: int, values: list[Any], suffix: str
) -> None:
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {quote(table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    sql += ", ".join([row] * count) + suffix
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _close_quietly(connection: BaseDatabaseWrapper) -> None:
    try:
        connection.close()
    except Exception:
        logger.debug("Closing the incident writer's connection failed.", exc_info=True)


def _limit_waits(connection: BaseDatabaseWrapper) -> None:
    statement = _TRANSACTION_LIMITS.get(connection.vendor)
    if statement is None:
        return  # SQLite: the busy timeout of the connection
    timeout = float(api_errors_settings.INCIDENTS_TIMEOUT)
    value = (
        f"{max(1, int(timeout * 1000))}" if connection.vendor == "postgresql" else max(1, math.ceil(timeout))
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [value, value])


def _upsert_groups(connection: BaseDatabaseWrapper, groups: dict[str, GroupDelta]) -> None:
    from django_api_errors.models import IncidentGroup

    meta = IncidentGroup._meta
    quote = connection.ops.quote_name
    names = ["fingerprint", "code", "status", "exception_type", "route", "frame", "count", "capped"]
    names += ["first_seen", "last_seen"]
    fields = [meta.get_field(name) for name in names]
    table = quote(meta.db_table)
    values: list[Any] = []
    for digest in sorted(groups):  # one order in every process: no deadlock between writers
        delta = groups[digest]
        plain = [
            digest,
            delta.code,
            delta.status,
            delta.exception_type[:300],
            delta.route[:300],
            delta.frame[:300],
        ]
        plain += [delta.count, delta.capped, delta.first_seen, delta.last_seen]
        values += [
            model_field.get_db_prep_save(value, connection)
            for model_field, value in zip(fields, plain, strict=True)
        ]
    count, capped, last_seen = quote("count"), quote("capped"), quote("last_seen")
    if connection.vendor == "mysql":
        suffix = (
            f" ON DUPLICATE KEY UPDATE {count} = {count} + VALUES({count}),"
            f" {capped} = {capped} + VALUES({capped}),"
            f" {last_seen} = GREATEST({last_seen}, VALUES({last_seen}))"
        )
    else:
        suffix = (
            f" ON CONFLICT ({quote('fingerprint')}) DO UPDATE SET"
            f" {count} = {table}.{count} + excluded.{count},"
            f" {capped} = {table}.{capped} + excluded.{capped},"
            f" {last_seen} = CASE WHEN excluded.{last_seen} > {table}.{last_seen}"
            f" THEN excluded.{last_seen} ELSE {table}.{last_seen} END"
        )
    _execute_insert(connection, meta.db_table, fields, len(groups), values, suffix)


writer = IncidentWriter()


def admits(facts: IncidentFacts) -> bool:
    """Count the failure against its fingerprint's cap; False once over it (then only its group counts)."""
    return writer.cap.admits(facts.fingerprint)


def submit(facts: IncidentFacts) -> None:
    """Hand one incident to the writer (queued, or written at once in ``"sync"`` mode); never raises."""
    try:
        writer.submit(facts)
    except Exception:
        not_recorded([facts])


def record_incident(facts: IncidentFacts) -> bool:
    """Write one incident now, in this thread (behind the breaker); False, with a warning, if not."""
    try:
        return writer.write_now([facts], drain=False)
    except Exception:
        not_recorded([facts])
        return False


def flush_incidents(timeout: float | None = None) -> bool:
    """Wait until the incidents queued so far are written; for tests, jobs and shutdown hooks."""
    return writer.flush(timeout)


atexit.register(writer.shut_down)
os.register_at_fork(after_in_child=writer.forget)
