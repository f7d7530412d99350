"""The incident writer thread: batches, groups, the rate cap, the circuit breaker and counted drops.

An in-memory SQLite database is written synchronously (another thread cannot share it), so on SQLite
these tests give the incidents a database file of their own; on PostgreSQL they use the test database.
"""

import contextlib
import copy
import logging
import queue
import sqlite3
import time
from dataclasses import dataclass

import pytest
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.connection import ConnectionDoesNotExist
from rest_framework.test import APIClient, APIRequestFactory

from django_api_errors.incidents import handler as incident_writer
from django_api_errors.incidents.handler import (
    Failure,
    IncidentHandler,
    IncidentWriter,
    flush_incidents,
    own_connection,
)
from django_api_errors.incidents.models import Incident, IncidentGroup

pytestmark = pytest.mark.django_db(transaction=True)

FAILING = "/raise-server-side/unhandled/"


def connection_to(alias):
    """A connection to ``alias`` of the test's own, not the store's; named apart from ``connections``,
    whose aliases Django's test case refuses to open unless it was told of them."""
    settings_dict = connections.settings[alias]
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, f"{alias}:test")


@dataclass
class Store:
    """Where the writer thread stores incidents, read through a connection of the test's own."""

    alias: str
    name: str

    def read(self, sql, params=()):
        reader = connection_to(self.alias)
        try:
            with reader.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            reader.close()

    def phrases(self):
        return {row[0] for row in self.read(f"SELECT phrase FROM {Incident._meta.db_table}")}

    def groups(self):
        table = IncidentGroup._meta.db_table
        return self.read(f"SELECT code, route, count, capped FROM {table} ORDER BY count DESC")


@pytest.fixture
def store(settings, monkeypatch, tmp_path):
    """The incidents' database for the writer thread, with the writer switched to ``"thread"``."""
    if connection.vendor != "sqlite":
        yield Store("default", "")
        return
    alias = f"incidents-file-{tmp_path.name}"
    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict.update(NAME=str(tmp_path / "incidents.sqlite3"), ATOMIC_REQUESTS=False)
    monkeypatch.setitem(connections.settings, alias, settings_dict)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        editor.create_model(Incident)
        editor.create_model(IncidentGroup)
    with sqlite3.connect(settings_dict["NAME"]) as creator:
        creator.executescript("\n".join(editor.collected_sql))
    Router.alias = alias
    settings.DATABASE_ROUTERS = [f"{__name__}.Router"]
    yield Store(alias, settings_dict["NAME"])
    handler().flush(timeout=5)
    with contextlib.suppress(ConnectionDoesNotExist):  # this thread's own connection to the alias
        connections[f"{alias}:incidents"].close()
        del connections[f"{alias}:incidents"]


class Router:
    """Sends the incidents' writes to ``alias``."""

    alias = "default"

    def db_for_write(self, model, **hints):
        return self.alias if model is Incident else None


def handler():
    """The incident handler the app attached to the package's logger."""
    (found,) = [h for h in logging.getLogger("django_api_errors").handlers if isinstance(h, IncidentHandler)]
    return found


def configure(settings, **values):
    settings.API_ERRORS = {**getattr(settings, "API_ERRORS", {}), **values}


def storm(count, path=FAILING):
    client = APIClient(raise_request_exception=False)
    return [client.get(path)["X-Error-Phrase"] for _ in range(count)]


def test_the_writer_thread_stores_each_row_off_the_request(store):
    (phrase,) = storm(1)

    assert flush_incidents() is True
    assert store.phrases() == {phrase}
    assert handler().writer._thread is not None  # the QueueListener's thread wrote it


def test_a_stopped_writers_thread_ends(store):
    storm(1)
    flush_incidents()
    thread = handler().writer._thread

    handler().writer.stop()  # as between tests

    assert thread is not None and not thread.is_alive()
    handler().reset()  # a stopped writer drains nothing: the store fixture's flush would wait 5 s


def test_a_storm_of_one_bug_is_one_group_counting_every_failure(store):
    phrases = storm(25) + storm(5, "/raise-server-side/server-error/")
    flush_incidents()

    assert store.phrases() == set(phrases)
    assert store.groups() == [
        ("server-error", "raise-server-side/<str:name>/", 25, 0),
        ("server-error", "raise-server-side/<str:name>/", 5, 0),
    ]


def test_with_a_rate_cap_of_0_a_new_writer_still_counts_the_group(store, settings, monkeypatch):
    configure(settings, INCIDENTS_RATE_CAP=0)
    storm(3)
    started = handler().writer._thread is not None  # woken by the counts: it writes them in time
    flush_incidents()

    assert started
    assert store.phrases() == set()
    assert store.groups() == [("server-error", "raise-server-side/<str:name>/", 3, 3)]


def test_over_the_rate_cap_only_the_group_counts_and_the_log_keeps_the_phrase(store, settings, caplog):
    configure(settings, INCIDENTS_RATE_CAP=4)

    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        phrases = storm(10)
    flush_incidents()

    stored = store.phrases()
    assert len(stored) == 4 and stored <= set(phrases)
    assert store.groups() == [("server-error", "raise-server-side/<str:name>/", 10, 6)]
    logged = {
        r.error_phrase for r in caplog.records if r.levelno == logging.ERROR and r.name == "django_api_errors"
    }
    assert logged == set(phrases)


def test_the_rate_caps_minute_starts_with_its_first_failure_not_on_the_clocks_minute(settings):
    settings.API_ERRORS = {"INCIDENTS_RATE_CAP": 3}
    cap = IncidentWriter(queue.Queue())

    # A storm of 8 failures over 2 s, from half a second before a clock minute ends (120 s).
    admitted = [cap.admits("one-bug", 119.5 + n * 0.25) for n in range(8)]
    now = 179.5 + 0.01  # the storm's minute is over: the next failure opens a new one
    after = [cap.admits("one-bug", now), cap.admits("other-bug", now)]

    assert admitted == [True] * 3 + [False] * 5
    assert after == [True, True]


def test_each_fingerprint_has_a_minute_of_its_own(settings):
    settings.API_ERRORS = {"INCIDENTS_RATE_CAP": 3}
    cap = IncidentWriter(queue.Queue())

    cap.admits("earlier-bug", 0.0)  # its minute ends at 60 s; the storm's must not end with it
    admitted = [cap.admits("storm", 52.0 + n * 0.25) for n in range(40)]  # another bug, 52 s to 62 s

    assert admitted == [True] * 3 + [False] * 37


def test_the_rate_cap_remembers_a_bounded_number_of_fingerprints(settings, monkeypatch):
    settings.API_ERRORS = {"INCIDENTS_RATE_CAP": 1}
    monkeypatch.setattr(incident_writer, "MAX_FINGERPRINTS", 2)
    cap = IncidentWriter(queue.Queue())

    during = [cap.admits(key, 0.0) for key in "abc"]  # c: both minutes still run
    after = [cap.admits(key, 61.0) for key in "cdc"]

    assert during == [True, True, False]
    assert after == [True, True, False]
    assert len(cap.windows) == 2


@contextlib.contextmanager
def locked(store):
    """The incidents' store locked by another connection: SQLite ``BEGIN EXCLUSIVE``, PostgreSQL
    ``LOCK TABLE ... IN ACCESS EXCLUSIVE MODE``."""
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(store.name, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield store
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    holder = connection_to(store.alias)
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {IncidentGroup._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    try:
        yield store
    finally:
        holder.rollback()
        holder.close()


@pytest.fixture
def locked_store(store):
    """The incidents' store, locked for the whole test."""
    with locked(store):
        yield store


def test_a_locked_store_gives_up_within_the_timeout_and_opens_the_breaker(
    locked_store, settings, caplog, monkeypatch
):
    configure(settings, INCIDENTS_TIMEOUT=0.2)
    monkeypatch.setattr(IncidentWriter, "warning_interval", 0)

    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        (first,) = storm(1)
        assert flush_incidents(timeout=10)
        later = storm(3)
        assert flush_incidents(timeout=10)

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings[0].getMessage() == (
        f"1 incidents could not be recorded in the database ({first}); this log is their only record."
    )
    assert warnings[0].exc_info[1].__class__.__name__ == "OperationalError"  # "database is locked"
    counted = [r.incidents_not_stored for r in warnings[1:]]  # one warning per batch at most, never per row
    assert sum(count.get("circuit breaker open", 0) for count in counted) == len(later)
    assert handler().writer.open_until > time.monotonic()


def test_rows_beyond_a_full_queue_are_counted_in_one_warning(locked_store, settings, caplog, monkeypatch):
    configure(settings, INCIDENTS_TIMEOUT=1)
    monkeypatch.setattr(IncidentHandler, "queue_size", 1)
    monkeypatch.setattr(IncidentWriter, "batch_size", 1)
    handler().reset()

    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        storm(6)
        flush_incidents(timeout=5)
        handler().writer.warn(now=True)

    counted = [r for r in caplog.records if "were not stored as rows" in r.getMessage()]
    assert len(counted) == 1
    assert counted[0].incidents_not_stored["queue full"] >= 3


def test_with_the_breaker_closed_again_rows_are_stored(store):
    handler().writer.open_until = time.monotonic()  # a cool-down that has just ended

    (phrase,) = storm(1)
    flush_incidents()

    assert store.phrases() == {phrase}


def test_the_counts_of_an_outage_are_added_once_the_store_is_back(store, settings, caplog, monkeypatch):
    configure(settings, INCIDENTS_TIMEOUT=0.2)
    monkeypatch.setattr(IncidentWriter, "cooldown", 0.5)

    with caplog.at_level(logging.ERROR, logger="django_api_errors"), locked(store):
        during = storm(1)  # its batch fails and opens the breaker
        flush_incidents(timeout=10)
        during += storm(5)  # tried again, or not tried at all while the breaker is open
        flush_incidents(timeout=10)
    while handler().writer.open_until > time.monotonic():
        time.sleep(0.05)  # the cool-down (0.5 s) ends
    (after,) = storm(1)
    flush_incidents(timeout=10)

    assert store.phrases() == {after}
    assert store.groups() == [("server-error", "raise-server-side/<str:name>/", 7, 6)]
    logged = {
        r.error_phrase for r in caplog.records if r.levelno == logging.ERROR and r.name == "django_api_errors"
    }
    assert logged == {*during, after}


@pytest.fixture
def callers_store(store, monkeypatch):
    """The store, also the database of the caller's own transactions (``ATOMIC_REQUESTS`` on, as the
    README has it). A SQLite file alias added by the test is connected first: Django's test case
    refuses to open an alias it was not told of, and connecting it directly is what it allows."""
    monkeypatch.setitem(connections.settings[store.alias], "ATOMIC_REQUESTS", True)
    if store.alias == "default":
        yield store
        return
    connections[store.alias].connect()
    yield store
    connections[store.alias].close()
    delattr(connections._connections, store.alias)


def test_a_views_incident_outlives_its_callers_rolled_back_transaction(callers_store):
    # A job or a test calling a view in its own atomic(): the handler marks the block for rollback.
    from tests.testapp.views import raise_server_side

    alias = callers_store.alias

    with transaction.atomic(using=alias):
        response = raise_server_side(APIRequestFactory().get(FAILING), name="unhandled")
        assert transaction.get_rollback(using=alias)
    flush_incidents()

    assert response.status_code == 500
    assert callers_store.phrases() == {response["X-Error-Phrase"]}
    assert callers_store.groups() == [("server-error", "", 1, 0)]  # called directly: no URL resolved


def failure(phrase):
    group = IncidentGroup(fingerprint="f" * 40, code="server-error", status=500, count=1)
    group.first_seen = group.last_seen = timezone.now()
    return Failure(group, Incident(phrase=phrase, code="server-error", status=500, fingerprint="f" * 40))


def test_a_batch_is_one_transaction_that_takes_the_write_lock_first(store):
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql.split(" (", 1)[0].split(" VALUES", 1)[0].split(" SET", 1)[0])
        return execute(sql, params, many, context)

    with connections[own_connection(store.alias)].execute_wrapper(record):
        assert IncidentWriter(queue.Queue()).write([failure(f"{n} a b c d") for n in range(3)], own=True)

    groups, incidents = (connection.ops.quote_name(m._meta.db_table) for m in (IncidentGroup, Incident))
    insert = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    expected = [f"{insert} {groups}", f"UPDATE {groups}", f"{insert} {incidents}"]
    if connection.vendor == "sqlite":
        # BEGIN IMMEDIATE: SQLite's write lock is waited for (busy timeout) before anything is read;
        # a read lock upgraded later would be refused at once while another connection writes.
        assert statements == ["BEGIN IMMEDIATE", *expected]
    else:
        assert statements == expected  # the timeouts are connection options: no statement of their own


def test_counts_still_waiting_at_exit_are_in_the_last_warning(store, settings, caplog):
    configure(settings, INCIDENTS_RATE_CAP=0)
    handler().writer.open_until = time.monotonic() + 60  # the database went away a moment ago
    storm(3)

    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        handler().flush()  # what logging.shutdown() calls at exit, then close()
        handler().close()

    (warning,) = [r for r in caplog.records if "were not stored as rows" in r.getMessage()]
    assert warning.incidents_not_stored == {"not counted in their groups (exiting)": 3}
