"""The app's configuration: collects every project's error codes at start-up."""

from typing import Any

from django.apps import AppConfig
from django.db import router
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ApiErrorsConfig(AppConfig):
    """Registers the codes of every app, the system checks and the catalogue sync after ``migrate``."""

    name = "django_api_errors"
    verbose_name = _("API errors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_api_errors import checks, codes  # noqa: F401  (registers checks, codes)

        autodiscover_modules("error_codes")
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="django_api_errors.sync")


def sync_after_migrate(
    *, using: str, apps: Any = None, verbosity: int = 1, stdout: Any = None, **kwargs: Any
) -> None:
    """Mirror the code enums into the catalogue once ``migrate`` has brought its table up to date."""
    from django_api_errors.catalogue.models import CatalogueEntry
    from django_api_errors.catalogue.sync import sync_catalogue

    if not router.allow_migrate_model(using, CatalogueEntry):
        return
    try:  # one migration: the migrated state holds the model exactly when its table exists
        if apps is not None:
            apps.get_model(CatalogueEntry._meta.label)
    except LookupError:  # migrated back to zero
        return
    report = sync_catalogue(using=using)
    if verbosity >= 2 and stdout is not None:
        stdout.write(f"Error catalogue: {report}\n")
