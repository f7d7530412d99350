"""Building blocks of the styles' OpenAPI schemas (JSON Schema dicts, no drf-spectacular needed).

A style's ``openapi_schema()`` describes its ``ErrorResponse`` body and may reference the shared
``ErrorCode`` enum, the ``FieldErrorCode`` enum and the ``ValidationError`` item through
:func:`code_ref`, :func:`field_code_ref` and :func:`validation_ref`; its ``openapi_components()``
returns the further components it references, and its optional ``openapi_operation_schema(slugs)``
the body one operation answers with one status (:func:`narrowed` for a style with a code member).
"""

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


def code_ref() -> dict[str, str]:
    """A reference to the shared enum of every catalogue slug."""
    return {"$ref": f"#/components/schemas/{CODE_COMPONENT}"}


def field_code_ref() -> dict[str, str]:
    """A reference to the shared enum of the field error codes DRF, Django and the project use."""
    return {"$ref": f"#/components/schemas/{FIELD_CODE_COMPONENT}"}


def response_ref(component: str = RESPONSE_COMPONENT) -> dict[str, str]:
    """A reference to the style's ``ErrorResponse`` (or another body component)."""
    return {"$ref": f"#/components/schemas/{component}"}


def narrowed(
    slugs: Sequence[str], member: str = "code", component: str = RESPONSE_COMPONENT
) -> dict[str, Any]:
    """``component`` whose ``member`` is one of ``slugs``: the codes one operation answers with one status.

    A generator turns it into the shared body type intersected with a union of string literals, so a
    client's ``switch`` on the code narrows and a code the operation cannot answer does not compile.
    """
    only = {
        "type": "object",
        "properties": {member: {"type": "string", "enum": list(slugs)}},
        "required": [member],
    }
    return {"allOf": [response_ref(component), only]}


def validation_ref() -> dict[str, str]:
    """A reference to the style's own ``ValidationError`` component."""
    return {"$ref": f"#/components/schemas/{VALIDATION_COMPONENT}"}
