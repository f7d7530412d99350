"""Requests per second of an endpoint that always fails with a 500, incident rows on and off.

Runs the test project under gunicorn on loopback against PostgreSQL (or a SQLite file with
``--sqlite``) and loads it with ``wrk`` (Debian: ``apt-get install wrk``) for a few seconds per run,
alternating on/off so drift in a shared machine hits both. Needs ``pip install gunicorn`` in the venv
and, for PostgreSQL, the PG* variables of the test suite. Usage (from the repository root)::

    PGHOST=127.0.0.1 PGUSER=postgres PGPASSWORD=postgres .venv/bin/python -m benchmarks.incidents_load
    .venv/bin/python -m benchmarks.incidents_load --sqlite
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.loopback import create_database, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
PATH = "/raise-server-side/unhandled/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="on/off pairs")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--conn-max-age", type=int, default=0, help="CONN_MAX_AGE of the database")
    parser.add_argument("--database", default="api_errors_bench", help="PostgreSQL database to use")
    parser.add_argument("--sqlite", action="store_true", help="serve from a SQLite file instead")
    parser.add_argument(
        "--api-errors", default="{}", help="API_ERRORS keys as JSON, e.g. '{\"INCIDENTS_RATE_CAP\": null}'"
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
        "DJANGO_SETTINGS_MODULE": "benchmarks.incidents_load_settings",
        "API_ERRORS_TEST_DB": "postgres",
        "PGDATABASE": args.database,
        "BENCH_CONN_MAX_AGE": str(args.conn_max_age),
        "BENCH_API_ERRORS": args.api_errors,
    }
    if args.sqlite:
        env["BENCH_DB_FILE"] = str(Path(tempfile.mkdtemp(prefix="incidents-load-")) / "db.sqlite3")
    else:
        create_database(args.database, env)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)

    results: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(args.rounds):
        for incidents in ("off", "on"):
            before = incident_count(env)
            rate, failures = run(args, {**env, "BENCH_INCIDENTS": incidents})
            time.sleep(0.5)  # the server has stopped: what was queued has been written at its exit
            written = incident_count(env) - before
            results[incidents].append(rate)
            print(
                f"incidents {incidents:3}: {rate:8.1f} requests/s, {failures} 500s, {written} incident rows"
            )
    for incidents, rates in results.items():
        print(
            f"incidents {incidents:3}: best {max(rates):.1f}, mean {sum(rates) / len(rates):.1f} requests/s"
        )


def run(args: argparse.Namespace, env: dict[str, str]) -> tuple[float, int]:
    server, port = start_gunicorn(env, ROOT, workers=args.workers, timeout=20)
    try:
        url = f"http://127.0.0.1:{port}{PATH}"
        wrk = ["wrk", f"-t{min(2, args.connections)}", f"-c{args.connections}", f"-d{args.seconds}s", url]
        output = subprocess.run(wrk, capture_output=True, text=True, check=True).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failures = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(failures.group(1)) if failures else 0


def incident_count(env: dict[str, str]) -> int:
    script = (
        "import django; django.setup()\n"
        "from django_api_errors.incidents.models import Incident; print(Incident.objects.count())"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return int(output.stdout)


if __name__ == "__main__":
    main()
