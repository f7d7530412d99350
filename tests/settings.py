"""Settings of the test suite: the package, a test app raising every kind of failure, and the example.

The database is SQLite unless ``API_ERRORS_TEST_DB=postgres``; then the ``PG*`` environment variables
(host, port, user, password) say where the PostgreSQL server is.
"""

import os

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"

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
    "django_api_errors",
    "django_api_errors.incidents",
    "tests.testapp",
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

ROOT_URLCONF = "tests.urls"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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

if os.environ.get("API_ERRORS_TEST_DB") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "api_errors"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "ATOMIC_REQUESTS": True,
        }
    }
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "ATOMIC_REQUESTS": True}
    }

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "django_api_errors.parsers.JSONParser",
        "django_api_errors.parsers.FormParser",
        "django_api_errors.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_RATES": {"quotes": "3/minute", "tests": "1/hour"},
    "DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema",  # as the example (and the paste) set it
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # What NEGOTIATE asks for: a client preferring problem details reaches the view (no early 406).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_api_errors.renderers.ProblemNegotiation",
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's default hasher spends about half a second on each password by design; the tests create
# users by the hundred and test no password's strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
