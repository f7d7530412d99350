"""drf-spectacular's ``AutoSchema`` documenting the errors each operation can answer (``docs/openapi.md``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig, SuspiciousOperation
from django.db import OperationalError
from django.db.models import CASCADE, PROTECT, RESTRICT, ProtectedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ComponentIdentity, ComponentRegistry, ResolvedComponent, force_instance
from rest_framework import exceptions as drf_exceptions
from rest_framework import permissions, serializers, validators
from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import ScopedRateThrottle

from django_api_errors.codes import BaseErrorCode, ErrorCode, all_codes, code_for_status, lookup
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

__all__ = [
    "AutoSchema",
    "ErrorResponses",
    "Operation",
    "document_errors",
    "error_codes_for",
    "error_response",
]
OVERRIDE_ATTRIBUTE = "api_error_responses"

SAFE_METHODS = frozenset(permissions.SAFE_METHODS)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
ROUTABLE_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
#: DRF's validators refusing a value already taken; the converters answer them 409 duplication-violation.
UNIQUE_VALIDATORS = (
    validators.UniqueValidator,
    validators.UniqueTogetherValidator,
    validators.BaseUniqueForValidator,
)

#: Statuses whose codes differ in kind: their response describes the status rather than one code.
STATUS_DESCRIPTIONS: dict[int, Any] = {
    400: _("The request is not valid; the body says which code and, for data, which fields."),
    409: _("The request conflicts with the current state of the data; the code says how."),
}


def _header(description: Any, required: bool = True, **schema: Any) -> Callable[[], dict[str, Any]]:
    """The builder of an OpenAPI header component (its description translated when the schema is built)."""
    return lambda: {
        "description": str(description),
        "required": required,
        "schema": schema or {"type": "string"},
    }


PHRASE = _header(_("The incident phrase of this failure, as in the body: quote it to support."))
RETRY_AFTER = _header(_("Seconds to wait before trying again."), False, type="integer", minimum=0)
#: Status -> the headers every answer with that status carries (or may carry), as OpenAPI headers.
STATUS_HEADERS: dict[int, dict[str, Callable[[], dict[str, Any]]]] = {
    401: {"WWW-Authenticate": _header(_("The authentication scheme the client should use."))},
    405: {"Allow": _header(_("The methods this path supports."))},
    429: {"Retry-After": RETRY_AFTER},
    500: {"X-Error-Phrase": PHRASE},
    503: {"Retry-After": RETRY_AFTER, "X-Error-Phrase": PHRASE},
}

ViewT = TypeVar("ViewT")


@dataclass(frozen=True)
class ErrorResponses:
    """A view's changes to its documented errors: codes (slugs or members) and bare statuses (an added
    status documents the built-in code for it; a removed code drops its status once no code is left)."""

    add: tuple[BaseErrorCode | str | int, ...] = ()
    remove: tuple[BaseErrorCode | str | int, ...] = ()
    only: tuple[str, ...] = ()

    def applies_to(self, action: str | None, method: str) -> bool:
        """Whether these changes apply to the operation (``only`` names actions or methods)."""
        return not self.only or action in self.only or method.lower() in self.only

    def apply(self, found: dict[int, list[BaseErrorCode]]) -> dict[int, list[BaseErrorCode]]:
        """``found`` (status -> codes) with these additions and removals."""
        result = {status: list(codes) for status, codes in found.items()}
        for code in map(_as_code, self.add):
            if code not in result.setdefault(code.status, []):
                result[code.status].append(code)
        for item in self.remove:
            code = None if isinstance(item, int) else _as_code(item)  # a bare status drops every code
            status = item if code is None else code.status
            result[status] = [kept for kept in result.get(status, []) if code is not None and kept != code]
            if not result[status]:
                del result[status]
        return result


def document_errors(
    *,
    add: Iterable[BaseErrorCode | str | int] = (),
    remove: Iterable[BaseErrorCode | str | int] = (),
    only: Iterable[str] = (),
) -> Callable[[ViewT], ViewT]:
    """Add or remove codes and statuses a view class, ``@api_view`` function (placed above it), handler
    method or ViewSet action documents; ``only`` limits a class's changes to those actions or methods."""
    overrides = ErrorResponses(add=tuple(add), remove=tuple(remove), only=tuple(only))

    def decorate(view: ViewT) -> ViewT:
        target = getattr(view, "cls", view)  # @api_view returns a function wrapping a view class
        setattr(target, OVERRIDE_ATTRIBUTE, overrides)
        return view

    return decorate


def _as_code(item: BaseErrorCode | str | int) -> BaseErrorCode:
    if isinstance(item, int):
        return code_for_status(item)
    code = item if isinstance(item, BaseErrorCode) else lookup(item)
    if code is None:
        raise LookupError(f"No error code enum declares the slug {item!r}.")
    return code


class Operation(NamedTuple):
    """The facts an operation's documented errors follow from, whatever the framework; ``raises`` names
    further exception classes it raises, or codes it raises as ``ApiError``."""

    method: str
    path_params: bool = False  # a detail route or a page number: 404
    query_params: bool = False  # filters or declared query parameters: a bad value is a 400
    unique_writes: bool = False  # a unique validator or constraint may refuse a write: 409
    protected: bool = False  # a delete other rows may forbid (PROTECT, RESTRICT): 409
    authenticators: bool = False
    challenge: bool = False  # the first authenticator names a WWW-Authenticate challenge: 401, not 403
    denies_anonymous: bool = False
    denies_users: bool = False  # a permission or the CSRF check may refuse a signed-in client: 403
    every_method: bool = False  # the path routes GET, POST, PUT, PATCH and DELETE: no 405
    throttled: bool = False
    raises: tuple[type[BaseException] | BaseErrorCode, ...] = ()


def error_codes_for(operation: Operation) -> dict[int, list[BaseErrorCode]]:
    """Status -> codes ``operation`` can answer with: the exceptions its facts (and on any operation the
    middleware, the database, the project's ``CONVERTERS``) may raise, as the converters table answers."""
    op, table = operation, converter_table()
    body = op.method in BODY_METHODS
    unauthenticated = 401 if op.challenge else 403
    forbidden = op.denies_users or (op.denies_anonymous and not op.authenticators)
    raised: list[tuple[bool, type[BaseException] | BaseErrorCode, int | None]] = [
        (body or op.query_params, drf_exceptions.ValidationError, 400),
        (body, drf_exceptions.ParseError, None),
        (body, drf_exceptions.UnsupportedMediaType, None),
        (body and op.unique_writes, drf_exceptions.ValidationError, 409),
        (op.protected, ProtectedError, None),
        # The middleware refuses a body over the limit whatever the method: a GET or DELETE may carry one.
        (True, RequestDataTooBig, None),
        *((True, raised, None) for raised in op.raises),
        # The middleware refuses a malformed request (a NUL in a header, too many form fields) first.
        (True, SuspiciousOperation, None),
        (op.authenticators, drf_exceptions.AuthenticationFailed, unauthenticated),
        (op.authenticators and op.denies_anonymous, drf_exceptions.NotAuthenticated, unauthenticated),
        (forbidden, drf_exceptions.PermissionDenied, 403),
        (op.path_params, drf_exceptions.NotFound, None),
        (not op.every_method, drf_exceptions.MethodNotAllowed, None),
        (True, drf_exceptions.NotAcceptable, None),
        (op.throttled, drf_exceptions.Throttled, None),
        (True, Exception, None),
        # An unreachable or locked database is met wherever a query runs: authenticators, the view, reporting.
        (True, OperationalError, None),
        *((True, exc_type, None) for exc_type in table.project),
    ]
    found: dict[int, list[BaseErrorCode]] = {}
    for applies, exc_type, only in raised:
        answers = table.answers(exc_type) if isinstance(exc_type, type) else [(exc_type, exc_type.status)]
        for code, status in answers if applies else ():
            if only in (None, status) and code not in found.setdefault(status, []):
                found[status].append(code)
    return found


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's ``AutoSchema`` with the error responses of every operation added."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, codes in self.get_error_codes().items():
            # A status the view documents itself (e.g. with @extend_schema) keeps its own body.
            responses.setdefault(
                str(status), error_response(self.registry, status, codes, self.map_renderers("media_type"))
            )
        return dict(sorted(responses.items()))

    def get_error_codes(self) -> dict[int, list[BaseErrorCode]]:
        """Status -> catalogue codes this operation can answer with, after the view's overrides."""
        found = error_codes_for(self.operation_facts())
        view, action = self.view, getattr(self.view, "action", None)
        handler = getattr(view, action or self.method.lower(), None)
        for owner in (view, handler):
            overrides = getattr(owner, OVERRIDE_ATTRIBUTE, None)
            if overrides is not None and overrides.applies_to(action, self.method):
                found = overrides.apply(found)
        return dict(sorted(found.items()))

    def operation_facts(self) -> Operation:
        """The facts of this operation, read from the view: its method and path, request serializer,
        model, authenticators, permissions, paginator and throttles."""
        view, method = self.view, self.method
        paginator = self._get_paginator() if method == "GET" and self._is_list_view() else None
        auth = list(view.get_authenticators())
        challenge = bool(auth) and bool(auth[0].authenticate_header(getattr(view, "request", None)))
        csrf = method not in SAFE_METHODS and any(isinstance(a, SessionAuthentication) for a in auth)
        denies_anonymous, denies_users = self._permission_denials()
        query = any(getattr(p, "location", None) == "query" for p in self.get_override_parameters())
        routed = getattr(view, "action_map", None) or view.allowed_methods
        return Operation(
            method,
            path_params="{" in self.path or paginator is not None,
            query_params=query or bool(self._get_filter_parameters()),
            unique_writes=method in BODY_METHODS and self._checks_uniqueness(),
            protected=method == "DELETE" and _is_protected(self._model_of("destroy")),
            authenticators=bool(auth),
            challenge=challenge,
            denies_anonymous=denies_anonymous,
            denies_users=denies_users or csrf,
            every_method={m.upper() for m in routed} >= ROUTABLE_METHODS,
            throttled=self._is_throttled(),
            raises=(ErrorCode.RESULT_SET_TRUNCATED,) if isinstance(paginator, ResultSetCapMixin) else (),
        )

    def _model_of(self, *actions: str) -> Any:
        """The model a generic view (or one of ``actions`` of a view set) saves or deletes; None for a
        custom action, which declares its own 409 with :func:`document_errors`."""
        action = getattr(self.view, "action", None)
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        return model if action is None or action in actions else None

    def _checks_uniqueness(self) -> bool:
        """Whether a write may be refused as a duplicate: DRF's unique validators on the request serializer,
        or a generic create or update saving a model with a unique field or constraint besides its pk."""
        serializer = force_instance(self.get_request_serializer())
        serializer = getattr(serializer, "child", serializer)  # many=True
        if isinstance(serializer, serializers.Serializer):
            found = [*serializer.validators, *(v for f in serializer.fields.values() for v in f.validators)]
            if any(isinstance(validator, UNIQUE_VALIDATORS) for validator in found):
                return True
        meta = getattr(self._model_of("create", "update", "partial_update"), "_meta", None)
        return meta is not None and (
            any(field.unique and not field.primary_key for field in meta.concrete_fields)
            or any(constraint.fields for constraint in meta.total_unique_constraints)
            or bool(meta.unique_together)
        )

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

    def _is_throttled(self) -> bool:
        try:
            throttles = [type(throttle) for throttle in self.view.get_throttles()]
        except ImproperlyConfigured:
            # A throttle without a rate still throttles once configured; documenting needs no rate.
            throttles = list(self.view.throttle_classes)
        # ScopedRateThrottle lets every request through on a view without a throttle_scope.
        scoped = bool(getattr(self.view, "throttle_scope", None))
        return any(scoped or not issubclass(throttle, ScopedRateThrottle) for throttle in throttles)


def error_response(
    registry: ComponentRegistry, status: int, codes: list[BaseErrorCode], media_types: list[str]
) -> dict[str, Any]:
    """The OpenAPI response of ``status`` answering ``codes``, its body, examples and headers
    registered in ``registry``; ``media_types`` are the renderers' (the style may name its own)."""
    style = get_style(api_errors_settings.STYLE)
    declared = media_type(style)
    slugs = [code.value for code in codes]
    examples = {code.value: _example_ref(registry, code.value, code) for code in codes}
    media = {"schema": _style_body(registry, style, slugs), "examples": examples}
    own = code_for_status(status)  # else the status's built-in code describes it, or the first code
    description = str(STATUS_DESCRIPTIONS.get(status) or (own if own in codes else codes[0]).description)
    description += " " + str(_("Codes:")) + " " + ", ".join(f"`{slug}`" for slug in slugs) + "."
    # The problem media type carries problem details, never the active style's body.
    media_types = media_types if declared == JSON else [declared]
    content = {name: dict(media) for name in media_types if name != PROBLEM_JSON or declared == PROBLEM_JSON}
    if api_errors_settings.NEGOTIATE and PROBLEM_JSON not in content:
        content[PROBLEM_JSON] = negotiated_problem_media(registry, codes)
    response: dict[str, Any] = {"description": description, "content": content}
    headers = STATUS_HEADERS.get(status) or (STATUS_HEADERS[500] if status >= 500 else {})
    if headers:
        response["headers"] = {
            name: _register(registry, name, header, ResolvedComponent.HEADER)
            for name, header in headers.items()
        }
    return response


def _is_protected(model: Any, seen: tuple[Any, ...] = ()) -> bool:
    """Whether deleting a row of ``model`` may meet a row referring to it with ``on_delete=PROTECT`` or
    ``RESTRICT``, directly or down a cascade of deletes (Django refuses it: 409 invalid-operation)."""
    seen = (*seen, model)
    return model is not None and any(
        rel.on_delete in (PROTECT, RESTRICT)
        or (
            rel.on_delete is CASCADE
            and rel.related_model not in seen
            and _is_protected(rel.related_model, seen)
        )
        for rel in model._meta.related_objects
    )


def _style_body(component_registry: Any, style: Any, slugs: list[str]) -> dict[str, Any]:
    """One operation's body for one status, registering the style's components once per schema: its
    ``openapi_schema()``, ``openapi_components()``, ``openapi_operation_schema(slugs)``, each optional."""
    _register(component_registry, CODE_COMPONENT, code_enum_schema)
    components = getattr(style, "openapi_components", dict)()
    if repr(style_schemas.ref(FIELD_CODE_COMPONENT)) in repr(components):  # referenced anywhere inside
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

    _register(component_registry, CODE_COMPONENT, code_enum_schema)
    _register(component_registry, FIELD_CODE_COMPONENT, field_code_enum_schema)
    field_schema = problem.openapi_components()[VALIDATION_COMPONENT]
    _register(component_registry, PROBLEM_FIELD_COMPONENT, lambda: field_schema)
    # The problem schema's references to its field error item point at the renamed item.
    renamed = json.dumps(problem.openapi_schema()).replace(
        json.dumps(style_schemas.ref(VALIDATION_COMPONENT)),
        json.dumps(style_schemas.ref(PROBLEM_FIELD_COMPONENT)),
    )
    _register(component_registry, PROBLEM_COMPONENT, lambda: json.loads(renamed))
    body = style_schemas.narrowed([code.value for code in codes], component=PROBLEM_COMPONENT)
    examples = {
        f"problem-{code.value}": _example_ref(component_registry, f"problem-{code.value}", code, problem)
        for code in codes
    }
    return {"schema": body, "examples": examples}


def code_enum_schema() -> dict[str, Any]:
    """The ``ErrorCode`` component: a string enum of every slug in the registry, described."""
    slugs = list(dict.fromkeys(code.value for code in all_codes()))
    lines = [f"- `{code.value}` ({code.status}): {code.description}" for code in all_codes()]
    description = str(_("A code of the error catalogue:")) + "\n\n" + "\n".join(dict.fromkeys(lines))
    return {"type": "string", "enum": slugs, "description": description}


#: Field error codes no ``default_error_messages`` names: a message without a code, Django's unique_together.
BUILT_IN_FIELD_CODES = {"invalid", "unique_together"}


def field_error_codes() -> list[str] | None:
    """Every field error code a body may carry (None when ``FIELD_ERROR_CODES`` is None): the fields'
    ``default_error_messages``, Django's validators, the codes above and ``FIELD_ERROR_CODES``."""
    project = api_errors_settings.FIELD_ERROR_CODES
    if project is None:
        return None
    from django.core import validators
    from django.db.models import Field as ModelField
    from rest_framework.fields import Field as SerializerField

    codes = BUILT_IN_FIELD_CODES | set(project)
    classes: list[type] = [SerializerField, ModelField]
    for cls in classes:  # every subclass: the list grows as it is walked
        classes.extend(sub for sub in cls.__subclasses__() if sub not in classes)
        codes.update(vars(cls).get("default_error_messages", {}))
    for value in vars(validators).values():
        if isinstance(value, type):
            code, messages = getattr(value, "code", None), getattr(value, "messages", None)
            codes.update([code] if isinstance(code, str) else messages if isinstance(messages, dict) else ())
    return sorted(codes)


def field_code_enum_schema() -> dict[str, Any]:
    """The ``FieldErrorCode`` component: the codes of ``validationErrors[].code`` (a string when unknown)."""
    codes = field_error_codes()
    description = str(_("The machine-readable code of one field error, as DRF's ErrorDetail.code."))
    return {"type": "string", **({"enum": codes} if codes is not None else {}), "description": description}
