"""drf-spectacular integration: every operation documents the error responses it can produce.

Enable it with ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "django_api_errors.openapi.AutoSchema"``.
Each operation gets what the converters table answers for the exceptions it can raise, each status in
the configured style's body narrowed to the operation's codes, with its headers and one example per
code. A view adds or removes codes and statuses with :func:`document_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig, SuspiciousOperation
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ComponentIdentity, ResolvedComponent, force_instance
from rest_framework import exceptions as drf_exceptions
from rest_framework import permissions, serializers, validators
from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import ScopedRateThrottle

from django_api_errors import registry
from django_api_errors.codes import BaseErrorCode, ErrorCode, code_for_status
from django_api_errors.negotiation import JSON, PROBLEM_JSON
from django_api_errors.pagination import ResultSetCapMixin
from django_api_errors.pipeline import get_pipeline
from django_api_errors.pipeline.converters import converter_table
from django_api_errors.settings import api_errors_settings
from django_api_errors.styles import get_style, media_type
from django_api_errors.styles import schema as style_schemas
from django_api_errors.styles.schema import (
    CODE_COMPONENT,
    FIELD_CODE_COMPONENT,
    RESPONSE_COMPONENT,
    VALIDATION_COMPONENT,
)

__all__ = ["AutoSchema", "ErrorResponses", "document_errors"]
OVERRIDE_ATTRIBUTE = "api_error_responses"

SAFE_METHODS = frozenset(permissions.SAFE_METHODS)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
ROUTABLE_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
WRITING_ACTIONS = frozenset({"create", "update", "partial_update"})
#: DRF's validators refusing a value already taken; the converters answer them 409 duplication-violation.
UNIQUE_VALIDATORS = (
    validators.UniqueValidator,
    validators.UniqueTogetherValidator,
    validators.BaseUniqueForValidator,
)

STATUS_DESCRIPTIONS: dict[int, Any] = {
    400: _("The request is not valid; the body says which code and, for data, which fields."),
    401: _("The request carries no valid credentials; the WWW-Authenticate header names the scheme."),
    403: _("The credentials do not allow this request."),
    404: _("No resource matches the path."),
    405: _("This path does not support the request's method; the Allow header lists those it does."),
    406: _("None of the formats the Accept header names can be produced."),
    413: _("The request body is larger than this API accepts."),
    415: _("The request body's Content-Type is not one this operation reads."),
    409: _("The request conflicts with the current state of the data; the code says how."),
    429: _("Too many requests; the Retry-After header says how many seconds to wait."),
    500: _("The server failed; the failure has been logged."),
    503: _("The service cannot answer for the moment; Retry-After says when to try again."),
}


def _header(description: Any, required: bool = True, **schema: Any) -> dict[str, Any]:
    return {"description": description, "required": required, "schema": schema or {"type": "string"}}


PHRASE = _header(_("The incident phrase of this failure, as in the body: quote it to support."))
RETRY_AFTER = _header(_("Seconds to wait before trying again."), False, type="integer", minimum=0)
#: Status -> the headers every answer with that status carries (or may carry), as OpenAPI headers.
STATUS_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {"WWW-Authenticate": _header(_("The authentication scheme the client should use."))},
    405: {"Allow": _header(_("The methods this path supports."))},
    429: {"Retry-After": RETRY_AFTER},
    500: {"X-Error-Phrase": PHRASE},
    503: {"Retry-After": RETRY_AFTER, "X-Error-Phrase": PHRASE},
}

ViewT = TypeVar("ViewT")


@dataclass(frozen=True)
class ErrorResponses:
    """A view's changes to its documented errors: codes (slugs or members) and bare statuses.

    An added code documents its status with that code's example; an added status documents it with
    the built-in code for that status. A removed code drops its example (and its status once no code
    is left); a removed status drops the whole response.
    """

    add: tuple[BaseErrorCode | str | int, ...] = ()
    remove: tuple[BaseErrorCode | str | int, ...] = ()
    only: tuple[str, ...] = ()

    def applies_to(self, action: str | None, method: str) -> bool:
        """Whether these changes apply to the operation (``only`` names actions or methods)."""
        return not self.only or action in self.only or method.lower() in self.only

    def apply(self, found: dict[int, list[BaseErrorCode]]) -> dict[int, list[BaseErrorCode]]:
        """``found`` (status -> codes) with these additions and removals."""
        result = {status: list(codes) for status, codes in found.items()}
        for item in self.add:
            code = _as_code(item)
            codes = result.setdefault(code.status, [])
            if code not in codes:
                codes.append(code)
        for item in self.remove:
            if isinstance(item, int):
                result.pop(item, None)
                continue
            code = _as_code(item)
            codes = result.get(code.status, [])
            if code in codes:
                codes.remove(code)
            if not codes:
                result.pop(code.status, None)
        return result


def document_errors(
    *,
    add: Iterable[BaseErrorCode | str | int] = (),
    remove: Iterable[BaseErrorCode | str | int] = (),
    only: Iterable[str] = (),
) -> Callable[[ViewT], ViewT]:
    """Decorate a view class, an ``@api_view`` function, a handler method or a ViewSet action.

    ``@document_errors(add=[ShopErrorCode.OUT_OF_STOCK], remove=[429])`` adds the code's status and
    example to the operation's responses and drops the 429. Place it above ``@api_view``. On a class,
    ``only=["buy", "post"]`` limits the changes to those actions or HTTP methods.
    """
    overrides = ErrorResponses(add=tuple(add), remove=tuple(remove), only=tuple(only))

    def decorate(view: ViewT) -> ViewT:
        target = getattr(view, "cls", view)  # @api_view returns a function wrapping a view class
        setattr(target, OVERRIDE_ATTRIBUTE, overrides)
        return view

    return decorate


def _as_code(item: BaseErrorCode | str | int) -> BaseErrorCode:
    if isinstance(item, BaseErrorCode):
        return item
    if isinstance(item, int):
        return code_for_status(item)
    code = registry.lookup(item)
    if code is None:
        raise LookupError(f"No error code enum declares the slug {item!r}.")
    return code


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's ``AutoSchema`` with the error responses of every operation added."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, codes in self.get_error_codes().items():
            # A status the view documents itself (e.g. with @extend_schema) keeps its own body.
            responses.setdefault(str(status), self._error_response(status, codes))
        return dict(sorted(responses.items()))

    def get_error_codes(self) -> dict[int, list[BaseErrorCode]]:
        """Status -> catalogue codes this operation can answer with, after the view's overrides."""
        found = ErrorStatuses(self).find()
        for overrides in self._overrides():
            found = overrides.apply(found)
        return dict(sorted(found.items()))

    def _overrides(self) -> list[ErrorResponses]:
        view = self.view
        action = getattr(view, "action", None)
        handler = getattr(view, action or self.method.lower(), None)
        found = [getattr(view, OVERRIDE_ATTRIBUTE, None), getattr(handler, OVERRIDE_ATTRIBUTE, None)]
        return [each for each in found if each is not None and each.applies_to(action, self.method)]

    def _error_response(self, status: int, codes: list[BaseErrorCode]) -> dict[str, Any]:
        style = get_style(api_errors_settings.STYLE)
        declared = media_type(style)
        examples = {code.value: _example_ref(self.registry, code.value, code) for code in codes}
        media = {
            "schema": _style_body(self.registry, style, [code.value for code in codes]),
            "examples": examples,
        }
        description = str(STATUS_DESCRIPTIONS.get(status) or codes[0].description)
        description += " " + str(_("Codes:")) + " " + ", ".join(f"`{code.value}`" for code in codes) + "."
        # The problem media type carries problem details, never the active style's body.
        media_types = self.map_renderers("media_type") if declared == JSON else [declared]
        content = {
            name: dict(media) for name in media_types if name != PROBLEM_JSON or declared == PROBLEM_JSON
        }
        if api_errors_settings.NEGOTIATE and PROBLEM_JSON not in content:
            content[PROBLEM_JSON] = negotiated_problem_media(self.registry, codes)
        response: dict[str, Any] = {"description": description, "content": content}
        headers = STATUS_HEADERS.get(status) or (STATUS_HEADERS[500] if status >= 500 else {})
        if headers:
            response["headers"] = {
                name: _register(
                    self.registry, name, lambda h=header: {**h, "description": str(h["description"])}, HEADER
                )
                for name, header in headers.items()
            }
        return response


class ErrorStatuses:
    """Works out which error statuses (and the codes behind them) one operation can produce."""

    def __init__(self, schema: AutoSchema) -> None:
        self.schema = schema
        self.view = schema.view
        self.method = schema.method

    def find(self) -> dict[int, list[BaseErrorCode]]:
        """Status -> codes: which exceptions the operation can raise (from its method, authenticators,
        permissions, paginator, model and throttles; the middleware and the database for any view) and
        what the converters table answers for each, with every class the project's ``CONVERTERS`` name."""
        table = converter_table()
        found: dict[int, list[BaseErrorCode]] = {}

        def add(exc_type: type[BaseException], *statuses: int) -> None:
            for code, status in table.answers(exc_type):
                if statuses and status not in statuses:
                    continue
                listed = found.setdefault(status, [])
                if code not in listed:
                    listed.append(code)

        if self.method in BODY_METHODS:
            add(drf_exceptions.ValidationError, 400)
            add(drf_exceptions.ParseError)
            add(drf_exceptions.UnsupportedMediaType)
            if self._serializer_checks_uniqueness() or self._writes_unique_values():
                add(drf_exceptions.ValidationError, 409)
        # The middleware refuses a body over the limit whatever the method: a GET or DELETE may carry one.
        add(RequestDataTooBig)
        if self._has_query_filters():
            add(drf_exceptions.ValidationError, 400)
        paginator = self._list_paginator()
        if isinstance(paginator, ResultSetCapMixin):
            found.setdefault(400, []).append(ErrorCode.RESULT_SET_TRUNCATED)
        # The middleware refuses a malformed request (a NUL in a header, too many form fields,
        # SuspiciousOperation) under the API prefixes before any view runs.
        add(SuspiciousOperation)
        for exc_type, status in self._auth_failures():
            add(exc_type, status)
        if "{" in self.schema.path or paginator is not None:
            add(drf_exceptions.NotFound)
        if self._allowed_methods() != ROUTABLE_METHODS:
            add(drf_exceptions.MethodNotAllowed)
        add(drf_exceptions.NotAcceptable)
        if self._is_throttled():
            add(drf_exceptions.Throttled)
        add(Exception)
        # An unreachable or locked database is met wherever a query runs: the authenticators (tokens,
        # sessions), the view's queries and the incident recorder, for every operation.
        add(OperationalError)
        for exc_type in table.project:
            add(exc_type)
        return found

    def _list_paginator(self) -> Any:
        """The paginator of a list operation (DRF pages only the list of a GET), else None."""
        if self.method != "GET" or not self.schema._is_list_view():
            return None
        return self.schema._get_paginator()

    def _serializer_checks_uniqueness(self) -> bool:
        """Whether the request serializer refuses a taken value itself (DRF's unique validators, which
        a ModelSerializer derives from its model's unique fields and constraints): a 409."""
        serializer = force_instance(self.schema.get_request_serializer())
        serializer = getattr(serializer, "child", serializer)  # many=True
        if not isinstance(serializer, serializers.Serializer):
            return False
        validators = [*serializer.validators, *(v for f in serializer.fields.values() for v in f.validators)]
        return any(isinstance(validator, UNIQUE_VALIDATORS) for validator in validators)

    def _writes_unique_values(self) -> bool:
        """Whether the operation saves its serializer (a generic create or update, not a custom
        action) into a model with a unique field or constraint besides its primary key."""
        action = getattr(self.view, "action", None)
        if action is not None and action not in WRITING_ACTIONS:
            return False  # a custom action declares its own 409 with document_errors
        queryset = getattr(self.view, "queryset", None)
        model = getattr(queryset, "model", None)
        if model is None:
            return False
        meta = model._meta
        unique_fields = any(field.unique and not field.primary_key for field in meta.concrete_fields)
        constraints = any(getattr(constraint, "fields", None) for constraint in meta.total_unique_constraints)
        return unique_fields or constraints or bool(meta.unique_together)

    def _has_query_filters(self) -> bool:
        overrides = self.schema.get_override_parameters()
        declared = any(getattr(parameter, "location", None) == "query" for parameter in overrides)
        return declared or bool(self.schema._get_filter_parameters())

    def _auth_failures(self) -> list[tuple[type[BaseException], int]]:
        """DRF's rules: bad credentials and an anonymous denial are 401 only when the first
        authenticator names a WWW-Authenticate challenge, else 403; denying a user is 403."""
        authenticators = list(self.view.get_authenticators())
        request = getattr(self.view, "request", None)
        challenge = bool(authenticators) and bool(authenticators[0].authenticate_header(request))
        unauthenticated = 401 if challenge else 403
        failures: list[tuple[type[BaseException], int]] = []
        if authenticators:
            failures.append((drf_exceptions.AuthenticationFailed, unauthenticated))
        denies_anonymous, denies_users = self._permission_denials()
        if denies_anonymous and authenticators:
            failures.append((drf_exceptions.NotAuthenticated, unauthenticated))
        csrf = self.method not in SAFE_METHODS and any(
            isinstance(authenticator, SessionAuthentication) for authenticator in authenticators
        )
        if (denies_anonymous and not authenticators) or denies_users or csrf:
            failures.append((drf_exceptions.PermissionDenied, 403))
        return failures

    def _permission_denials(self) -> tuple[bool, bool]:
        """Whether the permissions can deny an anonymous client, and an authenticated one."""
        denies_anonymous = denies_users = False
        for permission in self.view.get_permissions():
            if isinstance(permission, permissions.AllowAny):
                continue
            if isinstance(permission, permissions.IsAuthenticatedOrReadOnly):
                denies_anonymous |= self.method not in SAFE_METHODS
            elif isinstance(permission, permissions.IsAuthenticated):
                denies_anonymous = True
            else:
                denies_anonymous = denies_users = True
        return denies_anonymous, denies_users

    def _allowed_methods(self) -> frozenset[str]:
        methods = getattr(self.view, "action_map", None) or self.view.allowed_methods
        return frozenset(method.upper() for method in methods) & ROUTABLE_METHODS

    def _is_throttled(self) -> bool:
        try:
            throttles = [type(throttle) for throttle in self.view.get_throttles()]
        except ImproperlyConfigured:
            # A throttle without a rate still throttles once configured; documenting needs no rate.
            throttles = list(self.view.throttle_classes)
        # ScopedRateThrottle lets every request through on a view without a throttle_scope.
        scoped = bool(getattr(self.view, "throttle_scope", None))
        return any(scoped or not issubclass(throttle, ScopedRateThrottle) for throttle in throttles)


def _style_body(component_registry: Any, style: Any, slugs: list[str]) -> dict[str, Any]:
    """One operation's body for one status, registering the style's components once per schema.

    A style module may define ``openapi_schema()`` (the ``ErrorResponse`` schema; it may reference
    ``#/components/schemas/ErrorCode``), ``openapi_components()`` and ``openapi_operation_schema(slugs)``
    (the body narrowed to the operation's codes); without them its errors are any JSON object.
    """
    _register(component_registry, CODE_COMPONENT, code_enum_schema)
    components = getattr(style, "openapi_components", dict)()
    if style_schemas.field_code_ref() in _nested_dicts(components):
        _register(component_registry, FIELD_CODE_COMPONENT, field_code_enum_schema)
    for name, schema in components.items():
        _register(component_registry, name, lambda schema=schema: schema)
    body = getattr(style, "openapi_schema", lambda: {"type": "object", "additionalProperties": True})
    ref = _register(component_registry, RESPONSE_COMPONENT, body)
    operation = getattr(style, "openapi_operation_schema", None)
    return ref if operation is None else operation(slugs)


def _example_ref(
    component_registry: Any, name: str, code: BaseErrorCode, style: Any = None
) -> dict[str, str]:
    """A reference to the shared example ``name``: the pipeline's example of ``code`` (in ``style``)."""

    def build() -> dict[str, Any]:
        return {"summary": code.value, "value": get_pipeline().example(code, style=style).body}

    return _register(component_registry, name, build, ResolvedComponent.EXAMPLE)


def _nested_dicts(value: Any) -> list[dict[str, Any]]:
    """Every dict inside ``value`` (itself included), to find the references a schema makes."""
    if isinstance(value, dict):
        return [value, *(found for item in value.values() for found in _nested_dicts(item))]
    if isinstance(value, list):
        return [found for item in value for found in _nested_dicts(item)]
    return []


HEADER = ResolvedComponent.HEADER


def _register(
    component_registry: Any,
    name: str,
    build: Callable[[], dict[str, Any]],
    kind: str = ResolvedComponent.SCHEMA,
) -> dict[str, str]:
    # Built only the first time: every operation of the schema shares the one component.
    identity = ComponentIdentity(f"django_api_errors.{name}")
    component = ResolvedComponent(name=name, type=kind, object=identity)
    if component not in component_registry:
        component.schema = build()
        component_registry.register(component)
    return component.ref


PROBLEM_COMPONENT = "ProblemDetails"
PROBLEM_FIELD_COMPONENT = "ProblemFieldError"


def negotiated_problem_media(component_registry: Any, codes: list[BaseErrorCode]) -> dict[str, Any]:
    """``application/problem+json`` beside the active style when ``NEGOTIATE`` is on: the problem
    style's own schema and examples, under names of their own (``ProblemDetails``, ``problem-<slug>``)."""
    from django_api_errors.styles import problem

    renamed = {
        f"#/components/schemas/{VALIDATION_COMPONENT}": f"#/components/schemas/{PROBLEM_FIELD_COMPONENT}"
    }
    _register(component_registry, CODE_COMPONENT, code_enum_schema)
    _register(component_registry, FIELD_CODE_COMPONENT, field_code_enum_schema)
    field_schema = problem.openapi_components()[VALIDATION_COMPONENT]
    _register(component_registry, PROBLEM_FIELD_COMPONENT, lambda: field_schema)
    _register(component_registry, PROBLEM_COMPONENT, lambda: _renamed_refs(problem.openapi_schema(), renamed))
    body = style_schemas.narrowed([code.value for code in codes], component=PROBLEM_COMPONENT)
    examples = {
        f"problem-{code.value}": _example_ref(component_registry, f"problem-{code.value}", code, problem)
        for code in codes
    }
    return {"schema": body, "examples": examples}


def _renamed_refs(schema: Any, renamed: dict[str, str]) -> Any:
    if isinstance(schema, dict):
        return {
            key: renamed.get(value, value) if key == "$ref" else _renamed_refs(value, renamed)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_renamed_refs(item, renamed) for item in schema]
    return schema


def code_enum_schema() -> dict[str, Any]:
    """The ``ErrorCode`` component: a string enum of every slug in the registry, described."""
    slugs = list(dict.fromkeys(code.value for code in registry.all_codes()))
    lines = [f"- `{code.value}` ({code.status}): {code.description}" for code in registry.all_codes()]
    description = str(_("A code of the error catalogue:")) + "\n\n" + "\n".join(dict.fromkeys(lines))
    return {"type": "string", "enum": slugs, "description": description}


#: Field error codes DRF, Django and this package give that no ``default_error_messages`` names.
BUILT_IN_FIELD_CODES = (
    "invalid",
    "required",
    "null",
    "blank",
    "unique",
    "unique_together",
    "unique_for_date",
)


def field_error_codes() -> list[str] | None:
    """Every field error code a body may carry, or None when ``FIELD_ERROR_CODES`` is None.

    The keys of ``default_error_messages`` of every DRF field and serializer class and every Django
    model field class that is imported (the project's own included), the ``code`` of Django's
    validators, the built-in codes above and the project's ``FIELD_ERROR_CODES``.
    """
    project = api_errors_settings.FIELD_ERROR_CODES
    if project is None:
        return None
    from django.core import validators
    from django.db.models import Field as ModelField
    from rest_framework.fields import Field as SerializerField

    codes = set(BUILT_IN_FIELD_CODES) | set(project)
    for base in (SerializerField, ModelField):
        for cls in _subclasses(base):
            codes.update(vars(cls).get("default_error_messages", {}))
    for value in vars(validators).values():
        if isinstance(value, type):
            code, messages = getattr(value, "code", None), getattr(value, "messages", None)
            codes.update([code] if isinstance(code, str) else messages if isinstance(messages, dict) else ())
    return sorted(codes)


def _subclasses(base: type) -> list[type]:
    found = [base]
    for cls in found:
        found.extend(sub for sub in cls.__subclasses__() if sub not in found)
    return found


def field_code_enum_schema() -> dict[str, Any]:
    """The ``FieldErrorCode`` component: the codes of ``validationErrors[].code`` (a string when unknown)."""
    codes = field_error_codes()
    description = str(_("The machine-readable code of one field error, as DRF's ErrorDetail.code."))
    return {"type": "string", **({"enum": codes} if codes is not None else {}), "description": description}
