"""The example project's API answers every failure in the awork shape."""

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shop.models import Product, Project
from shop.throttling import PurchaseRateThrottle

pytestmark = [pytest.mark.django_db, pytest.mark.urls("example.urls")]


@pytest.fixture(autouse=True)
def _error_contract(error_contract):
    """Every error the example answers here is one its schema documents (docs/testing.md), on the
    example's URLconf."""


def test_nested_list_and_dict_field_errors_are_flattened(user_api):
    response = user_api.post(
        "/api/projects/",
        {
            "name": "",
            "address": {"street": "x" * 200},
            "tags": ["ok", "t" * 30],
            "milestones": [{"title": "Kick-off", "due": "2026-01-01"}, {"due": "soon"}],
            "limits": {"seats": -1},
        },
    )

    assert response.status_code == 400
    assert response.json()["code"] == "validation-failed"
    assert [(e["property"], e["code"]) for e in response.json()["validationErrors"]] == [
        ("name", "blank"),
        ("tags[1]", "max_length"),
        ("address.street", "max_length"),
        ("address.city", "required"),
        ("milestones[1].title", "required"),
        ("milestones[1].due", "invalid"),
        ("limits.seats", "min_value"),
    ]


def test_object_level_errors_have_a_null_property(user_api):
    response = user_api.post(
        "/api/projects/", {"name": "Paid", "address": {"street": "a", "city": "b"}, "tags": ["paid"]}
    )

    assert response.status_code == 400
    assert response.json()["validationErrors"] == [
        {"property": None, "message": "A paid project needs a budget.", "code": "budget"}
    ]


def test_malformed_json_is_an_invalid_model(user_api):
    response = user_api.post("/api/projects/", "{nope", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid-model"
    assert response.json()["details"][0].startswith("JSON parse error")


def test_writing_anonymously_gives_401_with_the_token_challenge(api):
    response = api.post("/api/projects/", {})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not-authenticated"


def test_unknown_project_is_not_found(api):
    response = api.get("/api/projects/999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


def test_archiving_twice_raises_the_catalogue_code(user_api):
    project = Project.objects.create(name="Old", archived=True)

    response = user_api.post(f"/api/projects/{project.pk}/archive/")

    assert response.status_code == 400
    assert response.json()["code"] == "entity-archived"
    assert response.json()["details"] == [f"Project {project.pk} is archived already."]


def test_the_shops_own_code_answers_with_its_status(user_api):
    product = Product.objects.create(name="Star map", stock=0)

    response = user_api.post(f"/api/products/{product.pk}/buy/")

    assert response.status_code == 409
    assert response.json()["code"] == "out-of-stock"
    assert response.json()["link"] == "http://testserver/errors/out-of-stock/"


def test_the_quote_is_throttled_on_the_fourth_request(api):
    statuses = [api.get("/api/quote/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_model_full_clean_errors_are_a_validation_failure(api):
    response = api.post("/api/check-project/", {"name": ""})

    assert response.status_code == 400
    assert response.json()["validationErrors"] == [
        {"property": "name", "message": "This field cannot be blank.", "code": "blank"}
    ]


def test_an_unhandled_error_is_a_bare_500(api):
    response = api.get("/api/boom/")

    assert response.status_code == 500
    assert response.json()["code"] == "server-error"
    assert "plutonium" not in response.content.decode()


def test_seed_command_is_idempotent_and_prints_the_login(capsys):
    call_command("seed_example")
    call_command("seed_example")

    assert "user: admin  password: admin" in capsys.readouterr().out
    assert get_user_model().objects.filter(username="admin", is_superuser=True).count() == 1


def test_purchases_hit_the_shops_own_throttle_on_the_third_try(user_api):
    product = Product.objects.create(name="Telescope", stock=10)

    statuses = [user_api.post(f"/api/products/{product.pk}/buy/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_health_is_503_with_retry_after_during_maintenance(api, settings):
    settings.SHOP_MAINTENANCE_RETRY_AFTER = 600

    response = api.get("/api/health/")

    assert (response.status_code, response["Retry-After"]) == (503, "600")
    assert response.json()["details"] == ["The shop is being upgraded.", "Try again in 600 seconds."]


def test_a_photo_within_the_limit_is_accepted(user_api):
    product = Product.objects.create(name="Telescope", stock=1)
    photo = SimpleUploadedFile("scope.jpg", b"x" * 1000, content_type="image/jpeg")

    response = user_api.post(f"/api/products/{product.pk}/photo/", {"photo": photo}, format="multipart")

    assert response.json() == {"name": "scope.jpg", "size": 1000}


# docs/http.md shows real requests and responses of the example project. Each block between
# <!-- example: NAME --> and <!-- /example --> is generated below; after a deliberate change, rewrite
# them with:  API_ERRORS_REWRITE_DOCS=1 .venv/bin/python -m pytest tests/test_example_project.py -k docs

DOCS_HTTP = Path(__file__).resolve().parent.parent / "docs" / "http.md"
EXAMPLE_BLOCK = re.compile(r"(<!-- example: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /example -->)", re.S)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SHOWN_HEADERS = ("Location", "Retry-After", "Content-Type")
TOKEN = "Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
JSON = "Content-Type: application/json"
# RFC 9110's reason phrases; Python's own differ between versions (413 was "Request Entity Too Large").
REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    413: "Content Too Large",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


def shown_request(method, path, *headers, body=None):
    lines = [f"{method} {path} HTTP/1.1", *headers]
    if body is not None:
        lines += ["", body if isinstance(body, str) else json.dumps(body, indent=2)]
    return "\n".join(lines)


def shown_response(response):
    lines = [f"HTTP/1.1 {response.status_code} {REASONS[response.status_code]}"]
    lines += [f"{name}: {response[name]}" for name in SHOWN_HEADERS if response.has_header(name)]
    if response.get("Content-Type", "").startswith("text/html"):
        lines += ["", "<!DOCTYPE html> ... Django's own HTML page ..."]
    elif response.content:
        body = response.json()
        if "phrase" in body:
            # A phrase is drawn anew for every incident; the docs show a fixed one in its place.
            assert PHRASE.fullmatch(body["phrase"])
            body["phrase"] = DOCS_PHRASE
        lines += ["", json.dumps(body, indent=2)]
    return "\n".join(lines)


PHRASE = re.compile(r"\d+( [a-z]+){4}")
DOCS_PHRASE = "6 sad squid snuggle softly"


def http_examples(api, token_api, csrf_client):
    """(name, shown request, response) for every example of docs/http.md."""
    project = Project.objects.create(name="Moon base")
    product = Product.objects.create(name="Telescope", stock=5)
    new_project = {"name": "Rover", "address": {"street": "1 Crater Road", "city": "Tranquility"}}
    big_photo = SimpleUploadedFile("scope.jpg", b"x" * 3 * 1024 * 1024, content_type="image/jpeg")

    yield (
        "created",
        shown_request("POST", "/api/projects/", TOKEN, JSON, body=new_project),
        token_api.post("/api/projects/", new_project),
    )
    yield (
        "accepted",
        shown_request("POST", "/api/projects/export/", TOKEN),
        token_api.post("/api/projects/export/"),
    )
    yield (
        "no-content",
        shown_request("POST", f"/api/projects/{project.pk}/archive/", TOKEN),
        token_api.post(f"/api/projects/{project.pk}/archive/"),
    )
    yield (
        "delete",
        shown_request("DELETE", f"/api/projects/{project.pk}/", TOKEN),
        token_api.delete(f"/api/projects/{project.pk}/"),
    )
    Product.objects.bulk_create(Product(name=f"Lens {i}") for i in range(60))
    yield ("truncated", shown_request("GET", "/api/products/?page=6"), api.get("/api/products/?page=6"))
    token_api.post(f"/api/products/{product.pk}/buy/")
    token_api.post(f"/api/products/{product.pk}/buy/")
    yield (
        "throttled",
        shown_request("POST", f"/api/products/{product.pk}/buy/", TOKEN),
        token_api.post(f"/api/products/{product.pk}/buy/"),
    )
    with override_settings(SHOP_MAINTENANCE_RETRY_AFTER=600):
        yield ("maintenance", shown_request("GET", "/api/health/"), api.get("/api/health/"))
    yield ("unknown-url", shown_request("GET", "/api/nothing-here/"), api.get("/api/nothing-here/"))
    yield (
        "unknown-url-json",
        shown_request("GET", "/nothing-here/", "Accept: application/json"),
        api.get("/nothing-here/", HTTP_ACCEPT="application/json"),
    )
    yield ("unknown-url-html", shown_request("GET", "/nothing-here/"), api.get("/nothing-here/"))
    yield (
        "body-too-large",
        shown_request("POST", "/api/projects/", TOKEN, JSON, body="(3145728 bytes of JSON)"),
        token_api.post("/api/projects/", b"x" * 3 * 1024 * 1024, content_type="application/json"),
    )
    yield (
        "upload-too-large",
        shown_request(
            "POST",
            f"/api/products/{product.pk}/photo/",
            TOKEN,
            "Content-Type: multipart/form-data; boundary=...",
            body="(a 3 MB photo)",
        ),
        token_api.post(f"/api/products/{product.pk}/photo/", {"photo": big_photo}, format="multipart"),
    )
    yield (
        "bad-host",
        shown_request("GET", "/api/projects/", "Host: evil.example"),
        api.get("/api/projects/", HTTP_HOST="evil.example"),
    )
    yield (
        "csrf",
        shown_request("POST", "/api/health/", "Cookie: sessionid=..."),
        csrf_client.post("/api/health/"),
    )


def render_docs(examples):
    blocks = {
        name: f"```http\n{request}\n```\n\n```http\n{UUID.sub('<uuid>', shown_response(response))}\n```\n"
        for name, request, response in examples
    }
    page = DOCS_HTTP.read_text()
    names_in_page = [match["name"] for match in EXAMPLE_BLOCK.finditer(page)]
    assert sorted(names_in_page) == sorted(blocks), "docs/http.md must hold one marker per example"
    return EXAMPLE_BLOCK.sub(lambda m: m[1] + blocks[m["name"]] + m[4], page)


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@override_settings(ROOT_URLCONF="example.urls", API_ERRORS={"MAX_RESULT_SET_SIZE": 50})
def test_docs_http_shows_the_current_requests_and_responses(api, monkeypatch):
    # The shop's throttle on a stopped clock: its Retry-After is the whole minute however slow the run.
    monkeypatch.setattr(PurchaseRateThrottle, "timer", lambda self: 1_000_000.0)
    user = get_user_model().objects.create_user("ada", password="pw")
    token_api = APIClient(raise_request_exception=False)
    token_api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    csrf_client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
    csrf_client.force_login(user)

    expected = render_docs(http_examples(api, token_api, csrf_client))

    if os.environ.get("API_ERRORS_REWRITE_DOCS"):
        DOCS_HTTP.write_text(expected)
    assert DOCS_HTTP.read_text() == expected
