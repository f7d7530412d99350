"""Django admin for the catalogue."""

from django_api_errors.catalogue import admin  # noqa: F401  (registers the ModelAdmin)
