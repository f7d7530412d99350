"""Asana's error body, ``{"errors": [{"message": ...}, ...]}`` (docs/styles.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rest_framework.request import Request

from django_api_errors.flatten import dotted_path
from django_api_errors.negotiation import JSON
from django_api_errors.styles import cased_field_errors, schema
from django_api_errors.styles.links import catalogue_path, docs_link, link_for

if TYPE_CHECKING:
    from django_api_errors.values import ErrorValue


MEDIA_TYPE = JSON


def render(error: ErrorValue, request: Request | None) -> dict[str, Any]:
    """The Asana-style body of an error."""
    messages = [
        f"{prop}: {message}" if (prop := dotted_path(path)) else message
        for path, message, _code in cased_field_errors(error)
    ] or [str(error.description), *error.details]
    extra = {"phrase": error.phrase, "trace_id": error.trace_id, "help": link_for(error.slug, request)}
    extra = {name: value for name, value in extra.items() if value}
    return {"errors": [{"message": message, **extra} for message in messages]}


def openapi_schema() -> dict[str, Any]:
    """Asana: a list of ``errors``, each with a message (and a phrase on 5xx)."""
    errors = {"type": "array", "minItems": 1, "items": schema.ref(schema.VALIDATION_COMPONENT)}
    return schema.object_of({"errors": errors}, "errors")


def openapi_operation_schema(slugs: Sequence[str]) -> dict[str, Any]:
    """One operation's body for one status: each ``help`` is the page of one of ``slugs`` (the body has
    no code member: docs/openapi.md); without ``DOCS_URL`` or the catalogue there is no ``help``."""
    pattern = help_pattern(slugs)
    if pattern is None:
        return schema.ref()
    item = {"type": "object", "properties": {"help": schema.string(pattern=pattern)}}
    only = {"type": "object", "properties": {"errors": {"type": "array", "items": item}}}
    return {"allOf": [schema.ref(), only]}


def help_pattern(slugs: Sequence[str]) -> str | None:
    """An ECMA-262 pattern matching the ``help`` link of each of ``slugs`` (any host for the catalogue)."""
    marker = "code-placeholder"
    link, anchor = docs_link(marker), "^"
    if link is None:
        link, anchor = catalogue_path(marker), ""  # absolute from the request's host: match the path
    if link is None:
        return None
    before, after = link.split(marker, 1)
    alternatives = "|".join(_escaped(slug) for slug in slugs)
    return f"{anchor}{_escaped(before)}({alternatives}){_escaped(after)}$"


def _escaped(text: str) -> str:
    # Only the characters special outside a class: "\-" or "\/" is an error in a Unicode-mode pattern.
    return "".join("\\" + char if char in "\\^$.|?*+()[]{}" else char for char in text)


def openapi_components() -> dict[str, dict[str, Any]]:
    """Asana's error item, shared as ``ValidationError``: every failure is a list of messages."""
    properties = {name: schema.string() for name in ("message", "phrase", "trace_id", "help")}
    return {schema.VALIDATION_COMPONENT: schema.object_of(properties, "message")}
