"""The ``API_ERRORS`` setting, read through one object with documented defaults.

Like DRF's ``api_settings``: ``api_errors_settings.STYLE`` returns the project's value or the default,
values are cached after the first read, and the cache is dropped on Django's ``setting_changed`` signal
so ``override_settings(API_ERRORS=...)`` works in tests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

SETTING_NAME = "API_ERRORS"

DEFAULTS: dict[str, Any] = {
    # Body layout: "awork", "asana", "problem", or the dotted path of a module with a ``render``.
    "STYLE": "awork",
    # Base of each code's ``link``; None links to the app's own catalogue pages (/errors/<code>/).
    "DOCS_URL": None,
    # Unknown slugs in ApiError raise at once when True; None means "when DEBUG or under tests".
    "STRICT_CODES": None,
    # Casing of property names in field errors: "as-is", "camel" (streetName) or "pascal" (StreetName).
    "PROPERTY_CASE": "as-is",
    # Answer in RFC 9457 problem details when the client's Accept asks for application/problem+json.
    "NEGOTIATE": False,
    # awork style: add a fact about space to every body.
    "SPACE_FACTS": False,
    # Paths (request.path_info prefixes) whose Django-level failures answer in the active style; a
    # request elsewhere gets JSON too when its Accept header prefers JSON over HTML.
    "API_PREFIXES": ["/api/"],
    # Largest request body (bytes, by Content-Length, uploads included) the middleware lets through
    # to an API view; None follows DATA_UPLOAD_MAX_MEMORY_SIZE, 0 turns the check off.
    "MAX_REQUEST_BODY_SIZE": None,
    # Largest result set the capped paginators page through; past it they answer result-set-truncated.
    "MAX_RESULT_SET_SIZE": 10_000,
    # Most field errors one response lists; the rest are counted in a detail. None lists them all.
    "MAX_VALIDATION_ERRORS": 100,
    # Write a row to the Incident table for every 5xx (the log line is written either way).
    "INCIDENTS": True,
    # Alias in DATABASES whose settings the incident writer copies for a connection of its own;
    # None means where the database router sends Incident writes (usually "default").
    "INCIDENTS_DATABASE": None,
    # Seconds the incident writer waits to connect (PostgreSQL, MySQL) or for a lock (SQLite).
    "INCIDENTS_TIMEOUT": 2,
    # Dotted path of the error pipeline class (convert, report, render); subclass ErrorPipeline.
    "PIPELINE": "django_api_errors.pipeline.ErrorPipeline",
    # {exception class or dotted path: code, slug, or converter (callable or dotted path)}, over
    # the built-in converters (see docs/pipeline.md).
    "CONVERTERS": {},
    # Request header whose value is logged and stored with an incident as its request id.
    "REQUEST_ID_HEADER": "X-Request-ID",
}


class ApiErrorsSettings:
    """Attribute access to ``settings.API_ERRORS`` merged over :data:`DEFAULTS`."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Invalid API_ERRORS setting: {name!r}")
        user_settings = getattr(settings, SETTING_NAME, None) or {}
        value = user_settings.get(name, DEFAULTS[name])
        self._cache[name] = value
        setattr(self, name, value)
        return value

    def reload(self) -> None:
        """Forget every cached value; the next read sees the current Django settings."""
        for name in self._cache:
            delattr(self, name)
        self._cache.clear()


api_errors_settings = ApiErrorsSettings()


@receiver(setting_changed)
def _reload_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        api_errors_settings.reload()
