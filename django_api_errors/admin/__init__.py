"""Django admin for the catalogue and the incidents (one module each)."""

from django_api_errors.admin import catalogue, incidents  # noqa: F401  (registers the ModelAdmins)
