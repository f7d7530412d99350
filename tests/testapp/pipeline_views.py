"""Views for the pipeline's tests: shared errors, database failures, converters, deep bodies."""

from django.core import exceptions as django_exceptions
from django.db import IntegrityError, connection, transaction
from django.db.utils import load_backend
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view, parser_classes, renderer_classes
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from django_api_errors import ApiError
from django_api_errors.codes import ErrorCode
from django_api_errors.pipeline import ErrorPipeline
from django_api_errors.pipeline.converters import answers
from django_api_errors.renderers import ProblemJSONRenderer
from tests.testapp.models import Label, Note

#: One instance raised by every request, as a project may keep it at module level.
ARCHIVED = ApiError("entity-archived")


class ShopDown(Exception):
    """A third-party exception a project maps to a code through CONVERTERS."""


class CardDeclined(Exception):
    """Another, mapped to a converter function."""


@answers((ErrorCode.VALIDATION_FAILED, 402))
def card_declined(exc, request):
    return ApiError("validation-failed", status=402, details=["The card was declined."])


class Unavailable(exceptions.APIException):
    status_code = 503
    default_detail = "Down."


@api_view(["GET"])
def shared_error(request):
    raise ARCHIVED


@api_view(["GET"])
def misspelt_slug(request):
    raise ApiError("entity-archivd")


@api_view(["GET"])
def drf_validation_detail(request):
    raise ApiError(
        "validation-failed", validation_errors=serializers.ValidationError(request.GET["m"]).detail
    )


@api_view(["POST"])
def duplicate_label(request):
    Label.objects.create(**request.data)
    return Response(status=201)


@api_view(["POST"])
def orphan_label(request):
    # A foreign key to no row: an IntegrityError that is no unique violation.
    with connection.constraint_checks_disabled():
        Label.objects.create(name="orphan", parent_id=999_999)
    connection.check_constraints(table_names=[Label._meta.db_table])
    return Response(status=201)


@transaction.non_atomic_requests
@api_view(["POST"])
def write_then_fail_unatomic(request):
    Note.objects.create(text="kept")
    raise IntegrityError("NOT NULL constraint failed: testapp_note.text")


@api_view(["POST"])
def write_then_fail_atomic(request):
    Note.objects.create(text="rolled back")
    raise IntegrityError("NOT NULL constraint failed: testapp_note.text")


@api_view(["GET"])
def leaky(request):
    raise exceptions.APIException("connection to 10.0.0.5 failed: password=hunter2")


@api_view(["GET"])
def leaky_unavailable(request):
    raise Unavailable("upstream said password=hunter2")


@api_view(["GET"])
def third_party(request, name):
    raise {"shop-down": ShopDown, "card-declined": CardDeclined}[name]("secret internals")


@api_view(["GET"])
def locked_database(request):
    """Write to an SQLite file another connection holds an exclusive lock on."""
    path = request.GET["path"]
    backend = load_backend("django.db.backends.sqlite3")
    other = backend.DatabaseWrapper(
        {**connection.settings_dict, "NAME": path, "OPTIONS": {"timeout": 0}}, "locked"
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
    finally:
        other.close()
    return Response(status=201)


@api_view(["GET"])
def unreachable_postgres(request):
    """Query a PostgreSQL server that is not there: the port was free a moment ago."""
    backend = load_backend("django.db.backends.postgresql")
    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nowhere",
        "HOST": "127.0.0.1",
        "PORT": request.GET["port"],
        "USER": "nobody",
        "PASSWORD": "",
        "OPTIONS": {"connect_timeout": 2},
    }
    other = backend.DatabaseWrapper(settings_dict, "unreachable")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        other.close()
    return Response(status=200)


@api_view(["POST"])
@parser_classes([JSONParser])
def stock_parser(request):
    return Response({"keys": len(request.data)})


@api_view(["GET"])
def endless(request):
    return endless(request)


def plain_view(request):
    return HttpResponse("plain")


@api_view(["GET"])
@renderer_classes([JSONRenderer, ProblemJSONRenderer])
def problem_capable_list(request):
    return Response([{"id": 1}])


@api_view(["GET"])
@renderer_classes([JSONRenderer])
def json_only_not_found(request):
    """One renderer: DRF adds no ``Vary: Accept`` of its own."""
    raise exceptions.NotFound()


#: Every exception Django's request handler maps to a 4xx (django/core/handlers/exception.py).
DJANGO_RAISERS = {
    "http404": Http404,
    "permission-denied": django_exceptions.PermissionDenied,
    "bad-request": django_exceptions.BadRequest,
    "multipart": MultiPartParserError,
    "suspicious": django_exceptions.SuspiciousOperation,
    "disallowed-host": django_exceptions.DisallowedHost,
    "disallowed-redirect": django_exceptions.DisallowedRedirect,
    "suspicious-file": django_exceptions.SuspiciousFileOperation,
    "suspicious-multipart": django_exceptions.SuspiciousMultipartForm,
    "too-big": django_exceptions.RequestDataTooBig,
    "too-many-fields": django_exceptions.TooManyFieldsSent,
    "too-many-files": django_exceptions.TooManyFilesSent,
}


@api_view(["GET"])
def drf_raises_djangos(request, name):
    raise DJANGO_RAISERS[name]("secret internals")


def plain_raises_djangos(request, name):
    raise DJANGO_RAISERS[name]("secret internals")


@csrf_exempt
def plain_form(request):
    """A plain view reading the form body through Django's parser."""
    return HttpResponse(str(sorted(request.POST)))


@api_view(["DELETE"])
def delete_label(request, pk):
    Label.objects.get(pk=pk).delete()
    return Response(status=204)


@api_view(["POST"])
def update_gone_note(request):
    """A forced update of a row someone else deleted: no row changes."""
    Note(pk=999_999, text="gone").save(force_update=True)
    return Response(status=200)


class LabelSerializer(serializers.ModelSerializer):
    """DRF's own unique validators: UniqueValidator for name, UniqueTogetherValidator for the constraint."""

    class Meta:
        model = Label
        fields = ["name", "owner", "colour"]


@api_view(["POST"])
def create_label(request):
    serializer = LabelSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return Response(serializer.data, status=201)


@api_view(["POST"])
def clean_label(request):
    """Django's model validation refusing a taken value, raised as Django's ValidationError."""
    Label(**request.data).full_clean(exclude=["parent"])
    return Response(status=201)


@api_view(["GET"])
def formatted_stock(request, name):
    """DRF's exceptions whose stock message DRF formats, raised as DRF raises them, or with a message."""
    custom = request.GET.get("message")
    raise {
        "method": lambda: exceptions.MethodNotAllowed("PATCH", custom),
        "media-type": lambda: exceptions.UnsupportedMediaType("text/csv", custom),
        "throttled": lambda: exceptions.Throttled(2.5, custom),
    }[name]()


class StampingPipeline(ErrorPipeline):
    """A project's pipeline whose render step adds a field to every body: documentation shows it too."""

    def render(self, value, request, style=None):
        rendered = super().render(value, request, style)
        return rendered._replace(body={**rendered.body, "stamp": "rendered"})
