"""The example API: every way an API can fail, answered by django-api-errors."""

import uuid
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from django_api_errors import ApiError
from django_api_errors.codes import ErrorCode
from django_api_errors.exceptions import ServiceUnavailable
from django_api_errors.pagination import CappedPageNumberPagination
from django_api_errors.parsers import MultiPartParser
from django_api_errors.responses import CreatedLocationMixin, accepted, no_content
from shop.error_codes import ShopErrorCode
from shop.models import Product, Project
from shop.serializers import PhotoSerializer, ProductSerializer, ProjectSerializer
from shop.throttling import PurchaseRateThrottle


class ProjectViewSet(CreatedLocationMixin, viewsets.ModelViewSet):
    """Projects: 201 with Location, 202 for exports, 204 for archiving (a catalogue code when twice)."""

    queryset = Project.objects.order_by("id")
    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None, format=None):
        project = self.get_object()
        if project.archived:
            raise ApiError(ErrorCode.ENTITY_ARCHIVED, details=[f"Project {project.pk} is archived already."])
        project.archived = True
        project.save(update_fields=["archived"])
        return no_content()

    @extend_schema(
        request=None,
        responses={202: inline_serializer("ExportAccepted", {"location": serializers.URLField()})},
    )
    @action(detail=False, methods=["post"])
    def export(self, request, format=None):
        """Queue an export of every project; the client polls the export's status URL."""
        export_id = uuid.uuid4()
        return accepted(reverse("export-status", args=[export_id]), request)


class ProductPages(CappedPageNumberPagination):
    """Ten products a page, and no paging past API_ERRORS["MAX_RESULT_SET_SIZE"] products."""

    page_size = 10


class ProductViewSet(viewsets.ModelViewSet):
    """Products: a capped list, photo uploads, and the shop's own code and throttle when buying."""

    queryset = Product.objects.order_by("id")
    serializer_class = ProductSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = ProductPages

    @extend_schema(
        request={"multipart/form-data": PhotoSerializer},
        responses={
            200: inline_serializer(
                "PhotoStored", {"name": serializers.CharField(), "size": serializers.IntegerField()}
            )
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photo(self, request, pk=None, format=None):
        """Accept a photo upload (bodies over the API's limit are refused with 413 before this runs)."""
        self.get_object()
        upload = PhotoSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        photo = upload.validated_data["photo"]
        return Response({"name": photo.name, "size": photo.size})

    @action(detail=True, methods=["post"], throttle_classes=[PurchaseRateThrottle])
    def buy(self, request, pk=None, format=None):
        product = self.get_object()
        if product.stock == 0:
            raise ApiError(ShopErrorCode.OUT_OF_STOCK, details=[f"{product.name} is sold out."])
        product.stock -= 1
        product.save(update_fields=["stock"])
        return Response(self.get_serializer(product).data)


class MeView(APIView):
    """The signed-in user; anonymous requests get 401 with a WWW-Authenticate challenge."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        return Response({"username": request.user.get_username()})


class QuoteView(APIView):
    """A quote of the day, throttled to three requests a minute (429 with Retry-After)."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "quotes"

    def get(self, request):
        return Response({"quote": "Errors should never pass silently."})


@api_view(["GET"])
@permission_classes([permissions.AllowAny])
@throttle_classes([])
def boom(request):
    """Fails with an unhandled exception: a 500 whose body says nothing about it."""
    raise RuntimeError("the flux capacitor is out of plutonium")


@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def check_project(request):
    """Validates a project through the model's full_clean(): Django's ValidationError."""
    if not isinstance(request.data, Mapping):
        raise ParseError("The body must be a JSON object.")
    project = Project(name=request.data.get("name", ""), street=request.data.get("street", ""))
    project.full_clean(exclude=["owner"])
    return Response({"valid": True})


def export_status(request: HttpRequest, export_id: uuid.UUID) -> JsonResponse:
    """The status of a queued export (a plain Django view: its failures answer in the API's shape)."""
    return JsonResponse({"id": str(export_id), "state": "queued"})


def health(request: HttpRequest) -> JsonResponse:
    """A plain Django view; during maintenance (``SHOP_MAINTENANCE_RETRY_AFTER`` seconds) it answers 503."""
    retry_after = getattr(settings, "SHOP_MAINTENANCE_RETRY_AFTER", None)
    if retry_after is not None:
        raise ServiceUnavailable(retry_after=retry_after, details=["The shop is being upgraded."])
    return JsonResponse({"status": "ok"})
