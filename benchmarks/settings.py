"""Django settings shared by the benchmark scripts (SQLite, every handler under test installed)."""

import os

SECRET_KEY = "benchmarks-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "drf_standardized_errors",
    "django_api_errors",
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BENCH_DB", ":memory:"),
    }
}
ROOT_URLCONF = "benchmarks.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"}
API_ERRORS: dict = {}

# Logs of the load scripts' servers: formatted and written to the null device, so that logging
# costs what it costs in production without filling a terminal.
SILENT_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null_file": {"class": "logging.FileHandler", "filename": os.devnull}},
    "loggers": {
        "django_api_errors": {"handlers": ["null_file"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["null_file"], "level": "ERROR", "propagate": False},
    },
}
