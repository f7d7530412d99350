"""The app's configuration: collects every project's error codes at start-up."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ApiErrorsConfig(AppConfig):
    """Registers the built-in codes and imports each installed app's ``error_codes`` module."""

    name = "django_api_errors"
    verbose_name = _("API errors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_api_errors import codes  # noqa: F401  (registers the built-in enum)

        autodiscover_modules("error_codes")
