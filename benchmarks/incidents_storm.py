"""A long 500 storm: the incident table stays within the rate cap and the workers' memory stays flat.

Serves the test project with gunicorn (2 sync workers) on a SQLite file (or PostgreSQL with
``--postgres`` and the PG* variables), loads the always-500 endpoint with ``wrk`` in slices, and
prints after each slice the incident rows, the group's count and capped count, and each worker's
resident memory. Usage (from the repository root)::

    .venv/bin/python -m benchmarks.incidents_storm --minutes 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.incidents_faults import FAILING, group_counts, served, stored_phrases
from benchmarks.loopback import children_of, create_database


def worker_rss(master: int) -> list[int]:
    """Resident memory (KiB) of each worker of the gunicorn master ``master``."""
    sizes = []
    for pid in children_of(master):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2, help="length of the storm")
    parser.add_argument("--slice", type=int, default=20, help="seconds between two reports")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL (PG* variables) instead of SQLite"
    )
    parser.add_argument("--database", default="api_errors_storm", help="PostgreSQL database to use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        if args.postgres:
            database = {"API_ERRORS_TEST_DB": "postgres", "PGDATABASE": args.database}
            create_database(args.database, {**os.environ, **database})
        else:
            database = {"BENCH_DB_FILE": str(Path(workdir) / "db.sqlite3")}
        with served(Path(workdir), database=database, api_errors={}) as project:
            url = f"http://127.0.0.1:{project.port}{FAILING}"
            started = time.monotonic()
            print(f"{'s':>5} {'req/s':>8} {'rows':>6} {'groups (count, capped)':>28}  worker RSS (MiB)")
            while time.monotonic() - started < args.minutes * 60:
                output = subprocess.run(
                    ["wrk", "-t2", "-c8", f"-d{args.slice}s", url], capture_output=True, text=True, check=True
                ).stdout
                rate = float(output.split("Requests/sec:")[1].split()[0])
                rss = [round(size / 1024, 1) for size in worker_rss(project.server.pid)]
                rows, groups = len(stored_phrases(project)), str(group_counts(project))
                print(f"{time.monotonic() - started:5.0f} {rate:8.1f} {rows:6} {groups:>28}  {rss}")


if __name__ == "__main__":
    main()
