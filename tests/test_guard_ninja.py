"""The contract guard on a Django Ninja API: held to ``api.get_openapi_schema()``. Its own URLconf."""

import pytest
from django.http import JsonResponse
from django.urls import path
from ninja import NinjaAPI

from django_api_errors import ApiError, guard
from django_api_errors.codes import ErrorCode
from django_api_errors.pipeline import get_pipeline

pytestmark = [pytest.mark.urls("tests.test_guard_ninja"), pytest.mark.django_db]

# A Django Ninja API answering through the pipeline (a minimal adapter; the real one is
# django_api_errors.ninja), its schema documenting 404 not-found by hand.
ninja_api = NinjaAPI(urls_namespace="guard-tests")
NOT_FOUND_SCHEMA = {"type": "object", "properties": {"code": {"type": "string", "enum": ["not-found"]}}}


@ninja_api.exception_handler(Exception)
def _answer(request, exc):
    rendered = get_pipeline().respond(exc, request)
    return JsonResponse(rendered.body, status=rendered.status, headers=dict(rendered.headers))


@ninja_api.get(
    "/gadgets/{pk}",
    openapi_extra={
        "responses": {404: {"description": "", "content": {"application/json": {"schema": NOT_FOUND_SCHEMA}}}}
    },
)
def gadget(request, pk: int):
    raise ApiError(ErrorCode.NOT_FOUND if pk == 1 else ErrorCode.ENTITY_ARCHIVED)


class UnreadableApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        raise RuntimeError("no schema for this API")


unreadable_api = UnreadableApi(urls_namespace="guard-tests-unreadable")
unreadable_api.add_exception_handler(Exception, _answer)


@unreadable_api.get("/gadgets/{pk}")
def unreadable_gadget(request, pk: int):
    raise ApiError(ErrorCode.NOT_FOUND)


urlpatterns = [path("api/ninja/", ninja_api.urls), path("api/unreadable/", unreadable_api.urls)]


@pytest.fixture
def guarded(settings):
    guard._schemas.clear()
    settings.API_ERRORS = {"OBSERVERS": ["django_api_errors.guard.check"]}
    with guard.collecting() as found:
        yield found


def test_a_ninja_operation_is_held_to_the_ninja_schema(api, guarded):
    assert api.get("/api/ninja/gadgets/1").status_code == 404
    assert guarded == []

    assert api.get("/api/ninja/gadgets/2").status_code == 400
    (message,) = guarded
    assert message.startswith("GET /api/ninja/gadgets/{pk} answered 400 'entity-archived'")


def test_a_schema_that_cannot_be_read_fails_the_test_and_the_error_is_still_answered(api, guarded):
    assert api.get("/api/unreadable/gadgets/1").status_code == 404

    assert guarded == ["The contract guard could not read the schema: RuntimeError('no schema for this API')"]
