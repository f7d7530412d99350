"""Plain Django views (no DRF) failing in every way the middleware and handler views must answer."""

from django.core import exceptions as django_exceptions
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from django_api_errors import ApiError
from django_api_errors.exceptions import ServiceUnavailable
from tests.testapp.models import Note

RAISERS = {
    "http404": lambda: Http404("No Secret matches the given query."),
    "permission": lambda: django_exceptions.PermissionDenied("secret reason"),
    "suspicious": lambda: django_exceptions.SuspiciousOperation("secret reason"),
    "validation": lambda: django_exceptions.ValidationError({"name": ["Too short."]}),
    "api-error": lambda: ApiError("entity-archived", details=["Project 7 was archived."]),
    "maintenance": lambda: ServiceUnavailable(retry_after=120),
    "unhandled": lambda: KeyError("SECRET_KEY=hunter2"),
}


def raise_exception(request: HttpRequest, name: str) -> HttpResponse:
    """Raise the exception named in the URL."""
    raise RAISERS[name]()


@csrf_exempt
def write_then_fail(request: HttpRequest) -> HttpResponse:
    """Write a row, then fail with a client error: under ATOMIC_REQUESTS the row must not be kept."""
    Note.objects.create(text="kept?")
    raise ApiError("validation-failed", validation_errors={"text": ["Rejected."]})


@csrf_exempt
def echo(request: HttpRequest) -> JsonResponse:
    """Read the whole body through Django (which checks DATA_UPLOAD_MAX_MEMORY_SIZE) and say its size."""
    return JsonResponse({"size": len(request.body)})


def form(request: HttpRequest) -> JsonResponse:
    """A CSRF-protected form view: POST needs a token."""
    return JsonResponse({"fields": sorted(request.POST)})


class Explode:
    """A middleware failing for paths naming it, to reach Django's handler views from outside a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.endswith("/middleware-crash/"):
            raise RuntimeError("the middleware is out of plutonium")
        if request.path.endswith("/middleware-forbidden/"):
            raise django_exceptions.PermissionDenied("secret reason")
        return self.get_response(request)
