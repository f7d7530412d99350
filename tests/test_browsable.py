"""The browsable API and the admin renderer show each field's errors in their forms, as with DRF's own
handler, while JSON clients get the style's body (DRF's TestRootView, TestInstanceView and
AdminRendererTests cases, written here through the whole Django stack)."""

import re

import pytest
from django.test import override_settings
from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.renderers import AdminRenderer, BrowsableAPIRenderer, JSONRenderer

from django_api_errors.codes import ErrorCode
from tests.testapp.models import Note

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_browsable")]

TOO_LONG = "x" * 21  # Note.text has max_length=20
FIELD_ERROR = '<span class="help-block">Ensure this field has no more than 20 characters.</span>'


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "text"]


class Browsable:
    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer
    authentication_classes = []
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]


class RootView(Browsable, generics.ListCreateAPIView):
    """DRF's TestRootView: a list that creates."""


class InstanceView(Browsable, generics.RetrieveUpdateDestroyAPIView):
    """DRF's TestInstanceView: one note, edited in place."""


class AdminView(Browsable, generics.ListCreateAPIView):
    """DRF's AdminRendererTests: the admin-style HTML renderer."""

    renderer_classes = [AdminRenderer, JSONRenderer]


urlpatterns = [
    path("notes/", RootView.as_view()),
    path("notes/<int:pk>/", InstanceView.as_view()),
    path("admin-notes/", AdminView.as_view()),
    path("", include("django_api_errors.urls")),
]


def test_post_error_on_the_root_view_shows_the_field_error_in_the_form(client):
    response = client.post("/notes/", {"text": TOO_LONG}, HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert FIELD_ERROR in response.content.decode()
    assert Note.objects.count() == 0


def test_put_error_on_the_instance_view_shows_the_field_error_in_the_form(client):
    note = Note.objects.create(text="short")

    response = client.put(
        f"/notes/{note.pk}/",
        f"text={TOO_LONG}",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 400
    assert FIELD_ERROR in response.content.decode()
    note.refresh_from_db()
    assert note.text == "short"


def test_invalid_post_to_the_admin_renderer_shows_the_validation_error(client):
    response = client.post("/admin-notes/", {"text": TOO_LONG}, HTTP_ACCEPT="text/html")

    assert response.status_code == 400
    assert FIELD_ERROR in response.content.decode()


@pytest.mark.parametrize("style", ["awork", "problem"])
def test_the_browsable_page_shows_the_styles_body(client, style):
    with override_settings(API_ERRORS={"STYLE": style}):
        response = client.post("/notes/", {"text": TOO_LONG}, HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert FIELD_ERROR in page
    assert "validation-failed" in page  # the body the page shows is the style's, code included
    assert "&quot;detail&quot;: [" not in page


def test_json_clients_still_get_the_styles_body(client):
    response = client.post("/notes/", {"text": TOO_LONG}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation-failed",
        "description": ErrorCode.VALIDATION_FAILED.description,
        "link": "http://testserver/errors/validation-failed/",
        "details": [],
        "validationErrors": [
            {
                "property": "text",
                "message": "Ensure this field has no more than 20 characters.",
                "code": "max_length",
            }
        ],
    }


def test_an_error_without_a_serializer_renders_the_page_without_a_form_error(client):
    response = client.get("/notes/999/", HTTP_ACCEPT="text/html")

    page = response.content.decode()
    assert response.status_code == 404
    assert "not-found" in page
    assert re.search(r'class="help-block">\s*[^<\s]', page) is None  # every help block is empty
