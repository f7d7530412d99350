"""Success responses: 201 with Location, 202 with a status URL, 204 without a body."""

import pytest
from django.test import RequestFactory

from django_api_errors.responses import accepted, created, no_content
from shop.models import Project

pytestmark = pytest.mark.django_db


def test_creating_through_the_mixin_is_201_with_the_objects_url(user_api):
    response = user_api.post("/api/projects/", {"name": "Rover", "address": {"street": "a", "city": "b"}})

    project = Project.objects.get(name="Rover")
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/projects/{project.pk}/"
    assert response.json()["id"] == project.pk
    assert user_api.get(response["Location"]).json()["name"] == "Rover"


def test_the_mixin_still_runs_the_views_perform_create(user_api):
    user_api.post("/api/projects/", {"name": "Rover", "address": {"street": "a", "city": "b"}})

    assert Project.objects.get(name="Rover").owner.username == "ada"


def test_a_background_job_is_202_with_its_status_url(user_api):
    response = user_api.post("/api/projects/export/")

    assert response.status_code == 202
    assert response["Location"].startswith("http://testserver/api/exports/")
    assert response.json() == {"location": response["Location"]}
    assert user_api.get(response["Location"]).json()["state"] == "queued"


def test_a_business_operation_without_a_result_is_204(user_api):
    project = Project.objects.create(name="Old")

    response = user_api.post(f"/api/projects/{project.pk}/archive/")

    assert response.status_code == 204
    assert response.content == b""


def test_delete_is_204(user_api):
    project = Project.objects.create(name="Old")

    assert user_api.delete(f"/api/projects/{project.pk}/").status_code == 204


@pytest.mark.parametrize(
    ("request_or_none", "expected"),
    [(None, "/things/7/"), (RequestFactory().get("/"), "http://testserver/things/7/")],
)
def test_created_makes_the_location_absolute_when_it_has_the_request(request_or_none, expected):
    response = created({"id": 7}, "/things/7/", request_or_none)

    assert (response.status_code, response["Location"], response.data) == (201, expected, {"id": 7})


def test_accepted_keeps_a_body_of_the_views_own():
    response = accepted("/jobs/1/", data={"job": 1})

    assert (response.status_code, response["Location"], response.data) == (202, "/jobs/1/", {"job": 1})


def test_no_content_has_no_body():
    response = no_content()

    assert (response.status_code, response.data) == (204, None)
