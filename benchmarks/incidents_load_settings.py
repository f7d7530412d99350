"""Settings of the incidents load benchmark: the test settings on PostgreSQL, tuned by environment.

``BENCH_INCIDENTS`` (on/off) switches incident rows, ``BENCH_CONN_MAX_AGE`` sets CONN_MAX_AGE; the
failure log goes to the null device through a real handler, so formatting it is part of the cost.
"""

import os

os.environ.setdefault("API_ERRORS_TEST_DB", "postgres")

from benchmarks.settings import SILENT_LOGGING
from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "0"))
API_ERRORS = {"INCIDENTS": os.environ.get("BENCH_INCIDENTS", "on") == "on"}
LOGGING = SILENT_LOGGING
