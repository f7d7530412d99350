"""Django's handler views and CSRF failure view: the API's shape under the API prefixes, HTML elsewhere."""

import logging

import pytest
from django.test import Client, RequestFactory, override_settings

from django_api_errors.django_views import CSRF_FAILED, wants_api_error
from tests.settings import MIDDLEWARE

pytestmark = pytest.mark.django_db

WITH_EXPLODING_MIDDLEWARE = [*MIDDLEWARE, "tests.plainapp.views.Explode"]


@pytest.fixture
def quiet_client() -> Client:
    """A client that returns 500 responses instead of re-raising the server's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def csrf_client() -> Client:
    """A client that gets CSRF checks like a browser, with a CSRF cookie but no token in the request."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "x" * 32
    return client


def test_unknown_url_under_the_api_prefix_is_a_not_found_body(client):
    response = client.get("/api/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not-found",
        "description": "The requested resource does not exist.",
        "link": "http://testserver/errors/not-found/",
        "details": [],
        "validationErrors": [],
    }


def test_unknown_url_outside_the_api_prefix_is_djangos_html_page(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Not Found" in response.content


def test_unknown_url_outside_the_prefix_answers_json_when_the_client_asks_for_it(client):
    response = client.get("/nothing-here/", HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


@override_settings(API_ERRORS={"API_PREFIXES": ["/v2/"]})
def test_the_api_prefixes_come_from_the_setting(client):
    assert client.get("/v2/nothing-here/").json()["code"] == "not-found"
    assert client.get("/api/nothing-here/")["Content-Type"].startswith("text/html")


def test_invalid_host_header_under_the_api_prefix_is_a_bad_request_with_a_relative_link(client):
    response = client.get("/api/projects/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad-request",
        "description": "The request is malformed and cannot be processed.",
        "link": "/errors/bad-request/",
        "details": [],
        "validationErrors": [],
    }


def test_invalid_host_header_outside_the_api_prefix_is_djangos_html_page(client):
    response = client.get("/html/form/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("limits", "fields", "status", "code"),
    [
        ({"DATA_UPLOAD_MAX_MEMORY_SIZE": 1000}, {"note": "x" * 2000}, 413, "request-body-too-large"),
        ({"DATA_UPLOAD_MAX_NUMBER_FIELDS": 2}, {"a": "1", "b": "2", "c": "3"}, 400, "bad-request"),
    ],
)
def test_djangos_limits_hit_while_the_csrf_middleware_reads_the_form(
    csrf_client, limits, fields, status, code
):
    # With the middleware's own size check off, CsrfViewMiddleware reads request.POST before any view
    # and Django's RequestDataTooBig / TooManyFieldsSent surface outside a view: Django calls handler400.
    with override_settings(API_ERRORS={"MAX_REQUEST_BODY_SIZE": 0}, **limits):
        response = csrf_client.post("/api/plain/form/", fields)

    assert response.status_code == status
    assert response.json()["code"] == code


def test_csrf_failure_under_the_api_prefix_is_403_saying_how_to_pass(csrf_client):
    response = csrf_client.post("/api/plain/form/", {"note": "hi"})

    assert response.status_code == 403
    assert response.json()["code"] == "unauthorized"
    assert response.json()["details"] == [str(CSRF_FAILED)]


def test_csrf_failure_outside_the_api_prefix_is_djangos_html_page(csrf_client):
    response = csrf_client.post("/html/form/", {"note": "hi"})

    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content


def test_csrf_token_sent_passes(csrf_client):
    response = csrf_client.post("/api/plain/form/", {"note": "hi"}, HTTP_X_CSRFTOKEN="x" * 32)

    assert response.status_code == 200


@override_settings(MIDDLEWARE=WITH_EXPLODING_MIDDLEWARE)
def test_crash_in_a_middleware_is_a_bare_500_and_is_reported(quiet_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        response = quiet_client.get("/api/plain/middleware-crash/")

    assert response.status_code == 500
    assert response.json()["code"] == "server-error"
    assert "plutonium" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django_api_errors"]
    assert record.exc_info[0] is RuntimeError


@override_settings(MIDDLEWARE=WITH_EXPLODING_MIDDLEWARE)
def test_crash_in_a_middleware_outside_the_api_prefix_is_djangos_html_page(quiet_client):
    response = quiet_client.get("/html/middleware-crash/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@override_settings(MIDDLEWARE=WITH_EXPLODING_MIDDLEWARE)
def test_permission_denied_in_a_middleware_is_unauthorized(client):
    response = client.get("/api/plain/middleware-forbidden/")

    assert response.status_code == 403
    assert response.json()["code"] == "unauthorized"
    assert "secret" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("/api/projects/", "", True),
        ("/api/projects/", "text/html", True),
        ("/shop/", "", False),
        ("/shop/", "*/*", False),
        ("/shop/", "application/json", True),
        ("/shop/", "application/problem+json", True),
        ("/shop/", "application/json, text/plain, */*", True),
        ("/shop/", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("/apiary/", "", False),
    ],
)
def test_which_requests_get_api_errors(path, accept, expected):
    request = RequestFactory().get(path, HTTP_ACCEPT=accept) if accept else RequestFactory().get(path)

    assert wants_api_error(request) is expected
