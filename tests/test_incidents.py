"""5xx incidents through the whole stack: phrase, log line, Sentry tag and the incident row.

These tests commit for real (``transaction=True``): the incident is written on a connection of its
own after the request's transaction has ended, and that is exactly what they check.
"""

import asyncio
import copy
import logging
import queue
import re
import socket
import sys

import pytest
import sentry_sdk
from asgiref.sync import async_to_sync
from django.contrib.auth import get_user_model
from django.core.asgi import get_asgi_application
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory
from sentry_sdk.transport import Transport

from django_api_errors.incidents.handler import Failure, IncidentWriter, flush_incidents, own_connection
from django_api_errors.incidents.models import Incident, IncidentGroup
from django_api_errors.pipeline import get_pipeline
from django_api_errors.pipeline.reporting import FACTS, report_failure
from tests.tables import AWORK_KEYS
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = re.compile(r"^\d+ [a-z]+ [a-z]+ [a-z]+ [a-z]+$")

SERVER_FAILURES = [
    # (how the request fails, code, status, exception type, text that must stay on the server)
    ("get", "/raise-server-side/unhandled/", "server-error", 500, "builtins.KeyError", "hunter2"),
    ("get", "/raise-server-side/server-error/", "server-error", 500, "django_api_errors.errors.ApiError", ""),
    (
        "get",
        "/raise-server-side/service-unavailable/",
        "service-unavailable",
        503,
        "django_api_errors.errors.ApiError",
        "",
    ),
    (
        "get",
        "/raise-server-side/drf-api-exception/",
        "server-error",
        500,
        "rest_framework.exceptions.APIException",
        "",
    ),
    ("post", "/write-then-fail/", "server-error", 500, "builtins.RuntimeError", "after the write"),
    ("post", "/write-then-abort/", "server-error", 500, "builtins.RuntimeError", "aborted statement"),
    ("post", "/write-then-database-error/", "database-commit", 500, "django.db.utils.", "no_such_table"),
]
FAILURE_IDS = [path.strip("/").replace("/", ":") for _, path, *_ in SERVER_FAILURES]


def fail(api, method, path, **headers):
    """The failed response, once its incident has been written (the writer may be a thread)."""
    response = getattr(api, method)(path, **headers)
    assert response.status_code >= 500
    flush_incidents()
    return response


@pytest.mark.parametrize(
    ("method", "path", "code", "status", "exc_type", "secret"), SERVER_FAILURES, ids=FAILURE_IDS
)
def test_every_5xx_carries_a_phrase_in_body_and_header(api, method, path, code, status, exc_type, secret):
    response = fail(api, method, path)

    body = response.json()
    assert response.status_code == status
    assert body["code"] == code
    assert PHRASE.match(body["phrase"])
    assert response["X-Error-Phrase"] == body["phrase"]


@pytest.mark.parametrize(
    ("method", "path", "code", "status", "exc_type", "secret"), SERVER_FAILURES, ids=FAILURE_IDS
)
def test_every_5xx_is_recorded_as_an_incident_found_by_its_phrase(
    api, method, path, code, status, exc_type, secret
):
    response = fail(api, method, path, HTTP_X_REQUEST_ID="req-42")

    incident = Incident.objects.get(phrase=response["X-Error-Phrase"])
    assert (incident.code, incident.status, incident.method, incident.path) == (
        code,
        status,
        method.upper(),
        path,
    )
    assert incident.request_id == "req-42"
    assert incident.user_id == ""
    assert incident.exception_type.startswith(exc_type)
    assert incident.traceback.startswith("Traceback (most recent call last):")
    assert secret in incident.traceback


@pytest.mark.parametrize(
    ("method", "path", "code", "status", "exc_type", "secret"), SERVER_FAILURES, ids=FAILURE_IDS
)
def test_no_body_reveals_the_traceback_or_the_exception(api, method, path, code, status, exc_type, secret):
    response = fail(api, method, path)

    content = response.content.decode()
    exception_name = Incident.objects.get(phrase=response["X-Error-Phrase"]).exception_type.rsplit(".", 1)[-1]
    assert "Traceback" not in content
    assert exception_name not in content
    if secret:
        assert secret not in content


@pytest.mark.parametrize("path", ["/write-then-fail/", "/write-then-abort/", "/write-then-database-error/"])
def test_the_failed_requests_writes_are_rolled_back_and_the_incident_kept(api, path):
    # ATOMIC_REQUESTS=True (tests/settings.py); on PostgreSQL the last two abort the transaction.
    assert connection.settings_dict["ATOMIC_REQUESTS"]

    response = fail(api, "post", path)

    assert not Note.objects.exists()
    assert Incident.objects.filter(phrase=response["X-Error-Phrase"]).count() == 1


def test_the_log_line_carries_phrase_request_and_traceback(api, caplog):
    user = get_user_model().objects.create_user("ada", password="pw")
    api.force_authenticate(user)

    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        response = fail(api, "get", "/raise-server-side/unhandled/", HTTP_X_REQUEST_ID="req-7")

    phrase = response["X-Error-Phrase"]
    (record,) = [r for r in caplog.records if r.name == "django_api_errors"]
    assert phrase in record.getMessage()
    assert record.exc_info[0] is KeyError
    assert record.error_phrase == phrase
    assert (record.request_method, record.request_path) == ("GET", "/raise-server-side/unhandled/")
    assert (record.user_id, record.request_id) == (str(user.pk), "req-7")
    assert (record.error_code, record.status_code) == ("server-error", 500)
    assert (record.error_route, record.error_frame) == (
        "raise-server-side/<str:name>/",
        "tests.testapp.views:raise_server_side",
    )
    assert set(FACTS) <= set(vars(record))
    incident = Incident.objects.get(phrase=phrase)
    assert (incident.user_id, incident.fingerprint) == (str(user.pk), record.error_fingerprint)


def test_the_request_id_header_is_configurable(api, settings):
    settings.API_ERRORS = {"REQUEST_ID_HEADER": "X-Correlation-ID"}

    response = fail(api, "get", "/raise-server-side/unhandled/", HTTP_X_CORRELATION_ID="corr-9")

    assert Incident.objects.get(phrase=response["X-Error-Phrase"]).request_id == "corr-9"


def test_client_errors_have_no_phrase_and_no_incident(api):
    response = api.get("/raise/drf-not-found/")

    assert response.status_code == 404
    assert "phrase" not in response.json()
    assert "X-Error-Phrase" not in response
    assert not Incident.objects.exists()


@pytest.fixture
def unreachable_database(monkeypatch, tmp_path):
    """A database alias whose server is not there: a closed port, or a SQLite file in no directory."""
    settings_dict = copy.deepcopy(connections.settings["default"])
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-directory" / "incidents.sqlite3")
    else:
        with socket.socket() as probe:  # a port nobody listens on any more
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        settings_dict.update(HOST="127.0.0.1", PORT=str(port))
    settings_dict["ATOMIC_REQUESTS"] = False  # only the incident writer ever uses this alias
    alias = f"unreachable-{tmp_path.name}"
    monkeypatch.setitem(connections.settings, alias, settings_dict)
    return alias


class UnreachableRouter:
    """Sends the incidents' writes to ``alias``."""

    alias = "default"

    def db_for_write(self, model, **hints):
        return self.alias if model is Incident else None


def test_an_unreachable_database_leaves_the_standard_500_and_a_logged_phrase(
    api, settings, caplog, unreachable_database
):
    UnreachableRouter.alias = unreachable_database
    settings.DATABASE_ROUTERS = [f"{__name__}.UnreachableRouter"]

    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        response = fail(api, "get", "/raise-server-side/unhandled/")
        flush_incidents()

    phrase = response["X-Error-Phrase"]
    assert response.status_code == 500
    assert set(response.json()) == AWORK_KEYS | {"phrase"}
    assert response.json()["code"] == "server-error"
    failure, not_recorded = [r for r in caplog.records if r.name == "django_api_errors"]
    assert failure.levelno == logging.ERROR and failure.error_phrase == phrase
    assert not_recorded.levelno == logging.WARNING and not_recorded.incident_phrases == [phrase]
    assert phrase in not_recorded.getMessage()
    assert not_recorded.exc_info[0].__name__ == "OperationalError"  # the database was not reached
    assert not Incident.objects.exists()


def failure(phrase="12 sad squid snuggle softly"):
    group = IncidentGroup(fingerprint="f" * 40, code="server-error", status=500, count=1)
    group.first_seen = group.last_seen = timezone.now()
    return Failure(group, Incident(phrase=phrase, code="server-error", status=500, fingerprint="f" * 40))


def test_a_phrase_written_twice_is_stored_once_and_counted_twice():
    store = IncidentWriter(queue.Queue())

    assert store.write([failure()], own=False) is True
    assert store.write([failure()], own=False) is True

    assert Incident.objects.get().phrase == "12 sad squid snuggle softly"
    assert IncidentGroup.objects.get().count == 2


def test_outside_a_request_the_incident_is_written_at_once():
    pipeline = get_pipeline()
    exc = RuntimeError("nightly job")

    error = pipeline.report(pipeline.convert(exc, None), exc, None)
    flush_incidents()

    incident = Incident.objects.get(phrase=error.phrase)
    assert error.headers["X-Error-Phrase"] == error.phrase
    assert incident.method == incident.path == ""
    assert "nightly job" in incident.traceback


class MemoryTransport(Transport):
    """Keeps every envelope Sentry would send, so the test reads the events."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry_transport():
    """A real Sentry client whose transport keeps the events in memory; removed afterwards."""
    transport = MemoryTransport()
    sentry_sdk.init(
        dsn="https://public@sentry.invalid/1", transport=transport, auto_enabling_integrations=False
    )
    try:
        with sentry_sdk.isolation_scope():
            yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def test_a_nul_in_the_path_is_stored_as_a_replacement_character(api):
    # PostgreSQL's text refuses NUL: stored as it came, the row (and its batch) would be lost.
    response = fail(api, "get", "/raise-server-side/a%00b/")

    incident = Incident.objects.get(phrase=response["X-Error-Phrase"])
    assert incident.path == "/raise-server-side/a\ufffdb/"
    assert "\x00" not in incident.traceback


def test_the_phrase_tags_the_sentry_event_of_the_failure(api, sentry_transport):
    response = fail(api, "get", "/raise-server-side/unhandled/")
    sentry_sdk.flush()

    events = [envelope.get_event() for envelope in sentry_transport.envelopes]
    (event,) = [event for event in events if event and event.get("logger") == "django_api_errors"]
    assert event["tags"]["error_phrase"] == response["X-Error-Phrase"]
    assert event["exception"]["values"][-1]["type"] == "KeyError"


def test_without_sentry_sdk_the_failure_is_answered_and_recorded(api, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # what `import sentry_sdk` sees when absent

    response = fail(api, "get", "/raise-server-side/unhandled/")

    assert response.json()["phrase"] == response["X-Error-Phrase"]
    assert Incident.objects.filter(phrase=response["X-Error-Phrase"]).exists()


@pytest.mark.django_db  # the whole test runs in one transaction, as in Django's TestCase
def test_inside_a_callers_transaction_the_incident_joins_it_instead_of_committing(api):
    response = fail(api, "get", "/raise-server-side/unhandled/")

    phrase = response["X-Error-Phrase"]
    assert connection.in_atomic_block
    assert Incident.objects.filter(phrase=phrase).exists()
    assert committed_incidents(phrase) == 0  # the test's rollback will take it away with the rest


def committed_incidents(phrase):
    """How many incidents with this phrase another connection sees (none while uncommitted)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {Incident._meta.db_table} WHERE phrase = %s", [phrase])
            return cursor.fetchone()[0]
    except OperationalError:  # SQLite: the uncommitted write holds the table
        return 0
    finally:
        other.close()


def asgi_get(path, headers=()):
    """One GET through Django's real ASGI handler, as an ASGI server would drive it."""
    messages = []
    request_sent = False

    async def receive():
        nonlocal request_sent
        if request_sent:  # the client stays connected until the response is complete
            await asyncio.Event().wait()
        request_sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    async_to_sync(get_asgi_application())(scope, receive, send)
    start = next(message for message in messages if message["type"] == "http.response.start")
    return start["status"], {name.decode().lower(): value.decode() for name, value in start["headers"]}


def test_under_asgi_the_incident_is_recorded_too():
    status, headers = asgi_get("/raise-server-side/unhandled/", [(b"x-request-id", b"asgi-1")])
    flush_incidents()

    assert status == 500
    incident = Incident.objects.get(phrase=headers["x-error-phrase"])
    assert (incident.path, incident.request_id) == ("/raise-server-side/unhandled/", "asgi-1")


def test_the_writer_connection_is_closed_after_each_write_by_default():
    assert IncidentWriter(queue.Queue()).write([failure()], own=True)

    own = connections["default:incidents"]
    assert own is not connection
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        assert own.connection is not None  # Django never closes an in-memory SQLite database
    else:
        assert own.connection is None  # CONN_MAX_AGE = 0, as Django treats its own


@pytest.fixture
def persistent_database(monkeypatch, request):
    """An alias of the test database whose connections are kept (CONN_MAX_AGE = 60)."""
    alias = f"persistent-{request.node.name}"
    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict.update(CONN_MAX_AGE=60, ATOMIC_REQUESTS=False)
    monkeypatch.setitem(connections.settings, alias, settings_dict)
    yield alias
    connections[f"{alias}:incidents"].close()
    del connections[f"{alias}:incidents"]


def test_with_persistent_connections_the_writer_reuses_its_connection(persistent_database):
    name = own_connection(persistent_database)
    Incident.objects.using(name).exists()
    raw_connection = connections[name].connection

    assert own_connection(persistent_database) == name  # Django's treatment before the next write
    assert raw_connection is not None
    assert connections[name].connection is raw_connection


def test_outside_the_request_cycle_a_view_called_directly_has_its_incident_written():
    # APIRequestFactory: no request_started, no request_finished; nothing may wait for them.
    from tests.testapp.views import raise_server_side

    response = raise_server_side(APIRequestFactory().get("/raise-server-side/unhandled/"), name="unhandled")
    flush_incidents()

    assert response.status_code == 500
    assert Incident.objects.filter(phrase=response["X-Error-Phrase"]).exists()


def test_a_view_called_in_a_callers_transaction_keeps_its_incident_after_the_rollback():
    # A task calling a view in its own atomic(): the handler marks the block for rollback (as DRF's
    # does under ATOMIC_REQUESTS); the incident must not go with it.
    from tests.testapp.views import raise_server_side

    with transaction.atomic():
        response = raise_server_side(
            APIRequestFactory().get("/raise-server-side/unhandled/"), name="unhandled"
        )
        assert transaction.get_rollback()
    flush_incidents()

    assert Incident.objects.filter(phrase=response["X-Error-Phrase"]).exists()


def test_a_failure_reported_outside_a_request_is_logged_and_stored(caplog):
    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        report_failure("41 tidy otters paddle calmly", "service-unavailable", 503, RuntimeError("job"), None)
    flush_incidents()

    incident = Incident.objects.get(phrase="41 tidy otters paddle calmly")
    assert (incident.code, incident.status) == ("service-unavailable", 503)
    assert [r.error_phrase for r in caplog.records if r.levelno == logging.ERROR] == [incident.phrase]


class OddRequest:
    """A request whose path cannot be read (a broken middleware's wrapper)."""

    method = "GET"

    @property
    def path(self):
        raise RuntimeError("no path today")


def test_a_request_too_odd_to_read_is_logged_and_stored_without_its_values(caplog):
    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        report_failure("42 odd owls hoot loudly", "server-error", 500, RuntimeError("job"), OddRequest())
    flush_incidents()

    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "django_api_errors"]
    assert (record.error_phrase, record.request_method, record.request_path) == (
        "42 odd owls hoot loudly",
        "",
        "",
    )
    assert re.fullmatch(r"[0-9a-f]{40}", record.error_fingerprint)
    assert Incident.objects.get(phrase="42 odd owls hoot loudly").path == ""


FORGED = [
    # (what a client puts in a URL segment, how the log line shows it)
    ("%0d%0aINFO forged line", "\\r\\nINFO forged line"),
    ("%1b%5b31mred", "\\x1b[31mred"),
    ("a%e2%80%a8b", "a\\u2028b"),
    ("c%c2%85d", "c\\x85d"),
]


@pytest.mark.parametrize(("segment", "escaped"), FORGED, ids=["CRLF", "ESC", "U+2028", "NEL"])
def test_request_values_in_the_log_line_are_escaped_and_stored_as_sent(api, caplog, segment, escaped):
    from urllib.parse import unquote

    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        response = fail(api, "get", f"/raise-server-side/{segment}/", HTTP_X_REQUEST_ID="id\r\nforged")

    (record,) = [r for r in caplog.records if r.name == "django_api_errors"]
    message = record.getMessage()
    assert f"/raise-server-side/{escaped}/" in message
    assert not any(char in message for char in "\r\n\x1b\x85\u2028\u2029")
    assert (record.request_path, record.request_id) == (f"/raise-server-side/{escaped}/", "id\\r\\nforged")
    incident = Incident.objects.get(phrase=response["X-Error-Phrase"])
    assert incident.path == f"/raise-server-side/{unquote(segment)}/"  # the row keeps what was sent
    assert incident.request_id == "id\r\nforged"


def test_stored_path_and_request_id_are_capped():
    from django_api_errors.pipeline.reporting import MAX_PATH_LENGTH, MAX_REQUEST_ID_LENGTH

    response = fail(
        APIClient(raise_request_exception=False),
        "get",
        "/raise-server-side/" + "p" * 5000 + "/",
        HTTP_X_REQUEST_ID="r" * 900,
    )

    incident = Incident.objects.get(phrase=response["X-Error-Phrase"])
    assert (len(incident.path), len(incident.request_id)) == (MAX_PATH_LENGTH, MAX_REQUEST_ID_LENGTH)


def test_a_utf8_request_id_is_stored_as_the_client_sent_it(api):
    sent = "réq-✓-42"
    # WSGI hands header bytes over as Latin-1 text, as gunicorn does.
    response = fail(
        api, "get", "/raise-server-side/unhandled/", HTTP_X_REQUEST_ID=sent.encode().decode("latin-1")
    )

    assert Incident.objects.get(phrase=response["X-Error-Phrase"]).request_id == sent


@pytest.fixture
def span_exporter():
    """A real OpenTelemetry tracer provider exporting finished spans to memory."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider.get_tracer("tests"), exporter
    provider.shutdown()


def test_a_5xx_marks_the_current_span_as_an_error_with_code_and_phrase(api, span_exporter):
    from opentelemetry.trace import StatusCode

    tracer, exporter = span_exporter
    with tracer.start_as_current_span("request"):
        response = fail(api, "get", "/raise-server-side/service-unavailable/")

    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["api_errors.code"] == "service-unavailable"
    assert span.attributes["api_errors.phrase"] == response["X-Error-Phrase"]


def test_a_4xx_leaves_the_span_alone(api, span_exporter):
    from opentelemetry.trace import StatusCode

    tracer, exporter = span_exporter
    with tracer.start_as_current_span("request"):
        assert api.get("/raise/drf-not-found/").status_code == 404

    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.UNSET


def test_without_opentelemetry_the_failure_is_answered_and_recorded(api, monkeypatch):
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # what `import opentelemetry` sees when absent

    response = fail(api, "get", "/raise-server-side/unhandled/")

    assert Incident.objects.filter(phrase=response["X-Error-Phrase"]).exists()
