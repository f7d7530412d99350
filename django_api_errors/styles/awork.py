"""awork's error body: ``code``, ``description``, ``link``, ``details``, ``validationErrors``.

5xx bodies add the incident ``phrase``; with ``SPACE_FACTS`` on, every body adds a ``space`` fact; with
the ``telemetry.trace_id`` observer, a traced request's body adds its ``traceId``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from django_api_errors.flatten import dotted_path
from django_api_errors.negotiation import JSON
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import cased_field_errors, schema
from django_api_errors.styles.links import link_for
from django_api_errors.styles.space import space_fact

if TYPE_CHECKING:
    from django_api_errors.values import ErrorValue


MEDIA_TYPE = JSON


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
    if error.trace_id:
        body["traceId"] = error.trace_id
    if api_errors_settings.SPACE_FACTS:
        body["space"] = str(space_fact())
    return body


def openapi_schema() -> dict[str, Any]:
    """awork: code, description, link, details, validationErrors; phrase on 5xx; traceId, space optional."""
    phrase = schema.string(description=str(_("Incident phrase of a server error (5xx only).")))
    properties = {
        "code": schema.ref(schema.CODE_COMPONENT),
        "description": schema.string(),
        "link": schema.nullable(schema.string()),
        "details": {"type": "array", "items": schema.string()},
        "validationErrors": {"type": "array", "items": schema.ref(schema.VALIDATION_COMPONENT)},
        "phrase": phrase,
        "traceId": schema.string(description=str(_("The trace id of the request: quote it to support."))),
        "space": schema.string(),
    }
    return schema.object_of(properties, "code", "description", "link", "details", "validationErrors")


openapi_operation_schema = schema.narrowed


def openapi_components() -> dict[str, dict[str, Any]]:
    """awork's ``ValidationError`` item: the field's dotted path (null for the whole object)."""
    properties = {
        "property": schema.nullable(schema.string()),
        "message": schema.string(),
        "code": schema.field_code_ref(),
    }
    return {schema.VALIDATION_COMPONENT: schema.object_of(properties, "property", "message", "code")}
