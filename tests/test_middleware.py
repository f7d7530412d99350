"""The middleware: plain Django views under the API prefixes fail in the API's shape; bodies are capped."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from tests.testapp.models import Note

pytestmark = pytest.mark.django_db

THREE_MB = 3 * 1024 * 1024
TWO_AND_A_HALF_MB = 2_621_440  # Django's default DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.fixture
def quiet_client() -> Client:
    """A client that returns 500 responses instead of re-raising the server's exception."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("http404", 404, "not-found"),
        ("permission", 403, "unauthorized"),
        ("suspicious", 400, "bad-request"),
        ("validation", 400, "validation-failed"),
        ("api-error", 400, "entity-archived"),
        ("maintenance", 503, "service-unavailable"),
        ("unhandled", 500, "server-error"),
    ],
)
def test_plain_view_errors_under_the_api_prefix_answer_in_the_style(quiet_client, name, status, code):
    response = quiet_client.get(f"/api/plain/raise/{name}/")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code
    assert "secret" not in response.content.decode().lower()


@pytest.mark.parametrize(
    ("name", "status"),
    [("http404", 404), ("permission", 403), ("suspicious", 400), ("unhandled", 500)],
)
def test_plain_view_errors_outside_the_api_prefix_are_djangos_html_pages(quiet_client, name, status):
    response = quiet_client.get(f"/html/raise/{name}/")

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")


def test_plain_view_errors_outside_the_prefix_answer_json_when_asked(quiet_client):
    response = quiet_client.get("/html/raise/http404/", HTTP_ACCEPT="application/json")

    assert response.json()["code"] == "not-found"


def test_a_server_error_in_a_plain_view_is_reported(quiet_client, caplog):
    with caplog.at_level(logging.ERROR, logger="django_api_errors"):
        quiet_client.get("/api/plain/raise/unhandled/")

    [record] = [r for r in caplog.records if r.name == "django_api_errors"]
    assert record.error_code == "server-error"
    assert record.exc_info[0] is KeyError


def test_a_wait_in_a_plain_view_sets_retry_after(client):
    response = client.get("/api/plain/raise/maintenance/")

    assert response["Retry-After"] == "120"
    assert response.json()["details"] == ["Try again in 120 seconds."]


@pytest.mark.django_db(transaction=True)
def test_a_plain_views_writes_are_rolled_back_when_it_fails(client):
    # The middleware answers after the view's atomic block was left by the exception: nothing is kept.
    response = client.post("/api/plain/write-then-fail/")

    assert response.status_code == 400
    assert response.json()["validationErrors"][0]["property"] == "text"
    assert Note.objects.count() == 0


@override_settings(DEBUG=True)
def test_plain_view_errors_stay_json_under_debug(quiet_client):
    response = quiet_client.get("/api/plain/raise/http404/")

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


@pytest.mark.parametrize("path", ["/api/plain/echo/", "/api/projects/"])
def test_a_3_mb_body_against_the_2_5_mb_limit_is_413(client, path):
    response = client.post(path, b"x" * THREE_MB, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["code"] == "request-body-too-large"
    assert response.json()["details"] == [
        f"The body has {THREE_MB} bytes; this API accepts at most {TWO_AND_A_HALF_MB}."
    ]


def test_a_multipart_upload_over_the_limit_is_413(client):
    # Django leaves uploaded files out of DATA_UPLOAD_MAX_MEMORY_SIZE; the middleware counts them.
    photo = SimpleUploadedFile("photo.jpg", b"x" * THREE_MB, content_type="image/jpeg")

    response = client.post("/api/plain/form/", {"photo": photo})

    assert response.status_code == 413
    assert response.json()["code"] == "request-body-too-large"


@override_settings(API_ERRORS={"MAX_REQUEST_BODY_SIZE": 0})
def test_without_the_middleware_check_django_lets_the_same_upload_through(client):
    photo = SimpleUploadedFile("photo.jpg", b"x" * THREE_MB, content_type="image/jpeg")

    assert client.post("/api/plain/form/", {"photo": photo}).status_code == 200


@override_settings(API_ERRORS={"MAX_REQUEST_BODY_SIZE": 0}, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_djangos_own_limit_raised_in_a_plain_view_is_413(client):
    response = client.post("/api/plain/echo/", b"x" * 2000, content_type="text/plain")

    assert response.status_code == 413
    assert response.json()["code"] == "request-body-too-large"


@override_settings(API_ERRORS={"MAX_REQUEST_BODY_SIZE": 10})
def test_the_body_limit_comes_from_the_setting(client):
    assert client.post("/api/plain/echo/", b"x" * 10, content_type="text/plain").json() == {"size": 10}
    assert client.post("/api/plain/echo/", b"x" * 11, content_type="text/plain").status_code == 413


def test_bodies_outside_the_api_prefix_are_left_to_django(client):
    photo = SimpleUploadedFile("photo.jpg", b"x" * THREE_MB, content_type="image/jpeg")

    assert client.post("/html/form/", {"photo": photo}).status_code == 200
