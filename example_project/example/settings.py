"""Settings of the example project: a small shop API using django-api-errors as the README says."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-project-not-for-production")
# Off by default, as in production: with DEBUG on, Django answers unknown URLs with its HTML debug
# page instead of handler404. `dev.py example` serves the static files with runserver --insecure.
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ninja",  # the Ninja twin API's docs page (/api/ninja/docs)
    "django_api_errors",
    "django_api_errors.incidents",  # optional: 5xx incidents stored and listed in the admin
    "shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django_api_errors.middleware.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

CSRF_FAILURE_VIEW = "django_api_errors.django_views.csrf_failure"

ROOT_URLCONF = "example.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "example" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "example.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("EXAMPLE_DB", str(BASE_DIR / "db.sqlite3")),
        "ATOMIC_REQUESTS": True,
        # SQLite never waits to turn a transaction's read lock into a write lock: a request that reads,
        # then writes (a PATCH under ATOMIC_REQUESTS) would fail at once with "database is locked" (503)
        # while another writer (the incident writer, another worker) holds it. Beginning each transaction
        # with the write lock waits instead (docs/incidents.md, "SQLite"; check api_errors.W011).
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"

REST_FRAMEWORK = {
    # benchmarks/endtoend.py swaps in DRF's own handler to compare the two.
    "EXCEPTION_HANDLER": os.environ.get(
        "EXAMPLE_EXCEPTION_HANDLER", "django_api_errors.handler.exception_handler"
    ),
    "DEFAULT_PARSER_CLASSES": [
        "django_api_errors.parsers.JSONParser",
        "django_api_errors.parsers.FormParser",
        "django_api_errors.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_RATES": {"quotes": "3/minute"},
    "DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema",
}

# The schema at /api/schema/, Swagger UI at /api/docs/ and Redoc at /api/redoc/, served without a CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "Example shop API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

API_ERRORS = {
    "STYLE": os.environ.get("API_ERRORS_STYLE", "awork"),
    "MAX_RESULT_SET_SIZE": 50,
    # The field error code of the shop's own validator (ProjectSerializer.validate), for the schema.
    "FIELD_ERROR_CODES": ["budget"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django_api_errors": {"handlers": ["console"], "level": "INFO"}},
}
