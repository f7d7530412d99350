"""Django admin for the catalogue."""

from django_api_errors.admin import catalogue  # noqa: F401  (registers the ModelAdmin)
