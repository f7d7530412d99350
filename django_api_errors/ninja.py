"""Django Ninja's entry into the pipeline: ``install(NinjaAPI())`` answers and documents its errors as
under DRF (``docs/ninja.md``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.db import connections, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from drf_spectacular.plumbing import ComponentRegistry
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from rest_framework.exceptions import MethodNotAllowed

from django_api_errors import openapi
from django_api_errors.codes import BaseErrorCode, ErrorCode, code_for_status
from django_api_errors.django_views import exception_response
from django_api_errors.errors import ApiError
from django_api_errors.flatten import FieldError, capped_message
from django_api_errors.handler import propagates, set_rollback
from django_api_errors.pipeline.converters import ADAPTER_CONVERTERS, answers, converter_table
from django_api_errors.settings import api_errors_settings

__all__ = ["CONVERTERS", "install"]

#: Exception attribute: the body parameters Ninja nests the request body under (one schema parameter).
WRAPPED_BODY = "_api_errors_wrapped_body"
#: Ninja's own messages: a stock text says nothing the code does not, so it is no detail.
STOCK_MESSAGES = frozenset({"Unauthorized", "Forbidden", "Too many requests."})
PARSE_FAILED = "Cannot parse request body"
#: Pydantic's error types -> DRF's field error codes, so a client reads one set of codes.
FIELD_CODES = {
    "missing": "required",
    **dict.fromkeys(("string_too_long", "too_long"), "max_length"),
    **dict.fromkeys(("string_too_short", "too_short"), "min_length"),
    **dict.fromkeys(("greater_than", "greater_than_equal"), "min_value"),
    **dict.fromkeys(("less_than", "less_than_equal"), "max_value"),
}


@answers(ErrorCode.VALIDATION_FAILED)
def from_ninja_validation(exc: ValidationError, request: Any) -> ApiError:
    """Ninja's failed parameters: ``validation-failed``, each location a property as under DRF
    (``('body', 'payload', 'items', 0, 'name')`` is ``items[0].name``), each type a DRF code."""
    wrapped = getattr(exc, WRAPPED_BODY, ())
    declared = api_errors_settings.FIELD_ERROR_CODES
    errors = []
    for error in exc.errors:
        source, *path = error.get("loc") or ("body",)
        if source == "body" and path and path[0] in wrapped:
            path = path[1:]  # Ninja nests a single schema body under its parameter's name
        kind = str(error.get("type", ""))
        code = FIELD_CODES.get(kind) or (kind if declared is None or kind in declared else "invalid")
        errors.append(FieldError(tuple(path), capped_message(error.get("msg", "")), code))
    return ApiError(ErrorCode.VALIDATION_FAILED, validation_errors=errors)


@answers(ErrorCode.INVALID_MODEL)
def from_ninja_http_error(exc: HttpError, request: Any) -> ApiError:
    """``HttpError(status, message)``: its status's code, a custom 4xx message as a detail; Ninja's
    body that cannot be parsed is ``invalid-model``, as DRF's ``ParseError``."""
    message = str(exc.message)
    if exc.status_code == 400 and message.startswith(PARSE_FAILED):
        return ApiError(ErrorCode.INVALID_MODEL)  # under DEBUG Ninja appends the parser's exception
    custom = exc.status_code < 500 and message not in STOCK_MESSAGES
    return ApiError(
        code_for_status(exc.status_code),
        status=exc.status_code,
        details=[capped_message(message)] if custom else (),
        headers={"Retry-After": str(math.ceil(exc.wait))} if getattr(exc, "wait", None) is not None else None,
    )


#: Ninja's entries of the converters table; a project's ``CONVERTERS`` win over them.
CONVERTERS: dict[type[BaseException], Any] = {
    ValidationError: from_ninja_validation,
    AuthenticationError: answers(ErrorCode.NOT_AUTHENTICATED)(partial(from_ninja_http_error)),
    AuthorizationError: answers(ErrorCode.UNAUTHORIZED)(partial(from_ninja_http_error)),
    Throttled: answers(ErrorCode.TOO_MANY_REQUESTS)(partial(from_ninja_http_error)),
    HttpError: from_ninja_http_error,
}
ADAPTER_CONVERTERS.update(CONVERTERS)
converter_table.cache_clear()  # a table built before this import holds no Ninja entry


def install(api: NinjaAPI) -> NinjaAPI:
    """Answer every failure of ``api`` through the pipeline, and document it in ``api``'s schema."""
    # Ninja looks handlers up along the exception's MRO: replacing its four defaults covers everything.
    for exc_type in (Exception, Http404, HttpError, ValidationError):
        api.add_exception_handler(exc_type, handle)
    build_error = api.validation_error_from_error_contexts

    def validation_error(contexts: list[Any]) -> ValidationError:
        exc = build_error(contexts)
        nested = {getattr(context.model, "__read_from_single_attr__", None) for context in contexts}
        setattr(exc, WRAPPED_BODY, nested)  # None for a parameter Ninja does not nest: no location has it
        return exc

    api.validation_error_from_error_contexts = validation_error  # type: ignore[method-assign]
    api.add_decorator(_challenging, mode="view")
    get_urls = api._get_urls
    api._get_urls = lambda: [_answering_405(pattern) for pattern in get_urls()]  # type: ignore[method-assign]
    api.get_openapi_schema = lambda *, path_prefix=None, path_params=None: _ErrorSchema(  # type: ignore[method-assign]
        api, api.get_root_path(path_params or {}) if path_prefix is None else path_prefix
    )
    return api


def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Ninja's exception handler: the pipeline's answer, the request's transaction rolled back."""
    if propagates(exc, request):
        raise exc
    set_rollback()
    return exception_response(exc, request)


def _answering_405(pattern: Any) -> Any:
    """``pattern`` whose view answers a method no operation takes with the API's 405, not Ninja's text.

    A path with an async operation has an async view, which Django cannot run under ``ATOMIC_REQUESTS``
    (the paste sets it): it is marked ``non_atomic_requests`` on every database, as Django asks."""
    view = pattern.callback
    if iscoroutinefunction(view):

        async def answering_async(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return _api_405(request, await view(request, *args, **kwargs))

        answering = wraps(view)(answering_async)
        for alias in connections:
            answering = transaction.non_atomic_requests(using=alias)(answering)
    else:

        def answering_sync(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return _api_405(request, view(request, *args, **kwargs))

        answering = wraps(view)(answering_sync)
    pattern.callback = answering
    return pattern


def _api_405(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not isinstance(response, HttpResponseNotAllowed):
        return response
    answer = handle(request, MethodNotAllowed(request.method))
    answer["Allow"] = response["Allow"]
    return answer


def _challenging(run: Callable[..., Any]) -> Callable[..., Any]:
    """An operation's ``run`` whose 401 names the scheme of its first authenticator in
    ``WWW-Authenticate``, as DRF's does (Ninja sends none)."""
    first = next(iter(getattr(run, "__self__", run).auth_callbacks), None)
    scheme = getattr(first, "openapi_scheme", None)
    if not scheme:
        return run
    challenge = scheme.capitalize()
    if iscoroutinefunction(run):

        async def challenged_async(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return _challenged(await run(request, *args, **kwargs), challenge)

        return wraps(run)(challenged_async)

    def challenged(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return _challenged(run(request, *args, **kwargs), challenge)

    return wraps(run)(challenged)


def _challenged(response: HttpResponse, challenge: str) -> HttpResponse:
    if response.status_code == 401:
        response.setdefault("WWW-Authenticate", challenge)
    return response


BODY_SOURCES = frozenset({"body", "form", "file"})
#: Ninja parses a body whatever its Content-Type and renders one media type: it answers no 406 or 415.
NEVER_ANSWERED = (406, 415)


def operation_errors(operation: Any, path_methods: set[str]) -> dict[int, list[BaseErrorCode]]:
    """Status -> codes one Ninja operation can answer with: :func:`error_codes_for` of its facts (Ninja's
    exceptions answer the codes of DRF's), less :data:`NEVER_ANSWERED`, then its ``document_errors``."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    auth = bool(operation.auth_callbacks)
    facts = openapi.Operation(
        # One entry serves each of the operation's methods: one that reads a body, if any.
        min(operation.methods, key=lambda method: method not in openapi.BODY_METHODS),
        path_params="{" in operation.path,
        query_params=bool(sources),  # any parameter Ninja validates: a bad value is a 400
        unique_writes=bool(sources & BODY_SOURCES),  # the database may refuse a written value as taken
        authenticators=auth,
        challenge=auth,  # Ninja refuses a request no authenticator accepts with 401
        denies_anonymous=auth,
        every_method=path_methods >= openapi.ROUTABLE_METHODS,
        throttled=bool(operation.throttle_objects),
    )
    found = openapi.error_codes_for(facts)
    found = {status: found[status] for status in found if status not in NEVER_ANSWERED}
    overrides = getattr(operation.view_func, openapi.OVERRIDE_ATTRIBUTE, None)
    return overrides.apply(found) if overrides else found  # the schema sorts the statuses


class _ErrorSchema(OpenAPISchema):
    """Ninja's schema plus each operation's error responses, built as the DRF integration builds them
    into a drf-spectacular component registry: both schemas share every component and example."""

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        self.registry = ComponentRegistry()
        super().__init__(api, path_prefix)

    def methods(self, operations: list[Any]) -> dict[str, Any]:
        self.path_methods = {method for operation in operations for method in operation.methods}
        return super().methods(operations)

    def responses(self, operation: Any) -> dict[Any, Any]:
        result = super().responses(operation)
        media_types = [self.api.renderer.media_type]
        for status, codes in operation_errors(operation, self.path_methods).items():
            result.setdefault(status, openapi.error_response(self.registry, status, codes, media_types))
        return dict(sorted(result.items()))

    def get_components(self) -> dict[str, Any]:
        return self.registry.build(super().get_components())
