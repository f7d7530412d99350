"""System check of the optional OpenAPI integration (``manage.py check``).

==================  ==========================================================================
``api_errors.E030``  DRF's ``DEFAULT_SCHEMA_CLASS`` is this package's ``AutoSchema`` but
                     drf-spectacular is not installed (``pip install "django-api-errors[openapi]"``)
==================  ==========================================================================
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.utils.translation import gettext_lazy as _
from rest_framework.settings import api_settings

TAG = "api_errors"
OPENAPI_MODULE = "django_api_errors.openapi"
EXTRA = "django-api-errors[openapi]"


def drf_spectacular_importable() -> bool:
    """Whether ``import drf_spectacular`` succeeds (the ``openapi`` extra is installed)."""
    try:
        importlib.import_module("drf_spectacular")
    except ImportError:
        return False
    return True


@register(TAG)
def check_openapi_extra(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E030: our ``AutoSchema`` is configured, so drf-spectacular must be importable."""
    # The raw setting: resolving it through api_settings would import the schema class and fail.
    schema_class = api_settings.user_settings.get("DEFAULT_SCHEMA_CLASS")
    if not isinstance(schema_class, str) or not schema_class.startswith(f"{OPENAPI_MODULE}."):
        return []
    if drf_spectacular_importable():
        return []
    return [
        Error(
            _("DEFAULT_SCHEMA_CLASS is %(path)r, but drf-spectacular is not installed.")
            % {"path": schema_class},
            hint=_('Install the OpenAPI extra: pip install "%(extra)s".') % {"extra": EXTRA},
            id="api_errors.E030",
        )
    ]
