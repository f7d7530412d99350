"""The registry of every error code enum, built as the enums are defined.

Enums register themselves (see :class:`~django_api_errors.codes.BaseErrorCode`); ``AppConfig.ready()``
imports each installed app's ``error_codes`` module so a project's codes are known before the first
request. Lookups by slug are served from a dictionary rebuilt only when an enum is added or removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_api_errors.codes import BaseErrorCode

_enums: list[type[BaseErrorCode]] = []
_by_slug: dict[str, BaseErrorCode] | None = None
_version = 0


def register(enum_class: type[BaseErrorCode]) -> None:
    """Add an enum of codes; called for every subclass of ``BaseErrorCode``."""
    if enum_class not in _enums:
        _enums.append(enum_class)
        _changed()


def unregister(enum_class: type[BaseErrorCode]) -> None:
    """Remove an enum again (for tests that declare throw-away enums)."""
    if enum_class in _enums:
        _enums.remove(enum_class)
        _changed()


def _changed() -> None:
    global _by_slug, _version
    _by_slug, _version = None, _version + 1


def version() -> int:
    """A number that changes whenever an enum is added or removed: part of the keys of cached lookups."""
    return _version


def code_enums() -> tuple[type[BaseErrorCode], ...]:
    """Every registered enum, in the order they were defined."""
    return tuple(_enums)


def all_codes() -> Iterator[BaseErrorCode]:
    """Every member of every registered enum (a slug declared twice appears twice)."""
    for enum_class in _enums:
        yield from enum_class


def lookup(slug: str) -> BaseErrorCode | None:
    """The code with this slug, or ``None``; where a slug is declared twice the first one wins."""
    global _by_slug
    if _by_slug is None:
        _by_slug = {code.value: code for code in reversed(list(all_codes()))}  # reversed: first wins
    return _by_slug.get(slug)
