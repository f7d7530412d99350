"""The exception handler, through Django's test client: one status and one body per failure."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from rest_framework.test import APIRequestFactory

from tests.tables import AWORK_KEYS, STYLES
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db

LINK = "http://testserver/errors/{}/"


def awork_body(code, description, details=(), validation_errors=()):
    return {
        "code": code,
        "description": description,
        "link": LINK.format(code),
        "details": list(details),
        "validationErrors": list(validation_errors),
    }


@pytest.mark.parametrize(
    ("name", "status", "code", "details"),
    [
        ("drf-parse", 400, "invalid-model", []),
        ("drf-permission", 403, "unauthorized", []),
        ("drf-not-found", 404, "not-found", []),
        ("drf-not-found-detail", 404, "not-found", ["Project 7 does not exist."]),
        ("drf-not-acceptable", 406, "not-acceptable", []),
        ("drf-unsupported", 415, "unsupported-media-type", []),
        ("drf-other", 402, "insufficient-subscription-level", []),
        ("drf-own-code", 400, "entity-archived", []),
        ("drf-odd-status", 418, "bad-request", []),
        ("django-404", 404, "not-found", []),
        ("django-permission", 403, "unauthorized", []),
        ("django-too-big", 413, "request-body-too-large", []),
        ("api-error", 400, "entity-archived", ["Project 7 was archived."]),
    ],
)
def test_each_exception_answers_with_its_status_and_code(api, name, status, code, details):
    from django_api_errors.codes import ErrorCode

    response = api.get(f"/raise/{name}/")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == awork_body(code, str(ErrorCode(code).description), details)


def test_drf_validation_error_lists_field_errors(api):
    response = api.get("/raise/drf-validation/")

    assert response.status_code == 400
    assert response.json()["code"] == "validation-failed"
    assert response.json()["validationErrors"] == [
        {"property": "name", "message": "This field is required.", "code": "invalid"}
    ]


def test_django_validation_error_keeps_field_paths_and_non_field_errors(api):
    response = api.get("/raise/django-validation/")

    assert response.status_code == 400
    assert response.json()["validationErrors"] == [
        {"property": "name", "message": "Too short.", "code": "invalid"},
        {"property": None, "message": "Name and city clash.", "code": "invalid"},
    ]


def test_throttled_answers_429_with_retry_after_in_whole_seconds(api):
    response = api.get("/raise/drf-throttled/")

    assert response.status_code == 429
    assert response["Retry-After"] == "3"
    assert response.json()["code"] == "too-many-requests"
    assert response.json()["details"] == []  # Retry-After says it; DRF's stock sentence is left out


def test_a_real_throttle_answers_429_on_the_second_request(api):
    assert api.get("/throttled/").status_code == 200

    response = api.get("/throttled/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "too-many-requests"


def test_not_authenticated_gives_401_with_the_authenticators_challenge(api):
    response = api.get("/basic-protected/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert response.json() == awork_body(
        "not-authenticated",
        "The request carries no valid credentials.",
    )


def test_authentication_failed_gives_401_with_the_challenge(api):
    api.credentials(HTTP_AUTHORIZATION="Basic bm9ib2R5Om5vcGU=")  # nobody:nope

    response = api.get("/basic-protected/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert response.json()["code"] == "not-authenticated"
    assert response.json()["details"] == ["Invalid username/password."]


def test_authentication_without_a_challenge_answers_403_as_drf_does(api):
    response = api.get("/session-protected/")

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response
    assert response.json()["code"] == "not-authenticated"


def test_method_not_allowed_gives_405_and_the_allowed_methods(api):
    response = api.delete("/get-only/")

    assert response.status_code == 405
    assert response.json()["code"] == "method-not-allowed"
    assert response.json()["details"] == []  # DRF's stock sentence is left out; Allow names the methods
    assert "GET" in response["Allow"]


def test_unhandled_exception_is_a_500_that_reveals_nothing(api, caplog, settings):
    for debug in (False, True):
        settings.DEBUG = debug
        with caplog.at_level(logging.ERROR, logger="django_api_errors"):
            response = api.get("/raise/unhandled/")

        assert response.status_code == 500
        body = response.json()
        assert body.pop("phrase") == response["X-Error-Phrase"]
        assert body == awork_body(
            "server-error", "Something went wrong on our side. The failure has been logged."
        )
        assert "hunter2" not in response.content.decode()
        assert "KeyError" not in response.content.decode()
    record = next(r for r in caplog.records if r.name == "django_api_errors")
    assert record.exc_info[0] is KeyError
    assert record.error_code == "server-error"
    assert "/raise/unhandled/" in record.getMessage()


@pytest.mark.django_db(transaction=True)
def test_atomic_requests_commit_nothing_of_a_failed_request(api):
    response = api.post("/write-then-fail/")

    assert response.status_code == 500
    assert not Note.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_handled_client_error_also_rolls_back(api):
    response = api.post("/write-then-reject/")

    assert response.status_code == 400
    assert response.json()["validationErrors"] == [
        {"property": "text", "message": "Rejected.", "code": "invalid"}
    ]
    assert not Note.objects.exists()


@pytest.fixture
def unused_atomic_alias(monkeypatch):
    """A second database alias with ``ATOMIC_REQUESTS`` that no request uses."""
    settings_dict = {**connections.settings["default"], "ATOMIC_REQUESTS": True}
    monkeypatch.setitem(connections.settings, "unused", settings_dict)
    yield "unused"
    if hasattr(connections._connections, "unused"):
        connections["unused"].close()
        delattr(connections._connections, "unused")


def test_an_error_leaves_a_connection_the_request_never_used_uninitialised(unused_atomic_alias):
    # Called directly, as DRF's own test does: Django's request handler opens every ATOMIC_REQUESTS alias.
    from tests.testapp.views import raise_exception

    with transaction.atomic():
        response = raise_exception(APIRequestFactory().get("/raise/drf-not-found/"), name="drf-not-found")
        assert transaction.get_rollback()  # the alias the view used is still marked for rollback

    assert response.status_code == 404
    assert unused_atomic_alias not in {c.alias for c in connections.all(initialized_only=True)}


def test_docs_url_setting_replaces_the_link(api, settings):
    settings.API_ERRORS = {"DOCS_URL": "https://docs.example.com/errors/"}

    response = api.get("/raise/drf-not-found/")

    assert response.json()["link"] == "https://docs.example.com/errors/not-found"


def test_link_resolves_to_a_page_naming_the_code(api):
    link = api.get("/raise/api-error/").json()["link"]

    page = api.get(link, HTTP_ACCEPT="application/json")

    assert page.status_code == 200
    assert page.json()["code"] == "entity-archived"


def test_staff_user_sees_the_same_shape(api):
    user = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    api.force_authenticate(user)

    response = api.get("/raise/drf-not-found/")

    assert set(response.json()) == AWORK_KEYS


@pytest.mark.parametrize(
    "name", ["drf-validation", "drf-not-found", "drf-throttled", "api-error", "django-404"]
)
@pytest.mark.parametrize("style", STYLES)
def test_the_error_path_makes_no_database_query(name, style, django_assert_num_queries, settings):
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from django_api_errors.handler import exception_handler
    from tests.testapp.views import RAISERS

    settings.API_ERRORS = {"STYLE": style}
    request = Request(APIRequestFactory().get("/anything/"))

    with django_assert_num_queries(0):
        response = exception_handler(RAISERS[name](), {"request": request, "view": None})

    assert 400 <= response.status_code < 500


def raised_on_the_way(call):
    """``(file, exception type)`` of every exception raised in a Python frame while ``call`` runs."""
    import sys

    raised = []

    def trace(frame, event, arg):
        if event == "exception":
            raised.append((frame.f_code.co_filename, arg[0].__name__))
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(previous)
    return raised


def not_authenticated():
    from rest_framework import exceptions

    exc = exceptions.NotAuthenticated()
    exc.auth_header = "Token"  # what APIView.handle_exception adds
    return exc


@pytest.mark.parametrize(
    "name", ["drf-validation", "nested-validation", "drf-not-found", "drf-throttled", "not-authenticated"]
)
@pytest.mark.parametrize("language", [True, False])
@pytest.mark.parametrize("style", STYLES)
def test_the_error_path_raises_nothing_in_the_package_or_through_drfs_request(
    name, language, style, settings
):
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from django_api_errors.handler import exception_handler
    from tests.testapp.views import RAISERS

    settings.API_ERRORS = {"STYLE": style}
    django_request = APIRequestFactory().get("/anything/")
    if language:
        django_request.LANGUAGE_CODE = "en"
    request = Request(django_request)
    request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"

    raisers = {**RAISERS, "not-authenticated": not_authenticated}

    def handle():
        return exception_handler(raisers[name](), {"request": request, "view": None})

    handle()  # the first call fills the caches (a code's link is built once per host)
    raised = raised_on_the_way(handle)

    # DRF's Request proxies a missing attribute to Django's by raising AttributeError in request.py.
    ours_or_proxy = [
        (file, exc) for file, exc in raised if "django_api_errors" in file or file.endswith("request.py")
    ]
    assert ours_or_proxy == []
