"""Asana's error body: ``{"errors": [{"message": ...}, ...]}``.

A validation failure gives one entry per field error, ``"<property>: <message>"``; any other error gives
its description followed by one entry per detail. Every entry of a 5xx carries the incident ``phrase``,
``help`` holds the code's documentation link when there is one, and ``trace_id`` the trace id of a
traced request (the ``telemetry.trace_id`` observer).
"""

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
    messages = [_message(dotted_path(path), message) for path, message, _code in cased_field_errors(error)]
    if not messages:
        messages = [str(error.description), *error.details]
    extra: dict[str, str] = {}
    if error.phrase:
        extra["phrase"] = error.phrase
    if error.trace_id:
        extra["trace_id"] = error.trace_id
    link = link_for(error.slug, request)
    if link:
        extra["help"] = link
    return {"errors": [{"message": message, **extra} for message in messages]}


def _message(prop: str | None, message: str) -> str:
    return f"{prop}: {message}" if prop else message


def openapi_schema() -> dict[str, Any]:
    """Asana: a list of ``errors``, each with a message (and a phrase on 5xx)."""
    errors = {"type": "array", "minItems": 1, "items": schema.ref(schema.VALIDATION_COMPONENT)}
    return schema.object_of({"errors": errors}, "errors")


def openapi_operation_schema(slugs: Sequence[str]) -> dict[str, Any]:
    """One operation's body for one status: each ``help`` is the page of one of ``slugs``.

    Asana's body has no code member, and adding one would leave Asana's shape; the code is the last
    segment of ``help``, so the pattern names the codes the operation answers with (and the
    response's description lists them). Without ``DOCS_URL`` or the catalogue there is no ``help``.
    """
    pattern = help_pattern(slugs)
    if pattern is None:
        return schema.ref()
    item = {"type": "object", "properties": {"help": schema.string(pattern=pattern)}}
    only = {"type": "object", "properties": {"errors": {"type": "array", "items": item}}}
    return {"allOf": [schema.ref(), only]}


def help_pattern(slugs: Sequence[str]) -> str | None:
    """An ECMA-262 pattern matching the ``help`` link of each of ``slugs`` (any host for the catalogue)."""
    marker = "code-placeholder"
    link = docs_link(marker)
    anchor = "^"
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
    properties = {"message": schema.string(), "phrase": schema.string(), "help": schema.string()}
    properties["trace_id"] = schema.string()
    return {schema.VALIDATION_COMPONENT: schema.object_of(properties, "message")}
