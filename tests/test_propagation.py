"""``DEBUG_PROPAGATE_EXCEPTIONS``: a failure no view raised on purpose reaches the caller, as Django does.

The views are called directly (``APIRequestFactory``), as DRF's own tests do: no test client and no
``got_request_exception`` re-raise it for them.
"""

import pytest
from django.http import Http404
from django.test import override_settings
from rest_framework import exceptions
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.test import APIRequestFactory

from django_api_errors.exceptions import ServiceUnavailable

pytestmark = pytest.mark.django_db
RAISED = {
    "runtime-error": lambda: RuntimeError("the flux capacitor"),
    "service-unavailable": lambda: ServiceUnavailable(retry_after=5),
    "drf-validation": lambda: exceptions.ValidationError({"name": ["Required."]}),
    "drf-server-error": lambda: exceptions.APIException(),
    "http404": lambda: Http404(),
}


def call(name: str):
    @api_view(["GET"])
    @authentication_classes([])
    def view(request):
        raise RAISED[name]()

    return view(APIRequestFactory().get("/api/failing/"))


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=True)
def test_with_debug_propagate_exceptions_an_unexpected_failure_reaches_the_caller():
    with pytest.raises(RuntimeError, match="flux capacitor"):
        call("runtime-error")


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=True)
@pytest.mark.parametrize(
    ("name", "status"),
    [("service-unavailable", 503), ("drf-validation", 400), ("drf-server-error", 500), ("http404", 404)],
)
def test_with_debug_propagate_exceptions_errors_raised_on_purpose_still_answer(name, status):
    response = call(name)

    assert response.status_code == status


def test_without_it_an_unexpected_failure_answers_a_500():
    response = call("runtime-error")

    assert response.status_code == 500
    assert response.data["code"] == "server-error"
