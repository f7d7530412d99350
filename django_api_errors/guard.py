"""The contract guard: an error whose status and code its operation's schema (drf-spectacular's, or a
Ninja API's) does not document is logged once per operation, or failed in a test (docs/testing.md)."""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from django_api_errors.codes import lookup
from django_api_errors.request_facts import django_request_of
from django_api_errors.settings import api_errors_settings
from django_api_errors.values import ErrorValue

logger = logging.getLogger("django_api_errors")
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
#: An operation: its name (``GET /api/items/{id}/``), its path pattern, and status -> documented codes
#: (``None``: any code; the keys include ``default`` and ranges such as ``4XX``).
Operation = tuple[str, "re.Pattern[str]", dict[str, "frozenset[str] | None"]]

_collectors: list[list[str]] = []
_warned: set[str] = set()
_schemas: dict[tuple[Any, ...], dict[str, list[Operation]]] = {}
_ninja_apis: dict[Any, Any] = {}  # a URL pattern's view -> its NinjaAPI or None


def check(value: ErrorValue, request: Any) -> ErrorValue:
    """Observer: report the error when its operation does not document its status and code."""
    found = undocumented(value, request)
    if found is not None:
        operation, message = found
        if _collectors:
            _collectors[-1].append(message)
        elif operation not in _warned:
            _warned.add(operation)
            logger.warning("%s", message)
    return value


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect what :func:`check` finds, in a list, instead of logging it (a test's assertions)."""
    found: list[str] = []
    _collectors.append(found)
    try:
        yield found
    finally:
        _collectors.remove(found)


def undocumented(value: ErrorValue, request: Any) -> tuple[str, str] | None:
    """The operation and a message saying how to document it, when ``request``'s operation does
    not document ``value``'s status and code; ``None`` when it does or no operation matches."""
    django_request = django_request_of(request)
    match = getattr(django_request, "resolver_match", None)
    if match is None:
        return None  # no URL pattern matched: no operation to hold to its schema
    operations = documented_operations(match, getattr(django_request, "urlconf", None))
    path = django_request.path_info
    found = next(
        (op for op in operations.get(django_request.method.lower(), ()) if op[1].fullmatch(path)), None
    )
    if found is None:
        return None
    name, _pattern, responses = found
    status = str(value.status)
    codes = next((responses[key] for key in (status, f"{status[0]}XX", "default") if key in responses), ())
    if codes is None or value.slug in codes:
        return None
    return name, (
        f"{name} answered {value.status} {value.slug!r}, which its schema does not document: add it "
        f'to the view\'s documented errors (@document_errors(add=["{value.slug}"]) on a DRF view), or '
        "declare it with @answers on the exception's converter in API_ERRORS['CONVERTERS'] (docs/testing.md)."
    )


def documented_operations(match: Any, urlconf: Any = None) -> dict[str, list[Operation]]:
    """Method -> the operations of the schema serving ``match`` (built once per API and setting)."""
    api = _ninja_api(match.func)
    schema_class = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_SCHEMA_CLASS")
    key = (
        id(api) if api else urlconf or settings.ROOT_URLCONF,
        schema_class,
        repr(api_errors_settings.CONVERTERS),
    )
    if key not in _schemas:
        if len(_schemas) >= 16:
            _schemas.clear()
        try:
            _schemas[key] = operations_of(_schema(api, urlconf))
        except Exception as exc:  # the error being answered must not become a second one
            logger.exception("The contract guard could not read the schema; these errors go unchecked.")
            _schemas[key] = {}
            if _collectors:  # a test must not pass unchecked
                _collectors[-1].append(f"The contract guard could not read the schema: {exc!r}")
    return _schemas[key]


def _schema(api: Any, urlconf: Any) -> dict[str, Any]:
    if api is not None:
        return api.get_openapi_schema()
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    with GENERATOR_STATS.silence():  # its warnings are `manage.py spectacular`'s to give
        return SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)


def operations_of(schema: dict[str, Any]) -> dict[str, list[Operation]]:
    """Method -> operations of an OpenAPI document, literal paths before templated ones."""
    found: dict[str, list[Operation]] = {}
    for path, item in sorted(schema.get("paths", {}).items(), key=lambda pair: pair[0].count("{")):
        pattern = re.compile("[^/]+".join(re.escape(part) for part in re.split(r"\{[^}/]+\}", path)))
        for method, operation in item.items():
            if method in HTTP_METHODS:
                responses = {
                    str(status): _codes(response)
                    for status, response in operation.get("responses", {}).items()
                }
                found.setdefault(method, []).append((f"{method.upper()} {path}", pattern, responses))
    return found


def _codes(response: dict[str, Any]) -> frozenset[str] | None:
    codes: set[str] = set()
    for media in (response.get("content") or {}).values():
        names = (name.removeprefix("problem-") for name in media.get("examples") or {})
        codes.update(name for name in names if lookup(name) is not None)
        body = media.get("schema") or {}
        for part in (body, *body.get("allOf", ())):
            codes.update(part.get("properties", {}).get("code", {}).get("enum", ()))
    return frozenset(codes) or None


def _ninja_api(view: Any) -> Any:
    """The ``NinjaAPI`` serving a URL pattern's view (its ``PathView`` holds the operations)."""
    if view not in _ninja_apis:
        owner = getattr(view, "__self__", None)
        if owner is None and inspect.isfunction(view):
            owner = inspect.getclosurevars(view).nonlocals.get("self")
        operations = getattr(owner, "operations", None)
        _ninja_apis[view] = getattr(operations[0], "api", None) if operations else None
    return _ninja_apis[view]
