"""The incidents app: attaches the handler that stores incidents to the package's logger."""

import logging
import os

from django.apps import AppConfig
from django.core.signals import request_finished
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Stores every 5xx the core logs as an incident row and counts it in its fingerprint's group."""

    name = "django_api_errors.incidents"
    label = "api_errors_incidents"
    verbose_name = _("API incidents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_api_errors.incidents.handler import IncidentHandler

        logger = logging.getLogger("django_api_errors")
        if not any(isinstance(handler, IncidentHandler) for handler in logger.handlers):
            if not logger.hasHandlers():  # the records still reach stderr, as without this app
                logger.addHandler(logging.lastResort)  # type: ignore[arg-type]
            handler = IncidentHandler()
            logger.addHandler(handler)
            request_finished.connect(handler.request_finished, dispatch_uid="django_api_errors.incidents")
            os.register_at_fork(after_in_child=handler.reset)
