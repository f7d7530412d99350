"""The ``API_ERRORS`` setting: each key declared once in :data:`SETTINGS`, read through one object.

Like DRF's ``api_settings``: ``api_errors_settings.STYLE`` returns the project's value or the default;
the values of keys declared ``imports`` have their dotted paths imported (as DRF's ``IMPORT_STRINGS``).
Values are cached after the first read and dropped on Django's ``setting_changed`` signal, so
``override_settings(API_ERRORS=...)`` works in tests. The system checks (``checks.py``) and the table of
``docs/settings.md`` derive from the same declarations. This module imports nothing else of the package.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

SETTING_NAME = "API_ERRORS"
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token


class Setting(NamedTuple):
    """One ``API_ERRORS`` key: its default, what it takes, its check id and its line in the docs."""

    default: Any
    # A predicate of one value; a dotted path names one of checks.py, which needs the package loaded.
    accepts: Callable[[Any], bool] | str
    takes: Any  # what it takes, in words: the check's hint and the docs' column (a lazy string)
    check_id: str
    doc: str  # its effect, one Markdown line of the docs' table
    imports: bool = False  # the accessor imports the dotted paths in its value


def _of_type(*types: type) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, types)


def _number(*, zero: bool = False, whole: bool = True, optional: bool = False) -> Callable[[Any], bool]:
    """Finite numbers above 0 (0 too when ``zero``; only ``int`` when ``whole``; never ``bool``, which
    Python counts an ``int``), and ``None`` when ``optional``."""
    kinds = int if whole else (int, float)

    def accepts(value: Any) -> bool:
        if value is None or isinstance(value, bool) or not isinstance(value, kinds):
            return value is None and optional
        return (value >= 0 if zero else value > 0) and value < math.inf

    return accepts


def _path_prefixes(value: Any) -> bool:
    # A bare string would match by character: "/" would make every path an API path.
    return isinstance(value, (list, tuple)) and all(isinstance(p, str) and p.startswith("/") for p in value)


def _field_error_codes(value: Any) -> bool:
    return value is None or (
        isinstance(value, (list, tuple)) and all(isinstance(c, str) and c for c in value)
    )


def _observers(value: Any) -> bool:
    try:
        found = imported(value)
    except ImportError:
        return False
    return isinstance(found, list) and all(callable(each) for each in found)


BOOLEAN = _of_type(bool)
SECONDS = _("a number of seconds above 0")
WHOLE = _("a whole number above 0")

SETTINGS: dict[str, Setting] = {
    "STYLE": Setting(
        "awork",
        "django_api_errors.checks.is_style",
        _("one of %(styles)s, or the dotted path of a module with render(error, request)"),
        "api_errors.E004",
        'the body layout: `"awork"`, `"asana"`, `"problem"` (RFC 9457), or the dotted path of a module '
        "with `render(error, request)`; see [Styles](styles.md)",
    ),
    "PROPERTY_CASE": Setting(
        "as-is",
        "django_api_errors.checks.is_property_case",
        _("one of %(cases)s"),
        "api_errors.E005",
        'field names in paths in `"as-is"`, `"camel"` or `"pascal"` case; a `DictField`\'s keys stay as '
        "the client sent them",
    ),
    "DOCS_URL": Setting(
        None,
        _of_type(str, type(None)),
        _("None (links to the app's own pages) or the base URL of your pages"),
        "api_errors.E008",
        "base of each error's `link` and problem `type`: `{code}` in it is replaced by the code, else the "
        "code is appended; `None` points at the app's own page `/errors/<code>/` (see "
        "[Typed clients](clients.md#stable-links-and-problem-types))",
    ),
    "STRICT_CODES": Setting(
        None,
        _of_type(bool, type(None)),
        _("True, False, or None (strict under DEBUG and in tests)"),
        "api_errors.E009",
        "`True`: an `ApiError` with an unknown slug raises `UnknownErrorCode`; `False`: it is logged and "
        "answered as a 400; `None`: strict under `DEBUG` and in tests",
    ),
    "NEGOTIATE": Setting(
        False,
        BOOLEAN,
        _("True or False"),
        "api_errors.E010",
        "answer in problem details when the client's `Accept` asks for `application/problem+json` "
        '(`STYLE = "problem"` serves such a client without it; both need `ProblemNegotiation`, see '
        "[Styles](styles.md#rfc-9457-problem-details-problem))",
    ),
    "SPACE_FACTS": Setting(
        False,
        BOOLEAN,
        _("True or False"),
        "api_errors.E011",
        "awork style: add a fact about space to every body",
    ),
    "API_PREFIXES": Setting(
        ["/api/"],
        _path_prefixes,
        _("a list of path prefixes each starting with '/'; a bare string is not a list"),
        "api_errors.E012",
        "path prefixes (of `request.path_info`) whose failures outside DRF views (unknown URL, bad `Host`, "
        "body too large, CSRF, plain Django views) answer in the style; other requests get JSON only when "
        "their `Accept` prefers it. See [HTTP](http.md)",
    ),
    "MAX_REQUEST_BODY_SIZE": Setting(
        None,
        _number(zero=True, optional=True),
        _("a number of bytes above 0, 0 (no check), or None to follow DATA_UPLOAD_MAX_MEMORY_SIZE"),
        "api_errors.E013",
        "largest body, in bytes by `Content-Length`, uploads included, that the middleware lets through to "
        "an API view (413 beyond)",
    ),
    "MAX_RESULT_SET_SIZE": Setting(
        10_000,
        _number(),
        WHOLE,
        "api_errors.E014",
        "cap of the capped paginators: a page reaching past it answers 400 `result-set-truncated`",
    ),
    "MAX_JSON_VALUES": Setting(
        2_000,
        _number(optional=True),
        _("a whole number above 0, or None to read JSON bodies of any number of values"),
        "api_errors.E020",
        "most values (array items plus object members, at any depth) a JSON body may hold; over it "
        "`django_api_errors.parsers.JSONParser` answers 400 `invalid-model` before DRF validates anything. "
        "See [Hardening](hardening.md#how-many-json-values)",
    ),
    "MAX_VALIDATION_ERRORS": Setting(
        100,
        _number(optional=True),
        _("a whole number above 0, or None to list every field error"),
        "api_errors.E015",
        "most field errors one response lists in `validationErrors`; a `details` entry says how many more "
        "were left out. See [Hardening](hardening.md)",
    ),
    "REQUEST_ID_HEADER": Setting(
        "X-Request-ID",
        lambda value: isinstance(value, str) and HEADER_NAME.fullmatch(value) is not None,
        _("an HTTP header name (a token: no spaces, colon or control characters)"),
        "api_errors.E019",
        "request header logged and stored as the request id",
    ),
    "PIPELINE": Setting(
        "django_api_errors.pipeline.ErrorPipeline",
        "django_api_errors.checks.is_pipeline",
        _("a subclass of the default, or its dotted path"),
        "api_errors.E021",
        "the error pipeline class (or its dotted path); see [The pipeline](pipeline.md)",
        imports=True,
    ),
    "CONVERTERS": Setting(
        {},
        "django_api_errors.checks.is_converters",
        _(
            "a dict from exception classes (or their dotted paths) to an error code, a registered slug, "
            "or a converter function (or its dotted path)"
        ),
        "api_errors.E022",
        "merged over the built-in converters; see [The pipeline](pipeline.md#converters)",
        imports=True,
    ),
    "FIELD_ERROR_CODES": Setting(
        [],
        _field_error_codes,
        _("a list of the field error codes your validators use, like ['budget'], or None"),
        "api_errors.E031",
        "field error codes of the project's own validators, added to the OpenAPI `FieldErrorCode` enum of "
        "DRF's and Django's codes; `None` documents `validationErrors[].code` as any string. See "
        "[OpenAPI](openapi.md#shared-components)",
    ),
    "OBSERVERS": Setting(
        [],
        _observers,
        _("a list of functions (error value, request) -> error value, or their dotted paths"),
        "api_errors.E032",
        "functions every error value passes through before it is rendered: "
        "`django_api_errors.telemetry.trace_id` and `django_api_errors.telemetry.count` (see "
        "[Observability](observability.md)), `django_api_errors.guard.check` (see [Testing](testing.md)), "
        "or your own",
        imports=True,
    ),
    # Read by the optional incidents app (docs/incidents.md).
    "INCIDENTS_TIMEOUT": Setting(
        2,
        _number(whole=False),
        SECONDS,
        "api_errors.E018",
        "seconds the incident writer may wait in all: connect, locks, statement",
    ),
    "INCIDENTS_RATE_CAP": Setting(
        60,
        _number(zero=True, optional=True),
        _("a whole number of 0 or more, or None for no cap"),
        "api_errors.E028",
        "most rows per fingerprint per minute and process; beyond, only the group's count grows",
    ),
}
DEFAULTS: dict[str, Any] = {key: setting.default for key, setting in SETTINGS.items()}


def project_settings() -> Any:
    """The project's raw ``API_ERRORS`` value (an empty dict when unset), unvalidated."""
    value = getattr(settings, SETTING_NAME, None)
    return {} if value is None else value


def raw_value(key: str) -> Any:
    """The project's value of ``key`` as written, or its default; the defaults hold while ``API_ERRORS``
    is not a dict (the check ``api_errors.E006`` reports it)."""
    project = project_settings()
    return project.get(key, DEFAULTS[key]) if isinstance(project, Mapping) else DEFAULTS[key]


def imported(value: Any) -> Any:
    """``value`` with its dotted paths imported: a string with a dot, the items of a list, or the keys
    and values of a dict (slugs, which have no dot, stay strings)."""
    if isinstance(value, (list, tuple)):
        return [imported(item) for item in value]
    if isinstance(value, Mapping):
        return {imported(key): imported(item) for key, item in value.items()}
    return import_string(value) if isinstance(value, str) and "." in value else value


class ApiErrorsSettings:
    """Attribute access to ``API_ERRORS`` over the defaults of :data:`SETTINGS`, dotted paths imported."""

    def __getattr__(self, name: str) -> Any:
        if name not in SETTINGS:
            raise AttributeError(f"Invalid API_ERRORS setting: {name!r}")
        value = raw_value(name)
        value = imported(value) if SETTINGS[name].imports else value
        setattr(self, name, value)  # read from the instance from now on, until reload()
        return value

    def reload(self) -> None:
        """Forget every cached value; the next read sees the current Django settings."""
        self.__dict__.clear()


api_errors_settings = ApiErrorsSettings()


def _reload_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        api_errors_settings.reload()


setting_changed.connect(_reload_on_change)
