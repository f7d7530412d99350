"""Incidents under faults: the incident store locked or stopped while a 500 storm and a health check run.

Serves the test project with gunicorn (sync workers) on loopback, loads a failing endpoint from a
few threads while one thread calls a healthy endpoint, and prints per scenario: the healthy
endpoint's p99 with and without the fault, the slowest 500, workers killed, and whether every phrase
is in a row or in the log. Scenarios: SQLite under ``BEGIN EXCLUSIVE``; PostgreSQL (a private
instance started here with ``initdb``/``pg_ctl`` in a temporary directory on a free port, never the
shared cluster) with the table under ``LOCK TABLE ... ACCESS EXCLUSIVE`` and with every server
process stopped (``SIGSTOP``). Usage (from the repository root)::

    .venv/bin/python -m benchmarks.incidents_faults --seconds 10
    .venv/bin/python -m benchmarks.incidents_faults --only sqlite --seconds 5
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.loopback import children_of, free_port, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
FAILING = "/raise-server-side/unhandled/"
HEALTHY = "/get-only/"
WRITING = "/write-then-reject/"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PHRASE = re.compile(r"Incident (\d+ [a-z]+ [a-z]+ [a-z]+ [a-z]+): ")


@dataclass
class Served:
    """A gunicorn serving the test project, its environment and its log files."""

    port: int
    env: dict[str, str]
    log: Path
    server_log: Path
    server: subprocess.Popen


@contextlib.contextmanager
def served(
    workdir: Path, *, database: dict[str, str], api_errors: dict, workers: int = 2, timeout: int = 30
) -> Iterator[Served]:
    """Migrate the database (a SQLite file or PostgreSQL by ``PG*``) and serve it; stopped with SIGTERM."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
        "DJANGO_SETTINGS_MODULE": "benchmarks.incidents_load_settings",
        "BENCH_API_ERRORS": json.dumps(api_errors),
        "BENCH_LOG": str(workdir / "incidents.log"),
        **database,
    }
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    server_log = workdir / "gunicorn.log"
    options = ["--log-level=info", f"--error-logfile={server_log}", f"--graceful-timeout={timeout}"]
    server, port = start_gunicorn(env, ROOT, workers=workers, options=options, timeout=timeout)
    project = Served(port, env, workdir / "incidents.log", server_log, server)
    try:
        for _ in range(workers * 4):  # every worker has imported the project before anything is measured
            get(port, HEALTHY)
        yield project
    finally:
        stop(project)


def stop(project: Served) -> None:
    """Graceful shutdown, as an orchestrator does it: SIGTERM, then wait."""
    if project.server.poll() is None:
        project.server.send_signal(signal.SIGTERM)
        project.server.wait(timeout=60)


def get(port: int, path: str, timeout: float = 60, method: str = "GET") -> tuple[int, str, float]:
    """One request (a GET by default): status, the phrase header, and the seconds it took."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = b"{}" if method == "POST" else None
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Error-Phrase") or "", time.perf_counter() - started
    finally:
        connection.close()


@dataclass
class Load:
    """What a run of failing and healthy requests saw."""

    failures: list[tuple[int, str, float]] = field(default_factory=list)
    healthy: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    writes: list[int] = field(default_factory=list)


def load(port: int, seconds: float, *, threads: int = 3, writes: bool = False) -> Load:
    """``threads`` clients of the failing endpoint and one of the healthy endpoint, for ``seconds``;
    with ``writes``, one more client whose requests write a row (``POST /write-then-reject/``: a 400
    when the write went through, a 5xx when the database refused it)."""
    seen = Load()
    deadline = time.monotonic() + seconds

    def failing() -> None:
        while time.monotonic() < deadline:
            try:
                seen.failures.append(get(port, FAILING))
            except OSError as exc:
                seen.errors.append(repr(exc))

    def healthy() -> None:
        while time.monotonic() < deadline:
            try:
                status, _, took = get(port, HEALTHY)
                seen.healthy.append(took if status == 200 else float("inf"))
            except OSError as exc:
                seen.errors.append(repr(exc))
            time.sleep(0.01)

    def writing() -> None:
        while time.monotonic() < deadline:
            try:
                seen.writes.append(get(port, WRITING, method="POST")[0])
            except OSError as exc:
                seen.errors.append(repr(exc))

    workers = [threading.Thread(target=failing) for _ in range(threads)] + [threading.Thread(target=healthy)]
    workers += [threading.Thread(target=writing)] if writes else []
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return seen


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")


def logged_phrases(project: Served) -> set[str]:
    return set(PHRASE.findall(project.log.read_text())) if project.log.exists() else set()


def workers_killed(project: Served) -> int:
    return project.server_log.read_text().count("WORKER TIMEOUT") if project.server_log.exists() else 0


def stored_phrases(project: Served) -> set[str]:
    """Phrases in the incident table, read in a process of its own (the project's settings)."""
    script = (
        "import django; django.setup()\n"
        "from django_api_errors.incidents.models import Incident\n"
        "print('\\n'.join(Incident.objects.values_list('phrase', flat=True)))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=project.env, check=True, capture_output=True, text=True, cwd=ROOT
    )
    return set(filter(None, output.stdout.splitlines()))


def group_counts(project: Served) -> list[tuple[int, int]]:
    """(count, capped) of each incident group."""
    script = (
        "import django; django.setup()\n"
        "from django_api_errors.incidents.models import IncidentGroup\n"
        "print(list(IncidentGroup.objects.values_list('count', 'capped')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=project.env, check=True, capture_output=True, text=True, cwd=ROOT
    )
    return eval(output.stdout)  # a list of int pairs printed by the line above


@contextlib.contextmanager
def sqlite_exclusive(path: str) -> Iterator[None]:
    """The SQLite file held under ``BEGIN EXCLUSIVE`` by another connection."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@dataclass
class PrivatePostgres:
    """A PostgreSQL instance of our own: a data directory in a temporary directory, a free port."""

    directory: Path
    port: int

    @property
    def env(self) -> dict[str, str]:
        return {
            "API_ERRORS_TEST_DB": "postgres",
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": "postgres",
            "PGPASSWORD": "postgres",
            "PGDATABASE": "incidents_faults",
        }

    def pids(self) -> list[int]:
        """The postmaster and its children: the processes of this instance only."""
        postmaster = int((self.directory / "data" / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children_of(postmaster)]


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-c", " ".join(command)]


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """initdb, start, create the database; stopped and removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="incidents-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    instance = PrivatePostgres(directory, free_port())
    data = directory / "data"
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {instance.port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = [
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(directory / "pg.log"),
        "-w",
        "-o",
        f"'{options}'",
    ]
    subprocess.run(_as_postgres([*start, "start"]), check=True, capture_output=True)
    try:
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(instance.port),
                "-U",
                "postgres",
                "incidents_faults",
            ],
            check=True,
        )
        yield instance
    finally:
        for pid in instance.pids():  # never leave it stopped
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), check=False
        )
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def postgres_locked(instance: PrivatePostgres) -> Iterator[None]:
    """The incident table under ``LOCK TABLE ... IN ACCESS EXCLUSIVE MODE``, held by another session."""
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=instance.port, user="postgres", dbname="incidents_faults"
    ) as holder:
        holder.execute("LOCK TABLE api_errors_incidents_incident IN ACCESS EXCLUSIVE MODE")
        yield
        holder.rollback()


@contextlib.contextmanager
def postgres_stopped(instance: PrivatePostgres) -> Iterator[None]:
    """Every process of the private instance stopped with SIGSTOP, continued afterwards."""
    pids = instance.pids()
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def scenario(name: str, project: Served, fault: contextlib.AbstractContextManager, seconds: float) -> None:
    """Print the healthy p99 without and with the fault, the slowest 500, killed workers and lost phrases."""
    calm = load(project.port, seconds)
    with fault:
        faulty = load(project.port, seconds)
    time.sleep(0.5)
    stop(project)
    phrases = {phrase for _, phrase, _ in calm.failures + faulty.failures}
    missing = phrases - stored_phrases(project) - logged_phrases(project)
    slowest = max((took for _, _, took in faulty.failures), default=float("nan"))
    statuses = sorted({status for status, _, _ in faulty.failures})
    print(
        f"{name:28} healthy p99 {p99(calm.healthy) * 1000:7.1f} ms -> {p99(faulty.healthy) * 1000:7.1f} ms;"
        f" 500s {len(faulty.failures):5} (statuses {statuses}), slowest {slowest * 1000:7.1f} ms;"
        f" workers killed {workers_killed(project)}; phrases in neither row nor log {len(missing)};"
        f" client errors {len(calm.errors) + len(faulty.errors)}"
    )


def failed_writes(seconds: float) -> None:
    """SQLite: the share of writing requests the database refused during a storm, incidents off and on."""
    for incidents in ("off", "on"):
        with tempfile.TemporaryDirectory() as workdir:
            database = {"BENCH_DB_FILE": str(Path(workdir) / "db.sqlite3"), "BENCH_INCIDENTS": incidents}
            with served(Path(workdir), database=database, api_errors={"INCIDENTS_RATE_CAP": None}) as project:
                seen = load(project.port, seconds, writes=True)
        refused = sum(status >= 500 for status in seen.writes)
        print(
            f"SQLite writes during a storm, incidents {incidents:3}: {refused} of {len(seen.writes)} refused"
            f" ({100 * refused / max(1, len(seen.writes)):.1f} %), {len(seen.failures)} 500s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=10, help="length of each load, without and with the fault"
    )
    parser.add_argument("--timeout", type=float, default=0.5, help="INCIDENTS_TIMEOUT")
    parser.add_argument(
        "--only", choices=["sqlite", "postgres", "writes"], help="one database only, or the writes"
    )
    args = parser.parse_args()
    if args.only == "writes":
        failed_writes(args.seconds)
        return
    api_errors = {"INCIDENTS_TIMEOUT": args.timeout}
    print(f"INCIDENTS_TIMEOUT = {args.timeout} s, 2 sync workers, 3 failing clients + 1 healthy client")
    if args.only != "postgres":
        with tempfile.TemporaryDirectory() as workdir:
            database = str(Path(workdir) / "db.sqlite3")
            with served(
                Path(workdir), database={"BENCH_DB_FILE": database}, api_errors=api_errors
            ) as project:
                scenario("SQLite BEGIN EXCLUSIVE", project, sqlite_exclusive(database), args.seconds)
    if args.only != "sqlite":
        for name, fault in (
            ("PostgreSQL ACCESS EXCLUSIVE", postgres_locked),
            ("PostgreSQL SIGSTOP", postgres_stopped),
        ):
            with private_postgres() as instance, tempfile.TemporaryDirectory() as workdir:
                # A stopped server holds every request that connects; the endpoints under test need no
                # database, so ATOMIC_REQUESTS (a connection per request) is off there.
                database = {
                    **instance.env,
                    "BENCH_ATOMIC_REQUESTS": "off" if fault is postgres_stopped else "on",
                }
                with served(Path(workdir), database=database, api_errors=api_errors) as project:
                    scenario(name, project, fault(instance), args.seconds)


if __name__ == "__main__":
    main()
