"""The app's models: the catalogue mirrored from the code enums."""

from django_api_errors.catalogue.models import CatalogueEntry

__all__ = ["CatalogueEntry"]
