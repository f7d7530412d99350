"""``ApiError``, and turning any exception into one.

``ApiError`` is both the exception a project raises and the one value every failure is normalised
into before a style renders it; :func:`to_api_error` is that normalisation.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.core import exceptions as django_exceptions
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import get_language, ngettext
from rest_framework import exceptions as drf_exceptions
from rest_framework.serializers import as_serializer_error

from django_api_errors import registry
from django_api_errors.codes import BaseErrorCode, ErrorCode, code_for_status
from django_api_errors.flatten import FieldError, FlattenedErrors, flatten_errors_capped
from django_api_errors.settings import api_errors_settings
from django_api_errors.translation import in_language

logger = logging.getLogger("django_api_errors")


class UnknownErrorCode(LookupError):
    """An ``ApiError`` named a slug no registered enum declares: a programming error."""


class ApiError(Exception):
    """An API failure with a catalogue code; raise it from any view, or get one from any exception.

    ``ApiError("entity-archived", details=["Project 7 was archived."])`` answers with the code's status
    and description. Every argument but the code is optional: ``status`` and ``description`` override
    the catalogue's, ``validation_errors`` takes a DRF error structure or a list of ``FieldError``,
    ``headers`` are added to the response.
    """

    def __init__(
        self,
        code: BaseErrorCode | str,
        *,
        status: int | None = None,
        description: str | None = None,
        details: Sequence[str] = (),
        validation_errors: Mapping[str, Any] | Sequence[Any] | FlattenedErrors = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.code = _resolve(code)
        self.status = status or self.code.status
        self.description = str(description) if description is not None else self.code.description
        self.details = [str(detail) for detail in details] if details else []
        self.validation_errors: list[FieldError] = []
        if validation_errors:
            self.validation_errors, omitted = _as_field_errors(validation_errors)
            if omitted:
                self.details.append(omitted_errors_detail(omitted))
        self.headers = dict(headers or {})
        self.phrase: str | None = None
        super().__init__(self.code.value)

    @property
    def slug(self) -> str:
        """The code's slug, e.g. ``validation-failed``."""
        return self.code.value

    def __repr__(self) -> str:
        return f"ApiError({self.code.value!r}, status={self.status})"


class _UnregisteredCode(str):
    """Stand-in for a slug no enum declares, used only outside DEBUG and tests."""

    status = 400
    description = ErrorCode.BAD_REQUEST.description

    @property
    def value(self) -> str:
        return str(self)


def _resolve(code: BaseErrorCode | str) -> BaseErrorCode:
    if isinstance(code, BaseErrorCode):
        return code
    found = registry.lookup(code)
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


def _as_field_errors(errors: Mapping[str, Any] | Sequence[Any] | FlattenedErrors) -> FlattenedErrors:
    # Capped here, once for every source, so a body of 100 000 bad items answers with a short list.
    limit = api_errors_settings.MAX_VALIDATION_ERRORS
    if isinstance(errors, FlattenedErrors):
        return errors
    if isinstance(errors, Mapping):
        return flatten_errors_capped(errors, limit)
    kept = errors if limit is None else errors[:limit]
    field_errors = [error if isinstance(error, FieldError) else FieldError(*error) for error in kept]
    return FlattenedErrors(field_errors, len(errors) - len(kept))


def omitted_errors_detail(count: int) -> str:
    """The detail saying how many field errors were left out of ``validationErrors``."""
    return ngettext(
        "%(count)d more validation error was left out of this response.",
        "%(count)d more validation errors were left out of this response.",
        count,
    ) % {"count": count}


def to_api_error(exc: BaseException, language: str | None = None) -> ApiError:
    """Normalise any exception into an ``ApiError`` (anything unknown is a 500 ``server-error``).

    ``language`` is the request's language when the caller knows it (``request.LANGUAGE_CODE``, set by
    ``LocaleMiddleware``); it saves looking up the active one.
    """
    language = language or get_language()
    error = _normalise(exc, language)
    if not isinstance(error.description, str):
        # Resolved once per language and cached, instead of through gettext on every response.
        error.description = in_language(error.description, language)
    return error


def _normalise(exc: BaseException, language: str | None) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, drf_exceptions.APIException):
        return _from_drf(exc, language)
    if isinstance(exc, django_exceptions.ValidationError):
        return ApiError(ErrorCode.VALIDATION_FAILED, validation_errors=as_serializer_error(exc))
    if isinstance(exc, Http404):
        return ApiError(ErrorCode.NOT_FOUND)
    if isinstance(exc, django_exceptions.PermissionDenied):
        return ApiError(ErrorCode.UNAUTHORIZED)
    if isinstance(exc, django_exceptions.RequestDataTooBig):
        return ApiError(ErrorCode.REQUEST_BODY_TOO_LARGE)
    if isinstance(exc, django_exceptions.SuspiciousOperation):
        return ApiError(ErrorCode.BAD_REQUEST)
    if isinstance(exc, DatabaseError):
        return ApiError(ErrorCode.DATABASE_COMMIT)
    return ApiError(ErrorCode.SERVER_ERROR)


_CODE_BY_DRF_EXCEPTION: dict[type[drf_exceptions.APIException], BaseErrorCode] = {
    drf_exceptions.ParseError: ErrorCode.INVALID_MODEL,
    drf_exceptions.NotAuthenticated: ErrorCode.NOT_AUTHENTICATED,
    drf_exceptions.AuthenticationFailed: ErrorCode.NOT_AUTHENTICATED,
    drf_exceptions.PermissionDenied: ErrorCode.UNAUTHORIZED,
    drf_exceptions.NotFound: ErrorCode.NOT_FOUND,
    drf_exceptions.MethodNotAllowed: ErrorCode.METHOD_NOT_ALLOWED,
    drf_exceptions.NotAcceptable: ErrorCode.NOT_ACCEPTABLE,
    drf_exceptions.UnsupportedMediaType: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    drf_exceptions.Throttled: ErrorCode.TOO_MANY_REQUESTS,
}


def _from_drf(exc: drf_exceptions.APIException, language: str | None) -> ApiError:
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, drf_exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(math.ceil(exc.wait))

    if isinstance(exc, drf_exceptions.ValidationError):
        return ApiError(
            ErrorCode.VALIDATION_FAILED,
            status=exc.status_code,
            validation_errors=flatten_errors_capped(exc.detail, api_errors_settings.MAX_VALIDATION_ERRORS),
            headers=headers,
        )

    code = _code_for_drf(exc)
    # A message other than DRF's stock one was written for the client: keep it as a detail.
    detail = exc.detail
    custom = isinstance(detail, str) and detail != in_language(exc.default_detail, language)
    return ApiError(
        code,
        status=exc.status_code,
        description=in_language(code.description, language),
        details=[str(detail)] if custom else (),
        headers=headers,
    )


def _code_for_drf(exc: drf_exceptions.APIException) -> BaseErrorCode:
    # A project's own APIException may name a catalogue slug as its default_code.
    found = registry.lookup(str(exc.default_code))
    if found is not None:
        return found
    for exception_class in type(exc).__mro__:
        if exception_class in _CODE_BY_DRF_EXCEPTION:
            return _CODE_BY_DRF_EXCEPTION[exception_class]
    return code_for_status(exc.status_code)
