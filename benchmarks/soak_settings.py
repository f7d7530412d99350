"""Settings of the soak test: the example project on PostgreSQL (incidents stored), logs to /dev/null.

The database comes from the ``PG*`` environment variables (``PGDATABASE`` defaults to
``api_errors_soak``); throttling is lifted so the traffic mix stays the same all run long.
"""

import os

from benchmarks.settings import SILENT_LOGGING
from example.settings import *  # noqa: F403
from example.settings import REST_FRAMEWORK

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PGDATABASE", "api_errors_soak"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "ATOMIC_REQUESTS": True,
    }
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"quotes": "1000000/minute"}}
LOGGING = SILENT_LOGGING
