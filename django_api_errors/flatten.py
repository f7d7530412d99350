"""Flatten DRF and Django validation errors into one list of field errors.

DRF reports serializer failures as nested dicts and lists of ``ErrorDetail``; clients want one flat list
of ``(path, message, code)``. Paths are tuples of segments: ``str`` for a field or dict key, ``int`` for a
list index, rendered as ``items[1].name`` by :func:`dotted_path`. Non-field errors belong to the
serializer they were raised in, so they take that serializer's path (``()`` at the top level).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
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
    return list(_walk(detail, path))


def _walk(detail: Any, path: Path) -> Iterator[FieldError]:
    if isinstance(detail, Mapping):
        non_field_keys = (drf_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS)
        for key, value in detail.items():
            yield from _walk(value, path if key in non_field_keys else (*path, key))
    elif isinstance(detail, (list, tuple)):
        for index, item in enumerate(detail):
            if isinstance(item, (Mapping, list, tuple)):
                # A list of structures is a list of items (many=True, ListField): index them.
                yield from _walk(item, (*path, index))
            else:
                yield from _walk(item, path)
    elif detail is not None:
        yield FieldError(path, str(detail), getattr(detail, "code", None) or "invalid")


def dotted_path(path: Iterable[str | int]) -> str | None:
    """Render a path as ``items[1].name``; ``None`` for the top level.

    Dots, brackets and backslashes inside a key are escaped with a backslash, so every rendered path
    names exactly one place in the input.
    """
    rendered = ""
    for segment in path:
        if isinstance(segment, int):
            rendered += f"[{segment}]"
        else:
            key = str(segment).translate(_ESCAPES)
            rendered = f"{rendered}.{key}" if rendered else key
    return rendered or None


_ESCAPES = str.maketrans({"\\": "\\\\", ".": "\\.", "[": "\\[", "]": "\\]"})
