"""The app's models: the catalogue mirrored from the code enums, and 5xx incidents."""

from django_api_errors.models.catalogue import CatalogueEntry
from django_api_errors.models.incidents import Incident, IncidentGroup

__all__ = ["CatalogueEntry", "Incident", "IncidentGroup"]
