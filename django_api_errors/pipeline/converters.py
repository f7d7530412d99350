"""The converters table: the one place that says what each exception class answers (``docs/pipeline.md``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from django.core import exceptions as django_exceptions
from django.db import DatabaseError, IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf_exceptions
from rest_framework.request import Request
from rest_framework.serializers import as_serializer_error

from django_api_errors.caches import BoundedCache, cached
from django_api_errors.codes import BaseErrorCode, ErrorCode, code_for_status, lookup
from django_api_errors.errors import ApiError, omitted_errors_detail
from django_api_errors.flatten import FieldError, capped_message, flatten_errors_capped
from django_api_errors.pipeline import db_errors
from django_api_errors.pipeline.translation import in_language
from django_api_errors.request_facts import django_request_of, language_of
from django_api_errors.settings import api_errors_settings
from django_api_errors.values import EMPTY_HEADERS, ErrorValue

Converted = ApiError | ErrorValue | BaseErrorCode | str
Converter = Callable[[BaseException, Any], Converted]
ConverterT = TypeVar("ConverterT", bound=Callable[..., Any])

#: Seconds a client is asked to wait when the database cannot be reached or is locked.
DATABASE_RETRY_AFTER = 5

NESTED_TOO_DEEP = _("The body is nested too deeply to be read.")
PARTLY_KEPT = _(
    "The changes could not be saved to the database; changes made earlier in this request may have been kept."
)
ALREADY_EXISTS = _("An entity with this value already exists.")
STILL_REFERRED_TO = _("Other data still refers to it: %(models)s.")

#: Field error codes of a value already taken: DRF's unique validators and Django's model validation.
DUPLICATE_CODES = frozenset({"unique", "unique_together"})


def _itself(exc: BaseException, request: Any) -> Converted:
    """Its own code."""
    return exc  # type: ignore[return-value]


class Answer(NamedTuple):
    """One code a converter may answer with, and the status it answers it with."""

    code: BaseErrorCode
    status: int


def answers(*answered: BaseErrorCode | tuple[BaseErrorCode, int]) -> Callable[[ConverterT], ConverterT]:
    """Declare what a converter can answer with: codes (at their own status) or ``(code, status)``, for
    the OpenAPI schema and the docs' table (a converter without it is documented by its docstring)."""
    declared = tuple(
        Answer(*item) if isinstance(item, tuple) else Answer(item, item.status) for item in answered
    )

    def declare(converter: ConverterT) -> ConverterT:
        converter.answers = declared  # type: ignore[attr-defined]
        return converter

    return declare


def from_drf(code: BaseErrorCode | None, *statuses: int) -> Converter:
    """The converter of a DRF exception class answering ``code`` (None: its ``default_code`` if that is a
    slug, else its status's code); a 4xx keeps a message that is not DRF's stock text, a 5xx none."""

    @answers(*((code, status) for status in statuses or (code.status,)) if code else ())
    def convert(exc: drf_exceptions.APIException, request: Any) -> ErrorValue:
        stock = _stock_value(exc, language_of(request), code)
        detail, value = exc.detail, stock.value
        custom = (
            exc.status_code < 500
            and isinstance(detail, str)
            # str's own comparison: ErrorDetail's compares codes, raising AttributeError for a plain str.
            and str.__ne__(detail, stock.text)
            and not stock.formatted.fullmatch(detail)
        )
        retry = isinstance(exc, drf_exceptions.Throttled) and exc.wait is not None
        if not (custom or retry):
            return value  # built once: DRF's exceptions are the common case
        headers = value.headers
        if retry:
            headers = MappingProxyType({**headers, "Retry-After": str(math.ceil(exc.wait))})
            # Throttled appends its wait sentence to a custom message too; Retry-After says it.
            cut = detail.rfind(stock.wait_sentence) if custom else -1
            detail = detail[:cut] if cut > 0 else detail
        details = (capped_message(detail),) if custom else ()  # it may quote the request (415, 406)
        return ErrorValue(value.code, value.status, value.description, details, (), headers)

    if code is None:
        convert.__doc__ = "Its `default_code` when that is a catalogue slug, else its status's code."
    return convert


class _Stock(NamedTuple):
    """DRF's stock message of one class in one language, as raised (``text``) and as formatted (``{method}``,
    ``{media_type}``, the wait ``Throttled`` appends after ``wait_sentence``), and the value it answers."""

    source: Any
    text: str
    formatted: re.Pattern[str]
    wait_sentence: str
    value: ErrorValue


def _stock_value(
    exc: drf_exceptions.APIException, language: str | None, code: BaseErrorCode | None
) -> _Stock:
    """DRF's stock message of ``exc`` in ``language``, and the value of ``exc`` raised with it: the same
    for one class, code, status, language and ``WWW-Authenticate``, so built once per such key."""
    auth_header = getattr(exc, "auth_header", None)
    key = (type(exc), code, exc.default_code, exc.status_code, language, auth_header)
    entry = _stock_values.get(key)
    if entry is None or entry.source is not exc.default_detail:
        code = lookup(str(exc.default_code)) or code or code_for_status(exc.status_code)
        headers = MappingProxyType({"WWW-Authenticate": auth_header}) if auth_header else EMPTY_HEADERS
        value = ErrorValue(code, exc.status_code, in_language(code.description, language), (), (), headers)
        text = in_language(exc.default_detail, language)
        throttled = isinstance(exc, drf_exceptions.Throttled)
        wait = " " + in_language(exc.extra_detail_plural, language).partition("{")[0] if throttled else ""
        formatted = re.sub(r"\\\{\w+\\\}", ".*", re.escape(text)) + (" .*" if throttled else "")
        entry = _stock_values.put(
            key, _Stock(exc.default_detail, text, re.compile(formatted, re.S), wait, value)
        )
    return entry


#: ``_stock_value``'s results by key (a project raises a few dozen classes).
_stock_values = BoundedCache(512)


@answers(ErrorCode.VALIDATION_FAILED, ErrorCode.DUPLICATION_VIOLATION)
def from_drf_validation(exc: drf_exceptions.ValidationError, request: Any) -> ErrorValue:
    """A serializer's failure: ``validation-failed`` with its field errors, flattened once; 409
    ``duplication-violation`` when every one says a value is taken (see :func:`duplicates_only`)."""
    errors, omitted = flatten_errors_capped(exc.detail, api_errors_settings.MAX_VALIDATION_ERRORS)
    code, status = ErrorCode.VALIDATION_FAILED, exc.status_code
    if not omitted and duplicates_only(errors):
        code, status = ErrorCode.DUPLICATION_VIOLATION, ErrorCode.DUPLICATION_VIOLATION.status
    description = in_language(code.description, language_of(request))
    details = (omitted_errors_detail(omitted),) if omitted else ()
    return ErrorValue(code, status, description, details, tuple(errors), EMPTY_HEADERS)


def duplicates_only(errors: Sequence[FieldError]) -> bool:
    """Whether every field error says a value is taken (DRF's unique validators, Django's model validation),
    so a duplicate answers alike whichever layer refused it; any other error beside them keeps the 400."""
    for error in errors:  # a loop, not all(): no generator to close on the 400's path
        if error.code not in DUPLICATE_CODES:
            return False
    return bool(errors)


@answers(ErrorCode.VALIDATION_FAILED, ErrorCode.DUPLICATION_VIOLATION)
def from_django_validation(exc: django_exceptions.ValidationError, request: Any) -> ErrorValue:
    """A model or form ``ValidationError``: as DRF's, read as DRF reads it."""
    return from_drf_validation(drf_exceptions.ValidationError(as_serializer_error(exc)), request)


@answers(ErrorCode.DUPLICATION_VIOLATION, ErrorCode.DATABASE_COMMIT)
def from_integrity_error(exc: IntegrityError, request: Any) -> Converted:
    """A unique constraint refused: 409 ``duplication-violation`` naming the model fields it knows; any
    other integrity failure (a foreign key, a NOT NULL) is a server error."""
    fields = db_errors.unique_violation_fields(exc)
    if fields is None:
        return from_database_error(exc, request)
    field_errors = [FieldError((name,), str(ALREADY_EXISTS), "unique") for name in fields]
    return ApiError(ErrorCode.DUPLICATION_VIOLATION, validation_errors=field_errors)


@answers((ErrorCode.INVALID_OPERATION, 409))
def from_protected_error(exc: ProtectedError | RestrictedError, request: Any) -> ApiError:
    """A delete that other rows forbid (``on_delete=PROTECT`` or ``RESTRICT``): 409 ``invalid-operation``
    naming the models of the rows that block it, by their verbose names (never a table)."""
    blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
    with override(language_of(request)):
        names = sorted({str(type(row)._meta.verbose_name_plural) for row in blocking})
        detail = gettext(STILL_REFERRED_TO) % {"models": ", ".join(names[:10])}  # ten names at most
    return ApiError(ErrorCode.INVALID_OPERATION, status=409, details=[detail] if names else ())


@answers(ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.DATABASE_COMMIT)
def from_operational_error(exc: OperationalError, request: Any) -> Converted:
    """A database that cannot be reached or is locked: 503 with ``Retry-After``; else as any failure."""
    if not db_errors.is_unavailable(exc):
        return from_database_error(exc, request)
    from django_api_errors.exceptions import ServiceUnavailable

    return ServiceUnavailable(retry_after=DATABASE_RETRY_AFTER)


@answers(ErrorCode.DATABASE_COMMIT)
def from_database_error(exc: BaseException, request: Any) -> Converted:
    """``database-commit``; saying "nothing kept" only when the request's transaction is rolled back."""
    if db_errors.request_rolled_back(django_request_of(request)):
        return ErrorCode.DATABASE_COMMIT
    return ApiError(ErrorCode.DATABASE_COMMIT, description=PARTLY_KEPT)


@answers(ErrorCode.INVALID_MODEL, ErrorCode.SERVER_ERROR)
def from_recursion_error(exc: RecursionError, request: Any) -> Converted:
    """Too deep for the parser: 400 ``invalid-model`` when DRF's ``Request._parse`` is among the frames
    the error passed through (only the body's depth recurses there); a recursive bug is a server error."""
    if db_errors.raised_in(exc, Request._parse.__code__):
        return ApiError(ErrorCode.INVALID_MODEL, details=[NESTED_TOO_DEEP])
    return ErrorCode.SERVER_ERROR


#: Django 6.0's ``Model.NotUpdated`` (a forced update that changed no row): someone else's change won.
_NOT_UPDATED = getattr(django_exceptions, "ObjectNotUpdated", None)

#: The built-in table; the project's ``CONVERTERS`` are merged over it. Its docs page is generated.
BUILT_IN_CONVERTERS: Mapping[type[BaseException], BaseErrorCode | Converter] = MappingProxyType(
    {
        ApiError: _itself,
        drf_exceptions.ValidationError: from_drf_validation,
        drf_exceptions.ParseError: from_drf(ErrorCode.INVALID_MODEL),
        drf_exceptions.NotAuthenticated: from_drf(ErrorCode.NOT_AUTHENTICATED, 401, 403),
        drf_exceptions.AuthenticationFailed: from_drf(ErrorCode.NOT_AUTHENTICATED, 401, 403),
        drf_exceptions.PermissionDenied: from_drf(ErrorCode.UNAUTHORIZED),
        drf_exceptions.NotFound: from_drf(ErrorCode.NOT_FOUND),
        drf_exceptions.MethodNotAllowed: from_drf(ErrorCode.METHOD_NOT_ALLOWED),
        drf_exceptions.NotAcceptable: from_drf(ErrorCode.NOT_ACCEPTABLE),
        drf_exceptions.UnsupportedMediaType: from_drf(ErrorCode.UNSUPPORTED_MEDIA_TYPE),
        drf_exceptions.Throttled: from_drf(ErrorCode.TOO_MANY_REQUESTS),
        drf_exceptions.APIException: from_drf(None),
        django_exceptions.ValidationError: from_django_validation,
        # Django's own table (django/core/handlers/exception.py, response_for_exception), with the
        # same statuses; only RequestDataTooBig says 413, as the middleware's own refusal does.
        Http404: ErrorCode.NOT_FOUND,
        django_exceptions.PermissionDenied: ErrorCode.UNAUTHORIZED,
        MultiPartParserError: ErrorCode.INVALID_MODEL,  # as DRF's ParseError of the same body
        django_exceptions.BadRequest: ErrorCode.BAD_REQUEST,
        django_exceptions.RequestDataTooBig: ErrorCode.REQUEST_BODY_TOO_LARGE,
        django_exceptions.SuspiciousOperation: ErrorCode.BAD_REQUEST,
        # Conflicts with the stored data.
        ProtectedError: from_protected_error,
        RestrictedError: from_protected_error,
        **({_NOT_UPDATED: ErrorCode.CONCURRENCY_VIOLATION} if _NOT_UPDATED else {}),
        IntegrityError: from_integrity_error,
        OperationalError: from_operational_error,
        DatabaseError: from_database_error,
        RecursionError: from_recursion_error,
        BaseException: ErrorCode.SERVER_ERROR,
    }
)


class ConverterTable:
    """The merged table, each class's converter found once along its MRO; ``project``: the classes the
    project's ``CONVERTERS`` name (any view may raise them: every operation documents them)."""

    def __init__(
        self, entries: Mapping[type[BaseException], BaseErrorCode | Converter], project: Sequence[type] = ()
    ) -> None:
        self.entries = dict(entries)
        self.project = tuple(project)
        self._found: dict[type[BaseException], Converter] = {}

    def entry(self, exc_type: type[BaseException]) -> BaseErrorCode | Converter:
        """The entry of the nearest class in ``exc_type``'s MRO that the table names."""
        return next(self.entries[cls] for cls in exc_type.__mro__ if cls in self.entries)

    def find(self, exc_type: type[BaseException]) -> Converter:
        """The converter of :meth:`entry`, as a callable."""
        converter = self._found.get(exc_type)
        if converter is None:
            entry = self.entry(exc_type)
            constant = not callable(entry) or isinstance(entry, str)
            converter = (lambda exc, request, code=entry: code) if constant else entry
            self._found[exc_type] = converter
        return converter

    def answers(self, exc_type: type[BaseException]) -> tuple[Answer, ...]:
        """What ``exc_type`` can answer with: its code, or what its converter declares (:func:`answers`)."""
        entry = self.entry(exc_type)
        if isinstance(entry, str | BaseErrorCode):
            code = lookup(entry) if isinstance(entry, str) else entry
            return (Answer(code, code.status),) if code is not None else ()
        return getattr(entry, "answers", ())


@cached(1)
def converter_table() -> ConverterTable:
    """The built-ins with ``API_ERRORS["CONVERTERS"]`` merged over them (rebuilt on settings change)."""
    project = dict(api_errors_settings.CONVERTERS or {})  # dotted paths imported by the settings accessor
    built_in = {k: v for k, v in BUILT_IN_CONVERTERS.items() if k not in project}
    return ConverterTable({**project, **built_in}, list(project))
