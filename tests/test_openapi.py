"""The drf-spectacular integration documents the errors each operation can produce."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from drf_spectacular.validation import validate_schema
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from django_api_errors.codes import ErrorCode
from django_api_errors.openapi import (
    ErrorResponses,
    Operation,
    _is_protected,
    document_errors,
    error_codes_for,
)
from tests.tables import STYLES
from tests.testapp.views import RAISERS

GOLDEN_SCHEMA = Path(__file__).resolve().parent / "golden" / "example_openapi_errors.yaml"
EXAMPLE_PROJECT = Path(__file__).resolve().parent.parent / "example_project"
SCHEMA_CLASS = "django_api_errors.openapi.AutoSchema"
WITH_INTEGRATION = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": SCHEMA_CLASS}

# @extend_schema binds the schema class active when the view module is imported, as in a project
# whose settings name the integration from the start.
with override_settings(REST_FRAMEWORK=WITH_INTEGRATION):
    from tests.openapiapp import views as openapi_views


def generate(urlconf: str = "tests.openapiapp.urls", **api_errors: Any) -> dict[str, Any]:
    """The OpenAPI schema of ``urlconf`` with the integration enabled and ``API_ERRORS`` overridden."""
    with override_settings(REST_FRAMEWORK=WITH_INTEGRATION, API_ERRORS=api_errors):
        return SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    # "closed" is the field error code of a validator of the test app's own (RAISERS).
    return generate(FIELD_ERROR_CODES=["closed"])


def body_schema(response: dict[str, Any], media_type: str = "application/json") -> dict[str, Any]:
    """The body schema of an error response: ``(shared component reference, codes of its enum)``."""
    shared, narrowed = response["content"][media_type]["schema"]["allOf"]
    return shared, narrowed["properties"]["code"]["enum"]


def error_statuses(operation: dict[str, Any]) -> set[str]:
    return {status for status in operation["responses"] if int(status) >= 400}


def body_validator(schema: dict[str, Any]) -> OAS30Validator:
    """A validator of ``ErrorResponse`` bodies that resolves the schema's component references."""
    resource = Resource.from_contents(schema, default_specification=DRAFT4)
    refs = Registry().with_resource("urn:schema", resource)
    return OAS30Validator({"$ref": "urn:schema#/components/schemas/ErrorResponse"}, registry=refs)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        # Every operation: 400 bad-request and 413 (the middleware, whatever the method), 406, 500 and
        # 503 (the database). No authenticators or permissions: no 401/403; a body: 415; a list: no 404.
        ("get", "/open-notes/", {"400", "405", "406", "413", "500", "503"}),
        ("post", "/open-notes/", {"400", "405", "406", "413", "415", "500", "503"}),
        # Query filters: a bad value is a 400 even on GET.
        ("get", "/searched-notes/", {"400", "405", "406", "413", "500", "503"}),
        # Pagination: a page past the end is a 404.
        ("get", "/paged-notes/", {"400", "404", "405", "406", "413", "500", "503"}),
        # BasicAuthentication challenges: 401, and IsAuthenticated denies only anonymous clients.
        ("get", "/basic-notes/{id}/", {"400", "401", "404", "405", "406", "413", "500", "503"}),
        # SessionAuthentication has no challenge: DRF answers 403 and never 401.
        ("get", "/session-notes/{id}/", {"400", "403", "404", "405", "406", "413", "500", "503"}),
        ("put", "/session-notes/{id}/", {"400", "403", "404", "405", "406", "413", "415", "500", "503"}),
        # Throttles: 429, except ScopedRateThrottle on a view without a scope.
        ("get", "/throttled-notes/", {"400", "405", "406", "413", "429", "500", "503"}),
        ("get", "/unscoped-notes/", {"400", "405", "406", "413", "500", "503"}),
        # A routed ViewSet: read-only for anonymous clients, CSRF for session writes.
        ("get", "/viewset-notes/", {"400", "401", "405", "406", "413", "500", "503"}),
        ("post", "/viewset-notes/", {"400", "401", "403", "405", "406", "413", "415", "500", "503"}),
        ("get", "/viewset-notes/{id}/", {"400", "401", "404", "405", "406", "413", "500", "503"}),
        (
            "put",
            "/viewset-notes/{id}/",
            {"400", "401", "403", "404", "405", "406", "409", "413", "415", "500", "503"},
        ),
        ("delete", "/viewset-notes/{id}/", {"400", "401", "403", "404", "405", "406", "413", "500", "503"}),
        # A custom action with its own code added and the 500 removed.
        (
            "post",
            "/viewset-notes/{id}/archive/",
            {"400", "401", "403", "404", "405", "406", "413", "415", "503"},
        ),
        # A function view: 451 added, 415 removed, the not-found code (never listed here) ignored.
        # (The default Token and Session authenticators apply: 401, and 403 for the CSRF check.)
        ("post", "/function-notes/", {"400", "401", "403", "405", "406", "413", "451", "500", "503"}),
        # A capped paginator: 400 result-set-truncated past the cap, 404 past the end.
        ("get", "/capped-notes/", {"400", "404", "405", "406", "413", "500", "503"}),
        # A model with a unique field: a write may meet the unique constraint (409).
        ("post", "/labels/", {"400", "405", "406", "409", "413", "415", "500", "503"}),
        # A plain serializer with DRF's UniqueValidator, saved by a view of no model: 409 too.
        ("post", "/unique-names/", {"400", "401", "403", "405", "406", "409", "413", "415", "500", "503"}),
        # The same serializer without a unique validator: no 409.
        ("post", "/free-names/", {"400", "401", "403", "405", "406", "413", "415", "500", "503"}),
        # Other rows protect a label (PROTECT, RESTRICT): its delete may be refused (409); reading it not.
        ("delete", "/labels/{id}/", {"400", "404", "405", "406", "409", "413", "500", "503"}),
        ("get", "/labels/{id}/", {"400", "404", "405", "406", "413", "500", "503"}),
    ],
)
def test_each_view_shape_documents_the_errors_it_can_produce(schema, method, path, expected):
    assert error_statuses(schema["paths"][path][method]) == expected


def test_every_error_response_narrows_the_shared_component_to_the_codes_of_its_examples(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = {"404"} if path == "/declared-notes/{id}/" else set()
            for status in error_statuses(operation) - declared:
                response = operation["responses"][status]
                shared, codes = body_schema(response)
                assert shared == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path, status)
                assert codes == list(response["content"]["application/json"]["examples"]), (method, path)


@pytest.mark.parametrize(
    ("method", "path", "status", "codes"),
    [
        ("post", "/viewset-notes/{id}/archive/", "400",
         ["validation-failed", "invalid-model", "bad-request", "entity-archived"]),
        ("put", "/viewset-notes/{id}/", "409", ["concurrency-violation"]),
        ("get", "/capped-notes/", "400", ["result-set-truncated", "bad-request"]),
        ("get", "/paged-notes/", "400", ["bad-request"]),
        ("post", "/labels/", "409", ["duplication-violation"]),
        ("delete", "/labels/{id}/", "409", ["invalid-operation"]),
        ("get", "/open-notes/", "503", ["service-unavailable"]),
        ("get", "/basic-notes/{id}/", "401", ["not-authenticated"]),
    ],
)  # fmt: skip
def test_each_response_lists_exactly_the_codes_its_operation_answers_with(
    schema, method, path, status, codes
):
    assert body_schema(schema["paths"][path][method]["responses"][status])[1] == codes


@pytest.mark.parametrize(
    ("method", "path", "status", "headers"),
    [
        ("get", "/basic-notes/{id}/", "401", {"WWW-Authenticate": True}),
        ("get", "/open-notes/", "405", {"Allow": True}),
        ("get", "/throttled-notes/", "429", {"Retry-After": False}),
        ("get", "/open-notes/", "500", {"X-Error-Phrase": True}),
        ("get", "/open-notes/", "503", {"Retry-After": False, "X-Error-Phrase": True}),
        ("get", "/open-notes/", "406", None),
    ],
)
def test_each_status_documents_the_headers_it_carries(schema, method, path, status, headers):
    response = schema["paths"][path][method]["responses"][status]

    refs = response.get("headers", {})
    documented = {
        name: schema["components"]["headers"][ref["$ref"].rsplit("/", 1)[1]] for name, ref in refs.items()
    }
    assert {name: header["required"] for name, header in documented.items()} == (headers or {})
    if "Retry-After" in documented:
        assert documented["Retry-After"]["schema"] == {"type": "integer", "minimum": 0}


def test_field_error_codes_are_an_enum_of_drfs_djangos_and_the_projects(schema):
    codes = schema["components"]["schemas"]["FieldErrorCode"]
    item = schema["components"]["schemas"]["ValidationError"]

    assert item["properties"]["code"] == {"$ref": "#/components/schemas/FieldErrorCode"}
    assert {"required", "invalid", "null", "blank", "max_length", "min_value", "does_not_exist"} <= set(
        codes["enum"]
    )
    assert {"unique", "unique_together", "invalid_choice", "incorrect_type", "closed"} <= set(codes["enum"])
    assert "budget" not in codes["enum"]


def test_without_field_error_codes_the_field_code_is_any_string():
    codes = generate(FIELD_ERROR_CODES=None)["components"]["schemas"]["FieldErrorCode"]

    assert codes["type"] == "string"
    assert "enum" not in codes


@pytest.mark.parametrize(
    ("docs_url", "pattern", "link"),
    [
        (None, "/errors/(duplication-violation)/$", "http://testserver/errors/duplication-violation/"),
        ("https://docs.example.com/e/{code}.html", r"^https://docs\.example\.com/e/(duplication-violation)\.html$",
         "https://docs.example.com/e/duplication-violation.html"),
    ],
)  # fmt: skip
def test_asana_errors_name_the_operations_codes_in_the_help_pattern(docs_url, pattern, link):
    schema = generate(STYLE="asana", DOCS_URL=docs_url)

    shared, narrowed = schema["paths"]["/labels/"]["post"]["responses"]["409"]["content"]["application/json"][
        "schema"
    ]["allOf"]
    help_schema = narrowed["properties"]["errors"]["items"]["properties"]["help"]
    assert shared == {"$ref": "#/components/schemas/ErrorResponse"}
    assert help_schema == {"type": "string", "pattern": pattern}
    assert re.search(pattern, link)
    assert not re.search(pattern, link.replace("duplication", "concurrency"))


def test_a_status_the_view_declares_itself_keeps_its_own_response(schema):
    responses = schema["paths"]["/declared-notes/{id}/"]["get"]["responses"]

    assert responses["404"] == {"description": "Gone fishing."}
    assert body_schema(responses["500"]) == (
        {"$ref": "#/components/schemas/ErrorResponse"},
        ["server-error", "database-commit"],
    )


def test_each_response_lists_the_examples_of_its_codes(schema):
    responses = schema["paths"]["/viewset-notes/{id}/archive/"]["post"]["responses"]

    examples = {
        status: list(response["content"]["application/json"].get("examples", {}))
        for status, response in responses.items()
        if int(status) >= 400
    }
    assert examples == {
        "400": ["validation-failed", "invalid-model", "bad-request", "entity-archived"],
        "401": ["not-authenticated"],
        "403": ["unauthorized"],
        "404": ["not-found"],
        "405": ["method-not-allowed"],
        "406": ["not-acceptable"],
        "413": ["request-body-too-large"],
        "415": ["unsupported-media-type"],
        "503": ["service-unavailable"],
    }
    assert responses["400"]["content"]["application/json"]["examples"]["entity-archived"] == {
        "$ref": "#/components/examples/entity-archived"
    }


def test_a_response_is_described_by_its_statuss_own_code_else_by_its_first_code(schema):
    seats = generate(CONVERTERS={"tests.testapp.pipeline_views.ShopDown": "insufficient-seats"})

    def described(schema: dict[str, Any], method: str, path: str, status: str) -> str:
        return schema["paths"][path][method]["responses"][status]["description"]

    assert described(schema, "post", "/viewset-notes/{id}/archive/", "404") == (
        f"{ErrorCode.NOT_FOUND.description} Codes: `not-found`."
    )
    assert described(schema, "get", "/session-notes/{id}/", "403") == (
        f"{ErrorCode.UNAUTHORIZED.description} Codes: `not-authenticated`, `unauthorized`."
    )
    assert described(schema, "get", "/open-notes/", "500") == (
        f"{ErrorCode.SERVER_ERROR.description} Codes: `server-error`, `database-commit`."
    )
    # No built-in 402 code of the operation's: its first code describes it.
    assert described(seats, "get", "/open-notes/", "402") == (
        f"{ErrorCode.INSUFFICIENT_SEATS.description} Codes: `insufficient-seats`."
    )
    # 400 and 409 carry codes of different kinds: the status is described.
    assert described(schema, "post", "/labels/", "409") == (
        "The request conflicts with the current state of the data; the code says how. "
        "Codes: `duplication-violation`."
    )
    assert described(schema, "get", "/open-notes/", "400") == (
        "The request is not valid; the body says which code and, for data, which fields. "
        "Codes: `bad-request`."
    )


def test_the_code_enum_holds_every_catalogue_slug(schema):
    code = schema["components"]["schemas"]["ErrorCode"]

    assert code["type"] == "string"
    # The built-in catalogue in its declaration order, then the test app's own enum.
    assert code["enum"] == [
        "workspaceid-missing", "not-found", "entity-archived", "duplication-violation", "database-commit",
        "concurrency-violation", "date-dependency", "date-out-of-range", "value-out-of-range",
        "invalid-operation", "invalid-model", "validation-failed", "server-error", "already-exist-error",
        "invalid-filter-or-order", "illegal-property-transition", "unauthorized", "invalid-batch-operation",
        "deactivated-user", "request-body-too-large", "insufficient-subscription-level", "insufficient-seats",
        "bad-request", "not-authenticated", "method-not-allowed", "not-acceptable", "unsupported-media-type",
        "too-many-requests", "unavailable-for-legal-reasons", "result-set-truncated", "service-unavailable",
        "out-of-stock",
    ]  # fmt: skip
    assert "- `not-found` (404): The requested resource does not exist." in code["description"]


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)


def test_the_examples_are_rendered_by_the_style_and_match_the_schema(schema):
    validator = body_validator(schema)
    examples = schema["components"]["examples"]

    assert examples["not-found"]["value"] == {
        "code": "not-found",
        "description": "The requested resource does not exist.",
        "link": "/errors/not-found/",
        "details": [],
        "validationErrors": [],
    }
    assert examples["validation-failed"]["value"]["validationErrors"] == [
        {"property": "name", "message": "This field is required.", "code": "required"}
    ]
    for name, example in examples.items():
        assert list(validator.iter_errors(example["value"])) == [], name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RAISERS))
def test_real_awork_bodies_validate_against_the_schema(api, schema, name):
    response = api.post(f"/raise/{name}/", {})

    assert response.status_code >= 400
    assert list(body_validator(schema).iter_errors(response.json())) == []


@pytest.mark.django_db
def test_a_drifting_body_fails_the_schema(api, schema):
    body = api.post("/raise/drf-validation/", {}).json()
    body["validationErrors"][0]["field"] = body["validationErrors"][0].pop("property")

    assert list(body_validator(schema).iter_errors(body)) != []


@pytest.mark.parametrize(
    ("style", "media_type", "required", "item_required"),
    [
        ("awork", "application/json", ["code", "description", "link", "details", "validationErrors"], None),
        ("asana", "application/json", ["errors"], ["message"]),
        (
            "problem",
            "application/problem+json",
            ["type", "title", "status", "detail", "code"],
            None,
        ),
    ],
)
def test_the_body_schema_follows_the_configured_style(style, media_type, required, item_required):
    schema = generate(STYLE=style)

    response = schema["paths"]["/open-notes/"]["post"]["responses"]["400"]
    assert list(response["content"]) == [media_type]
    assert schema["components"]["schemas"]["ErrorResponse"]["required"] == required
    if item_required is not None:
        assert schema["components"]["schemas"]["ValidationError"]["required"] == item_required
    validate_schema(schema)


def test_problem_field_errors_carry_a_json_pointer():
    item = generate(STYLE="problem")["components"]["schemas"]["ValidationError"]

    assert item["required"] == ["pointer", "detail", "code"]
    assert item["properties"]["pointer"]["pattern"] == "^#(/.*)?$"


def test_a_project_style_documents_its_own_schema_and_media_type():
    schema = generate(STYLE="tests.openapiapp.styles")

    content = schema["paths"]["/open-notes/"]["post"]["responses"]["400"]["content"]
    assert list(content) == ["application/vnd.shop.error+json"]
    assert schema["components"]["schemas"]["ErrorResponse"]["required"] == ["oops"]
    assert schema["components"]["examples"]["validation-failed"]["value"] == {"oops": "validation-failed"}
    validate_schema(schema)


def test_a_project_style_without_a_schema_is_any_object():
    schema = generate(STYLE="tests.openapiapp.bare_style")

    assert schema["components"]["schemas"]["ErrorResponse"] == {
        "type": "object",
        "additionalProperties": True,
    }
    assert schema["components"]["examples"]["not-found"]["value"] == {"failure": "not-found"}


def test_nullable_fields_use_the_type_list_under_openapi_3_1():
    with patched_settings({"OAS_VERSION": "3.1.0"}):
        schema = generate()

    assert schema["components"]["schemas"]["ErrorResponse"]["properties"]["link"] == {
        "type": ["string", "null"]
    }


def test_without_the_integration_no_error_is_documented():
    rest_framework = {**settings.REST_FRAMEWORK, "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
    with override_settings(REST_FRAMEWORK=rest_framework):
        schema = SchemaGenerator(urlconf="tests.openapiapp.urls").get_schema(request=None, public=True)

    assert error_statuses(schema["paths"]["/open-notes/"]["post"]) == set()
    assert error_statuses(schema["paths"]["/viewset-notes/{id}/archive/"]["post"]) == set()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            ErrorResponses(add=("out-of-stock",)),
            {400: ["validation-failed"], 409: ["out-of-stock"], 500: ["server-error"]},
        ),
        (
            ErrorResponses(add=(429,)),
            {400: ["validation-failed"], 429: ["too-many-requests"], 500: ["server-error"]},
        ),
        (ErrorResponses(remove=(400,)), {500: ["server-error"]}),
        (ErrorResponses(remove=("validation-failed",)), {500: ["server-error"]}),
        (ErrorResponses(add=("validation-failed",)), {400: ["validation-failed"], 500: ["server-error"]}),
    ],
)
def test_overrides_add_and_remove_codes_and_statuses(overrides, expected):
    found = {400: [ErrorCode.VALIDATION_FAILED], 500: [ErrorCode.SERVER_ERROR]}

    applied = overrides.apply(found)

    assert {status: [code.value for code in codes] for status, codes in applied.items()} == expected


def test_an_unknown_slug_in_an_override_is_refused():
    with pytest.raises(LookupError, match="no-such-code"):
        ErrorResponses(add=("no-such-code",)).apply({})


def test_document_errors_marks_the_class_behind_an_api_view():
    assert openapi_views.create_note.cls.api_error_responses == ErrorResponses(
        add=(451,), remove=("not-found", 415)
    )


def test_document_errors_returns_the_view_it_marks():
    class View:
        pass

    assert document_errors(add=[451], only=["get"])(View) is View
    assert View.api_error_responses == ErrorResponses(add=(451,), only=("get",))


def error_part(schema: dict[str, Any]) -> dict[str, Any]:
    """What this integration adds to a schema: error responses, shared components, headers, examples.

    The rest (serializers, parameters) is drf-spectacular's and varies with the Django version.
    """
    shared = {"ErrorCode", "ErrorResponse", "ValidationError", "FieldErrorCode"}
    return {
        "paths": {
            f"{method.upper()} {path}": {
                status: response for status, response in operation["responses"].items() if int(status) >= 400
            }
            for path, operations in schema["paths"].items()
            for method, operation in operations.items()
        },
        "schemas": {name: body for name, body in schema["components"]["schemas"].items() if name in shared},
        "headers": schema["components"].get("headers", {}),
        "examples": schema["components"].get("examples", {}),
    }


def test_the_example_projects_error_documentation_matches_its_golden_file():
    """Rewrite the golden file with ``API_ERRORS_REWRITE_GOLDEN=1 pytest tests/test_openapi.py -k golden``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example.settings", "API_ERRORS_STYLE": "awork"}
    served = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--format", "openapi-json"],
        cwd=EXAMPLE_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    generated = yaml.safe_dump(error_part(json.loads(served)), sort_keys=False, allow_unicode=True, width=110)
    if os.environ.get("API_ERRORS_REWRITE_GOLDEN") == "1":
        GOLDEN_SCHEMA.parent.mkdir(exist_ok=True)
        GOLDEN_SCHEMA.write_text(generated)

    assert generated == GOLDEN_SCHEMA.read_text()


def component_validator(schema: dict[str, Any], component: str) -> OAS30Validator:
    resource = Resource.from_contents(schema, default_specification=DRAFT4)
    refs = Registry().with_resource("urn:schema", resource)
    return OAS30Validator({"$ref": f"urn:schema#/components/schemas/{component}"}, registry=refs)


@pytest.mark.parametrize("style", STYLES)
def test_every_styles_examples_validate_against_its_own_schema(style):
    schema = generate(STYLE=style)
    validator = body_validator(schema)

    examples = schema["components"]["examples"]
    assert examples
    for name, example in examples.items():
        assert list(validator.iter_errors(example["value"])) == [], name


@pytest.mark.parametrize(
    ("style", "phrase_of"),
    [
        ("awork", lambda body: body["phrase"]),
        ("asana", lambda body: body["errors"][0]["phrase"]),
        ("problem", lambda body: body["phrase"]),
    ],
)
def test_server_error_examples_carry_a_phrase(style, phrase_of):
    examples = generate(STYLE=style)["components"]["examples"]

    assert phrase_of(examples["server-error"]["value"])
    assert phrase_of(examples["database-commit"]["value"])


def test_with_negotiation_error_responses_list_both_media_types():
    schema = generate(NEGOTIATE=True)
    response = schema["paths"]["/open-notes/"]["post"]["responses"]["400"]

    assert set(response["content"]) == {"application/json", "application/problem+json"}
    problem = response["content"]["application/problem+json"]
    assert body_schema(response, "application/problem+json") == (
        {"$ref": "#/components/schemas/ProblemDetails"},
        ["validation-failed", "invalid-model", "bad-request"],
    )
    validator = component_validator(schema, "ProblemDetails")
    for ref in problem["examples"].values():
        name = ref["$ref"].rsplit("/", 1)[-1]
        body = schema["components"]["examples"][name]["value"]
        assert body["status"] == 400
        assert list(validator.iter_errors(body)) == [], name


def test_without_negotiation_only_the_styles_media_type_is_listed(schema):
    response = schema["paths"]["/open-notes/"]["post"]["responses"]["400"]

    assert set(response["content"]) == {"application/json"}


def test_a_projects_render_step_shows_in_every_example_negotiated_ones_included():
    schema = generate(NEGOTIATE=True, PIPELINE="tests.testapp.pipeline_views.StampingPipeline")
    examples = schema["components"]["examples"]

    assert examples["not-found"]["value"]["stamp"] == "rendered"
    assert examples["problem-not-found"]["value"]["stamp"] == "rendered"
    assert examples["problem-not-found"]["value"]["type"] == "/errors/not-found/"


def test_a_projects_converters_document_what_they_answer_on_every_operation():
    schema = generate(
        CONVERTERS={
            "tests.testapp.pipeline_views.ShopDown": "insufficient-subscription-level",
            "tests.testapp.pipeline_views.CardDeclined": "tests.testapp.pipeline_views.card_declined",
        }
    )

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert body_schema(operation["responses"]["402"])[1] == [
                "insufficient-subscription-level",
                "validation-failed",
            ], (method, path)


def test_a_built_in_class_the_project_maps_anew_is_documented_with_its_new_code():
    schema = generate(CONVERTERS={"rest_framework.exceptions.NotAcceptable": "bad-request"})
    responses = schema["paths"]["/open-notes/"]["get"]["responses"]

    assert "406" not in responses
    assert body_schema(responses["400"])[1] == ["bad-request"]


def slugs(found: dict[int, list[Any]]) -> dict[int, list[str]]:
    return {status: [code.value for code in codes] for status, codes in found.items()}


#: What any operation can answer: the middleware's 400 and 413, 406, the 500s and the database's 503.
ANY_OPERATION = {
    400: ["bad-request"],
    406: ["not-acceptable"],
    413: ["request-body-too-large"],
    500: ["server-error", "database-commit"],
    503: ["service-unavailable"],
}


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        (Operation("GET", every_method=True), ANY_OPERATION),
        (Operation("GET"), {**ANY_OPERATION, 405: ["method-not-allowed"]}),
        (
            Operation("POST", every_method=True, unique_writes=True),
            {
                **ANY_OPERATION,
                400: ["validation-failed", "invalid-model", "bad-request"],
                409: ["duplication-violation"],
                415: ["unsupported-media-type"],
            },
        ),
        # A GET reads no body: neither a unique write nor a 415.
        (Operation("GET", every_method=True, unique_writes=True), ANY_OPERATION),
        (
            Operation("DELETE", every_method=True, protected=True, path_params=True),
            {**ANY_OPERATION, 404: ["not-found"], 409: ["invalid-operation"]},
        ),
        (
            Operation("GET", every_method=True, authenticators=True, challenge=True, denies_anonymous=True),
            {**ANY_OPERATION, 401: ["not-authenticated"]},
        ),
        (
            Operation("GET", every_method=True, authenticators=True, denies_anonymous=True),
            {**ANY_OPERATION, 403: ["not-authenticated"]},
        ),
        (
            Operation("GET", every_method=True, denies_anonymous=True),
            {**ANY_OPERATION, 403: ["unauthorized"]},
        ),
        (
            Operation("GET", every_method=True, query_params=True, throttled=True),
            {**ANY_OPERATION, 400: ["validation-failed", "bad-request"], 429: ["too-many-requests"]},
        ),
        (
            Operation("GET", every_method=True, raises=(ErrorCode.RESULT_SET_TRUNCATED,)),
            {**ANY_OPERATION, 400: ["result-set-truncated", "bad-request"]},
        ),
    ],
)  # fmt: skip
def test_an_operations_facts_give_its_statuses_and_codes(operation, expected):
    assert slugs(error_codes_for(operation)) == expected


@isolate_apps("tests.testapp")
def test_a_delete_cascading_into_a_protected_row_may_be_refused():
    class Row(models.Model):
        class Meta:
            abstract = True
            app_label = "testapp"

    class Shelf(Row):
        pass

    class Book(Row):
        shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)

    class Loan(Row):
        book = models.ForeignKey(Book, on_delete=models.PROTECT)

    class Tag(Row):
        pass

    class Sticker(Row):
        tag = models.ForeignKey(Tag, on_delete=models.SET_NULL, null=True)

    assert (_is_protected(Shelf), _is_protected(Book), _is_protected(Loan)) == (True, True, False)
    assert _is_protected(Tag) is False
