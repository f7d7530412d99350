"""Asana's error body: ``{"errors": [{"message": ...}, ...]}``.

A validation failure gives one entry per field error, ``"<property>: <message>"``; any other error gives
its description followed by one entry per detail. Every entry of a 5xx carries the incident ``phrase``,
and ``help`` holds the code's documentation link when there is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.request import Request

from django_api_errors.flatten import dotted_path
from django_api_errors.links import link_for
from django_api_errors.styles import cased_field_errors, schema

if TYPE_CHECKING:
    from django_api_errors.pipeline import ErrorValue


def render(error: ErrorValue, request: Request | None) -> dict[str, Any]:
    """The Asana-style body of an error."""
    messages = [_message(dotted_path(path), message) for path, message, _code in cased_field_errors(error)]
    if not messages:
        messages = [str(error.description), *error.details]
    extra: dict[str, str] = {}
    if error.phrase:
        extra["phrase"] = error.phrase
    link = link_for(error.slug, request)
    if link:
        extra["help"] = link
    return {"errors": [{"message": message, **extra} for message in messages]}


def _message(prop: str | None, message: str) -> str:
    return f"{prop}: {message}" if prop else message


def openapi_schema() -> dict[str, Any]:
    """Asana: a list of ``errors``, each with a message (and a phrase on 5xx)."""
    return {
        "type": "object",
        "properties": {"errors": {"type": "array", "minItems": 1, "items": schema.validation_ref()}},
        "required": ["errors"],
        "additionalProperties": False,
    }


def openapi_components() -> dict[str, dict[str, Any]]:
    """Asana's error item, shared as ``ValidationError``: every failure is a list of messages."""
    return {
        schema.VALIDATION_COMPONENT: {
            "type": "object",
            "properties": {"message": schema.string(), "phrase": schema.string(), "help": schema.string()},
            "required": ["message"],
            "additionalProperties": False,
        }
    }
