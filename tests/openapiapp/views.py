"""Views of every shape the OpenAPI integration must document (schema generation only)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import filters, generics, permissions, serializers, viewsets
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.validators import UniqueValidator

from django_api_errors.openapi import ErrorResponses, document_errors
from django_api_errors.pagination import CappedPageNumberPagination
from tests.testapp.models import Label, Note


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "text"]


class OpenNotes(generics.ListCreateAPIView):
    """No authentication, no permission: neither 401 nor 403 can happen."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]


class SearchedNotes(generics.ListAPIView):
    """Query filters: a bad filter value is a 400."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    filter_backends = [filters.SearchFilter]
    search_fields = ["text"]


class PagedNotes(generics.ListAPIView):
    """Page-number pagination: a page past the end is a 404."""

    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    pagination_class = PageNumberPagination


class BasicNote(generics.RetrieveAPIView):
    """Basic authentication challenges: anonymous clients get 401."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = [BasicAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class SessionNote(generics.RetrieveUpdateAPIView):
    """Session authentication has no challenge: DRF answers 403, never 401."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAdminUser]


class Hourly(AnonRateThrottle):
    rate = "100/hour"


class ThrottledNotes(generics.ListAPIView):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [Hourly]


class UnscopedNotes(generics.ListAPIView):
    """ScopedRateThrottle without a throttle_scope never throttles."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]


class NoteViewSet(viewsets.ModelViewSet):
    """A routed ViewSet with a custom action raising a catalogue code of its own."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    api_error_responses = ErrorResponses(add=("concurrency-violation",), only=("update",))

    @document_errors(add=["entity-archived"], remove=[500])
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)


@document_errors(add=[451], remove=["not-found", 415])
@extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def create_note(request):
    """A function view with overrides above @api_view."""
    return Response(status=201)


class DeclaredNote(generics.RetrieveAPIView):
    """Declares its own 404 body: the integration leaves it alone."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: NoteSerializer, 404: OpenApiResponse(description="Gone fishing.")})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CappedNotes(generics.ListAPIView):
    """A capped paginator: a page past the cap is a 400 result-set-truncated."""

    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    pagination_class = CappedPageNumberPagination


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["name"]


class Labels(generics.CreateAPIView):
    """A model with a unique field: a write may meet the database's unique constraint (409)."""

    queryset = Label.objects.all()
    serializer_class = LabelSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]


class LabelDetail(generics.RetrieveDestroyAPIView):
    """Pins (PROTECT) and holds (RESTRICT) refer to labels: a delete may be refused (409)."""

    queryset = Label.objects.all()
    serializer_class = LabelSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]


class NameSerializer(serializers.Serializer):
    """A plain serializer refusing a taken name itself, with DRF's UniqueValidator."""

    name = serializers.CharField(validators=[UniqueValidator(queryset=Label.objects.all())])


class FreeNameSerializer(serializers.Serializer):
    name = serializers.CharField()


@extend_schema(request=NameSerializer, responses={201: NameSerializer})
@api_view(["POST"])
def unique_names(request):
    """No model behind the view: the serializer's own validator answers 409."""
    return Response(status=201)


@extend_schema(request=FreeNameSerializer, responses={201: FreeNameSerializer})
@api_view(["POST"])
def free_names(request):
    return Response(status=201)
