"""The example API: every way an API can fail, answered by django-api-errors."""

from django.shortcuts import get_object_or_404
from rest_framework import permissions, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from django_api_errors import ApiError
from django_api_errors.codes import ErrorCode
from shop.error_codes import ShopErrorCode
from shop.models import Product, Project
from shop.serializers import ProductSerializer, ProjectSerializer


class ProjectViewSet(viewsets.ModelViewSet):
    """Projects: validation failures, 404s, and a catalogue code when archiving twice."""

    queryset = Project.objects.order_by("id")
    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        project = self.get_object()
        if project.archived:
            raise ApiError(ErrorCode.ENTITY_ARCHIVED, details=[f"Project {project.pk} is archived already."])
        project.archived = True
        project.save(update_fields=["archived"])
        return Response(self.get_serializer(project).data)


class ProductViewSet(viewsets.ModelViewSet):
    """Products: buying one that is out of stock raises the shop's own code."""

    queryset = Product.objects.order_by("id")
    serializer_class = ProductSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @action(detail=True, methods=["post"])
    def buy(self, request, pk=None):
        product = get_object_or_404(Product, pk=pk)
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
    project = Project(name=request.data.get("name", ""), street=request.data.get("street", ""))
    project.full_clean(exclude=["owner"])
    return Response({"valid": True})
