"""Settings of the incidents load and fault scripts and their tests: the test settings, tuned by environment.

``BENCH_DB_FILE`` serves from that SQLite file, otherwise PostgreSQL from the ``PG*`` variables;
``BENCH_ATOMIC_REQUESTS`` (on/off) sets ATOMIC_REQUESTS, ``BENCH_INCIDENTS`` (on/off) installs
the incidents app or not, ``BENCH_CONN_MAX_AGE`` sets CONN_MAX_AGE,
``BENCH_API_ERRORS`` (JSON) adds ``API_ERRORS`` keys; ``BENCH_LOG`` names the file the
``django_api_errors`` log goes to (default: the null device, through a real handler, so formatting
it is part of the cost).
"""

import json
import os

if not os.environ.get("BENCH_DB_FILE"):
    os.environ.setdefault("API_ERRORS_TEST_DB", "postgres")

from benchmarks.settings import SILENT_LOGGING
from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, INSTALLED_APPS

if os.environ.get("BENCH_DB_FILE"):
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["BENCH_DB_FILE"],
        "ATOMIC_REQUESTS": True,
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = os.environ.get("BENCH_ATOMIC_REQUESTS", "on") == "on"
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "0"))
if os.environ.get("BENCH_INCIDENTS", "on") != "on":
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_api_errors.incidents"]
API_ERRORS = json.loads(os.environ.get("BENCH_API_ERRORS", "{}"))
LOGGING = SILENT_LOGGING
if os.environ.get("BENCH_LOG"):
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": "%(levelname)s %(process)d %(message)s"}},
        "handlers": {
            "file": {"class": "logging.FileHandler", "filename": os.environ["BENCH_LOG"], "formatter": "line"}
        },
        "loggers": {
            "django_api_errors": {"handlers": ["file"], "level": "INFO", "propagate": False},
            "django.request": {"handlers": ["file"], "level": "CRITICAL", "propagate": False},
        },
    }
