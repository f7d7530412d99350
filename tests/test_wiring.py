"""The README's paste merges into a project's settings: it keeps what is there and adds nothing twice.

Plain values in, plain values out; ``tests/test_startproject.py`` runs the paste in real projects.
"""

import pytest

from django_api_errors import wiring

STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
OURS = "django_api_errors.middleware.ApiErrorMiddleware"
OUR_PARSERS = list(wiring.PARSER_REPLACEMENTS.values())
SQLITE = "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    ("apps", "expected"),
    [
        (["django.contrib.admin"], ["django.contrib.admin", "rest_framework", "django_api_errors"]),
        (["rest_framework", "shop"], ["rest_framework", "shop", "django_api_errors"]),
        (
            ("rest_framework.apps.RestFrameworkConfig", "rest_framework.authtoken"),
            ["rest_framework.apps.RestFrameworkConfig", "rest_framework.authtoken", "django_api_errors"],
        ),
        (["django_api_errors", "rest_framework"], ["django_api_errors", "rest_framework"]),
    ],
    ids=["neither", "drf-listed", "drf-by-app-config-and-authtoken", "both-listed"],
)
def test_installed_apps_gain_drf_and_the_app_once(apps, expected):
    assert wiring.installed_apps(apps) == expected


def test_the_middleware_goes_before_common_middleware():
    merged = wiring.middleware(tuple(STARTPROJECT_MIDDLEWARE))

    assert merged == [*STARTPROJECT_MIDDLEWARE[:2], OURS, *STARTPROJECT_MIDDLEWARE[2:]]


def test_the_middleware_goes_before_csrf_when_common_middleware_is_missing():
    assert wiring.middleware(["a.A", "django.middleware.csrf.CsrfViewMiddleware"]) == [
        "a.A",
        OURS,
        "django.middleware.csrf.CsrfViewMiddleware",
    ]


def test_the_middleware_goes_last_without_common_and_csrf():
    assert wiring.middleware(["a.A"]) == ["a.A", OURS]


def test_listed_middleware_is_not_added_again():
    assert wiring.middleware(wiring.middleware(STARTPROJECT_MIDDLEWARE)).count(OURS) == 1


def test_a_project_without_rest_framework_gets_the_handler_parsers_and_schema_class():
    assert wiring.rest_framework(None) == {
        "EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler",
        "DEFAULT_PARSER_CLASSES": OUR_PARSERS,
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_api_errors.renderers.ProblemNegotiation",
        "DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema",
    }


def test_the_projects_rest_framework_keys_stay_and_stock_parsers_become_ours():
    configured = {
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"user": "100/hour"},
        "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
        "DEFAULT_PARSER_CLASSES": [
            "rest_framework.parsers.JSONParser",
            "rest_framework.parsers.FileUploadParser",
            "django_api_errors.parsers.JSONParser",
        ],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    }

    merged = wiring.rest_framework(configured)

    assert merged == {
        **configured,
        "EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler",
        "DEFAULT_PARSER_CLASSES": [
            "django_api_errors.parsers.JSONParser",
            "rest_framework.parsers.FileUploadParser",
        ],
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_api_errors.renderers.ProblemNegotiation",
        "DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema",
    }
    assert configured["EXCEPTION_HANDLER"] == "rest_framework.views.exception_handler"  # not mutated


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (
            "rest_framework.negotiation.DefaultContentNegotiation",
            "django_api_errors.renderers.ProblemNegotiation",
        ),
        ("shop.negotiation.ShopNegotiation", "shop.negotiation.ShopNegotiation"),
    ],
    ids=["drfs-default-becomes-ours", "the-projects-own-stays"],
)
def test_drfs_negotiation_becomes_ours_and_a_projects_own_stays(configured, expected):
    merged = wiring.rest_framework({"DEFAULT_CONTENT_NEGOTIATION_CLASS": configured})

    assert merged["DEFAULT_CONTENT_NEGOTIATION_CLASS"] == expected  # api_errors.W010 says if it lacks ours


def test_a_schema_class_of_the_projects_own_is_kept():
    merged = wiring.rest_framework({"DEFAULT_SCHEMA_CLASS": "shop.schema.ShopSchema"})

    assert merged["DEFAULT_SCHEMA_CLASS"] == "shop.schema.ShopSchema"  # api_errors.W007 says if it lacks ours


def test_the_paste_twice_is_the_paste_once():
    once = wiring.rest_framework({"DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.FormParser"]})

    assert wiring.rest_framework(once) == once


def test_startprojects_sqlite_gets_atomic_requests_and_immediate_transactions():
    assert wiring.databases({"default": {"ENGINE": SQLITE, "NAME": "db.sqlite3"}}) == {
        "default": {
            "ENGINE": SQLITE,
            "NAME": "db.sqlite3",
            "ATOMIC_REQUESTS": True,
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        }
    }


def test_the_projects_database_options_and_choices_stay():
    configured = {
        "default": {"ENGINE": SQLITE, "OPTIONS": {"timeout": 20, "transaction_mode": "EXCLUSIVE"}},
        "reports": {"ENGINE": SQLITE, "ATOMIC_REQUESTS": True, "OPTIONS": {"timeout": 20}},
        "archive": {"ENGINE": SQLITE, "ATOMIC_REQUESTS": False},
    }

    merged = wiring.databases(configured)

    assert merged == {
        "default": {
            "ENGINE": SQLITE,
            "ATOMIC_REQUESTS": True,
            "OPTIONS": {"timeout": 20, "transaction_mode": "EXCLUSIVE"},
        },
        "reports": {
            "ENGINE": SQLITE,
            "ATOMIC_REQUESTS": True,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        },
        "archive": {"ENGINE": SQLITE, "ATOMIC_REQUESTS": False},
    }
    assert "ATOMIC_REQUESTS" not in configured["default"]  # not mutated


@pytest.mark.parametrize("engine", ["django.db.backends.postgresql", "django.db.backends.mysql"])
def test_other_engines_get_atomic_requests_and_no_options(engine):
    assert wiring.databases({"default": {"ENGINE": engine, "NAME": "shop"}}) == {
        "default": {"ENGINE": engine, "NAME": "shop", "ATOMIC_REQUESTS": True}
    }


@pytest.mark.parametrize(
    ("engine", "sqlite"),
    [
        ("django.db.backends.sqlite3", True),
        ("django.contrib.gis.db.backends.spatialite", True),
        ("django_prometheus.db.backends.sqlite3", True),
        ("django.db.backends.postgresql", False),
        ("", False),
    ],
)
def test_is_sqlite(engine, sqlite):
    assert wiring.is_sqlite(engine) is sqlite
