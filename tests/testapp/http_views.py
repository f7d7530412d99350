"""DRF views for the HTTP conventions: capped pagination, a project's own throttle, Retry-After errors."""

from rest_framework import generics, serializers
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from django_api_errors.exceptions import ServiceUnavailable, TooManyRequests
from django_api_errors.pagination import CappedLimitOffsetPagination, CappedPageNumberPagination
from tests.testapp.models import Note


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "text"]


class TenNotesByFive(CappedPageNumberPagination):
    page_size = 5
    max_result_set_size = 10


class TenNotesByWindow(CappedLimitOffsetPagination):
    default_limit = 5
    max_result_set_size = 10


class NotePages(generics.ListAPIView):
    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer
    pagination_class = TenNotesByFive


class NoteWindows(NotePages):
    pagination_class = TenNotesByWindow


class ClosedForLunch(BaseThrottle):
    """A project's own throttle: refuses every request and asks for a 90.2 second wait."""

    def allow_request(self, request, view):
        return False

    def wait(self):
        return 90.2


@api_view(["GET"])
@throttle_classes([ClosedForLunch])
def own_throttle(request):
    return Response({"ok": True})


@api_view(["GET"])
def maintenance(request):
    raise ServiceUnavailable(retry_after=600)


@api_view(["GET"])
def own_rate_limit(request):
    raise TooManyRequests(retry_after=2.5, details=["Five exports an hour."])
