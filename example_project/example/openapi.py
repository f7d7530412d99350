"""Errors the shop's views raise themselves, documented without editing the views.

drf-spectacular's view extensions swap in a subclass for schema generation only; the subclass carries
the ``document_errors`` changes. A project whose views are its own decorates them directly instead.
"""

from drf_spectacular.extensions import OpenApiViewExtension

from django_api_errors.codes import ErrorCode
from django_api_errors.openapi import document_errors
from shop.error_codes import ShopErrorCode


class ProductViewSetErrors(OpenApiViewExtension):
    """Buying a product that is sold out answers 409 ``out-of-stock``."""

    target_class = "shop.views.ProductViewSet"

    def view_replacement(self):
        @document_errors(add=[ShopErrorCode.OUT_OF_STOCK], only=["buy"])
        class ProductViewSet(self.target_class):
            pass

        return ProductViewSet


class ProjectViewSetErrors(OpenApiViewExtension):
    """Archiving a project that is archived already answers 400 ``entity-archived``."""

    target_class = "shop.views.ProjectViewSet"

    def view_replacement(self):
        @document_errors(add=[ErrorCode.ENTITY_ARCHIVED], only=["archive"])
        class ProjectViewSet(self.target_class):
            pass

        return ProjectViewSet
