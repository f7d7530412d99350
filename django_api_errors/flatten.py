"""Flatten DRF and Django validation errors into one list of ``(path, message, code)`` field errors, with
the echoed keys and messages capped (docs/flattening.md, docs/hardening.md "Echoed keys")."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS
from rest_framework import serializers
from rest_framework.settings import api_settings as drf_settings

from django_api_errors.settings import api_errors_settings

Path = tuple["str | int", ...]

#: Characters of one key kept in a path; a longer key keeps its start and ends in :data:`ELIDED`.
MAX_KEY_LENGTH = 200
#: Segments kept in a path; a deeper error is reported at the first ones, followed by :data:`ELIDED`.
MAX_PATH_SEGMENTS = 32
#: Characters of keys kept in a whole path; past it the path ends in :data:`ELIDED`.
MAX_PATH_LENGTH = 1000
#: Characters of one message kept; a longer one (quoting a refused value) keeps its start.
MAX_MESSAGE_LENGTH = 500
#: What stands for the part of a key, path or message left out.
ELIDED = "\u2026"


class DataKey(str):
    """A path segment that is a key of the client's own data (a ``DictField``'s): never re-cased."""

    __slots__ = ()


class FieldError(NamedTuple):
    """One validation failure: where it is, what is wrong, and DRF's machine-readable code."""

    path: Path
    message: str
    code: str


class FlattenedErrors(NamedTuple):
    """The field errors kept under a cap, and how many more messages the input held."""

    errors: list[FieldError]
    omitted: int


class _Full(Exception):
    """Raised inside the walk when the cap is reached, to stop building paths at once."""


def flatten_errors(detail: Any, path: Path = ()) -> list[FieldError]:
    """Every message in a DRF error structure, in input order, each with the path it belongs to."""
    return flatten_errors_capped(detail, None, path).errors


def flatten_errors_capped(detail: Any, limit: int | None, path: Path = ()) -> FlattenedErrors:
    """The first ``limit`` messages (all when ``None``) and how many more there are (only counted)."""
    found: list[FieldError] = []
    non_field_keys = {drf_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS}
    omitted = 0
    try:
        _collect(detail, path, found, non_field_keys, sys.maxsize if limit is None else max(limit, 0))
    except _Full:
        omitted = count_messages(detail) - len(found)
    # Only PROPERTY_CASE reads the marks: as-is (the default) skips the walk along the fields.
    serializer = getattr(detail, "serializer", None)  # DRF's ReturnDict and ReturnList carry it
    if serializer is not None and not path and api_errors_settings.PROPERTY_CASE != "as-is":
        _mark_data_keys(found, serializer)
    return FlattenedErrors(found, omitted)


def _collect(detail: Any, path: Path, found: list[FieldError], non_field_keys: set[str], limit: int) -> None:
    # Runs on every validation failure, on up to thousands of errors: a plain recursive walk, the
    # common types tested first, each entry built once in C. Reaching the cap means one more message.
    if isinstance(detail, (list, tuple)):
        for index, item in enumerate(detail):
            if isinstance(item, str):
                if len(found) == limit:
                    raise _Full
                code = getattr(item, "code", None) or "invalid"
                found.append(_entry(FieldError, (path, capped_message(item), code)))
            elif isinstance(item, (list, tuple, dict, Mapping)):
                # A list of structures is a list of items (many=True, ListField): index them.
                _collect(item, _child(path, index), found, non_field_keys, limit)
            else:
                _collect(item, path, found, non_field_keys, limit)
    elif isinstance(detail, (dict, Mapping)):
        for key, value in detail.items():
            child = path if key in non_field_keys else _child(path, key)
            _collect(value, child, found, non_field_keys, limit)
    elif detail is not None:
        if len(found) == limit:
            raise _Full
        found.append(
            _entry(FieldError, (path, capped_message(detail), getattr(detail, "code", None) or "invalid"))
        )


def _mark_data_keys(found: list[FieldError], serializer: Any) -> None:
    # Each nested path follows the serializer's branches holding a DictField; a segment under one
    # becomes a DataKey. One-segment paths and serializers without a DictField cost one check.
    shape = _dict_branches(serializer, set()) if any(len(error[0]) > 1 for error in found) else None
    if shape is None:
        return
    for position, (path, message, code) in enumerate(found):
        node, marked = shape, None
        for depth, segment in enumerate(path):
            if type(node) is dict:
                node = node.get(segment)
            elif node is None:
                break
            else:
                holds_data, node = node
                if holds_data:
                    marked = marked or list(path)
                    marked[depth] = DataKey(segment)
        if marked:
            found[position] = _entry(FieldError, (tuple(marked), message, code))


def _dict_branches(field: Any, seen: set[int]) -> Any:
    # The part of a serializer that leads to a DictField: {field name: branch} for a serializer,
    # (True, branch of the values) for a DictField, (False, branch of the items) for a list; None
    # where no DictField lies below. ``seen`` stops a serializer nested in itself.
    if isinstance(field, serializers.DictField):
        return True, _dict_branches(field.child, seen)
    if isinstance(field, (serializers.ListField, serializers.ListSerializer)):
        below = _dict_branches(field.child, seen)
        return None if below is None else (False, below)
    if isinstance(field, serializers.Serializer) and id(field) not in seen:
        seen.add(id(field))
        branches = {
            name: below for name, child in field.fields.items() if (below := _dict_branches(child, seen))
        }
        return branches or None
    return None


def elided(text: str, limit: int) -> str:
    """``text`` kept to ``limit`` characters (a longer one ends in :data:`ELIDED`): for what a request
    sent and a response echoes."""
    return text if len(text) <= limit else text[:limit] + ELIDED


def capped_message(text: Any) -> str:
    """``str(text)``, kept to :data:`MAX_MESSAGE_LENGTH` characters (the rest elided)."""
    return elided(str(text), MAX_MESSAGE_LENGTH)


#: ``_entry(FieldError, (path, message, code))`` is ``FieldError(path, message, code)``, built in C.
_entry = tuple.__new__


def _child(path: Path, segment: Any) -> Path:
    # The path of a key or index under ``path``, kept within MAX_PATH_SEGMENTS and MAX_PATH_LENGTH.
    depth = len(path)
    if depth and path[-1] == ELIDED:
        return path
    if depth >= MAX_PATH_SEGMENTS:
        return (*path, ELIDED)
    if not isinstance(segment, str):
        return (*path, segment)
    segment = elided(segment, MAX_KEY_LENGTH)
    # Below this depth capped keys cannot add up past MAX_PATH_LENGTH: skip the sum.
    if depth >= _SUMMED_FROM:
        used = sum(len(part) for part in path if isinstance(part, str))
        if used + len(segment) > MAX_PATH_LENGTH:
            return (*path, segment[: max(MAX_PATH_LENGTH - used, 0)] + ELIDED)
    return (*path, segment)


_SUMMED_FROM = MAX_PATH_LENGTH // (MAX_KEY_LENGTH + len(ELIDED))


def count_messages(detail: Any) -> int:
    """How many messages :func:`flatten_errors` would return for ``detail``, without building them."""
    if isinstance(detail, (list, tuple)):
        items: Iterable[Any] = detail
    elif isinstance(detail, (dict, Mapping)):  # dict first: the Mapping check is slower
        items = detail.values()
    else:
        return 0 if detail is None else 1
    count = 0
    for item in items:  # a loop, not sum() over a generator: twice as fast
        count += 1 if isinstance(item, str) else count_messages(item)
    return count


def dotted_path(path: Iterable[str | int]) -> str | None:
    """Render a path as ``items[1].name`` (``None`` for the top level); a key's dots, brackets and
    backslashes are escaped, and an empty key keeps its dot, so each names one place (:func:`parse_path`)."""
    if type(path) is tuple and len(path) == 1:
        # The common case, one plain field name: itself.
        (segment,) = path
        if type(segment) is str and segment and _SPECIAL.isdisjoint(segment):
            return segment
    parts: list[str] = []
    for segment in path:
        if isinstance(segment, int):
            parts.append(f"[{segment}]")
        else:
            key = str(segment)
            if not _SPECIAL.isdisjoint(key):
                key = key.translate(_ESCAPES)
            parts.append(f".{key}" if parts or not key else key)
    return "".join(parts) if parts else None


def parse_path(rendered: str | None) -> Path:
    """The path :func:`dotted_path` rendered as ``rendered``; ``ValueError`` for a string it never
    produces (a stray bracket or backslash)."""
    if rendered is None:
        return ()
    if rendered[:1] not in ("", ".", "["):
        rendered = "." + rendered  # the dot dotted_path leaves off a leading non-empty key
    if not _PATH.fullmatch(rendered):
        raise ValueError(f"Not a rendered field path: {rendered!r}")
    tokens = (token.group("key", "index") for token in _TOKEN.finditer(rendered))
    return tuple(_UNESCAPE.sub(r"\1", key) if index is None else int(index) for key, index in tokens)


_SPECIAL = frozenset("\\.[]")
_ESCAPES = str.maketrans({"\\": "\\\\", ".": "\\.", "[": "\\[", "]": "\\]"})
_TOKEN = re.compile(r"\.(?P<key>(?:[^\\.\[\]]|\\[\\.\[\]])*)|\[(?P<index>-?[0-9]+)\]")
_PATH = re.compile(f"(?:{_TOKEN.pattern})*")  # tokens start with "." or "[": no backtracking
_UNESCAPE = re.compile(r"\\([\\.\[\]])")
