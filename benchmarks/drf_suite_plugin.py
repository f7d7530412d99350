"""pytest plugin for ``benchmarks/drf_suite.py``: DRF's test settings with our exception handler.

DRF's ``tests/conftest.py`` calls ``settings.configure(...)`` then ``django.setup()`` in its
``pytest_configure``. This plugin's hook runs first and wraps ``configure`` so the same call also
installs ``django_api_errors`` (its models need the app) and sets ``EXCEPTION_HANDLER``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import LazySettings

HANDLER = "django_api_errors.handler.exception_handler"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Make DRF's ``settings.configure`` call add our app and handler to its settings."""
    configure = LazySettings.configure

    def configure_with_handler(self: LazySettings, default_settings: Any = None, **options: Any) -> None:
        options["INSTALLED_APPS"] = (*options.get("INSTALLED_APPS", ()), "django_api_errors")
        options["REST_FRAMEWORK"] = {**options.get("REST_FRAMEWORK", {}), "EXCEPTION_HANDLER": HANDLER}
        if default_settings is None:
            configure(self, **options)
        else:
            configure(self, default_settings, **options)

    LazySettings.configure = configure_with_handler
