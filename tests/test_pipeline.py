"""The one error pipeline, through Django's test client: each case a bug the three old paths had."""

import sqlite3
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from django_api_errors import ApiError, UnknownErrorCode
from django_api_errors.codes import ErrorCode
from django_api_errors.flatten import FieldError
from tests.tables import STYLES
from tests.testapp import pipeline_views
from tests.testapp.models import Label, Note

PREFIX = "/api/pipeline"


# ApiError is input, never changed


def test_a_shared_error_raised_in_german_answers_later_english_clients_in_english(api, db):
    german = api.get(f"{PREFIX}/shared-error/", HTTP_ACCEPT_LANGUAGE="de")
    english = api.get(f"{PREFIX}/shared-error/", HTTP_ACCEPT_LANGUAGE="en")

    assert german.json()["description"] != english.json()["description"]
    assert english.json()["description"] == str(ErrorCode.ENTITY_ARCHIVED.description)


def test_the_raised_instance_is_left_as_it_was(api, db):
    before = dict(vars(pipeline_views.ARCHIVED))

    api.get(f"{PREFIX}/shared-error/", HTTP_ACCEPT_LANGUAGE="de")

    assert vars(pipeline_views.ARCHIVED) == before


def test_a_server_errors_phrase_lives_in_the_response_not_in_the_raised_error(api, db):
    from django_api_errors.pipeline import get_pipeline

    error = ApiError("server-error")
    exc = error

    value = get_pipeline().report(get_pipeline().convert(exc, None), exc, None)

    assert value.phrase and value.headers["X-Error-Phrase"] == value.phrase
    assert not hasattr(error, "phrase")
    assert "X-Error-Phrase" not in error.headers


# DRF's stock exceptions: their values are built once per class, language and code, and reused


def _request_in(language):
    from django.test import RequestFactory

    request = RequestFactory().get("/api/x/")
    request.LANGUAGE_CODE = language
    return request


def test_a_stock_drf_exception_answers_each_language_in_its_own(settings):
    from rest_framework.exceptions import NotFound

    from django_api_errors.pipeline import get_pipeline

    convert = get_pipeline().convert
    german = convert(NotFound(), _request_in("de")).description
    english = convert(NotFound(), _request_in("en")).description
    settings.LOCALE_PATHS = [Path(__file__).resolve().parent / "broken_locale"]  # the catalogues change
    changed = convert(NotFound(), _request_in("de")).description

    assert german == "Die angeforderte Ressource existiert nicht."
    assert english == "The requested resource does not exist."
    assert changed == "Diese Ressource gibt es nicht."


def test_a_custom_message_is_kept_between_stock_ones_of_the_same_class():
    from rest_framework.exceptions import NotFound, Throttled

    from django_api_errors.pipeline import get_pipeline

    convert = get_pipeline().convert
    request = _request_in("en")
    values = [convert(exc, request) for exc in (NotFound(), NotFound("No such order."), NotFound())]
    waits = [convert(Throttled(wait=wait), request).headers.get("Retry-After") for wait in (3, None, 7.2)]

    assert [value.details for value in values] == [(), ("No such order.",), ()]
    assert waits == ["3", None, "8"]


def test_a_slug_registered_after_a_classes_first_error_names_its_later_ones():
    from rest_framework.exceptions import APIException

    from django_api_errors import codes
    from django_api_errors.codes import BaseErrorCode
    from django_api_errors.pipeline import get_pipeline

    class OutOfPaper(APIException):
        status_code = 409
        default_detail = "Out of paper."
        default_code = "out-of-paper-test"

    before = get_pipeline().convert(OutOfPaper(), None).code

    class Printer(BaseErrorCode):
        OUT_OF_PAPER = "out-of-paper-test", 409, "The printer is out of paper."

    try:
        after = get_pipeline().convert(OutOfPaper(), None).code
    finally:
        codes.unregister(Printer)

    assert before is ErrorCode.CONCURRENCY_VIOLATION  # by its status
    assert after is Printer.OUT_OF_PAPER


def test_the_error_value_is_frozen():
    from django_api_errors.pipeline import get_pipeline

    value = get_pipeline().convert(ApiError("not-found"), None)

    with pytest.raises(AttributeError):
        value.status = 200  # type: ignore[misc]
    with pytest.raises(TypeError):
        value.headers["X"] = "1"  # type: ignore[index]


# got_request_exception, as Django sends it for its own 500s


def test_a_misspelt_slug_fails_the_test_that_hits_it(db):
    with pytest.raises(UnknownErrorCode, match="entity-archivd"):
        APIClient().get(f"{PREFIX}/misspelt-slug/")


@pytest.mark.parametrize("style", STYLES)
def test_a_misspelt_slug_in_production_answers_400_in_every_style(db, settings, style):
    settings.API_ERRORS = {"STRICT_CODES": False, "STYLE": style}

    response = APIClient().get(f"{PREFIX}/misspelt-slug/")

    assert response.status_code == 400
    assert response["Content-Type"].endswith("json")
    body = response.json()
    if style == "asana":  # no code in Asana's body: the description of bad-request
        assert body["errors"][0]["message"] == str(ErrorCode.BAD_REQUEST.description)
    else:
        assert body["code"] == "entity-archivd"


def test_a_plain_views_crash_fails_the_test_that_hits_it(db):
    with pytest.raises(KeyError, match="SECRET_KEY"):
        Client().get("/api/plain/raise/unhandled/")


def test_listeners_hear_of_every_server_error(api, db):
    from django.core.signals import got_request_exception

    heard = []

    def listen(sender, request, **kwargs):
        heard.append(request.path)

    got_request_exception.connect(listen)
    try:
        response = api.get(f"{PREFIX}/leaky/")
    finally:
        got_request_exception.disconnect(listen)

    assert response.status_code == 500
    assert heard == [f"{PREFIX}/leaky/"]


def test_django_sends_the_signal_once_for_the_500s_it_hands_to_handler500(client, db, settings):
    from django.core.signals import got_request_exception

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "ApiErrorMiddleware" not in m]
    heard = []

    def listen(sender, request, **kwargs):
        heard.append(request.path)

    got_request_exception.connect(listen)
    try:
        response = client.get("/api/plain/raise/unhandled/")
    finally:
        got_request_exception.disconnect(listen)

    assert (response.status_code, response.json()["code"]) == (500, "server-error")
    assert heard == ["/api/plain/raise/unhandled/"]


# ApiError's validation_errors


@pytest.mark.parametrize("message", ["Bad", "A longer message, of many words."])
def test_a_drf_validation_detail_renders_its_messages(api, db, message):
    response = api.get(f"{PREFIX}/drf-validation-detail/", {"m": message})

    assert response.status_code == 400
    assert response.json()["validationErrors"] == [{"property": None, "message": message, "code": "invalid"}]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Bad.", [FieldError((), "Bad.", "invalid")]),
        (["Bad.", "Worse."], [FieldError((), "Bad.", "invalid"), FieldError((), "Worse.", "invalid")]),
        ({"name": ["Bad."]}, [FieldError(("name",), "Bad.", "invalid")]),
        ({"items": [{"name": "Bad."}]}, [FieldError(("items", 0, "name"), "Bad.", "invalid")]),
        ([FieldError(("a",), "Bad.", "blank")], [FieldError(("a",), "Bad.", "blank")]),
    ],
)
def test_validation_errors_take_every_shape_drf_and_django_take(given, expected):
    assert list(ApiError("validation-failed", validation_errors=given).validation_errors) == expected


def test_validation_errors_take_a_django_validation_error():
    from django.core.exceptions import ValidationError

    error = ApiError("validation-failed", validation_errors=ValidationError({"name": "Taken."}))

    assert [(e.path, e.message) for e in error.validation_errors] == [(("name",), "Taken.")]


@pytest.mark.parametrize("given", [42, {"name": object()}, [b"bytes"]])
def test_anything_else_is_a_type_error_saying_what_it_takes(given):
    with pytest.raises(TypeError, match="validation_errors takes a message"):
        ApiError("validation-failed", validation_errors=given)


# IntegrityError: a unique value taken is a 409 naming the field


def test_a_unique_field_taken_is_a_409_naming_the_field_not_the_column(api, db):
    Label.objects.create(name="red", owner="a", colour="1")

    response = api.post(f"{PREFIX}/labels/", {"name": "red", "owner": "b", "colour": "2"}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplication-violation"
    assert [error["property"] for error in body["validationErrors"]] == ["name"]
    assert "label_name_col" not in response.content.decode()
    assert "testapp_label" not in response.content.decode()


def test_a_unique_constraint_taken_names_its_fields(api, db):
    Label.objects.create(name="red", owner="a", colour="1")

    response = api.post(f"{PREFIX}/labels/", {"name": "blue", "owner": "a", "colour": "1"}, format="json")

    assert response.status_code == 409
    assert [error["property"] for error in response.json()["validationErrors"]] == ["owner", "colour"]
    assert "testapp_label_owner_colour" not in response.content.decode()


def test_any_other_integrity_error_stays_a_server_error(api, db):
    response = api.post(f"{PREFIX}/orphan-label/")

    assert (response.status_code, response.json()["code"]) == (500, "database-commit")


# database-commit tells the truth about what was kept


def test_database_commit_promises_nothing_was_kept_only_after_a_rollback(api, transactional_db):
    rolled_back = api.post(f"{PREFIX}/write-then-fail-atomic/")
    kept = api.post(f"{PREFIX}/write-then-fail-unatomic/")

    assert rolled_back.json()["code"] == kept.json()["code"] == "database-commit"
    assert "nothing of this request was kept" in rolled_back.json()["description"]
    assert "nothing of this request was kept" not in kept.json()["description"]
    assert list(Note.objects.values_list("text", flat=True)) == ["kept"]


# A 5xx body never carries an exception's message


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("path", ["leaky", "leaky-unavailable"])
def test_a_server_errors_body_never_carries_the_exceptions_message(api, db, settings, style, path):
    settings.API_ERRORS = {"STYLE": style}

    response = api.get(f"{PREFIX}/{path}/")

    assert response.status_code in (500, 503)
    assert "hunter2" not in response.content.decode()


def test_the_message_goes_to_the_log(api, db, caplog):
    api.get(f"{PREFIX}/leaky/")

    assert "hunter2" in caplog.text


# The converters table a project extends


def test_a_project_maps_third_party_exceptions_by_setting(api, db, settings):
    settings.API_ERRORS = {
        "CONVERTERS": {
            "tests.testapp.pipeline_views.ShopDown": "service-unavailable",
            pipeline_views.CardDeclined: "tests.testapp.pipeline_views.card_declined",
        }
    }

    down = api.get(f"{PREFIX}/third-party/shop-down/")
    declined = api.get(f"{PREFIX}/third-party/card-declined/")

    assert (down.status_code, down.json()["code"]) == (503, "service-unavailable")
    assert (declined.status_code, declined.json()["details"]) == (402, ["The card was declined."])
    assert "secret internals" not in down.content.decode() + declined.content.decode()


def test_a_project_subclasses_the_pipeline_step_by_step(api, db, settings):
    settings.API_ERRORS = {"PIPELINE": "tests.test_pipeline.TeapotPipeline"}

    response = api.get(f"{PREFIX}/shared-error/")

    assert (response.status_code, response["X-Teapot"]) == (418, "yes")


def _teapot_pipeline():
    from django_api_errors.pipeline import ErrorPipeline

    class TeapotPipeline(ErrorPipeline):
        def render(self, value, request, style=None):
            rendered = super().render(value.with_header("X-Teapot", "yes"), request, style)
            return type(rendered)(rendered.body, 418, rendered.headers, rendered.content_type)

    return TeapotPipeline


def __getattr__(name):
    # The pipeline setting names this class by its dotted path; built on first use.
    if name == "TeapotPipeline":
        return _teapot_pipeline()
    raise AttributeError(name)


# A database out of reach or locked is a 503 to retry


def test_a_locked_database_is_a_503_with_retry_after(api, db, tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        response = api.get(f"{PREFIX}/locked-database/", {"path": str(path)})
    finally:
        holder.rollback()
        holder.close()

    assert (response.status_code, response.json()["code"]) == (503, "service-unavailable")
    assert int(response["Retry-After"]) > 0


def test_an_unreachable_postgresql_server_is_a_503(api, db):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Closed again: nothing listens there, so connecting is refused.

    response = api.get(f"{PREFIX}/unreachable-postgres/", {"port": port})

    assert (response.status_code, response.json()["code"]) == (503, "service-unavailable")
    assert response["Retry-After"] == "5"


def test_any_other_operational_error_stays_database_commit(api, db, tmp_path):
    # A fresh file without the table: "no such table" is a bug to fix, not a reason to retry.
    response = api.get(f"{PREFIX}/locked-database/", {"path": str(tmp_path / "empty.sqlite3")})

    assert (response.status_code, response.json()["code"]) == (500, "database-commit")
    assert "Retry-After" not in response


# Complete by default: DRF's own parser, DEBUG pages


def test_json_nested_too_deep_for_drfs_own_parser_is_a_400(api, db):
    body = "[" * 10_000 + "]" * 10_000

    response = api.post(f"{PREFIX}/stock-parser/", body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid-model")


def test_recursion_in_a_view_stays_a_server_error(api, db):
    response = api.get(f"{PREFIX}/endless/")

    assert (response.status_code, response.json()["code"]) == (500, "server-error")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_url_answers_json_with_debug_on_and_off(client, db, settings, debug):
    settings.DEBUG = debug

    response = client.get("/api/nothing-here/")

    assert (response.status_code, response.json()["code"]) == (404, "not-found")


def test_a_bad_host_under_the_api_answers_json_with_debug_on(client, db, settings):
    settings.DEBUG = True

    response = client.get("/api/pipeline/plain/", HTTP_HOST="evil.example")

    assert (response.status_code, response.json()["code"]) == (400, "bad-request")
    assert "evil.example" not in response.content.decode()


def test_with_debug_on_a_known_url_keeps_its_own_404(client, db, settings):
    settings.DEBUG = True

    response = client.get("/errors/no-such-code/", HTTP_ACCEPT="text/html")

    assert response.status_code == 404


# One Accept parser, q-values honoured; Vary: Accept where Accept chose the format


def test_json_refused_with_q_0_gets_the_html_page(client, db):
    response = client.get("/nowhere/", HTTP_ACCEPT="application/json;q=0, text/html")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_json_weighted_above_html_gets_json(client, db):
    response = client.get("/nowhere/", HTTP_ACCEPT="text/html;q=0.5, application/json")

    assert response.json()["code"] == "not-found"


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_a_404_outside_the_api_varies_on_accept_in_either_format(client, db, accept):
    response = client.get("/nowhere/", HTTP_ACCEPT=accept)

    assert response.status_code == 404
    assert "Accept" in response["Vary"]


def test_the_catalogue_refuses_json_at_q_0(client, db):
    response = client.get("/errors/", HTTP_ACCEPT="application/json;q=0")

    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]


def test_a_problem_client_weighting_json_higher_gets_json(api, db, settings):
    settings.API_ERRORS = {"NEGOTIATE": True}

    response = api.get("/problem-capable/", HTTP_ACCEPT="application/problem+json;q=0.1, application/json")

    assert response["Content-Type"].startswith("application/json")


# NEGOTIATE: problem details for errors, with their own status; successes keep their type


@pytest.fixture
def negotiating(settings):
    # tests/settings.py names ProblemNegotiation as DRF's negotiation class, as docs/styles.md asks.
    settings.API_ERRORS = {"NEGOTIATE": True}


@pytest.mark.parametrize(("path", "status"), [("/raise/drf-not-found/", 404), ("/basic-protected/", 401)])
def test_a_problem_client_gets_the_errors_own_status_without_the_renderer(api, db, negotiating, path, status):
    response = api.get(path, HTTP_ACCEPT="application/problem+json")

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status


@pytest.mark.parametrize("accept", ["application/problem+json", "application/json"])
def test_a_drf_error_chosen_by_accept_varies_on_it(api, db, negotiating, accept):
    response = api.get(f"{PREFIX}/json-only-not-found/", HTTP_ACCEPT=accept)

    assert response.status_code == 404
    assert "Accept" in response["Vary"].split(", ")


def test_a_drf_error_without_negotiation_does_not_vary_on_accept(api, db):
    response = api.get(f"{PREFIX}/json-only-not-found/", HTTP_ACCEPT="application/json")

    assert "Accept" not in response["Vary"].split(", ")


def test_a_problem_client_gets_a_success_in_its_own_type(api, db, negotiating):
    response = api.get(f"{PREFIX}/problem-capable-list/", HTTP_ACCEPT="application/problem+json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [{"id": 1}]


def test_a_problem_client_of_a_view_with_the_renderer_gets_its_error_as_a_problem(api, db, negotiating):
    response = api.get("/problem-capable/", HTTP_ACCEPT="application/problem+json")

    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")


# What Django's own request handler maps answers Django's status, in the standard body, never a 5xx

#: The code each exception Django maps answers with; the status is Django's (the oracle below).
DJANGO_CODES = {
    "http404": "not-found",
    "permission-denied": "unauthorized",
    "bad-request": "bad-request",
    "multipart": "invalid-model",
    "suspicious": "bad-request",
    "disallowed-host": "bad-request",
    "disallowed-redirect": "bad-request",
    "suspicious-file": "bad-request",
    "suspicious-multipart": "bad-request",
    "too-big": "request-body-too-large",
    "too-many-fields": "bad-request",
    "too-many-files": "bad-request",
}


def djangos_status(exc):
    """The status Django's own request handler answers ``exc`` with, through its default error views."""
    from django.core.handlers.exception import response_for_exception
    from django.test import RequestFactory, override_settings

    with override_settings(ROOT_URLCONF="django_api_errors.urls"):  # no handler400..404 of ours
        return response_for_exception(RequestFactory().get("/"), exc).status_code


def test_every_suspicious_operation_django_declares_is_in_the_table_below():
    from django.core import exceptions as django_exceptions

    declared = {
        cls
        for cls in vars(django_exceptions).values()
        if isinstance(cls, type) and issubclass(cls, django_exceptions.SuspiciousOperation)
    }

    assert declared <= set(pipeline_views.DJANGO_RAISERS.values())
    assert set(DJANGO_CODES) == set(pipeline_views.DJANGO_RAISERS)


@pytest.mark.parametrize("where", ["drf-raises", "plain-raises"])
@pytest.mark.parametrize("name", sorted(DJANGO_CODES))
def test_what_djangos_handler_maps_answers_djangos_status_with_no_incident(api, db, caplog, where, name):
    exc = pipeline_views.DJANGO_RAISERS[name]("secret internals")
    # One deliberate difference: a body over the limit says 413, as the middleware's own refusal does.
    status = 413 if name == "too-big" else djangos_status(exc)
    caplog.clear()

    response = api.get(f"{PREFIX}/{where}/{name}/")

    assert (response.status_code, response.json()["code"]) == (status, DJANGO_CODES[name])
    assert status < 500
    assert "X-Error-Phrase" not in response
    assert "secret internals" not in response.content.decode()
    assert not [r for r in caplog.records if r.name.startswith("django_api_errors")]


BROKEN_MULTIPART = b'--BOUNDARY\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_a_broken_multipart_body_read_by_a_plain_view_is_a_400(api, db, content_type):
    response = api.generic("POST", f"{PREFIX}/plain-form/", BROKEN_MULTIPART, content_type=content_type)

    assert (response.status_code, response.json()["code"]) == (400, "invalid-model")
    assert "X-Error-Phrase" not in response


def test_a_broken_multipart_body_read_by_the_csrf_check_is_a_400(db):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "x" * 32

    response = client.generic(
        "POST", "/api/plain/form/", BROKEN_MULTIPART, content_type="multipart/form-data"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid-model")
    assert "X-Error-Phrase" not in response


# Conflicts with the stored data are 409s, not failures


@pytest.mark.parametrize("blocker", ["Pin", "Hold"])
def test_deleting_a_row_others_protect_is_a_409_naming_their_model(api, db, caplog, blocker):
    from tests.testapp import models

    label = Label.objects.create(name="red")
    getattr(models, blocker).objects.create(label=label)

    response = api.delete(f"{PREFIX}/labels/{label.pk}/")

    expected_names = {"Pin": "label pins", "Hold": "holds"}[blocker]
    assert response.status_code == 409
    assert response.json()["code"] == "invalid-operation"
    assert response.json()["details"] == [f"Other data still refers to it: {expected_names}."]
    assert "testapp_" not in response.content.decode()
    assert "X-Error-Phrase" not in response
    assert Label.objects.filter(pk=label.pk).exists()


def test_a_forced_update_that_changed_no_row_is_a_conflict_where_django_says_so(api, db):
    from django.core import exceptions as django_exceptions

    response = api.post(f"{PREFIX}/gone-note/")

    # Django 6.0 raises Model.NotUpdated (an ObjectNotUpdated); before, a bare DatabaseError.
    if hasattr(django_exceptions, "ObjectNotUpdated"):
        assert (response.status_code, response.json()["code"]) == (409, "concurrency-violation")
    else:
        assert (response.status_code, response.json()["code"]) == (500, "database-commit")


# One duplicate, one answer: 409 duplication-violation whichever layer refuses it


@pytest.mark.parametrize(
    ("path", "sent", "properties"),
    [
        ("labels", {"name": "red", "owner": "b", "colour": "2"}, ["name"]),  # the database
        ("label-serializer", {"name": "red", "owner": "b", "colour": "2"}, ["name"]),  # UniqueValidator
        ("label-clean", {"name": "red", "owner": "b", "colour": "2"}, ["name"]),  # Django's full_clean
        ("labels", {"name": "blue", "owner": "a", "colour": "1"}, ["owner", "colour"]),
        (
            "label-serializer",
            {"name": "blue", "owner": "a", "colour": "1"},
            [None],
        ),  # UniqueTogetherValidator
        ("label-clean", {"name": "blue", "owner": "a", "colour": "1"}, [None]),
    ],
)
def test_a_duplicate_is_a_409_whichever_layer_refuses_it(api, db, path, sent, properties):
    Label.objects.create(name="red", owner="a", colour="1")

    response = api.post(f"{PREFIX}/{path}/", sent, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplication-violation"
    assert [error["property"] for error in body["validationErrors"]] == properties
    assert {error["code"] for error in body["validationErrors"]} <= {"unique", "unique_together"}


def test_a_duplicate_beside_another_field_error_is_the_usual_400(api, db):
    Label.objects.create(name="red")

    response = api.post(f"{PREFIX}/label-serializer/", {"name": "red", "owner": "o" * 30}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation-failed"
    assert {(e["property"], e["code"]) for e in body["validationErrors"]} == {
        ("name", "unique"),
        ("owner", "max_length"),
    }


# DRF's stock texts stay out of details, also once DRF formats them with a method, type or wait


@pytest.mark.parametrize(("name", "status"), [("method", 405), ("media-type", 415), ("throttled", 429)])
def test_a_formatted_stock_message_is_left_out_of_details(api, db, name, status):
    response = api.get(f"{PREFIX}/formatted-stock/{name}/")

    assert response.status_code == status
    assert response.json()["details"] == []


@pytest.mark.parametrize(("name", "status"), [("method", 405), ("media-type", 415), ("throttled", 429)])
def test_a_message_the_view_passes_is_kept(api, db, name, status):
    response = api.get(f"{PREFIX}/formatted-stock/{name}/", {"message": "Closed on Sundays."})

    assert response.status_code == status
    assert response.json()["details"] == ["Closed on Sundays."]


def test_a_stock_throttle_still_says_the_wait_in_retry_after(api, db):
    response = api.get(f"{PREFIX}/formatted-stock/throttled/")

    assert (response.status_code, response["Retry-After"], response.json()["details"]) == (429, "3", [])


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_oversized_body_on_a_method_without_one_is_refused_as_the_schema_documents(
    api, db, settings, method
):
    settings.API_ERRORS = {"MAX_REQUEST_BODY_SIZE": 10}

    response = api.generic(method, f"{PREFIX}/shared-error/", b"x" * 11, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (413, "request-body-too-large")
