"""Building blocks of the styles' OpenAPI schemas (JSON Schema dicts, no drf-spectacular needed).

A style's ``openapi_schema()`` describes its ``ErrorResponse`` body and may reference the shared
``ErrorCode`` enum and ``ValidationError`` item through :func:`code_ref` and :func:`validation_ref`;
its ``openapi_components()`` returns the further components it references.
"""

from __future__ import annotations

from typing import Any

CODE_COMPONENT = "ErrorCode"
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


def validation_ref() -> dict[str, str]:
    """A reference to the style's own ``ValidationError`` component."""
    return {"$ref": f"#/components/schemas/{VALIDATION_COMPONENT}"}
