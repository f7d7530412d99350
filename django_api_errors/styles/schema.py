"""Building blocks of the styles' OpenAPI schemas, plain JSON Schema dicts (docs/openapi.md#styles)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CODE_COMPONENT = "ErrorCode"
FIELD_CODE_COMPONENT = "FieldErrorCode"
RESPONSE_COMPONENT = "ErrorResponse"
VALIDATION_COMPONENT = "ValidationError"


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null, written as the OpenAPI version in use wants it."""
    try:
        from drf_spectacular.settings import spectacular_settings

        version = spectacular_settings.OAS_VERSION
    except ImportError:
        version = "3.0.3"
    if version.startswith("3.0"):
        return {**schema, "nullable": True}
    return {**schema, "type": [schema["type"], "null"]}


def string(**extra: Any) -> dict[str, Any]:
    """A string schema."""
    return {"type": "string", **extra}


def ref(component: str = RESPONSE_COMPONENT) -> dict[str, str]:
    """A reference to a shared component: the style's ``ErrorResponse`` unless another is named."""
    return {"$ref": f"#/components/schemas/{component}"}


def object_of(properties: dict[str, Any], *required: str, closed: bool = True) -> dict[str, Any]:
    """An object of ``properties`` (only those when ``closed``), of which ``required`` must be present."""
    found = {"type": "object", "properties": properties, "required": list(required)}
    return {**found, "additionalProperties": False} if closed else found


def narrowed(slugs: Sequence[str], component: str = RESPONSE_COMPONENT) -> dict[str, Any]:
    """``component`` whose ``code`` is one of ``slugs``: generated clients get a union of literals, so a
    ``switch`` on the code narrows and a code the operation cannot answer does not compile."""
    only = {
        "type": "object",
        "properties": {"code": {"type": "string", "enum": list(slugs)}},
        "required": ["code"],
    }
    return {"allOf": [ref(component), only]}
