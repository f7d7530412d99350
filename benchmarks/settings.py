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
ROOT_URLCONF = "django_api_errors.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"}
API_ERRORS: dict = {}
