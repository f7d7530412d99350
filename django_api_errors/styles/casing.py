"""Property names in the client's casing: ``as-is``, ``camel`` (``streetName``) or ``pascal``.

``camel`` follows djangorestframework-camel-case's rule (an underscore before a lower-case letter or
digit is dropped, the character upper-cased); a :class:`~django_api_errors.flatten.DataKey` (the
client's own key) is never re-cased.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django_api_errors.flatten import DataKey, Path

CASES = ("as-is", "camel", "pascal")

_UNDERSCORE = re.compile(r"[a-z0-9]?_[a-z0-9]")


def _camel(match: re.Match[str]) -> str:
    group = match.group()
    return group[0] + group[2].upper() if len(group) == 3 else group[1].upper()


def convert_key(key: str, case: str) -> str:
    """One field or dict key in the given case."""
    if case == "as-is":
        return key
    camel = _UNDERSCORE.sub(_camel, key)
    return camel[:1].upper() + camel[1:] if case == "pascal" else camel


def convert_path(path: Iterable[str | int], case: str) -> Path:
    """Every field name of a path in the given case; list indexes and the client's keys stay as sent."""
    if case == "as-is":
        return tuple(path)
    return tuple(
        segment if isinstance(segment, (int, DataKey)) else convert_key(str(segment), case)
        for segment in path
    )
