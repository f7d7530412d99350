"""Error codes: enums of :class:`BaseErrorCode` are the catalogue's source of truth (docs/catalogue.md).

Every such enum registers itself here when its class is created; ``AppConfig.ready()`` imports each
installed app's ``error_codes`` module so a project's codes are known before the first request.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from django_api_errors.caches import cached, clear_all

_enums: list[type[BaseErrorCode]] = []


def register(enum_class: type[BaseErrorCode]) -> None:
    """Add an enum of codes; called for every subclass of ``BaseErrorCode``."""
    if enum_class not in _enums:
        _enums.append(enum_class)
        clear_all()  # cached look-ups (``by_slug``, converters' values) may hold the old set


def unregister(enum_class: type[BaseErrorCode]) -> None:
    """Remove an enum again (for tests that declare throw-away enums)."""
    if enum_class in _enums:
        _enums.remove(enum_class)
        clear_all()


def code_enums() -> tuple[type[BaseErrorCode], ...]:
    """Every registered enum, in the order they were defined."""
    return tuple(_enums)


def all_codes() -> Iterator[BaseErrorCode]:
    """Every member of every registered enum (a slug declared twice appears twice)."""
    for enum_class in _enums:
        yield from enum_class


@cached(1)
def by_slug() -> dict[str, BaseErrorCode]:
    """Every registered code by slug, in declaration order; where a slug is declared twice the first wins."""
    first: dict[str, BaseErrorCode] = {}
    for code in all_codes():
        first.setdefault(code.slug, code)
    return first


def lookup(slug: str) -> BaseErrorCode | None:
    """The code with this slug, or ``None``."""
    return by_slug().get(slug)


class BaseErrorCode(str, enum.Enum):
    """Base class of every error code enum: members are ``SLUG = "slug", status, description``."""

    #: The code as clients see it, e.g. ``validation-failed`` (the member's value). A plain attribute,
    #: not a property: it is read on every error, and ``Enum.value`` is a property in Python.
    slug: str
    status: int
    description: str | Promise

    def __new__(cls, slug: str, status: int, description: str | Promise) -> BaseErrorCode:
        member = str.__new__(cls, slug)
        member._value_ = member.slug = slug
        member.status = status
        member.description = description
        return member

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls)

    def __str__(self) -> str:
        return self.slug

    @property
    def app_label(self) -> str:
        """The label of the installed app whose module declares the code's enum (else that module)."""
        app_config = apps.get_containing_app_config(type(self).__module__)
        return type(self).__module__ if app_config is None else app_config.label

    @property
    def enum_name(self) -> str:
        """The dotted path of the code's enum, e.g. ``shop.error_codes.ShopErrorCode``."""
        return f"{type(self).__module__}.{type(self).__qualname__}"


class ErrorCode(BaseErrorCode):
    """The built-in codes: awork's catalogue plus codes for statuses it lacks (docs/codes.md says why)."""

    # awork's codes
    WORKSPACEID_MISSING = "workspaceid-missing", 400, _("No valid workspace given; the token may be invalid.")
    NOT_FOUND = "not-found", 404, _("The requested resource does not exist.")
    ENTITY_ARCHIVED = "entity-archived", 400, _("The operation is not possible on an archived entity.")
    DUPLICATION_VIOLATION = "duplication-violation", 409, _("A value that must be unique is already taken.")
    DATABASE_COMMIT = "database-commit", 500, _("The commit failed; nothing of this request was kept.")
    CONCURRENCY_VIOLATION = "concurrency-violation", 409, _("Concurrent changes conflict; reload and retry.")
    DATE_DEPENDENCY = "date-dependency", 400, _("Two or more dates contradict each other.")
    DATE_OUT_OF_RANGE = "date-out-of-range", 400, _("A date is out of range, e.g. a future birth date.")
    VALUE_OUT_OF_RANGE = "value-out-of-range", 400, _("A value is out of range, e.g. a negative price.")
    INVALID_OPERATION = "invalid-operation", 400, _("The operation would put the data in an invalid state.")
    INVALID_MODEL = "invalid-model", 400, _("The request body is empty or could not be read.")
    VALIDATION_FAILED = "validation-failed", 400, _("The request data is invalid; see the validation errors.")
    SERVER_ERROR = "server-error", 500, _("Something went wrong on our side. The failure has been logged.")
    ALREADY_EXIST_ERROR = "already-exist-error", 409, _("The entity to be created exists already.")
    INVALID_FILTER_OR_ORDER = "invalid-filter-or-order", 400, _("A filter or sort expression is not valid.")
    ILLEGAL_PROPERTY_TRANSITION = "illegal-property-transition", 400, _("This state change is not allowed.")
    UNAUTHORIZED = "unauthorized", 403, _("You do not have permission to perform this request.")
    INVALID_BATCH_OPERATION = "invalid-batch-operation", 400, _("The batch operation is not valid.")
    DEACTIVATED_USER = "deactivated-user", 400, _("The operation involves a user who has been deactivated.")
    REQUEST_BODY_TOO_LARGE = "request-body-too-large", 413, _("The request body is too large for this API.")
    INSUFFICIENT_SUBSCRIPTION_LEVEL = "insufficient-subscription-level", 402, _("This needs a higher plan.")
    INSUFFICIENT_SEATS = "insufficient-seats", 402, _("Not enough free seats to add or activate these users.")

    # Statuses used by the reference APIs (and DRF) that awork's list has no code for
    BAD_REQUEST = "bad-request", 400, _("The request is malformed and cannot be processed.")
    NOT_AUTHENTICATED = "not-authenticated", 401, _("The request carries no valid credentials.")
    METHOD_NOT_ALLOWED = "method-not-allowed", 405, _("This resource does not allow the request's method.")
    NOT_ACCEPTABLE = "not-acceptable", 406, _("The API cannot answer in any format the request accepts.")
    UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type", 415, _("The request body's format is not supported.")
    TOO_MANY_REQUESTS = "too-many-requests", 429, _("Too many requests; wait before trying again.")
    UNAVAILABLE_FOR_LEGAL_REASONS = "unavailable-for-legal-reasons", 451, _("Not served for legal reasons.")
    RESULT_SET_TRUNCATED = "result-set-truncated", 400, _("Too many results to page; split the query.")
    SERVICE_UNAVAILABLE = "service-unavailable", 503, _("The service is unavailable; try again later.")


# The first built-in code declared for each status, save where a generic code says it better.
_CODE_BY_STATUS: dict[int, BaseErrorCode] = {
    **{code.status: code for code in reversed(ErrorCode)},
    400: ErrorCode.BAD_REQUEST,
    409: ErrorCode.CONCURRENCY_VIOLATION,
    500: ErrorCode.SERVER_ERROR,
}


def code_for_status(status: int) -> BaseErrorCode:
    """The built-in code that best describes a bare HTTP status (used for unmapped exceptions)."""
    return _CODE_BY_STATUS.get(status, ErrorCode.SERVER_ERROR if status >= 500 else ErrorCode.BAD_REQUEST)
