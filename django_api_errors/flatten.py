"""Flatten DRF and Django validation errors into one list of field errors.

DRF reports serializer failures as nested dicts and lists of ``ErrorDetail``; clients want one flat list
of ``(path, message, code)``. Paths are tuples of segments: ``str`` for a field or dict key, ``int`` for a
list index (or the integer key DRF uses for a list item), rendered as ``items[1].name`` by
:func:`dotted_path` and read back by :func:`parse_path`. Non-field errors belong to the serializer they
were raised in, so they take that serializer's path (``()`` at the top level).

Keys come from the client's body and are echoed in every response, so a path is capped: each key at
:data:`MAX_KEY_LENGTH` characters, at most :data:`MAX_PATH_SEGMENTS` segments and
:data:`MAX_PATH_LENGTH` characters of keys in all; what is cut off is marked by :data:`ELIDED`. So is a
message: DRF's own quote the value they refuse (``"…" is not a valid choice.``), so each is kept to
:data:`MAX_MESSAGE_LENGTH` characters.

The keys of a ``DictField`` (and ``HStoreField``) are the client's own data, not names the serializer
declares: when DRF's error structure still knows its serializer (``serializer.errors`` and
``is_valid(raise_exception=True)`` keep it) and ``PROPERTY_CASE`` re-cases names, such a key becomes a
:class:`DataKey`, which the casing leaves as sent.
"""

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
    """The first ``limit`` messages (all when ``None``) and the number of messages left out.

    Past the cap the walk stops building paths; the rest are only counted, which is far cheaper than
    the validation that produced them.
    """
    found: list[FieldError] = []
    non_field_keys = {drf_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS}
    if limit is not None and limit <= 0:
        return FlattenedErrors([], count_messages(detail))
    omitted = 0
    try:
        _collect(detail, path, found, non_field_keys, sys.maxsize if limit is None else limit)
    except _Full:
        omitted = count_messages(detail) - len(found)
    # Only PROPERTY_CASE reads the marks: as-is (the default) skips the walk along the fields.
    serializer = getattr(detail, "serializer", None)  # DRF's ReturnDict and ReturnList carry it
    if serializer is not None and not path and api_errors_settings.PROPERTY_CASE != "as-is":
        _mark_data_keys(found, serializer)
    return FlattenedErrors(found, omitted)


def _collect(detail: Any, path: Path, found: list[FieldError], non_field_keys: set[str], limit: int) -> None:
    # A plain recursive walk appending to one list: errors can number in the thousands, and this
    # runs on every validation failure, so no generators, the common types are tested first (a list
    # of strings, as DRF reports a field; dict before the slower Mapping check) and each entry is
    # built once, as a tuple, without NamedTuple's Python-level __new__. The cap is checked before
    # each append: reaching it means there is at least one more message.
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
    # Each nested path is walked along the branches of the serializer that hold a DictField; a
    # segment under one becomes a DataKey. A one-segment path is a declared field (or an index), and
    # a serializer without a DictField has no branch, so the common cases cost one check.
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
    """``text`` kept to ``limit`` characters; a longer one keeps its start and ends in :data:`ELIDED`.

    For every value taken from a request and echoed back: keys, messages quoting a refused value,
    a refused charset's name.
    """
    return text if len(text) <= limit else text[:limit] + ELIDED


def capped_message(text: Any) -> str:
    """``str(text)``, kept to :data:`MAX_MESSAGE_LENGTH` characters (the rest elided)."""
    return elided(str(text), MAX_MESSAGE_LENGTH)


#: ``_entry(FieldError, (path, message, code))`` is ``FieldError(path, message, code)``, built in C.
_entry = tuple.__new__


def _child(path: Path, segment: Any) -> Path:
    # The path of a key or index under ``path``, kept within the caps of the module docstring.
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
    if isinstance(detail, str):
        return 1
    if isinstance(detail, (list, tuple)):
        items: Iterable[Any] = detail
    elif isinstance(detail, Mapping):
        items = detail.values()
    else:
        return 0 if detail is None else 1
    count = 0
    for item in items:
        count += 1 if isinstance(item, str) else count_messages(item)
    return count


def dotted_path(path: Iterable[str | int]) -> str | None:
    """Render a path as ``items[1].name``; ``None`` for the top level.

    Dots, brackets and backslashes inside a key are escaped with a backslash, and an empty key keeps
    its dot even at the start, so every rendered path names exactly one place (see :func:`parse_path`).
    """
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
    """The path :func:`dotted_path` rendered as ``rendered``: ``parse_path("items[1].name")``.

    Raises ``ValueError`` for a string ``dotted_path`` never produces (a stray bracket or backslash).
    """
    if rendered is None:
        return ()
    if rendered[:1] not in ("", ".", "["):
        rendered = "." + rendered  # the dot dotted_path leaves off a leading non-empty key
    segments: list[str | int] = []
    position = 0
    while position < len(rendered):
        token = _TOKEN.match(rendered, position)
        if token is None:
            raise ValueError(f"Not a rendered field path: {rendered!r}")
        key, index = token.group("key", "index")
        segments.append(int(index) if index is not None else _UNESCAPE.sub(r"\1", key))
        position = token.end()
    return tuple(segments)


_SPECIAL = frozenset("\\.[]")
_ESCAPES = str.maketrans({"\\": "\\\\", ".": "\\.", "[": "\\[", "]": "\\]"})
_TOKEN = re.compile(r"\.(?P<key>(?:[^\\.\[\]]|\\[\\.\[\]])*)|\[(?P<index>-?[0-9]+)\]")
_UNESCAPE = re.compile(r"\\([\\.\[\]])")
