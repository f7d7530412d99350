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
    """One failure of one request, ready to render: nothing in it changes once built.

    ``description`` and every detail are plain strings in the request's language; ``validation_errors``
    are ``(path, message, code)`` field errors; ``phrase`` is set by the pipeline's ``report`` step
    for a 5xx only, ``trace_id`` by the ``telemetry.trace_id`` observer. A named tuple: immutable,
    and built in one step on every error (a frozen dataclass sets each field through
    ``object.__setattr__``, three times the cost); a changed copy is ``value._replace(...)``.
    """

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
        headers = MappingProxyType({**self.headers, name: value})
        return ErrorValue(*self[:5], headers, *self[6:])

    def with_phrase(self, phrase: str, header: str) -> ErrorValue:
        """A copy carrying ``phrase``, in the body and in the response header ``header``."""
        # Built directly: this runs on every 5xx, and _replace costs three times as much.
        headers = MappingProxyType({**self.headers, header: phrase})
        return ErrorValue(*self[:5], headers, phrase, self.trace_id)
