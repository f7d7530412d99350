"""How long ``sync_error_catalogue`` takes for a project with many codes (a benchmark, not a test).

Declares one enum of N codes with the functional API, then times against a fresh test database:
the first sync (every row created), a second sync (nothing to do), a sync after 10 % of the
descriptions changed, and a sync after the enum is removed (every one of its codes retired)::

    .venv/bin/python benchmarks/sync_catalogue.py            # SQLite in memory, 10 000 codes
    .venv/bin/python benchmarks/sync_catalogue.py --codes 50000
    API_ERRORS_TEST_DB=postgres PGHOST=127.0.0.1 PGUSER=postgres PGPASSWORD=postgres \\
        .venv/bin/python benchmarks/sync_catalogue.py

It runs with the test suite's settings and creates (then destroys) Django's test database, so it
never writes to a real database.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def timed(label: str) -> None:
    """Run ``manage.py sync_error_catalogue`` once and print how long it took and what it did."""
    from django.core.management import call_command

    out = io.StringIO()
    start = time.perf_counter()
    call_command("sync_error_catalogue", stdout=out)
    print(f"{label:<34} {time.perf_counter() - start:7.3f} s   {out.getvalue().strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=10_000, help="how many project codes (default 10 000)")
    codes = parser.parse_args().codes

    import django

    django.setup()
    from django.db import connection

    from django_api_errors.codes import BaseErrorCode, unregister
    from django_api_errors.models import CatalogueEntry

    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    members = [
        (f"BENCH_{i}", (f"bench-code-{i}", 400 + i % 200, f"Benchmark code number {i}."))
        for i in range(codes)
    ]
    bench = BaseErrorCode("BenchCodes", members, module="benchmarks.sync_catalogue")
    try:
        print(f"{connection.vendor}, {codes} project codes, Django {django.get_version()}")
        timed("first sync (creates every row)")
        timed("second sync (nothing changed)")
        changed = CatalogueEntry.objects.filter(slug__startswith="bench-code-", status__lt=420)
        changed.update(description="Old.")
        timed("after 10 % of rows changed")
        unregister(bench)
        timed("after the enum was removed")
        assert CatalogueEntry.objects.filter(retired=True).count() == codes
    finally:
        unregister(bench)
        connection.creation.destroy_test_db(database, verbosity=0)


if __name__ == "__main__":
    main()
