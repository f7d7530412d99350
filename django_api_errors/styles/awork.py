"""awork's error body: ``code``, ``description``, ``link``, ``details``, ``validationErrors``.

5xx bodies add the incident ``phrase``; with ``SPACE_FACTS`` on, every body adds a ``space`` fact.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from django_api_errors.errors import ApiError
from django_api_errors.flatten import dotted_path
from django_api_errors.links import link_for
from django_api_errors.settings import api_errors_settings
from django_api_errors.space import space_fact
from django_api_errors.styles import cased_field_errors


def render(error: ApiError, request: Request | None) -> dict[str, Any]:
    """The awork-style body of an error."""
    body: dict[str, Any] = {
        "code": error.slug,
        "description": str(error.description),
        "link": link_for(error.slug, request),
        "details": list(error.details),
        "validationErrors": [
            {"property": dotted_path(path), "message": message, "code": code}
            for path, message, code in cased_field_errors(error)
        ],
    }
    if error.phrase:
        body["phrase"] = error.phrase
    if api_errors_settings.SPACE_FACTS:
        body["space"] = str(space_fact())
    return body
