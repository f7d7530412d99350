"""``ApiError``: the exception a project raises to answer with a catalogue code (``docs/pipeline.md``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from django.core import exceptions as django_exceptions
from django.utils.functional import Promise
from django.utils.translation import ngettext
from rest_framework.serializers import as_serializer_error

from django_api_errors.codes import BaseErrorCode, ErrorCode, lookup
from django_api_errors.flatten import FieldError, FlattenedErrors, flatten_errors, flatten_errors_capped
from django_api_errors.settings import api_errors_settings
from django_api_errors.values import EMPTY_HEADERS

logger = logging.getLogger("django_api_errors")


class UnknownErrorCode(LookupError):
    """An ``ApiError`` named a slug no registered enum declares: a programming error."""


class ApiError(Exception):
    """An API failure with a catalogue code: ``ApiError("entity-archived", details=["It is archived."])``.

    ``status`` and ``description`` override the catalogue's, ``headers`` are added to the response, and
    ``validation_errors`` takes what ``docs/pipeline.md#apierror-input`` lists (anything else is a
    ``TypeError`` at once). Lazy texts are resolved per request; the instance is never changed once built.
    """

    def __init__(
        self,
        code: BaseErrorCode | str,
        *,
        status: int | None = None,
        description: str | None = None,
        details: Sequence[str] = (),
        validation_errors: Any = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.code = _resolve(code)
        self.status = status or self.code.status
        self.description: str | Promise = description if description is not None else self.code.description
        details = tuple(details) if details else ()
        self.validation_errors: tuple[FieldError, ...] = ()
        if validation_errors:
            field_errors, omitted = _as_field_errors(validation_errors)
            self.validation_errors = tuple(field_errors)
            if omitted:
                details = (*details, omitted_errors_detail(omitted))
        self.details: tuple[str | Promise, ...] = details
        self.headers: Mapping[str, str] = MappingProxyType(dict(headers)) if headers else EMPTY_HEADERS
        super().__init__(self.code.value)

    @property
    def slug(self) -> str:
        """The code's slug, e.g. ``validation-failed``."""
        return self.code.slug

    def __repr__(self) -> str:
        return f"ApiError({self.code.value!r}, status={self.status})"


class _UnregisteredCode(str):
    """Stand-in for a slug no enum declares, used only outside DEBUG and tests."""

    status = 400
    description = ErrorCode.BAD_REQUEST.description

    @property
    def value(self) -> str:
        return str(self)

    slug = value  # read by the styles, as BaseErrorCode.slug


def _resolve(code: BaseErrorCode | str) -> BaseErrorCode:
    found = code if isinstance(code, BaseErrorCode) else lookup(code)
    if found is not None:
        return found
    if _strict_codes():
        raise UnknownErrorCode(f"No error code enum declares the slug {code!r}.")
    # In production a typo in a slug must not turn a client error into a server error.
    logger.error("ApiError raised with the unknown code %r", code)
    return _UnregisteredCode(code)  # type: ignore[return-value]


def _strict_codes() -> bool:
    strict = api_errors_settings.STRICT_CODES
    if strict is not None:
        return bool(strict)
    from django.conf import settings
    from django.core import mail

    # Django's test set-up (setup_test_environment) gives the mail module an outbox.
    return settings.DEBUG or hasattr(mail, "outbox")


def _as_field_errors(errors: Any) -> FlattenedErrors:
    # Capped here, once for every source, so a body of 100 000 bad items answers with a short list.
    limit = api_errors_settings.MAX_VALIDATION_ERRORS
    if isinstance(errors, django_exceptions.ValidationError):
        errors = as_serializer_error(errors)
    if isinstance(errors, (list, tuple)):
        errors = [_field_error(item) for item in errors]
    _check_shape(errors)
    given = [item for item in errors if isinstance(item, FieldError)] if isinstance(errors, list) else []
    if not given:
        return flatten_errors_capped(errors, limit)
    every = given + flatten_errors([item for item in errors if not isinstance(item, FieldError)])
    kept = every if limit is None else every[:limit]
    return FlattenedErrors(kept, len(every) - len(kept))


def _field_error(item: Any) -> Any:
    # A (path, message, code) triple is a FieldError written without the name; a str path is one field.
    if type(item) is tuple and len(item) == 3 and isinstance(item[1], (str, Promise)):
        path, message, code = item
        if isinstance(path, (str, tuple)):
            return FieldError((path,) if isinstance(path, str) else path, message, code)
    return item


def _check_shape(errors: Any) -> None:
    """Raise ``TypeError`` for anything but messages in lists and dicts, or ``FieldError`` items."""
    pending = [errors]
    while pending:
        item = pending.pop()
        if isinstance(item, (str, Promise, FieldError)):
            continue
        if isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        else:
            raise TypeError(
                "validation_errors takes a message, a list or a dict of messages (nested as DRF's "
                "ValidationError.detail), a Django ValidationError, or FieldError items; "
                f"got {type(item).__name__}: {item!r:.80}"
            )


def omitted_errors_detail(count: int) -> str:
    """The detail saying how many field errors were left out of ``validationErrors``."""
    return ngettext(
        "%(count)d more validation error was left out of this response.",
        "%(count)d more validation errors were left out of this response.",
        count,
    ) % {"count": count}
