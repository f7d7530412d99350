"""One table of failures, rendered in every style and every property casing, through the test client."""

import json
import os
from pathlib import Path

import jsonschema
import pytest
from django.test import override_settings

from django_api_errors.codes import ErrorCode
from django_api_errors.styles.awork import FACTS
from django_api_errors.styles.problem import json_pointer
from tests.tables import STYLES

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
LINK = "http://testserver/errors/{}/"

# name: (method, url, status, code, details, field errors as (path per casing, message, code))
FAILURES = {
    "validation": (
        "get",
        "/raise/nested-validation/",
        400,
        "validation-failed",
        [],
        [
            (
                {"as-is": "street_name", "camel": "streetName", "pascal": "StreetName"},
                ("street_name",),
                "Too long.",
                "max_length",
            ),
            (
                {
                    "as-is": "line_items[1].unit_price",
                    "camel": "lineItems[1].unitPrice",
                    "pascal": "LineItems[1].UnitPrice",
                },
                ("line_items", 1, "unit_price"),
                "Must be positive.",
                "min_value",
            ),
            ({"as-is": None, "camel": None, "pascal": None}, (), "Order is closed.", "closed"),
        ],
    ),
    "401": ("get", "/basic-protected/", 401, "not-authenticated", [], []),
    "403": ("get", "/raise/drf-permission/", 403, "unauthorized", [], []),
    "404": ("get", "/raise/drf-not-found/", 404, "not-found", [], []),
    "405": ("delete", "/get-only/", 405, "method-not-allowed", [], []),
    "429": ("get", "/raise/drf-throttled/", 429, "too-many-requests", [], []),
    "api-error": ("get", "/raise/api-error/", 400, "entity-archived", ["Project 7 was archived."], []),
    "500": ("get", "/raise/unhandled/", 500, "server-error", [], []),
}
CASES = ["as-is", "camel", "pascal"]

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
        "code": {"type": "string"},
        "phrase": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "detail"],
                "properties": {"pointer": {"type": "string", "pattern": "^#(/[^/]*)*$"}},
            },
        },
    },
}


def expected_body(style, case, url, status, code, details, field_errors):
    description = str(ErrorCode(code).description)
    link = LINK.format(code)
    props = [(cased[case], path, message, err_code) for cased, path, message, err_code in field_errors]
    if style == "awork":
        return {
            "code": code,
            "description": description,
            "link": link,
            "details": details,
            "validationErrors": [{"property": p, "message": m, "code": c} for p, _, m, c in props],
        }
    if style == "asana":
        messages = [f"{p}: {m}" if p else m for p, _, m, _ in props] or [description, *details]
        return {"errors": [{"message": message, "help": link} for message in messages]}
    body = {
        "type": f"/errors/{code}/",
        "title": description,
        "status": status,
        "detail": " ".join(details) or description,
        "instance": url,
        "code": code,
    }
    if props:
        body["errors"] = [
            {"pointer": "#" + "".join(f"/{s}" for s in p.replace("[", ".").replace("]", "").split("."))
             if p else "#", "detail": m, "code": c}
            for p, _, m, c in props
        ]  # fmt: skip
    return body


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("failure", FAILURES)
def test_every_failure_in_every_style_and_casing(api, failure, style, case):
    method, url, status, code, details, field_errors = FAILURES[failure]
    with override_settings(API_ERRORS={"STYLE": style, "PROPERTY_CASE": case}):
        response = getattr(api, method)(url)

    assert response.status_code == status
    body = response.json()
    phrase = body.pop("phrase", None) if style != "asana" else None
    if style == "asana" and status >= 500:
        phrase = body["errors"][0].get("phrase")
        for entry in body["errors"]:
            entry.pop("phrase", None)
    assert body == expected_body(style, case, url, status, code, details, field_errors)
    assert (phrase is not None) == (status >= 500)
    if phrase is not None:
        assert phrase == response["X-Error-Phrase"]


@pytest.mark.parametrize("failure", FAILURES)
def test_problem_bodies_validate_against_rfc_9457_members(api, failure):
    method, url, *_ = FAILURES[failure]
    with override_settings(API_ERRORS={"STYLE": "problem"}):
        response = getattr(api, method)(url)

    assert response["Content-Type"] == "application/problem+json"
    jsonschema.validate(response.json(), PROBLEM_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_problem_style_is_negotiated_by_accept_when_enabled(api):
    with override_settings(API_ERRORS={"NEGOTIATE": True}):
        asked = api.get("/problem-capable/", HTTP_ACCEPT="application/problem+json")
        plain = api.get("/problem-capable/", HTTP_ACCEPT="application/json")

    assert asked["Content-Type"] == "application/problem+json"
    assert asked.json()["type"] == "/errors/not-found/"
    assert plain.json()["code"] == "not-found"
    assert "type" not in plain.json()


@pytest.mark.parametrize("code", ["not-found", "validation-failed"])
def test_the_problem_type_does_not_change_with_the_host(api, code):
    url = "/raise/drf-not-found/" if code == "not-found" else "/raise/nested-validation/"
    with override_settings(API_ERRORS={"STYLE": "problem"}):
        types = {host: api.get(url, HTTP_HOST=host).json()["type"] for host in ("testserver", "localhost")}

    assert types == {"testserver": f"/errors/{code}/", "localhost": f"/errors/{code}/"}


def test_accept_is_ignored_when_negotiation_is_off(api):
    response = api.get("/problem-capable/", HTTP_ACCEPT="application/problem+json")

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


def test_without_negotiation_a_client_asking_only_for_problem_json_gets_drfs_406(api):
    response = api.get("/raise/drf-not-found/", HTTP_ACCEPT="application/problem+json")

    assert response.status_code == 406
    assert response.json()["code"] == "not-acceptable"


def test_german_is_served_to_a_client_that_asks_for_it(api):
    response = api.get("/raise/drf-not-found/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.json()["description"] == "Die angeforderte Ressource existiert nicht."
    assert response["Content-Language"] == "de"


def test_every_built_in_text_has_a_german_translation():
    from django.utils import translation

    texts = [code.description for code in ErrorCode] + list(FACTS)
    with translation.override("de"):
        german = [str(text) for text in texts]
    with translation.override("en"):
        english = [str(text) for text in texts]
    untranslated = [e for e, g in zip(english, german, strict=True) if e == g]
    assert untranslated == []


def test_space_facts_are_off_by_default_and_true_facts_when_on(api):
    assert "space" not in api.get("/raise/drf-not-found/").json()

    with override_settings(API_ERRORS={"SPACE_FACTS": True}):
        facts = {api.get("/raise/drf-not-found/").json()["space"] for _ in range(40)}

    assert facts <= {str(fact) for fact in FACTS}
    assert len(facts) > 1
    assert len(FACTS) >= 50


def test_a_projects_own_style_is_used_by_dotted_path(api):
    with override_settings(API_ERRORS={"STYLE": "tests.testapp.custom_style"}):
        response = api.get("/raise/drf-not-found/")

    assert response.json() == {"oops": "not-found", "status": 404}
    assert response["Content-Type"] == "application/vnd.custom+json"


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ((), "#"),
        (("items", 1, "name"), "#/items/1/name"),
        (("a/b", "c~d"), "#/a~1b/c~0d"),
        (("with space",), "#/with%20space"),
    ],
)
def test_json_pointers_escape_per_rfc_6901(path, pointer):
    assert json_pointer(path) == pointer


@pytest.mark.parametrize("style", STYLES)
def test_example_body_matches_its_golden_file(api, style):
    """The docs' example bodies; rewrite as docs/styles.md says."""
    with override_settings(API_ERRORS={"STYLE": style, "PROPERTY_CASE": "camel"}):
        body = api.get("/raise/nested-validation/").json()
    golden = GOLDEN / f"{style}.json"
    if os.environ.get("API_ERRORS_REWRITE_GOLDEN"):
        golden.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    assert body == json.loads(golden.read_text())
