"""The example project's API answers every failure in the awork shape."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from shop.models import Product, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_api(api):
    user = get_user_model().objects.create_user("ada", password="pw")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


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
