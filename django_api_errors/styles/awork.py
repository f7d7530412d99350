"""awork's error body: ``code``, ``description``, ``link``, ``details``, ``validationErrors``."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from django_api_errors.errors import ApiError
from django_api_errors.flatten import dotted_path
from django_api_errors.links import link_for


def render(error: ApiError, request: Request | None) -> dict[str, Any]:
    """The awork-style body of an error."""
    body: dict[str, Any] = {
        "code": error.slug,
        "description": str(error.description),
        "link": link_for(error.slug, request),
        "details": list(error.details),
        "validationErrors": [
            {"property": dotted_path(path), "message": message, "code": code}
            for path, message, code in error.validation_errors
        ],
    }
    if error.phrase:
        body["phrase"] = error.phrase
    return body
