"""Incidents over real HTTP against gunicorn (2 sync workers): storms, faults and graceful shutdown.

On SQLite always (a database file per test); on PostgreSQL (``API_ERRORS_TEST_DB=postgres``, in CI)
a private instance is started with ``initdb``/``pg_ctl`` for the table lock and the stopped server.
Each load lasts a couple of seconds; timings are the business of ``benchmarks/incidents_faults.py``.
"""

import contextlib
import os
import signal
import sqlite3
import time

import pytest

from benchmarks.incidents_faults import (
    FAILING,
    get,
    group_counts,
    load,
    logged_phrases,
    postgres_locked,
    postgres_stopped,
    private_postgres,
    served,
    sqlite_exclusive,
    stored_phrases,
    workers_killed,
)

pytestmark = pytest.mark.integration

POSTGRES = os.environ.get("API_ERRORS_TEST_DB") == "postgres"


def sqlite_file(tmp_path):
    return {"BENCH_DB_FILE": str(tmp_path / "db.sqlite3")}


def test_a_graceful_shutdown_writes_what_is_queued(tmp_path):
    # A long timeout: both workers write the one SQLite file at exit, one waiting for the other.
    api_errors = {"INCIDENTS_TIMEOUT": 10}
    with served(tmp_path, database=sqlite_file(tmp_path), api_errors=api_errors) as project:
        phrases = {get(project.port, FAILING)[1] for _ in range(20)}
        project.server.send_signal(signal.SIGTERM)
        project.server.wait(timeout=30)

    assert len(phrases) == 20
    assert stored_phrases(project) == phrases


def test_a_storm_over_the_cap_keeps_the_table_bounded_and_counts_the_group(tmp_path):
    api_errors = {"INCIDENTS_RATE_CAP": 5, "INCIDENTS_TIMEOUT": 10}
    with served(tmp_path, database=sqlite_file(tmp_path), api_errors=api_errors) as project:
        seen = load(project.port, 2)

    phrases = {phrase for _, phrase, _ in seen.failures}
    stored = stored_phrases(project)
    assert len(phrases) > 20
    assert stored <= phrases and 0 < len(stored) <= 5 * 2  # per worker and minute
    assert group_counts(project) == [(len(phrases), len(phrases) - len(stored))]
    assert phrases <= logged_phrases(project)


def assert_served_through(project, seen, *, rows_refused=True):
    """Every request answered, no worker killed, every phrase in a row or in the log."""
    phrases = {phrase for _, phrase, _ in seen.failures}
    assert seen.errors == []
    assert {status for status, _, _ in seen.failures} == {500}
    assert seen.healthy and max(seen.healthy) != float("inf")
    assert workers_killed(project) == 0
    assert phrases - stored_phrases(project) - logged_phrases(project) == set()
    if not rows_refused:
        return
    log = project.log.read_text()
    assert "could not be recorded in the database" in log or "were not stored as rows" in log


FAULT_SETTINGS = {"INCIDENTS_TIMEOUT": 0.3}


def failures_counted(database_file: str) -> int:
    """The failures the incident groups count, read from the SQLite file (no Django process per poll)."""
    with contextlib.closing(sqlite3.connect(database_file, timeout=30)) as connection:
        return connection.execute(
            "SELECT COALESCE(SUM(count), 0) FROM api_errors_incidents_incidentgroup"
        ).fetchone()[0]


def test_a_locked_sqlite_file_costs_the_requests_nothing_and_once_free_the_group_counts_the_outage(tmp_path):
    # One server for both claims: the requests under the lock, then the counts written after it.
    database = sqlite_file(tmp_path)
    with served(tmp_path, database=database, api_errors=FAULT_SETTINGS) as project:
        with sqlite_exclusive(database["BENCH_DB_FILE"]):
            seen = load(project.port, 2)
        deadline = time.monotonic() + 120  # each worker writes its counts after its 30 s cool-down
        while failures_counted(database["BENCH_DB_FILE"]) < len(seen.failures):
            assert time.monotonic() < deadline, group_counts(project)
            time.sleep(1)
        counts = group_counts(project)

    assert_served_through(project, seen)
    assert len(seen.failures) > 20
    assert counts == [(len(seen.failures), len(seen.failures) - len(stored_phrases(project)))]


if POSTGRES:  # where API_ERRORS_TEST_DB=postgres (CI): a private instance, never the shared cluster

    @pytest.mark.parametrize(
        "fault", [postgres_locked, postgres_stopped], ids=["ACCESS EXCLUSIVE", "SIGSTOP"]
    )
    def test_a_locked_or_stopped_postgresql_costs_the_requests_nothing(tmp_path, fault):
        with private_postgres() as instance:
            database = {**instance.env, "BENCH_ATOMIC_REQUESTS": "off" if fault is postgres_stopped else "on"}
            with served(tmp_path, database=database, api_errors=FAULT_SETTINGS) as project:
                get(project.port, FAILING)  # the writer connected once, before the fault
                with fault(instance):
                    seen = load(project.port, 2)
            # Read while the instance runs. A stopped server refuses nothing: the writer thread may
            # simply wait for it and store every row once it continues.
            assert_served_through(project, seen, rows_refused=fault is postgres_locked)
