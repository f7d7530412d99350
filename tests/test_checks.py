"""System checks: each id fires on its problem and passes on the fix.

This module doubles as a root URLconf for the error-view checks: it mounts the catalogue and sets three
of the four ``handlerNNN``, leaving ``handler404`` out.
"""

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import include, path
from rest_framework import parsers as drf_parsers

from django_api_errors import checks, codes, wiring
from django_api_errors.checks import (
    check_catalogue_pages,
    check_codes,
    check_databases,
    check_error_views,
    check_middleware,
    check_openapi_extra,
    check_parsers,
    check_settings,
    check_wiring,
)
from django_api_errors.codes import BaseErrorCode
from django_api_errors.middleware import ApiErrorMiddleware
from django_api_errors.openapi import AutoSchema
from django_api_errors.parsers import JSONParser
from django_api_errors.settings import SETTINGS

urlpatterns = [path("", include("django_api_errors.urls"))]
handler400 = "django_api_errors.django_views.bad_request"
handler403 = "django_api_errors.django_views.permission_denied"
handler500 = "django_api_errors.django_views.server_error"

DOCS = Path(__file__).resolve().parent.parent / "docs"
STARTPROJECT_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {},
    }
]


class ProjectMiddleware(ApiErrorMiddleware):
    """A project's subclass of the middleware counts as the middleware."""


class ProjectSchema(AutoSchema):
    """A project's subclass of the schema class documents the errors too."""


class ProjectJSONParser(JSONParser):
    """A project's subclass of the hardened parser counts as hardened."""


class StockJSONSubclass(drf_parsers.JSONParser):
    """A subclass of DRF's stock parser keeps its weaknesses."""


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.fixture
def complete(settings):
    """The test settings with the one piece they leave out on purpose: the schema class."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": wiring.SCHEMA_CLASS_PATH}
    return settings


@pytest.fixture
def declare() -> Iterator:
    """Declare throw-away code enums (functional API) that are unregistered after the test."""
    declared: list[type[BaseErrorCode]] = []

    def declare_enum(name: str, *members: tuple[str, int]) -> type[BaseErrorCode]:
        enum_class = BaseErrorCode(
            name,
            [(f"M{i}", (slug, status, "A test code.")) for i, (slug, status) in enumerate(members)],
            module=__name__,
        )
        declared.append(enum_class)
        return enum_class

    yield declare_enum
    for enum_class in declared:
        codes.unregister(enum_class)


def test_a_slug_declared_in_two_enums_is_e001(declare):
    declare("ShopCodes", ("not-found", 404))

    errors = check_codes()

    assert [error.id for error in errors] == ["api_errors.E001"]
    assert "'not-found'" in errors[0].msg
    assert "django_api_errors.codes.ErrorCode.NOT_FOUND" in errors[0].hint
    assert "tests.test_checks.ShopCodes.M0" in errors[0].hint


def test_a_slug_declared_twice_in_one_enum_is_e001_although_enum_makes_it_an_alias(declare):
    declare("Twice", ("twice-declared", 400), ("twice-declared", 409))

    assert [error.id for error in check_codes()] == ["api_errors.E001"]


@pytest.mark.parametrize("status", [200, 302, 399, 600, 999])
def test_a_status_outside_400_to_599_is_e002(declare, status):
    declare("OddStatus", ("odd-status", status))

    errors = check_codes()

    assert [error.id for error in errors] == ["api_errors.E002"]
    assert "'odd-status'" in errors[0].msg
    assert errors[0].obj == "tests.test_checks.OddStatus"


@pytest.mark.parametrize("status", [400, 451, 599])
def test_statuses_at_the_bounds_pass(declare, status):
    declare("FineStatus", ("fine-status", status))

    assert check_codes() == []


@pytest.mark.parametrize(
    "slug", ["Out-Of-Stock", "out_of_stock", "out--of-stock", "-stock", "stock-", "out of stock"]
)
def test_a_slug_that_is_not_lower_case_kebab_is_e003(declare, slug):
    declare("BadSlug", (slug, 400))

    errors = check_codes()

    assert [error.id for error in errors] == ["api_errors.E003"]
    assert repr(slug) in errors[0].msg


@pytest.mark.parametrize(
    "rest_framework",
    [
        {},
        {"EXCEPTION_HANDLER": "rest_framework.views.exception_handler"},
    ],
    ids=["drf-default", "drf-own-handler"],
)
def test_another_exception_handler_is_w001(complete, rest_framework):
    complete.REST_FRAMEWORK = {**rest_framework, "DEFAULT_SCHEMA_CLASS": wiring.SCHEMA_CLASS_PATH}

    warnings = check_wiring()

    assert ids(warnings) == ["api_errors.W001"]
    assert warnings[0].hint == (
        "Set REST_FRAMEWORK['EXCEPTION_HANDLER'] to 'django_api_errors.handler.exception_handler'."
    )


def test_an_exception_handler_that_does_not_import_is_w001(complete):
    complete.REST_FRAMEWORK = {**complete.REST_FRAMEWORK, "EXCEPTION_HANDLER": "shop.no_such.handler"}

    assert ids(check_wiring()) == ["api_errors.W001"]


def test_manage_py_check_fails_on_a_bad_code(declare):
    declare("Broken", ("Broken_Code", 200))

    with pytest.raises(SystemCheckError) as failure:
        call_command("check", tags=["api_errors"])

    assert "api_errors.E002" in str(failure.value)
    assert "api_errors.E003" in str(failure.value)


def test_manage_py_check_passes_the_real_catalogue(complete, capsys):
    call_command("check", tags=["api_errors"])

    assert "no issues" in capsys.readouterr().out


# Settings: unknown keys, and one id per key whose value has the wrong type or range.


def test_the_defaults_pass(settings):
    del settings.API_ERRORS

    assert check_settings() == []


@pytest.mark.parametrize("value", ["awork", ["STYLE", "awork"], 1])
def test_api_errors_that_is_not_a_dict_is_e006(settings, value):
    settings.API_ERRORS = value

    assert ids(check_settings()) == ["api_errors.E006"]


def test_manage_py_check_reports_api_errors_that_is_not_a_dict_without_crashing(complete):
    complete.API_ERRORS = ["STYLE", "awork"]

    with pytest.raises(SystemCheckError) as failure:
        call_command("check", tags=["api_errors"])

    assert re.findall(r"api_errors\.\w+", str(failure.value)) == ["api_errors.E006"]


def test_a_misspelt_key_is_e007_naming_the_nearest_key(settings):
    settings.API_ERRORS = {"STYEL": "awork"}

    errors = check_settings()

    assert ids(errors) == ["api_errors.E007"]
    assert "'STYEL'" in errors[0].msg
    assert errors[0].hint == "Did you mean 'STYLE'?"


def test_a_key_near_no_known_one_is_e007_listing_the_known_keys(settings):
    settings.API_ERRORS = {"COLOUR": "blue"}

    errors = check_settings()

    assert ids(errors) == ["api_errors.E007"]
    assert all(key in errors[0].hint for key in SETTINGS)


def test_manage_py_check_fails_on_a_misspelt_key(complete):
    complete.API_ERRORS = {"API_PREFIX": ["/api/"]}

    with pytest.raises(SystemCheckError, match=r"api_errors\.E007.*\n.*Did you mean 'API_PREFIXES'"):
        call_command("check", tags=["api_errors"])


# Per key: its check id (stated here, not read from the spec) and values it refuses.
BAD_VALUES = [
    ("STYLE", "api_errors.E004", ["no.such.module", "django_api_errors.codes", "nonsense", 42]),
    ("PROPERTY_CASE", "api_errors.E005", ["kebab", ["camel"]]),
    ("DOCS_URL", "api_errors.E008", [42, ["https://docs.example.com/errors/"], b"https://x.test/"]),
    ("STRICT_CODES", "api_errors.E009", ["false", 0, ""]),
    ("NEGOTIATE", "api_errors.E010", ["yes", None]),
    ("SPACE_FACTS", "api_errors.E011", [1]),
    ("API_PREFIXES", "api_errors.E012", ["/api/", ["api/"], ["/api/", 3], None, {"/api/"}]),
    ("MAX_REQUEST_BODY_SIZE", "api_errors.E013", [-1, "2.5 MB", 1.5, False]),
    ("MAX_RESULT_SET_SIZE", "api_errors.E014", [0, None, "10000", 1.0]),
    ("MAX_JSON_VALUES", "api_errors.E020", [0, "2000"]),
    ("MAX_VALIDATION_ERRORS", "api_errors.E015", [0, True, -1]),
    ("REQUEST_ID_HEADER", "api_errors.E019", ["", "X Request ID", "X-Request-ID:", None, "X-Request-ID\n"]),
    ("PIPELINE", "api_errors.E021", ["no.such.Pipeline", "django_api_errors.errors.ApiError"]),
    (
        "CONVERTERS",
        "api_errors.E022",
        [
            [("ValueError", "not-found")],
            {"builtins.ValueError": "no-such-slug"},
            {"no.such.Error": "not-found"},
            {"builtins.len": "not-found"},
        ],
    ),
    ("FIELD_ERROR_CODES", "api_errors.E031", ["budget", ["budget", ""]]),
    ("OBSERVERS", "api_errors.E032", ["django_api_errors.telemetry.count", ["no.such.observer"], [42]]),
    ("INCIDENTS_TIMEOUT", "api_errors.E018", [0, -2, float("inf"), "2", float("nan"), True]),
    ("INCIDENTS_RATE_CAP", "api_errors.E028", [-5, 1.5]),
]


@pytest.mark.parametrize(
    ("key", "value", "check_id"),
    [(key, value, check_id) for key, check_id, values in BAD_VALUES for value in values],
)
def test_a_value_of_the_wrong_type_or_range_is_the_keys_own_error(settings, key, value, check_id):
    settings.API_ERRORS = {key: value}

    errors = check_settings()

    assert ids(errors) == [check_id]
    assert errors[0].hint


def test_the_bad_values_cover_every_setting_each_with_its_own_id():
    assert [key for key, _id, _values in BAD_VALUES] == list(SETTINGS)
    assert len({check_id for _key, check_id, _values in BAD_VALUES}) == len(SETTINGS)


def test_the_message_names_the_key_and_the_value(settings):
    settings.API_ERRORS = {"INCIDENTS_TIMEOUT": "2"}

    assert [str(error.msg) for error in check_settings()] == ["API_ERRORS['INCIDENTS_TIMEOUT'] is '2'."]


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("MAX_RESULT_SET_SIZE", None, "Use a whole number above 0; the default is 10000."),
        (
            "STYLE",
            "nonsense",
            "Use one of awork, asana, problem, or the dotted path of a module with render(error, request); "
            "the default is 'awork'.",
        ),
        (
            "API_PREFIXES",
            "/api/",
            "Use a list of path prefixes each starting with '/'; a bare string is not "
            "a list; the default is ['/api/'].",
        ),
    ],
)
def test_the_hint_says_what_the_key_takes_and_quotes_its_default(settings, key, value, hint):
    settings.API_ERRORS = {key: value}

    assert [str(error.hint) for error in check_settings()] == [hint]


GOOD_VALUES = [
    ("STYLE", ["awork", "asana", "problem", "tests.testapp.custom_style"]),
    ("PROPERTY_CASE", ["camel"]),
    ("DOCS_URL", ["https://docs.example.com/errors/", ""]),
    ("STRICT_CODES", [False, None]),
    ("NEGOTIATE", [True]),
    ("SPACE_FACTS", [True]),
    ("API_PREFIXES", [("/api/", "/v2/"), [], ()]),
    ("MAX_REQUEST_BODY_SIZE", [0, None, 10_000_000]),
    ("MAX_RESULT_SET_SIZE", [1]),
    ("MAX_VALIDATION_ERRORS", [None, 5]),
    ("INCIDENTS_TIMEOUT", [0.5, 0.001, 30]),
    ("REQUEST_ID_HEADER", ["X-Correlation-Id", "X_Trace.Id"]),
    ("MAX_JSON_VALUES", [None, 50_000]),
    (
        "PIPELINE",
        ["django_api_errors.pipeline.ErrorPipeline", "tests.testapp.pipeline_views.StampingPipeline"],
    ),
    ("CONVERTERS", [{"builtins.ValueError": "not-found", KeyError: "django_api_errors.errors.ApiError"}]),
    ("INCIDENTS_RATE_CAP", [0, None]),
    ("FIELD_ERROR_CODES", [None, ("budget", "closed")]),
]


@pytest.mark.parametrize(("key", "value"), [(key, value) for key, values in GOOD_VALUES for value in values])
def test_a_value_of_the_right_type_and_range_passes(settings, key, value):
    settings.API_ERRORS = {key: value}

    assert check_settings() == []


def test_each_bad_key_is_reported_once(settings):
    settings.API_ERRORS = {"API_PREFIXES": "/api/", "INCIDENTS_TIMEOUT": 0, "STYEL": "awork"}

    assert ids(check_settings()) == ["api_errors.E007", "api_errors.E012", "api_errors.E018"]


# The pieces of the README's "Use it" block.

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]


def with_ours(at: int, entry: str = wiring.MIDDLEWARE_PATH) -> list[str]:
    return [*MIDDLEWARE[:at], entry, *MIDDLEWARE[at:]]


def test_a_missing_middleware_is_w002(settings):
    settings.MIDDLEWARE = MIDDLEWARE

    warnings = check_middleware()

    assert ids(warnings) == ["api_errors.W002"]
    assert wiring.MIDDLEWARE_PATH in warnings[0].msg


@pytest.mark.parametrize(
    ("middleware", "named"),
    [
        (with_ours(2), "django.middleware.locale.LocaleMiddleware"),
        (with_ours(4), "django.middleware.common.CommonMiddleware"),
        (with_ours(5), "django.middleware.csrf.CsrfViewMiddleware"),
    ],
    ids=["before-locale", "after-common", "after-csrf"],
)
def test_a_misplaced_middleware_is_w003_naming_the_neighbour(settings, middleware, named):
    settings.MIDDLEWARE = middleware

    warnings = check_middleware()

    assert ids(warnings) == ["api_errors.W003"]
    assert named in warnings[0].msg


@pytest.mark.parametrize(
    "middleware",
    [
        with_ours(3),
        with_ours(3, "tests.test_checks.ProjectMiddleware"),
        [wiring.MIDDLEWARE_PATH, "django.middleware.common.CommonMiddleware"],
    ],
    ids=["in-place", "subclass", "no-locale"],
)
def test_a_well_placed_middleware_passes(settings, middleware):
    settings.MIDDLEWARE = middleware

    assert check_middleware() == []


def test_error_views_left_out_are_w004_naming_each_line_to_add(settings):
    settings.ROOT_URLCONF = "tests.test_checks"

    warnings = check_error_views()

    assert ids(warnings) == ["api_errors.W004"]
    assert warnings[0].hint == (
        "Add to tests.test_checks: handler404 = 'django_api_errors.django_views.page_not_found'."
    )


def test_a_urlconf_without_error_views_is_w004_naming_all_four(settings):
    settings.ROOT_URLCONF = "tests.plainapp.urls"

    hint = check_error_views()[0].hint

    assert re.findall(r"handler\d+", hint) == ["handler400", "handler403", "handler404", "handler500"]


def test_django_s_csrf_failure_view_is_w005(complete):
    complete.CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"

    warnings = check_wiring()

    assert ids(warnings) == ["api_errors.W005"]
    assert wiring.CSRF_VIEW_PATH in warnings[0].hint


@pytest.mark.parametrize(
    ("parsers", "named"),
    [
        (None, ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser"]),
        (
            ["rest_framework.parsers.JSONParser", "django_api_errors.parsers.FormParser"],
            ["rest_framework.parsers.JSONParser"],
        ),
        (["tests.test_checks.StockJSONSubclass"], ["tests.test_checks.StockJSONSubclass"]),
        (
            ["django_api_errors.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
            ["rest_framework.parsers.MultiPartParser"],
        ),
    ],
    ids=["drf-defaults", "stock-json", "subclass-of-stock", "stock-multipart"],
)
def test_drf_s_stock_parsers_are_w006(settings, parsers, named):
    rest_framework = {
        key: value for key, value in settings.REST_FRAMEWORK.items() if key != "DEFAULT_PARSER_CLASSES"
    }
    settings.REST_FRAMEWORK = (
        rest_framework if parsers is None else {**rest_framework, "DEFAULT_PARSER_CLASSES": parsers}
    )

    warnings = check_parsers()

    assert ids(warnings) == ["api_errors.W006"]
    assert all(name in warnings[0].msg for name in named)
    assert "django_api_errors.parsers." in warnings[0].hint


@pytest.mark.parametrize(
    "parsers",
    [
        [
            "django_api_errors.parsers.JSONParser",
            "django_api_errors.parsers.FormParser",
            "django_api_errors.parsers.MultiPartParser",
        ],
        ["tests.test_checks.ProjectJSONParser", "django_api_errors.parsers.MultiPartParser"],
    ],
    ids=["ours", "subclass-of-ours"],
)
def test_the_hardened_parsers_pass(settings, parsers):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_PARSER_CLASSES": parsers}

    assert check_parsers() == []


def test_drf_spectacular_s_own_schema_class_is_w007(settings):
    # A project that has not set ours keeps drf-spectacular's own AutoSchema.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    }
    warnings = check_wiring()

    assert ids(warnings) == ["api_errors.W007"]
    assert wiring.SCHEMA_CLASS_PATH in warnings[0].hint


def test_the_schema_class_is_not_asked_for_without_drf_spectacular(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "drf_spectacular"]

    assert check_wiring() == []


def test_a_subclass_of_our_schema_class_passes(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_SCHEMA_CLASS": "tests.test_checks.ProjectSchema",
    }

    assert check_wiring() == []


@pytest.mark.parametrize(
    "templates",
    [
        [],
        [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": False}],
    ],
    ids=["none", "no-app-dirs"],
)
def test_templates_that_cannot_load_the_catalogue_pages_are_w008(settings, templates):
    settings.TEMPLATES = templates

    warnings = check_catalogue_pages()

    assert ids(warnings) == ["api_errors.W008"]
    assert "APP_DIRS" in warnings[0].hint


@pytest.mark.parametrize(
    "templates",
    [
        STARTPROJECT_TEMPLATES,
        [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {"loaders": ["django.template.loaders.app_directories.Loader"]},
            }
        ],
    ],
    ids=["startproject", "app-directories-loader"],
)
def test_templates_that_load_the_catalogue_pages_pass(settings, templates):
    settings.TEMPLATES = templates

    assert check_catalogue_pages() == []


def test_templates_are_not_asked_for_when_links_point_elsewhere_and_no_page_is_mounted(settings):
    settings.TEMPLATES = []
    settings.ROOT_URLCONF = "tests.plainapp.urls"
    settings.API_ERRORS = {"DOCS_URL": "https://docs.example.com/errors/"}

    assert check_catalogue_pages() == []


def test_catalogue_urls_left_out_without_docs_url_are_w009(settings):
    settings.ROOT_URLCONF = "tests.plainapp.urls"

    warnings = check_catalogue_pages()

    assert ids(warnings) == ["api_errors.W009"]
    assert 'path("", include("django_api_errors.urls"))' in warnings[0].hint


def test_catalogue_urls_are_not_asked_for_with_docs_url(settings):
    settings.ROOT_URLCONF = "tests.plainapp.urls"
    settings.API_ERRORS = {"DOCS_URL": "https://docs.example.com/errors/"}

    assert check_catalogue_pages() == []


def test_a_default_database_without_atomic_requests_is_i001(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "ATOMIC_REQUESTS", False)

    messages = check_databases()

    assert ids(messages) == ["api_errors.I001"]
    assert "database-commit" in messages[0].hint


SQLITE = "django.db.backends.sqlite3"
SQLITE_FILE = {"ENGINE": SQLITE, "NAME": "/srv/shop/db.sqlite3", "ATOMIC_REQUESTS": True}


@pytest.mark.parametrize(
    "options",
    [{}, {"timeout": 20}, {"transaction_mode": "DEFERRED"}],
    ids=["no-options", "other-options", "deferred"],
)
def test_a_sqlite_file_under_atomic_requests_without_immediate_is_w011(settings, monkeypatch, options):
    monkeypatch.setitem(settings.DATABASES, "shop", {**SQLITE_FILE, "OPTIONS": options})

    warnings = check_databases()

    assert ids(warnings) == ["api_errors.W011"]
    assert "'shop'" in warnings[0].msg
    assert "DATABASES['shop']['OPTIONS']['transaction_mode'] = 'IMMEDIATE'" in warnings[0].hint


@pytest.mark.parametrize(
    "database",
    [
        wiring.databases({"default": {"ENGINE": SQLITE, "NAME": SQLITE_FILE["NAME"]}})["default"],
        {**SQLITE_FILE, "OPTIONS": {"transaction_mode": "immediate"}},
        {**SQLITE_FILE, "OPTIONS": {"transaction_mode": "EXCLUSIVE"}},
        {**SQLITE_FILE, "ATOMIC_REQUESTS": False},
        {**SQLITE_FILE, "NAME": ":memory:"},
        {**SQLITE_FILE, "NAME": "file:shop?mode=memory&cache=shared"},
        {**SQLITE_FILE, "ENGINE": "django.db.backends.postgresql", "NAME": "shop"},
    ],
    ids=[
        "the-paste",
        "immediate",
        "exclusive",
        "no-atomic-requests",
        "memory",
        "shared-memory",
        "postgresql",
    ],
)
def test_w011_passes_a_write_lock_mode_memory_other_engines_and_the_paste(settings, monkeypatch, database):
    monkeypatch.setitem(settings.DATABASES, "shop", database)

    assert check_databases() == []


def test_rest_framework_overwritten_after_the_paste_is_named_by_w001_w006_w007(complete):
    complete.REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}

    assert sorted(ids(run_checks(tags=["api_errors"]))) == [
        "api_errors.W001",  # the handler
        "api_errors.W006",  # the parsers
        "api_errors.W007",  # the schema class
    ]


# Documentation: every id the module reports has its section in docs/checks.md.


def test_every_check_id_is_documented():
    """A section of docs/checks.md, or (for a setting's own id) the check column of docs/settings.md."""
    checks_page = (DOCS / "checks.md").read_text()
    documented = set(re.findall(r"^## `(api_errors\.[EWI]\d{3})`", checks_page, re.MULTILINE))
    documented |= set(re.findall(r"\| `(api_errors\.E\d{3})` \|", (DOCS / "settings.md").read_text()))
    reported = {f"api_errors.{check_id}" for check_id in checks.MESSAGES if check_id != "setting"}

    assert reported | {setting.check_id for setting in SETTINGS.values()} == documented


def test_negotiate_without_the_problem_negotiation_class_is_w010(complete):
    complete.API_ERRORS = {"NEGOTIATE": True}
    complete.REST_FRAMEWORK = {
        key: value
        for key, value in complete.REST_FRAMEWORK.items()
        if key != "DEFAULT_CONTENT_NEGOTIATION_CLASS"
    }

    warnings = check_wiring()

    assert ids(warnings) == ["api_errors.W010"]
    assert wiring.NEGOTIATION_CLASS_PATH in warnings[0].hint


def test_the_problem_style_needs_our_negotiation_class_too(complete):
    complete.API_ERRORS = {"STYLE": "problem"}
    complete.REST_FRAMEWORK = {
        **complete.REST_FRAMEWORK,
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": "rest_framework.negotiation.DefaultContentNegotiation",
    }

    assert ids(check_wiring()) == ["api_errors.W010"]


@pytest.mark.parametrize(
    ("negotiate", "negotiation_class"),
    [
        (True, "django_api_errors.renderers.ProblemNegotiation"),
        (False, "rest_framework.negotiation.DefaultContentNegotiation"),
    ],
    ids=["negotiating-with-ours", "not-negotiating"],
)
def test_the_negotiation_class_passes_when_it_fits(complete, negotiate, negotiation_class):
    complete.API_ERRORS = {"NEGOTIATE": negotiate}
    complete.REST_FRAMEWORK = {
        **complete.REST_FRAMEWORK,
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": negotiation_class,
    }

    assert check_wiring() == []


# api_errors.E030: the OpenAPI integration configured without the ``openapi`` extra installed.

# A project without drf-spectacular: sys.modules[name] = None makes every ``import drf_spectacular``
# raise ImportError, as when the package is not installed.
WITHOUT_DRF_SPECTACULAR = """
import json, sys
sys.modules["drf_spectacular"] = None
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                    "django_api_errors"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": sys.argv[1],
                    "EXCEPTION_HANDLER": "django_api_errors.handler.exception_handler"},
    ROOT_URLCONF="django_api_errors.urls",
)
django.setup()
from django.core.checks import run_checks
import django_api_errors.handler, django_api_errors.urls, django_api_errors.catalogue.views  # noqa: E401
# Errors only: the wiring warnings (middleware, error views...) speak of this bare project, not of E030.
messages = [m for m in run_checks() if m.id.startswith("api_errors.") and m.is_serious()]
print(json.dumps([[m.id, str(m.msg), str(m.hint)] for m in messages]))
print(json.dumps(sorted(name for name in sys.modules if name.startswith("drf_spectacular."))))
"""


def checks_without_drf_spectacular(schema_class: str) -> tuple[list[list[str]], list[str]]:
    """The api_errors check errors and the drf_spectacular modules loaded, in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DRF_SPECTACULAR, schema_class],
        capture_output=True,
        text=True,
        cwd=DOCS.parent,
        check=True,
    )
    messages, loaded = result.stdout.strip().splitlines()[-2:]
    return json.loads(messages), json.loads(loaded)


def test_our_schema_class_without_drf_spectacular_names_the_extra():
    messages, loaded = checks_without_drf_spectacular("django_api_errors.openapi.AutoSchema")

    assert messages == [
        [
            "api_errors.E030",
            "DEFAULT_SCHEMA_CLASS is 'django_api_errors.openapi.AutoSchema', "
            "but drf-spectacular is not installed.",
            'Install the OpenAPI extra: pip install "django-api-errors[openapi]".',
        ]
    ]
    assert loaded == []


def test_the_app_runs_its_checks_without_drf_spectacular_when_the_schema_class_is_drfs_own():
    messages, loaded = checks_without_drf_spectacular("rest_framework.schemas.openapi.AutoSchema")

    assert messages == []
    assert loaded == []


@pytest.mark.parametrize(
    "schema_class",
    ["django_api_errors.openapi.AutoSchema", "drf_spectacular.openapi.AutoSchema"],
)
def test_no_error_when_drf_spectacular_is_installed(schema_class):
    with override_settings(REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": schema_class}):
        assert check_openapi_extra() == []
