"""Faults on the server side: each still answers with a standard error, and is logged.

A broken project style, the database failing mid-request, a broken translation and a logging handler
that raises: none may turn an error into Django's HTML 500 page or an unanswered request.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from django_api_errors.incidents.handler import flush_incidents
from django_api_errors.incidents.models import Incident
from django_api_errors.styles import get_style
from tests.tables import AWORK_KEYS

LOCALE = Path(__file__).resolve().parent / "broken_locale"


def assert_standard_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) <= AWORK_KEYS | {"phrase"} and AWORK_KEYS <= set(body)
    assert body["code"] == code
    return body


class RaisingStyle:
    """A project style with a bug in it."""

    def render(self, error, request):
        raise ZeroDivisionError("the style divided by zero")


raising_style = RaisingStyle()


@pytest.fixture(autouse=True)
def _fresh_styles() -> Iterator[None]:
    get_style.cache_clear()
    yield
    get_style.cache_clear()


BROKEN_STYLES = ["tests.test_faults.raising_style", "tests.no_such_module", "tests.test_faults.no_such_name"]
# (case, path) answered by DRF's handler or by Django's error views.
FAILURES = [
    ("DRF validation", "/raise/drf-validation/", 400, "validation-failed"),
    ("DRF unhandled", "/raise/unhandled/", 500, "server-error"),
    ("Django 404", "/api/nowhere/", 404, "not-found"),
    ("plain view 503", "/api/health/", 503, "service-unavailable"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("style", BROKEN_STYLES)
@pytest.mark.parametrize(
    ("path", "status", "code"), [pytest.param(*case[1:], id=case[0]) for case in FAILURES]
)
def test_a_broken_style_falls_back_to_awork_and_is_logged(settings, caplog, style, path, status, code):
    settings.API_ERRORS = {"STYLE": style}
    settings.SHOP_MAINTENANCE_RETRY_AFTER = 60

    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        response = APIClient(raise_request_exception=False).get(path)

    assert_standard_error(response, status, code)
    fallback = [
        r for r in caplog.records if r.name == "django_api_errors" and "awork style" in r.getMessage()
    ]
    assert len(fallback) == 1
    assert style in fallback[0].getMessage()
    assert fallback[0].exc_info is not None


@contextmanager
def database_fails_at_the_next_query() -> Iterator[None]:
    """Break the database for real at the request's next query.

    PostgreSQL: the server terminates this connection's backend, as when it restarts or fails over.
    SQLite: a progress handler aborts the statement, as an interrupted database does.
    """
    broken = []

    def break_then_execute(execute, sql, params, many, context):
        if not broken:
            broken.append(sql)
            if connection.vendor == "postgresql":
                _terminate_own_backend()
            else:
                connection.connection.set_progress_handler(lambda: 1, 1)
                try:
                    return execute(sql, params, many, context)
                finally:
                    connection.connection.set_progress_handler(None, 1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(break_then_execute):
        yield
    assert broken, "the request ran no query"


def _terminate_own_backend() -> None:
    import psycopg

    params = connection.get_connection_params()
    pid = connection.connection.info.backend_pid
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/projects/", "/api/products/1/"])
def test_the_database_failing_mid_request_is_a_standard_5xx_and_logged(caplog, path):
    # A backend terminated under the request (PostgreSQL) lost its connection: the next try gets a new
    # one, so it is 503 with Retry-After. An interrupted statement (SQLite) is a failed query: 500.
    status, code = (
        (503, "service-unavailable") if connection.vendor == "postgresql" else (500, "database-commit")
    )
    with caplog.at_level(logging.ERROR, logger="django_api_errors"), database_fails_at_the_next_query():
        response = APIClient(raise_request_exception=False).get(path)
    flush_incidents()

    body = assert_standard_error(response, status, code)
    assert "SELECT" not in json.dumps(body)
    assert [r.status_code for r in caplog.records if r.name == "django_api_errors"] == [status]
    # The incident writer has a connection of its own: the failure is recorded all the same.
    assert Incident.objects.filter(phrase=body["phrase"], code=code).count() == 1
    # The next request gets a working connection again.
    assert APIClient(raise_request_exception=False).get("/api/projects/").status_code == 200


class RaisingHandler(logging.Handler):
    """A logging handler with a bug (a broken log shipper, a full disk)."""

    def emit(self, record: logging.LogRecord) -> None:
        raise OSError("the log shipper is down")


@pytest.fixture
def raising_log_handler() -> Iterator[RaisingHandler]:
    handler = RaisingHandler()
    logger = logging.getLogger("django_api_errors")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/raise/unhandled/", 500, "server-error"),
        ("/api/boom/", 500, "server-error"),
        ("/api/nowhere/", 404, "not-found"),
    ],
)
def test_a_raising_logging_handler_still_answers_in_the_standard_shape(
    raising_log_handler, path, status, code
):
    response = APIClient(raise_request_exception=False).get(path)

    assert_standard_error(response, status, code)


@pytest.mark.django_db
def test_a_raising_logging_handler_loses_neither_the_incident_nor_the_record(raising_log_handler, capsys):
    response = APIClient(raise_request_exception=False).get("/api/boom/")

    phrase = assert_standard_error(response, 500, "server-error")["phrase"]
    assert Incident.objects.filter(phrase=phrase).count() == 1
    printed = capsys.readouterr().err
    assert f"Incident {phrase}: GET /api/boom/ failed with 500" in printed
    assert "RuntimeError: the flux capacitor" in printed


@pytest.fixture
def broken_german(settings) -> None:
    """A project translation (LOCALE_PATHS wins over the app's) whose placeholders do not match."""
    settings.LOCALE_PATHS = [LOCALE]


@pytest.mark.django_db
def test_a_translation_is_used_where_it_works(broken_german):
    response = APIClient(raise_request_exception=False).get("/api/nowhere/", HTTP_ACCEPT_LANGUAGE="de")

    assert (
        assert_standard_error(response, 404, "not-found")["description"] == "Diese Ressource gibt es nicht."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "limit"), [("x" * 3_000_000, None), (None, 0)], ids=["body too large", "capped"]
)
def test_a_broken_translation_is_a_standard_500_and_logged(broken_german, settings, caplog, body, limit):
    settings.API_ERRORS = {"MAX_VALIDATION_ERRORS": limit}
    data = body if body is not None else json.dumps({"name": "x" * 200})

    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        response = APIClient(raise_request_exception=False).post(
            "/api/check-project/", data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"
        )

    assert_standard_error(response, 500, "server-error")
    logged = [r for r in caplog.records if r.name == "django_api_errors" and r.levelno == logging.ERROR]
    assert [r.exc_info[0] for r in logged] == [KeyError]


@pytest.fixture
def incident_table_missing() -> Iterator[None]:
    """The incident table dropped, as when the app's migrations were never run; restored after."""
    with connection.schema_editor() as editor:
        editor.delete_model(Incident)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(Incident)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/boom/", "/raise/unhandled/"])
def test_a_missing_incident_table_still_answers_and_logs_the_phrase(incident_table_missing, caplog, path):
    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        response = APIClient(raise_request_exception=False).get(path)
        flush_incidents()

    phrase = assert_standard_error(response, 500, "server-error")["phrase"]
    messages = [r.getMessage() for r in caplog.records if r.name == "django_api_errors"]
    assert len(messages) == 2
    assert messages[0].startswith(f"Incident {phrase}: GET {path} failed with 500")
    assert (
        messages[1]
        == f"1 incidents could not be recorded in the database ({phrase}); this log is their only record."
    )
