"""RFC 9457 problem details, ``application/problem+json`` (docs/styles.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rest_framework.request import Request

from django_api_errors.negotiation import PROBLEM_JSON
from django_api_errors.request_facts import django_request_of
from django_api_errors.styles import cased_field_errors, schema
from django_api_errors.styles.links import type_uri_for

if TYPE_CHECKING:
    from django_api_errors.values import ErrorValue

MEDIA_TYPE = PROBLEM_JSON


def render(error: ErrorValue, request: Request | None) -> dict[str, Any]:
    """The RFC 9457 body of an error."""
    title = str(error.description)
    body: dict[str, Any] = {
        "type": type_uri_for(error.slug, request),
        "title": title,
        "status": error.status,
        "detail": " ".join(error.details) or title,
    }
    if request is not None:
        body["instance"] = django_request_of(request).path  # DRF's Request would proxy it
    body["code"] = error.slug
    if error.phrase:
        body["phrase"] = error.phrase
    if error.trace_id:
        body["traceId"] = error.trace_id
    field_errors = [
        {"pointer": json_pointer(path), "detail": message, "code": code}
        for path, message, code in cased_field_errors(error)
    ]
    if field_errors:
        body["errors"] = field_errors
    return body


def json_pointer(path: Iterable[str | int]) -> str:
    """A path as a URI-fragment JSON Pointer: ``("items", 1, "name")`` gives ``#/items/1/name``."""
    tokens = (str(segment).replace("~", "~0").replace("/", "~1") for segment in path)
    return "#" + "".join("/" + quote(token, safe="~!$&'()*+,;=:@") for token in tokens)


def openapi_schema() -> dict[str, Any]:
    """RFC 9457 problem details with the catalogue code and, for validation, pointed errors
    (``instance`` is optional: a body rendered without a request has none)."""
    properties = {
        "type": schema.string(format="uri-reference"),
        "title": schema.string(),
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": schema.string(),
        "instance": schema.string(),
        "code": schema.ref(schema.CODE_COMPONENT),
        "phrase": schema.string(),
        "traceId": schema.string(),
        "errors": {"type": "array", "items": schema.ref(schema.VALIDATION_COMPONENT)},
    }
    return schema.object_of(properties, "type", "title", "status", "detail", "code", closed=False)


openapi_operation_schema = schema.narrowed


def openapi_components() -> dict[str, dict[str, Any]]:
    """A problem's field error: a JSON pointer into the request body (``#/items/1/name``)."""
    properties = {
        "pointer": schema.string(pattern="^#(/.*)?$"),
        "detail": schema.string(),
        "code": schema.ref(schema.FIELD_CODE_COMPONENT),
    }
    return {
        schema.VALIDATION_COMPONENT: schema.object_of(properties, "pointer", "detail", "code", closed=False)
    }
