"""One error contract across DRF and Django Ninja: the same failing request, the same answer.

Each case sends one request to the example project's DRF API (``/api/``) and the same request to its
Ninja twin (``/api/ninja/``, :mod:`shop.ninja_api`) and compares status and body. Where the example's
DRF API has no such failure (a query parameter refused, a 403, a duplicate only the database sees) a
pair of small twin views below raises it on both sides. Field error messages are each framework's own
(DRF's texts, pydantic's); their properties and codes are compared.
"""

import json
import re
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import aget_object_or_404
from django.test import Client, override_settings
from django.urls import path
from ninja import NinjaAPI, Query
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from django_api_errors.incidents.models import Incident
from django_api_errors.ninja import install
from shop.models import Product, Project
from shop.ninja_api import api
from tests.urls import urlpatterns as test_urlpatterns


class CardDeclined(Exception):
    """A third-party failure a project maps with its own CONVERTERS entry."""


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(min_value=1)
    size = serializers.IntegerField()


@api_view(["GET"])
@permission_classes([AllowAny])
def drf_search(request):
    PageQuery(data=request.query_params).is_valid(raise_exception=True)


@api_view(["POST"])
@permission_classes([AllowAny])
def drf_duplicate(request):
    Project.objects.create(name=request.data["name"])  # no validator: the database refuses it


@api_view(["GET"])
@permission_classes([AllowAny])
def drf_forbidden(request):
    raise PermissionDenied


@api_view(["GET"])
@permission_classes([AllowAny])
def drf_declined(request):
    raise CardDeclined("card 4242 declined")


twins = install(NinjaAPI(urls_namespace="ninja-twins"))


@twins.get("/search")
def ninja_search(request, page: int = Query(..., ge=1), size: int = Query(...)):
    return {}


@twins.post("/duplicate")
def ninja_duplicate(request, name: str):
    Project.objects.create(name=name)


@twins.get("/forbidden")
def ninja_forbidden(request):
    raise AuthorizationError


@twins.post("/half")
def ninja_half(request):
    Project.objects.create(name="Half")
    raise RuntimeError("after the write")


@twins.get("/declined")
def ninja_declined(request):
    raise CardDeclined("card 4242 declined")


class Teapot(Exception):
    """An exception the project answers with a Ninja handler of its own."""


@twins.exception_handler(Teapot)
def teapot(request, exc):
    return twins.create_response(request, {"tea": "earl grey"}, status=418)


@twins.get("/teapot")
def ninja_teapot(request):
    raise Teapot


class BearerOfNothing(HttpBearer):
    """No database read (an async operation's authenticator must not make a sync query): no token is
    accepted; the scheme matches the example's, for the same challenge."""

    openapi_scheme = "token"

    def authenticate(self, request, token):
        return None


async_twins = install(NinjaAPI(urls_namespace="ninja-async"))


@async_twins.get("/projects/{project_id}")
async def async_project(request, project_id: int):
    return {"name": (await aget_object_or_404(Project, pk=project_id)).name}


@async_twins.get("/me", auth=BearerOfNothing())
async def async_me(request):
    return {}


@async_twins.get("/quote")
async def async_quote(request):
    return {}


@async_twins.get("/search")
async def async_search(request, page: int = Query(..., ge=1), size: int = Query(...)):
    return {}


@async_twins.get("/boom")
async def async_boom(request):
    raise RuntimeError("the flux capacitor is out of plutonium")


urlpatterns = [
    path("api/ninja/", api.urls),
    path("api/ninja-async/", async_twins.urls),
    path("api/ninja-twins/", twins.urls),
    path("api/twins/search/", drf_search),
    path("api/twins/duplicate/", drf_duplicate),
    path("api/twins/forbidden/", drf_forbidden),
    path("api/twins/declined/", drf_declined),
    *test_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
STYLES = ["awork", "asana", "problem"]


@pytest.fixture
def client():
    cache.clear()  # the throttles count in the cache
    return Client(raise_request_exception=False)


@pytest.fixture
def token():
    user = get_user_model().objects.create_user("buyer")  # no password: no hashing
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def both(client, method, drf_path, ninja_path, body=None, **extra):
    """The answers of the DRF and the Ninja API to the same request."""
    data = json.dumps(body) if body is not None else None
    send = getattr(client, method)
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return (
        send(drf_path, data, **kwargs, **extra) if data else send(drf_path, **extra),
        send(ninja_path, data, **kwargs, **extra) if data else send(ninja_path, **extra),
    )


def comparable(response):
    """The body with what is each request's own set aside: a 5xx's phrase (checked against its
    header) and the problem style's ``instance`` (checked against the request's path)."""
    text = response.content.decode()
    if response.status_code >= 500:
        text = text.replace(response["X-Error-Phrase"], "PHRASE")
    body = json.loads(text)
    if isinstance(body, dict) and "instance" in body:
        assert body.pop("instance") == response.request["PATH_INFO"]
    return body


def assert_same(drf, ninja, status):
    """Same status, content type and body."""
    assert (drf.status_code, ninja.status_code) == (status, status)
    assert drf["Content-Type"] == ninja["Content-Type"]
    assert comparable(drf) == comparable(ninja)
    if status >= 500:
        assert "PHRASE" in json.dumps(comparable(ninja))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    ("method", "drf_path", "ninja_path", "status"),
    [
        ("get", "/api/projects/999/", "/api/ninja/projects/999", 404),
        ("get", "/api/me/", "/api/ninja/me", 401),
        ("delete", "/api/quote/", "/api/ninja/quote", 405),
        ("get", "/api/twins/forbidden/", "/api/ninja-twins/forbidden", 403),
        ("get", "/api/boom/", "/api/ninja/boom", 500),
    ],
)
def test_the_same_failure_answers_the_same_in_every_style(
    client, style, method, drf_path, ninja_path, status
):
    with override_settings(API_ERRORS={"STYLE": style}):
        drf, ninja = both(client, method, drf_path, ninja_path)

    assert_same(drf, ninja, status)


@pytest.mark.parametrize(
    ("method", "drf_path", "ninja_path", "status"),
    [
        ("get", "/api/projects/999/", "/api/ninja-async/projects/999", 404),
        ("get", "/api/me/", "/api/ninja-async/me", 401),
        ("delete", "/api/quote/", "/api/ninja-async/quote", 405),
        ("get", "/api/twins/search/?page=0", "/api/ninja-async/search?page=0", 400),
        ("get", "/api/boom/", "/api/ninja-async/boom", 500),
    ],
)
def test_async_operations_answer_as_the_sync_ones(client, method, drf_path, ninja_path, status):
    """Under ATOMIC_REQUESTS too (the test settings set it): install marks async views non-atomic."""
    drf, ninja = both(client, method, drf_path, ninja_path)

    if status == 400:  # field messages are each framework's own: properties and codes compared
        assert_same_but_messages(drf, ninja, status)
    else:
        assert_same(drf, ninja, status)
    assert drf.get("WWW-Authenticate") == ninja.get("WWW-Authenticate")
    assert status != 405 or ninja["Allow"] == "GET"


def test_an_async_operations_500_stores_its_incident(client):
    """Ninja answers an async operation's failure inside the event loop, where no sync query may run:
    the incident row waits for the end of the request instead of being lost."""
    response = client.get("/api/ninja-async/boom")

    assert response.status_code == 500
    assert Incident.objects.filter(phrase=response["X-Error-Phrase"]).exists()


def test_unauthenticated_names_the_same_challenge(client):
    drf, ninja = both(client, "get", "/api/me/", "/api/ninja/me")

    assert drf["WWW-Authenticate"] == ninja["WWW-Authenticate"] == "Token"


def test_method_not_allowed_lists_the_methods_ninja_routes(client):
    ninja = client.delete("/api/ninja/me")

    assert ninja["Allow"] == "GET"
    assert ninja.json()["code"] == "method-not-allowed"


def field_errors(response):
    return [(error["property"], error["code"]) for error in response.json()["validationErrors"]]


def assert_same_but_messages(drf, ninja, status):
    drf_body, ninja_body = drf.json(), ninja.json()
    assert (drf.status_code, ninja.status_code) == (status, status)
    assert field_errors(drf) == field_errors(ninja)
    assert {**drf_body, "validationErrors": None} == {**ninja_body, "validationErrors": None}


def test_nested_list_and_dict_errors_have_the_same_properties_and_codes(client, token):
    body = {
        "name": "Atlas",
        "tags": ["ok", "t" * 30],
        "address": {"street": "x" * 200},
        "milestones": [{"title": "Kick-off", "due": "2026-01-01"}, {"due": "soon"}],
        "limits": {"seats": -1},
    }

    drf, ninja = both(client, "post", "/api/projects/", "/api/ninja/projects", body, **token)

    assert_same_but_messages(drf, ninja, 400)
    assert field_errors(ninja) == [
        ("tags[1]", "max_length"),
        ("address.street", "max_length"),
        ("address.city", "required"),
        ("milestones[1].title", "required"),
        ("milestones[1].due", "invalid"),
        ("limits.seats", "min_value"),
    ]


def test_query_parameters_refused_have_the_same_properties_and_codes(client):
    drf, ninja = both(
        client, "get", "/api/twins/search/?page=0&size=abc", "/api/ninja-twins/search?page=0&size=abc"
    )

    assert_same_but_messages(drf, ninja, 400)
    assert field_errors(ninja) == [("page", "min_value"), ("size", "invalid")]


def test_a_duplicate_the_database_refuses_is_the_same_409(client, token):
    Project.objects.create(name="Atlas")
    body = {"name": "Atlas", "address": {"street": "a", "city": "b"}}

    drf, ninja = both(client, "post", "/api/twins/duplicate/", "/api/ninja/projects", body, **token)

    assert_same(drf, ninja, 409)
    assert ninja.json()["validationErrors"] == [
        {"property": "name", "message": "An entity with this value already exists.", "code": "unique"}
    ]


def test_a_body_over_the_limit_is_the_same_413(client, token):
    drf, ninja = both(
        client,
        "post",
        "/api/projects/",
        "/api/ninja/projects",
        {"name": "x"},
        CONTENT_LENGTH="3000000",
        **token,
    )

    assert_same(drf, ninja, 413)


def test_too_many_requests_is_the_same_429_with_retry_after(client):
    for _ in range(3):
        assert client.get("/api/quote/").status_code == client.get("/api/ninja/quote").status_code == 200

    drf, ninja = both(client, "get", "/api/quote/", "/api/ninja/quote")

    assert_same(drf, ninja, 429)
    assert 0 < int(ninja["Retry-After"]) <= 60
    assert drf["Retry-After"] == ninja["Retry-After"]


def test_the_shops_own_code_is_the_same(client, token):
    product = Product.objects.create(name="Lamp", stock=0)

    drf, ninja = both(
        client, "post", f"/api/products/{product.pk}/buy/", f"/api/ninja/products/{product.pk}/buy", **token
    )

    assert_same(drf, ninja, 409)
    assert ninja.json()["code"] == "out-of-stock"


@override_settings(API_ERRORS={"CONVERTERS": {CardDeclined: "unauthorized"}})
def test_a_projects_own_converter_answers_on_both(client):
    drf, ninja = both(client, "get", "/api/twins/declined/", "/api/ninja-twins/declined")

    assert_same(drf, ninja, 403)
    assert "4242" not in ninja.content.decode()


def test_a_handler_the_project_registers_after_install_still_answers_its_class(client):
    response = client.get("/api/ninja-twins/teapot")

    assert (response.status_code, response.json()) == (418, {"tea": "earl grey"})


def test_ninjas_unparsable_body_is_an_invalid_model(client, token):
    response = client.post("/api/ninja/projects", "{nope", content_type="application/json", **token)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid-model"
    assert response.json()["details"] == []


def test_a_failed_ninja_request_keeps_none_of_its_writes(client):
    response = client.post("/api/ninja-twins/half", "{}", content_type="application/json")

    assert response.status_code == 500
    assert not Project.objects.filter(name="Half").exists()


@override_settings(ROOT_URLCONF="example.urls")
def test_the_example_project_serves_its_ninja_twin_beside_the_drf_api(client):
    drf, ninja = both(client, "get", "/api/me/", "/api/ninja/me")

    assert_same(drf, ninja, 401)
    assert client.get("/api/ninja/docs").status_code == 200  # Ninja's docs page: "ninja" is installed


def ninja_schema():
    """The example's Ninja schema as its own endpoint serves it."""
    response = Client().get("/api/ninja/openapi.json")
    assert response.status_code == 200
    return response.json()


def documented(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    return {
        int(status): re.findall(r"`([a-z-]+)`", response["description"])
        for status, response in responses.items()
        if int(status) >= 400
    }


def test_each_ninja_operation_documents_what_its_facts_let_it_answer():
    schema = ninja_schema()

    assert documented(schema, "/api/ninja/products/{product_id}/buy", "post") == {
        400: ["validation-failed", "invalid-model", "bad-request"],  # a POST; its path parameter an integer
        401: ["not-authenticated"],
        404: ["not-found"],
        405: ["method-not-allowed"],
        409: ["out-of-stock"],  # document_errors on the view function
        413: ["request-body-too-large"],
        500: ["server-error", "database-commit"],
        503: ["service-unavailable"],
    }
    assert documented(schema, "/api/ninja/projects/{project_id}", "get")[400] == [
        "validation-failed",  # its path parameter is an integer
        "bad-request",
    ]
    assert documented(schema, "/api/ninja/projects", "post")[409] == ["duplication-violation"]
    assert documented(schema, "/api/ninja/quote", "get")[429] == ["too-many-requests"]
    assert {401, 404, 409, 429} & set(documented(schema, "/api/ninja/boom", "get")) == set()


@override_settings(API_ERRORS={"CONVERTERS": {CardDeclined: "unauthorized"}})
def test_a_projects_converters_are_documented_on_every_ninja_operation():
    schema = ninja_schema()

    assert documented(schema, "/api/ninja/boom", "get")[403] == ["unauthorized"]


def test_ninja_error_responses_share_the_drf_schemas_components():
    schema = ninja_schema()
    components = schema["components"]
    response = schema["paths"]["/api/ninja/products/{product_id}/buy"]["post"]["responses"]["409"]
    media = response["content"]["application/json"]

    assert media["schema"]["allOf"][0] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert media["schema"]["allOf"][1]["properties"]["code"]["enum"] == ["out-of-stock"]
    assert media["examples"] == {"out-of-stock": {"$ref": "#/components/examples/out-of-stock"}}
    assert components["examples"]["out-of-stock"]["value"]["code"] == "out-of-stock"
    assert {"ErrorCode", "FieldErrorCode", "ValidationError", "ErrorResponse"} <= set(components["schemas"])
    assert schema["paths"]["/api/ninja/me"]["get"]["responses"]["401"]["headers"] == {
        "WWW-Authenticate": {"$ref": "#/components/headers/WWW-Authenticate"}
    }
    assert set(components["headers"]) == {"WWW-Authenticate", "Allow", "Retry-After", "X-Error-Phrase"}


@override_settings(API_ERRORS={"NEGOTIATE": True})
def test_a_negotiating_ninja_schema_lists_problem_details_beside_the_style_as_drfs_does():
    schema = ninja_schema()
    content = schema["paths"]["/api/ninja/boom"]["get"]["responses"]["500"]["content"]

    assert list(content) == ["application/json", "application/problem+json"]
    assert content["application/problem+json"]["examples"]["problem-server-error"] == {
        "$ref": "#/components/examples/problem-server-error"
    }
    assert "ProblemDetails" in schema["components"]["schemas"]


@pytest.fixture(scope="module")
def tools(tmp_path_factory, django_db_blocker):
    """Spectral's findings on the Ninja schema in each style, and openapi-typescript's types of the
    awork one."""
    from tests.test_schema_tools import runner

    runner.ensure_node_modules()
    folder = tmp_path_factory.mktemp("ninja")
    schemas = {style: folder / f"{style}.json" for style in STYLES}
    for style, schema in schemas.items():
        settings = override_settings(ROOT_URLCONF=__name__, API_ERRORS={"STYLE": style})
        with django_db_blocker.unblock(), settings:
            schema.write_text(json.dumps(ninja_schema()))
    command = [
        runner.BIN / "spectral",
        "lint",
        "--ruleset",
        runner.CLIENTS / ".spectral.yaml",
        "--format",
        "json",
    ]
    linted = subprocess.run(
        [*map(str, command), "--quiet", *map(str, schemas.values())], capture_output=True, text=True
    )
    findings = json.loads(linted.stdout or "[]")
    types = folder / "awork.ts"
    subprocess.run(
        [str(runner.BIN / "openapi-typescript"), str(schemas["awork"]), "--output", str(types)], check=True
    )
    by_style = {
        style: [found for found in findings if found["source"] == str(path)]
        for style, path in schemas.items()
    }
    return by_style, types.read_text()


@pytest.mark.integration
@pytest.mark.parametrize("style", STYLES)
def test_spectral_finds_no_error_in_the_ninja_schema(tools, style):
    findings = tools[0][style]

    assert [f"{found['code']}: {found['message']}" for found in findings if found["severity"] == 0] == []
    assert findings  # Spectral did read it: it warns about what Ninja leaves out (contact, tags)


@pytest.mark.integration
def test_openapi_typescript_narrows_each_ninja_operations_codes(tools):
    from tests.test_schema_tools import operation_types

    _, generated = tools
    buy, codes = operation_types(generated, "shop_ninja_api_buy")

    assert codes["409"] == '"out-of-stock"'
    assert codes["404"] == '"not-found"'
    assert codes["401"] == '"not-authenticated"'
    assert '"WWW-Authenticate": components["headers"]["WWW-Authenticate"];' in buy
