"""The ``API_ERRORS`` setting: each key declared once in :data:`SETTINGS`, read through
:data:`api_errors_settings` like DRF's ``api_settings`` (docs/settings.md)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
CASES = ("as-is", "camel", "pascal")  # of property names (styles.convert_key)


class Setting(NamedTuple):
    """One ``API_ERRORS`` key: its default, what it accepts, its check id and its line in the docs."""

    default: Any
    # A predicate of one value; a dotted path names one of checks.py, which needs the package loaded.
    accepts: Callable[[Any], bool] | str
    takes: Any  # what it accepts, in words: the check's hint and the docs' column (a lazy string)
    check_id: str
    doc: str  # its effect, one Markdown line of the docs' table
    imports: bool = False  # the accessor imports the dotted paths in its value


def _of_type(*types: type) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, types)


def _list_of(item: Callable[[Any], bool], *, optional: bool = False) -> Callable[[Any], bool]:
    # Not a bare string, whose characters would count as items: "/" would make every path an API path.
    return lambda value: (
        (optional and value is None) or (isinstance(value, (list, tuple)) and all(map(item, value)))
    )


def _number(*, zero: bool = False, whole: bool = True, optional: bool = False) -> Callable[[Any], bool]:
    """Finite numbers above 0 (0 too when ``zero``; only ``int`` when ``whole``; never ``bool``, which
    Python counts an ``int``), and ``None`` when ``optional``."""
    kinds = int if whole else (int, float)

    def accepts(value: Any) -> bool:
        if value is None or isinstance(value, bool) or not isinstance(value, kinds):
            return value is None and optional
        return (value >= 0 if zero else value > 0) and value < math.inf

    return accepts


BOOLEAN = _of_type(bool)
TRUE_OR_FALSE = _("True or False")

SETTINGS: dict[str, Setting] = {
    "STYLE": Setting(
        "awork",
        "django_api_errors.checks.is_style",
        _("one of %(styles)s, or the dotted path of a module with render(error, request)"),
        "api_errors.E004",
        'the body layout; `"problem"` is RFC 9457. See [Styles](styles.md)',
    ),
    "PROPERTY_CASE": Setting(
        "as-is",
        lambda case: case in CASES,
        _("one of %(cases)s"),
        "api_errors.E005",
        "the case of field names in paths; a `DictField`'s keys stay as the client sent them",
    ),
    "DOCS_URL": Setting(
        None,
        _of_type(str, type(None)),
        _("None (links to the app's own pages) or the base URL of your pages"),
        "api_errors.E008",
        "base of each error's `link` and problem `type`: `{code}` in it is replaced by the code, else the "
        "code is appended. See [Typed clients](clients.md#stable-links-and-problem-types)",
    ),
    "STRICT_CODES": Setting(
        None,
        _of_type(bool, type(None)),
        _("True, False, or None (strict under DEBUG and in tests)"),
        "api_errors.E009",
        "strict: an `ApiError` with an unknown slug raises `UnknownErrorCode`; else it is logged and a 400",
    ),
    "NEGOTIATE": Setting(
        False,
        BOOLEAN,
        TRUE_OR_FALSE,
        "api_errors.E010",
        "answer in problem details a client whose `Accept` asks for `application/problem+json`. See "
        "[Styles](styles.md#rfc-9457-problem-details-problem)",
    ),
    "SPACE_FACTS": Setting(
        False, BOOLEAN, TRUE_OR_FALSE, "api_errors.E011", "awork style: a fact about space"
    ),
    "API_PREFIXES": Setting(
        ["/api/"],
        _list_of(lambda prefix: isinstance(prefix, str) and prefix.startswith("/")),
        _("a list of path prefixes each starting with '/'; a bare string is not a list"),
        "api_errors.E012",
        "prefixes of `request.path_info` whose failures outside DRF views answer in the style; elsewhere "
        "JSON only when `Accept` prefers it. See [HTTP](http.md)",
    ),
    "MAX_REQUEST_BODY_SIZE": Setting(
        None,
        _number(zero=True, optional=True),
        _("a number of bytes above 0, 0 (no check), or None to follow DATA_UPLOAD_MAX_MEMORY_SIZE"),
        "api_errors.E013",
        "largest `Content-Length`, uploads included, the middleware lets through to an API view (413)",
    ),
    "MAX_RESULT_SET_SIZE": Setting(
        10_000,
        _number(),
        _("a whole number above 0"),
        "api_errors.E014",
        "cap of the capped paginators: a page reaching past it answers 400 `result-set-truncated`",
    ),
    "MAX_JSON_VALUES": Setting(
        2_000,
        _number(optional=True),
        _("a whole number above 0, or None to read JSON bodies of any number of values"),
        "api_errors.E020",
        "most values (items and members, at any depth) of a JSON body; beyond, our `JSONParser` answers "
        "400 `invalid-model`. See [Hardening](hardening.md#how-many-json-values)",
    ),
    "MAX_VALIDATION_ERRORS": Setting(
        100,
        _number(optional=True),
        _("a whole number above 0, or None to list every field error"),
        "api_errors.E015",
        "most field errors in one response; a `details` entry counts the rest. See [Hardening](hardening.md)",
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
        "the error pipeline class; see [The pipeline](pipeline.md)",
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
        _list_of(lambda code: isinstance(code, str) and code != "", optional=True),
        _("a list of the field error codes your validators use, like ['budget'], or None"),
        "api_errors.E031",
        "codes of the project's validators, added to the OpenAPI `FieldErrorCode` enum; `None`: any "
        "string. See [OpenAPI](openapi.md#shared-components)",
    ),
    "OBSERVERS": Setting(
        [],
        lambda value: _list_of(callable)(imported(value)),
        _("a list of functions (error value, request) -> error value, or their dotted paths"),
        "api_errors.E032",
        "functions each error value passes through before it is rendered: the trace id and counter of "
        "[Observability](observability.md), the guard of [Testing](testing.md), or your own",
        imports=True,
    ),
    # Read by the optional incidents app (docs/incidents.md).
    "INCIDENTS_TIMEOUT": Setting(
        2,
        _number(whole=False),
        _("a number of seconds above 0"),
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


def project_settings() -> Any:
    """The project's raw ``API_ERRORS`` (an empty dict when unset), unvalidated."""
    value = getattr(settings, "API_ERRORS", None)
    return {} if value is None else value


def imported(value: Any) -> Any:
    """``value`` with its dotted paths imported: a string with a dot, a list's items, a dict's keys and
    values (not slugs)."""
    if isinstance(value, (list, tuple)):
        return [imported(item) for item in value]
    if isinstance(value, Mapping):
        return {imported(key): imported(item) for key, item in value.items()}
    return import_string(value) if isinstance(value, str) and "." in value else value


class ApiErrorsSettings:
    """Attribute access to ``API_ERRORS`` over the defaults of :data:`SETTINGS`, dotted paths imported;
    the defaults hold while ``API_ERRORS`` is not a dict (check ``api_errors.E006``)."""

    def __getattr__(self, name: str) -> Any:
        if name not in SETTINGS:
            raise AttributeError(f"Invalid API_ERRORS setting: {name!r}")
        project, setting = project_settings(), SETTINGS[name]
        value = project.get(name, setting.default) if isinstance(project, Mapping) else setting.default
        value = imported(value) if setting.imports else value
        setattr(self, name, value)  # read from the instance from now on, until reload()
        return value

    def reload(self) -> None:
        """Forget every cached value; the next read sees the current Django settings."""
        self.__dict__.clear()


api_errors_settings = ApiErrorsSettings()


def _reload_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "API_ERRORS":
        api_errors_settings.reload()


setting_changed.connect(_reload_on_change)
