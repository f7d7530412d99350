"""Error codes: Python enums are the source of truth of the catalogue.

Every code is a member of an enum derived from :class:`BaseErrorCode`: its value is the slug clients see
(``validation-failed``), and it carries the HTTP status it answers with and a translatable description.
Every such enum, in any installed app, registers itself with :mod:`django_api_errors.registry` when its
class is created (``docs/catalogue.md`` shows a project's own).
"""

from __future__ import annotations

import enum
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from django_api_errors import registry


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
        registry.register(cls)

    def __str__(self) -> str:
        return self.slug

    @property
    def app_label(self) -> str:
        """The label of the installed app whose module declares the code's enum (else that module)."""
        app_config = apps.get_containing_app_config(type(self).__module__)
        return type(self).__module__ if app_config is None else app_config.label


class ErrorCode(BaseErrorCode):
    """The built-in codes: awork's catalogue plus the statuses Asana uses that awork has no code for
    (``docs/codes.md`` says why each code has its status)."""

    # awork's codes
    WORKSPACEID_MISSING = (
        "workspaceid-missing",
        400,
        _("The request names no valid workspace; the access token is most likely invalid."),
    )
    NOT_FOUND = "not-found", 404, _("The requested resource does not exist.")
    ENTITY_ARCHIVED = (
        "entity-archived",
        400,
        _("The operation is not possible because the entity has been archived."),
    )
    DUPLICATION_VIOLATION = (
        "duplication-violation",
        409,
        _("A value that must be unique is already used by another entity."),
    )
    DATABASE_COMMIT = (
        "database-commit",
        500,
        _("The changes could not be saved to the database; nothing of this request was kept."),
    )
    CONCURRENCY_VIOLATION = (
        "concurrency-violation",
        409,
        _("Another process changed the same data at the same time; reload it and try again."),
    )
    DATE_DEPENDENCY = (
        "date-dependency",
        400,
        _("Two or more dates contradict each other, such as a start date after the due date."),
    )
    DATE_OUT_OF_RANGE = (
        "date-out-of-range",
        400,
        _("A date lies outside the range it may take, such as a birth date in the future."),
    )
    VALUE_OUT_OF_RANGE = (
        "value-out-of-range",
        400,
        _("A value lies outside the range it may take, such as a negative price."),
    )
    INVALID_OPERATION = (
        "invalid-operation",
        400,
        _("The operation would leave the data in a state that is not allowed."),
    )
    INVALID_MODEL = "invalid-model", 400, _("The request body is empty or could not be read.")
    VALIDATION_FAILED = (
        "validation-failed",
        400,
        _("The data sent with the request is not valid; the validation errors say where and why."),
    )
    SERVER_ERROR = "server-error", 500, _("Something went wrong on our side. The failure has been logged.")
    ALREADY_EXIST_ERROR = (
        "already-exist-error",
        409,
        _("The entity the request tries to create exists already."),
    )
    INVALID_FILTER_OR_ORDER = (
        "invalid-filter-or-order",
        400,
        _("A filter or sort expression of the request is not valid."),
    )
    ILLEGAL_PROPERTY_TRANSITION = (
        "illegal-property-transition",
        400,
        _("A value may not change from its current state to the requested one."),
    )
    UNAUTHORIZED = "unauthorized", 403, _("You do not have permission to perform this request.")
    INVALID_BATCH_OPERATION = "invalid-batch-operation", 400, _("The batch operation is not valid.")
    DEACTIVATED_USER = "deactivated-user", 400, _("The operation involves a user who has been deactivated.")
    REQUEST_BODY_TOO_LARGE = (
        "request-body-too-large",
        413,
        _("The request body is larger than this API accepts."),
    )
    INSUFFICIENT_SUBSCRIPTION_LEVEL = (
        "insufficient-subscription-level",
        402,
        _("This feature needs a higher subscription plan."),
    )
    INSUFFICIENT_SEATS = (
        "insufficient-seats",
        402,
        _("There are not enough free seats left to add or activate these users."),
    )

    # Statuses used by the reference APIs (and DRF) that awork's list has no code for
    BAD_REQUEST = "bad-request", 400, _("The request is malformed and cannot be processed.")
    NOT_AUTHENTICATED = (
        "not-authenticated",
        401,
        _("The request carries no valid credentials; authenticate and try again."),
    )
    METHOD_NOT_ALLOWED = (
        "method-not-allowed",
        405,
        _("This resource does not support the request's HTTP method."),
    )
    NOT_ACCEPTABLE = (
        "not-acceptable",
        406,
        _("The API cannot answer in any of the formats the request accepts."),
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "unsupported-media-type",
        415,
        _("The request body is in a format this resource does not accept."),
    )
    TOO_MANY_REQUESTS = (
        "too-many-requests",
        429,
        _("Too many requests in too short a time; wait before trying again."),
    )
    UNAVAILABLE_FOR_LEGAL_REASONS = (
        "unavailable-for-legal-reasons",
        451,
        _("This request cannot be served for legal reasons."),
    )
    RESULT_SET_TRUNCATED = (
        "result-set-truncated",
        400,
        _("The result set is too large to page through; split the query into smaller ones."),
    )
    SERVICE_UNAVAILABLE = (
        "service-unavailable",
        503,
        _("The service is unavailable for the moment; try again later."),
    )


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
