"""Trace ids in error responses and the count of error responses, through the real OpenTelemetry SDK."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_api_errors import telemetry

pytestmark = pytest.mark.django_db
WORKTREE = Path(__file__).resolve().parent.parent
TRACE_ID = "django_api_errors.telemetry.trace_id"
COUNT = "django_api_errors.telemetry.count"


@pytest.fixture
def tracer():
    """A tracer of a real SDK tracer provider (spans are recorded; nothing is exported)."""
    from opentelemetry.sdk.trace import TracerProvider

    provider = TracerProvider()
    yield provider.get_tracer("tests")
    provider.shutdown()


@pytest.fixture(scope="session")
def metric_reader():
    """The SDK's in-memory reader behind the global meter provider (settable once per process)."""
    from opentelemetry import metrics
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    return reader


def counts(reader) -> dict[frozenset, int]:
    """Attributes -> count of ``api_errors.responses`` so far (cumulative)."""
    data = reader.get_metrics_data()
    return {
        frozenset(point.attributes.items()): point.value
        for resource in (data.resource_metrics if data else ())
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == telemetry.COUNTER
        for point in metric.data.data_points
    }


def counted(reader, before: dict[frozenset, int]) -> dict[frozenset, int]:
    """What was counted since ``before``."""
    after = counts(reader)
    return {key: value - before.get(key, 0) for key, value in after.items() if value != before.get(key, 0)}


@pytest.mark.parametrize(
    ("style", "member"),
    [
        ("awork", lambda body: body["traceId"]),
        ("problem", lambda body: body["traceId"]),
        ("asana", lambda body: body["errors"][0]["trace_id"]),
    ],
)
def test_a_traced_request_carries_its_trace_id_in_the_header_and_the_styles_member(
    api, settings, tracer, style, member
):
    settings.API_ERRORS = {"STYLE": style, "OBSERVERS": [TRACE_ID]}

    with tracer.start_as_current_span("request") as span:
        response = api.get("/raise/drf-not-found/", HTTP_X_REQUEST_ID="req-1")

    expected = f"{span.get_span_context().trace_id:032x}"
    assert response.status_code == 404
    assert response["X-Trace-Id"] == expected
    assert member(response.json()) == expected
    assert "X-Request-ID" not in response


def test_a_server_error_carries_its_phrase_and_its_trace_id(api, settings, tracer):
    settings.API_ERRORS = {"OBSERVERS": [TRACE_ID]}

    with tracer.start_as_current_span("request") as span:
        response = api.get("/raise/unhandled/")

    body = response.json()
    assert response.status_code == 500
    assert body["phrase"] == response["X-Error-Phrase"]
    assert body["traceId"] == response["X-Trace-Id"] == f"{span.get_span_context().trace_id:032x}"


def test_without_a_recording_span_the_request_id_is_echoed_and_the_body_has_no_trace_id(api, settings):
    settings.API_ERRORS = {"OBSERVERS": [TRACE_ID]}

    response = api.get("/raise/drf-not-found/", HTTP_X_REQUEST_ID="req-7f3a:42")

    assert response["X-Request-ID"] == "req-7f3a:42"
    assert "X-Trace-Id" not in response
    assert "traceId" not in response.json()


def test_the_request_id_header_the_project_names_is_the_one_echoed(api, settings):
    settings.API_ERRORS = {"OBSERVERS": [TRACE_ID], "REQUEST_ID_HEADER": "X-Correlation-ID"}

    response = api.get("/raise/drf-not-found/", HTTP_X_CORRELATION_ID="corr-9", HTTP_X_REQUEST_ID="req-1")

    assert response["X-Correlation-ID"] == "corr-9"
    assert "X-Request-ID" not in response


@pytest.mark.parametrize("sent", ["two words", "<script>", "é-unicode", "x" * 201, ""])
def test_a_request_id_that_is_not_a_plain_token_is_not_echoed(api, settings, sent):
    settings.API_ERRORS = {"OBSERVERS": [TRACE_ID]}

    response = api.get("/raise/drf-not-found/", HTTP_X_REQUEST_ID=sent.encode().decode("latin-1"))

    assert response.status_code == 404
    assert "X-Request-ID" not in response


def test_without_the_observer_no_trace_id_is_added(api, tracer):
    with tracer.start_as_current_span("request"):
        response = api.get("/raise/drf-not-found/", HTTP_X_REQUEST_ID="req-1")

    assert "X-Trace-Id" not in response
    assert "X-Request-ID" not in response
    assert "traceId" not in response.json()


def test_every_error_is_counted_with_its_code_status_route_and_style(api, settings, metric_reader):
    settings.API_ERRORS = {"OBSERVERS": [COUNT]}
    before = counts(metric_reader)

    api.get("/raise/drf-not-found/")
    api.get("/raise/drf-not-found/")
    api.post("/raise/drf-validation/", {})
    api.get("/raise/unhandled/")

    route = ("http.route", "raise/<str:name>/")
    assert counted(metric_reader, before) == {
        frozenset({("code", "not-found"), ("http.response.status_code", 404), route, ("style", "awork")}): 2,
        frozenset(
            {("code", "validation-failed"), ("http.response.status_code", 400), route, ("style", "awork")}
        ): 1,
        frozenset(
            {("code", "server-error"), ("http.response.status_code", 500), route, ("style", "awork")}
        ): 1,
    }


def test_a_negotiated_problem_answer_is_counted_as_the_problem_style(api, settings, metric_reader):
    settings.API_ERRORS = {"OBSERVERS": [COUNT], "NEGOTIATE": True}
    before = counts(metric_reader)

    response = api.get("/raise/drf-not-found/", HTTP_ACCEPT="application/problem+json")

    assert response["Content-Type"] == "application/problem+json"
    ((attributes, number),) = counted(metric_reader, before).items()
    assert ("style", "problem") in attributes
    assert number == 1


def test_a_path_no_url_pattern_matches_is_counted_without_a_route(api, settings, metric_reader):
    settings.API_ERRORS = {"OBSERVERS": [COUNT]}
    before = counts(metric_reader)

    assert api.get("/api/no-such-path/").status_code == 404

    assert counted(metric_reader, before) == {
        frozenset({("code", "not-found"), ("http.response.status_code", 404), ("style", "awork")}): 1
    }


def test_counting_a_4xx_writes_nothing_to_the_database(api, settings, metric_reader):
    settings.API_ERRORS = {"OBSERVERS": [TRACE_ID, COUNT]}
    before = counts(metric_reader)

    with CaptureQueriesContext(connection) as queries:
        assert api.get("/raise/drf-permission/").status_code == 403

    assert sum(counted(metric_reader, before).values()) == 1
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


# A child process: OpenTelemetry absent (every import of it refused, as when it is not installed), or
# present with the default settings; it answers one error and lists what it imported.
CHILD = """
import json, os, sys
from importlib.abc import MetaPathFinder


class NoOpenTelemetry(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "opentelemetry":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


if sys.argv[1] == "absent":
    sys.meta_path.insert(0, NoOpenTelemetry())
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django

django.setup()
from django.conf import settings
from django.test import Client

settings.API_ERRORS = json.loads(sys.argv[2])
response = Client().get("/raise/drf-not-found/", HTTP_X_REQUEST_ID="req-42")
prefixes = ("opentelemetry", "django_api_errors.telemetry", "django_api_errors.guard")
print(json.dumps({
    "status": response.status_code,
    "request_id": response.headers.get("X-Request-ID"),
    "imported": sorted(name for name in sys.modules if name.startswith(prefixes)),
}))
"""


def run_child(opentelemetry: str, api_errors: dict) -> dict:
    # SQLite in the child (it migrates nothing): the suite's PostgreSQL database is a test's only.
    env = {name: value for name, value in os.environ.items() if name != "API_ERRORS_TEST_DB"}
    env["PYTHONPATH"] = os.pathsep.join([str(WORKTREE), str(WORKTREE / "example_project")])
    command = [sys.executable, "-c", CHILD, opentelemetry, json.dumps(api_errors)]
    run = subprocess.run(command, cwd=WORKTREE, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_without_opentelemetry_nothing_of_it_is_imported_and_the_request_id_is_echoed():
    found = run_child("absent", {"OBSERVERS": [TRACE_ID, COUNT]})

    assert found == {"status": 404, "request_id": "req-42", "imported": ["django_api_errors.telemetry"]}


def test_with_the_observers_off_neither_they_nor_opentelemetry_are_imported():
    found = run_child("present", {})

    assert found == {"status": 404, "request_id": None, "imported": []}
