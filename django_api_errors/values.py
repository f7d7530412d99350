"""The error value: one failure of one request, ready to render, never changed once built."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from django_api_errors.codes import BaseErrorCode
from django_api_errors.flatten import FieldError

#: The shared empty, read-only header mapping.
EMPTY_HEADERS: Mapping[str, str] = MappingProxyType({})


class ErrorValue(NamedTuple):
    """One failure of one request, in the request's language; ``phrase`` is set by ``report`` for a 5xx
    only, ``trace_id`` by an observer. A named tuple (docs/performance.md), copied directly: ``_replace``
    costs three times as much."""

    code: BaseErrorCode
    status: int
    description: str
    details: tuple[str, ...] = ()
    validation_errors: tuple[FieldError, ...] = ()
    headers: Mapping[str, str] = EMPTY_HEADERS
    phrase: str | None = None
    trace_id: str | None = None

    @property
    def slug(self) -> str:
        """The code's slug, e.g. ``validation-failed``."""
        return self.code.slug

    def with_header(self, name: str, value: str) -> ErrorValue:
        """A copy with one more response header."""
        return ErrorValue(*self[:5], MappingProxyType({**self.headers, name: value}), *self[6:])

    def with_phrase(self, phrase: str, header: str) -> ErrorValue:
        """A copy carrying ``phrase``, in the body and in the response header ``header``."""
        return ErrorValue(*self[:5], MappingProxyType({**self.headers, header: phrase}), phrase, *self[7:])
