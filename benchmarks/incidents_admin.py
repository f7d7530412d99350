"""Time the incidents admin on PostgreSQL with 1 000 000 incident rows.

Seeds the benchmark database (the one of ``incidents_load.py``) up to a million incidents spread over
five weeks, then times each change-list view a support person uses, through Django's test client
with a superuser (median of five after a warm-up). Usage (from the repository root)::

    PGHOST=127.0.0.1 PGUSER=postgres PGPASSWORD=postgres .venv/bin/python benchmarks/incidents_admin.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1_000_000
CHANGELIST = "/admin/django_api_errors/incident/"

SEED = """
INSERT INTO django_api_errors_incident
    (phrase, code, status, method, path, user_id, request_id, exception_type, traceback, created_at)
SELECT i || ' calm cats nap quietly ' || md5(i::text),
       CASE WHEN i %% 10 = 0 THEN 'database-commit' ELSE 'server-error' END,
       CASE WHEN i %% 50 = 0 THEN 503 ELSE 500 END,
       'GET', '/orders/' || i || '/', '', '', 'builtins.KeyError', 'Traceback (most recent call last):',
       now() - ((%s - i) * 3 || ' seconds')::interval
FROM generate_series(%s, %s) i
"""


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
    os.environ.setdefault("PGDATABASE", "api_errors_bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.incidents_load_settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from django_api_errors.incidents.models import Incident

    call_command("migrate", verbosity=0)
    count = Incident.objects.count()
    if count < ROWS:
        with connection.cursor() as cursor:
            cursor.execute(SEED, [ROWS, count + 1, ROWS])
            cursor.execute("ANALYZE django_api_errors_incident")
    setup_test_environment()
    users = get_user_model().objects
    user = users.filter(username="bench").first() or users.create_superuser("bench", "bench@example.com", "x")
    client = Client()
    client.force_login(user)

    newest = Incident.objects.order_by("-pk").values_list("pk", "phrase")[500]
    week_ago = (django.utils.timezone.now() - django.utils.timezone.timedelta(days=7)).isoformat()
    views = {
        "change list": (CHANGELIST, {}),
        "page 50": (CHANGELIST, {"p": "50"}),
        "phrase search": (CHANGELIST, {"q": newest[1].upper()}),
        "code filter": (CHANGELIST, {"code": "database-commit"}),
        "status filter": (CHANGELIST, {"status": "503"}),
        "past 7 days": (CHANGELIST, {"created_at__gte": week_ago}),
        "one incident": (f"{CHANGELIST}{newest[0]}/change/", {}),
    }
    print(f"{Incident.objects.count()} incidents")
    for label, (url, params) in views.items():
        timings = []
        for _ in range(6):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, params)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)
        slowest = max(float(query["time"]) for query in queries) * 1000
        print(f"{label:14} {statistics.median(timings[1:]) * 1000:6.1f} ms, slowest query {slowest:5.1f} ms")


if __name__ == "__main__":
    main()
