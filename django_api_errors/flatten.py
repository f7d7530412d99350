"""Flatten DRF and Django validation errors into one list of field errors.

DRF reports serializer failures as nested dicts and lists of ``ErrorDetail``; clients want one flat list
of ``(path, message, code)``. Paths are tuples of segments: ``str`` for a field or dict key, ``int`` for a
list index, rendered as ``items[1].name`` by :func:`dotted_path`. Non-field errors belong to the
serializer they were raised in, so they take that serializer's path (``()`` at the top level).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS
from rest_framework.settings import api_settings as drf_settings

Path = tuple["str | int", ...]


class FieldError(NamedTuple):
    """One validation failure: where it is, what is wrong, and DRF's machine-readable code."""

    path: Path
    message: str
    code: str


def flatten_errors(detail: Any, path: Path = ()) -> list[FieldError]:
    """Every message in a DRF error structure, in input order, each with the path it belongs to."""
    found: list[FieldError] = []
    non_field_keys = {drf_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS}
    _collect(detail, path, found, non_field_keys)
    return found


def _collect(detail: Any, path: Path, found: list[FieldError], non_field_keys: set[str]) -> None:
    # A plain recursive walk appending to one list: errors can number in the thousands, and this
    # runs on every validation failure, so no generators and the common types are tested first.
    if isinstance(detail, str):
        found.append(FieldError(path, str(detail), getattr(detail, "code", None) or "invalid"))
    elif isinstance(detail, (list, tuple)):
        for index, item in enumerate(detail):
            if isinstance(item, str):
                found.append(FieldError(path, str(item), getattr(item, "code", None) or "invalid"))
            elif isinstance(item, (list, tuple, Mapping)):
                # A list of structures is a list of items (many=True, ListField): index them.
                _collect(item, (*path, index), found, non_field_keys)
            else:
                _collect(item, path, found, non_field_keys)
    elif isinstance(detail, Mapping):
        for key, value in detail.items():
            _collect(value, path if key in non_field_keys else (*path, key), found, non_field_keys)
    elif detail is not None:
        found.append(FieldError(path, str(detail), getattr(detail, "code", None) or "invalid"))


def dotted_path(path: Iterable[str | int]) -> str | None:
    """Render a path as ``items[1].name``; ``None`` for the top level.

    Dots, brackets and backslashes inside a key are escaped with a backslash, so every rendered path
    names exactly one place in the input.
    """
    parts: list[str] = []
    for segment in path:
        if isinstance(segment, int):
            parts.append(f"[{segment}]")
        else:
            key = str(segment)
            if not _SPECIAL.isdisjoint(key):
                key = key.translate(_ESCAPES)
            parts.append(f".{key}" if parts else key)
    return "".join(parts) or None


_SPECIAL = frozenset("\\.[]")
_ESCAPES = str.maketrans({"\\": "\\\\", ".": "\\.", "[": "\\[", "]": "\\]"})
