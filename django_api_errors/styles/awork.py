"""awork's error body: ``code``, ``description``, ``link``, ``details``, ``validationErrors``.

5xx bodies add the incident ``phrase``; with ``SPACE_FACTS`` on, every body adds a ``space`` fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from django_api_errors.flatten import dotted_path
from django_api_errors.links import link_for
from django_api_errors.settings import api_errors_settings
from django_api_errors.space import space_fact
from django_api_errors.styles import cased_field_errors, schema

if TYPE_CHECKING:
    from django_api_errors.pipeline import ErrorValue


def render(error: ErrorValue, request: Request | None) -> dict[str, Any]:
    """The awork-style body of an error."""
    slug = error.code.slug
    body: dict[str, Any] = {
        "code": slug,
        "description": str(error.description),
        "link": link_for(slug, request),
        "details": list(error.details),
        "validationErrors": [
            {"property": dotted_path(path), "message": message, "code": code}
            for path, message, code in cased_field_errors(error)
        ]
        if error.validation_errors
        else [],
    }
    if error.phrase:
        body["phrase"] = error.phrase
    if api_errors_settings.SPACE_FACTS:
        body["space"] = str(space_fact())
    return body


def openapi_schema() -> dict[str, Any]:
    """awork: code, description, link, details, validationErrors; phrase on 5xx; space optional."""
    return {
        "type": "object",
        "properties": {
            "code": schema.code_ref(),
            "description": schema.string(),
            "link": schema.nullable(schema.string()),
            "details": {"type": "array", "items": schema.string()},
            "validationErrors": {"type": "array", "items": schema.validation_ref()},
            "phrase": schema.string(description=str(_("Incident phrase of a server error (5xx only)."))),
            "space": schema.string(),
        },
        "required": ["code", "description", "link", "details", "validationErrors"],
        "additionalProperties": False,
    }


def openapi_operation_schema(slugs: Sequence[str]) -> dict[str, Any]:
    """One operation's body for one status: ``ErrorResponse`` with ``code`` one of ``slugs``."""
    return schema.narrowed(slugs)


def openapi_components() -> dict[str, dict[str, Any]]:
    """awork's ``ValidationError`` item: the field's dotted path (null for the whole object)."""
    return {
        schema.VALIDATION_COMPONENT: {
            "type": "object",
            "properties": {
                "property": schema.nullable(schema.string()),
                "message": schema.string(),
                "code": schema.field_code_ref(),
            },
            "required": ["property", "message", "code"],
            "additionalProperties": False,
        }
    }
