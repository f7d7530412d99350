"""The shop's API again, in Django Ninja: the same models, failures and error bodies as the DRF one.

Mounted beside it at ``/api/ninja/`` (under the API prefix, so the middleware's refusals and Django's
error views answer it too). ``install(api)`` is the one line django-api-errors asks for.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Schema
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle
from rest_framework.authtoken.models import Token

from django_api_errors import ApiError
from django_api_errors.ninja import install
from django_api_errors.openapi import document_errors
from shop.error_codes import ShopErrorCode
from shop.models import Product, Project


class TokenAuth(HttpBearer):
    """DRF's tokens (``Authorization: Token <key>``), so one token signs in to both APIs."""

    openapi_scheme = "token"

    def authenticate(self, request, token):
        found = Token.objects.select_related("user").filter(key=token).first()
        return found.user if found is not None else None


api = NinjaAPI(title="Example shop API (Ninja)", urls_namespace="shop-ninja")
install(api)


class Address(Schema):
    street: str = Field(max_length=120)
    city: str = Field(max_length=80)


class Milestone(Schema):
    title: str = Field(max_length=40)
    due: datetime.date


class ProjectIn(Schema):
    """As the DRF ``ProjectSerializer`` reads a project."""

    name: str = Field(min_length=1, max_length=80)
    budget: Decimal = Field(default=Decimal(0), max_digits=10, decimal_places=2)
    tags: list[Annotated[str, Field(max_length=20)]] = []
    address: Address
    milestones: list[Milestone] = []
    limits: dict[str, Annotated[int, Field(ge=0)]] = {}


class ProjectOut(Schema):
    id: int
    name: str
    archived: bool


class ProductOut(Schema):
    id: int
    name: str
    stock: int


@api.get("/projects/{project_id}", response=ProjectOut)
def get_project(request, project_id: int):
    return get_object_or_404(Project, pk=project_id)


@api.post("/projects", response={201: ProjectOut}, auth=TokenAuth())
def create_project(request, payload: ProjectIn):
    """Create a project; a taken name is refused by the database's unique constraint (409)."""
    address = payload.address
    with transaction.atomic():
        project = Project.objects.create(
            name=payload.name,
            budget=payload.budget,
            tags=payload.tags,
            street=address.street,
            city=address.city,
        )
    return 201, project


@api.post("/products/{product_id}/buy", response=ProductOut, auth=TokenAuth())
@document_errors(add=[ShopErrorCode.OUT_OF_STOCK])
def buy(request, product_id: int):
    """Buy one; a sold-out product answers the shop's own code."""
    product = get_object_or_404(Product, pk=product_id)
    if product.stock == 0:
        raise ApiError(ShopErrorCode.OUT_OF_STOCK, details=[f"{product.name} is sold out."])
    product.stock -= 1
    product.save(update_fields=["stock"])
    return product


@api.get("/me", auth=TokenAuth())
def me(request):
    """The signed-in user; anonymous requests get 401."""
    return {"username": request.auth.get_username()}


@api.get("/quote", throttle=AnonRateThrottle("3/min"))
def quote(request):
    """A quote of the day, three a minute (429 with Retry-After)."""
    return {"quote": "Errors should never pass silently."}


@api.get("/boom")
def boom(request):
    """Fails with an unhandled exception: a 500 whose body says nothing about it."""
    raise RuntimeError("the flux capacitor is out of plutonium")
