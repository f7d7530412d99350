"""Views that fail in every way the handler must answer."""

from django.core import exceptions as django_exceptions
from django.db import DatabaseError, connection
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from django_api_errors import ApiError
from django_api_errors.renderers import ProblemJSONRenderer
from tests.testapp.models import Note


class PaymentRequired(exceptions.APIException):
    status_code = 402
    default_detail = "Pay first."
    default_code = "payment_required"


class Archived(exceptions.APIException):
    status_code = 400
    default_detail = "Archived."
    default_code = "entity-archived"


class Teapot(exceptions.APIException):
    status_code = 418
    default_detail = "I am a teapot."
    default_code = "teapot"


RAISERS = {
    "nested-validation": lambda: serializers.ValidationError(
        {
            "street_name": [ErrorDetail("Too long.", "max_length")],
            "line_items": [{}, {"unit_price": [ErrorDetail("Must be positive.", "min_value")]}],
            "non_field_errors": [ErrorDetail("Order is closed.", "closed")],
        }
    ),
    "drf-validation": lambda: serializers.ValidationError({"name": ["This field is required."]}),
    "drf-parse": lambda: exceptions.ParseError(),
    "drf-permission": lambda: exceptions.PermissionDenied(),
    "drf-not-found": lambda: exceptions.NotFound(),
    "drf-not-found-detail": lambda: exceptions.NotFound("Project 7 does not exist."),
    "drf-not-acceptable": lambda: exceptions.NotAcceptable(),
    "drf-unsupported": lambda: exceptions.UnsupportedMediaType("text/csv"),
    "drf-throttled": lambda: exceptions.Throttled(wait=2.5),
    "drf-other": lambda: PaymentRequired(),
    "drf-own-code": lambda: Archived(),
    "drf-odd-status": lambda: Teapot(),
    "django-404": lambda: Http404("No Secret matches the given query."),
    "django-permission": lambda: django_exceptions.PermissionDenied("secret reason"),
    "django-validation": lambda: django_exceptions.ValidationError(
        {"name": ["Too short."], "__all__": ["Name and city clash."]}
    ),
    "django-too-big": lambda: django_exceptions.RequestDataTooBig("too big"),
    "api-error": lambda: ApiError("entity-archived", details=["Project 7 was archived."]),
    "unhandled": lambda: KeyError("SECRET_KEY=hunter2"),
}


@api_view(["GET", "POST"])
def raise_exception(request, name):
    """Raise the exception named in the URL."""
    raise RAISERS[name]()


@api_view(["GET"])
@authentication_classes([BasicAuthentication])
@permission_classes([IsAuthenticated])
def basic_protected(request):
    return Response({"ok": True})


@api_view(["GET"])
@authentication_classes([SessionAuthentication])
@permission_classes([IsAuthenticated])
def session_protected(request):
    return Response({"ok": True})


class Once(AnonRateThrottle):
    rate = "1/hour"


@api_view(["GET"])
@throttle_classes([Once])
def throttled(request):
    return Response({"ok": True})


@api_view(["POST"])
def write_then_fail(request):
    """Write a row, then fail: under ATOMIC_REQUESTS the row must not be committed."""
    Note.objects.create(text="kept?")
    raise RuntimeError("after the write")


@api_view(["POST"])
def write_then_reject(request):
    """Write a row, then answer 400: the handler's set_rollback() undoes the write."""
    Note.objects.create(text="kept?")
    raise ApiError("validation-failed", validation_errors={"text": ["Rejected."]})


@api_view(["GET"])
def get_only(request):
    return Response({"ok": True})


@api_view(["GET"])
@renderer_classes([JSONRenderer, ProblemJSONRenderer])
def problem_capable(request):
    """A view whose renderers include problem+json, as NEGOTIATE asks a project to configure."""
    raise exceptions.NotFound()


@api_view(["POST"])
def write_then_abort(request):
    """Write a row, run SQL that fails (aborting a PostgreSQL transaction), then fail with a 500."""
    Note.objects.create(text="kept?")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM no_such_table")
    except DatabaseError:
        pass
    raise RuntimeError("after the aborted statement")


@api_view(["POST"])
def write_then_database_error(request):
    """Write a row, then let a failing SQL statement escape the view: the database itself failed."""
    Note.objects.create(text="kept?")
    with connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM no_such_table")
    return Response({"ok": True})


SERVER_SIDE_RAISERS = {
    "unhandled": lambda: KeyError("SECRET_KEY=hunter2"),
    "server-error": lambda: ApiError("server-error", details=["Shown to the client."]),
    "service-unavailable": lambda: ApiError("service-unavailable"),
    "drf-api-exception": lambda: exceptions.APIException(),
}


@api_view(["GET"])
def raise_server_side(request, name):
    """Raise the 5xx failure named in the URL."""
    raise SERVER_SIDE_RAISERS[name]()
