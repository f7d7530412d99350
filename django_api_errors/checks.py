"""System checks of the code catalogue and the DRF wiring (``manage.py check``).

==================  ==========================================================================
``api_errors.E001``  a slug is declared twice (in two enums, or twice in one enum)
``api_errors.E002``  a code's status is not an HTTP error status (400-599)
``api_errors.E003``  a slug is not lower-case kebab (``out-of-stock``)
``api_errors.E004``  ``API_ERRORS["STYLE"]`` names no importable style with a ``render``
``api_errors.E005``  ``API_ERRORS["PROPERTY_CASE"]`` is not one of ``as-is``, ``camel``, ``pascal``
``api_errors.E006``  ``API_ERRORS`` is not a dict
``api_errors.E007``  ``API_ERRORS`` has a key this app does not know (the nearest known one is named)
``api_errors.E008``  to ``E029`` and ``E031``: one id per key of the wrong type or range (``SETTING_RULES``)
``api_errors.E030``  the app's ``AutoSchema`` is the schema class but drf-spectacular is missing
``api_errors.W001``  DRF's ``EXCEPTION_HANDLER`` is not ``django_api_errors.handler.exception_handler``
``api_errors.W002``  ``ApiErrorMiddleware`` is not in ``MIDDLEWARE``
``api_errors.W003``  ``ApiErrorMiddleware`` is before ``LocaleMiddleware`` or after ``Common``/``Csrf``
``api_errors.W004``  the root URLconf's ``handler400/403/404/500`` are not the app's error views
``api_errors.W005``  ``CSRF_FAILURE_VIEW`` is not the app's ``csrf_failure``
``api_errors.W006``  DRF's stock ``JSONParser``, ``FormParser`` or ``MultiPartParser`` parses bodies
``api_errors.W007``  drf-spectacular is installed but ``DEFAULT_SCHEMA_CLASS`` is not the app's
``api_errors.W008``  the catalogue pages' templates cannot be loaded from ``TEMPLATES``
``api_errors.W009``  ``DOCS_URL`` is None and the catalogue URLs are not mounted: links are null
``api_errors.W010``  errors can be problem details but DRF's negotiation is not ``ProblemNegotiation``
``api_errors.W011``  a SQLite database under ``ATOMIC_REQUESTS`` has no ``transaction_mode`` ``IMMEDIATE``
``api_errors.I001``  the default database does not set ``ATOMIC_REQUESTS``
==================  ==========================================================================

Every id is documented, with its fix, in ``docs/checks.md``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Warning, register
from django.core.exceptions import ViewDoesNotExist
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_callable, get_resolver, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from django_api_errors import registry
from django_api_errors import settings as app_settings
from django_api_errors.wiring import (
    CSRF_VIEW_PATH,
    HANDLER_PATH,
    MIDDLEWARE_AFTER,
    MIDDLEWARE_BEFORE,
    MIDDLEWARE_PATH,
    NEGOTIATION_CLASS_PATH,
    PARSER_REPLACEMENTS,
    SCHEMA_CLASS_PATH,
    WRITE_LOCK_MODES,
    is_sqlite,
)

TAG = "api_errors"
KEBAB_CASE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _declared(enum_class: type) -> str:
    return f"{enum_class.__module__}.{enum_class.__qualname__}"


@register(TAG)
def check_unique_slugs(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E001: every slug is declared once across every registered enum."""
    declared_in: dict[str, list[str]] = {}
    for enum_class in registry.code_enums():
        # __members__ keeps the names Python's Enum turned into aliases of an equal value.
        for name, member in enum_class.__members__.items():
            declared_in.setdefault(member.value, []).append(f"{_declared(enum_class)}.{name}")
    return [
        Error(
            _("The error code %(slug)r is declared %(count)d times.") % {"slug": slug, "count": len(places)},
            hint=_("Give each code its own slug; declared at %(places)s.") % {"places": ", ".join(places)},
            id="api_errors.E001",
        )
        for slug, places in declared_in.items()
        if len(places) > 1
    ]


@register(TAG)
def check_statuses(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E002: every code answers with a client or server error status."""
    return [
        Error(
            _("The error code %(slug)r has the status %(status)r, which is not an HTTP error status.")
            % {"slug": code.value, "status": code.status},
            hint=_("Use a status from 400 to 599."),
            obj=_declared(type(code)),
            id="api_errors.E002",
        )
        for code in registry.all_codes()
        if not (isinstance(code.status, int) and 400 <= code.status <= 599)
    ]


@register(TAG)
def check_slug_format(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E003: every slug is lower-case kebab, as clients match on it and it is part of URLs."""
    return [
        Error(
            _("The error code %(slug)r is not lower-case kebab.") % {"slug": code.value},
            hint=_("Write slugs with lower-case letters, digits and single hyphens, like 'out-of-stock'."),
            obj=_declared(type(code)),
            id="api_errors.E003",
        )
        for code in registry.all_codes()
        if not KEBAB_CASE.fullmatch(code.value)
    ]


@register(TAG)
def check_exception_handler(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W001: DRF answers through our handler, else DRF's own errors keep DRF's shape."""
    from rest_framework.settings import api_settings

    from django_api_errors.handler import exception_handler

    if api_settings.EXCEPTION_HANDLER is exception_handler:
        return []
    return [
        Warning(
            _("REST framework's EXCEPTION_HANDLER is not the handler of django-api-errors."),
            hint=_("Set REST_FRAMEWORK['EXCEPTION_HANDLER'] to %(path)r, so every error has one shape.")
            % {"path": HANDLER_PATH},
            id="api_errors.W001",
        )
    ]


# Settings: one row per API_ERRORS key. A new key adds one row (and a hint with a German translation).


def _is_style(name: Any) -> bool:
    from django_api_errors.styles import get_style

    if not isinstance(name, str):
        return False
    try:
        return callable(getattr(get_style(name), "render", None))
    except (ImportError, TypeError, ValueError):
        return False


def _is_property_case(case: Any) -> bool:
    from django_api_errors.casing import CASES

    return case in CASES


class SettingRule(NamedTuple):
    """What one ``API_ERRORS`` key accepts, and the check id and hint when its value does not fit."""

    key: str
    accepts: Callable[[Any], bool]
    id: str
    hint: Any  # a lazy string, formatted with the names of _hint_context()


SETTING_RULES: tuple[SettingRule, ...] = (
    SettingRule(
        "STYLE",
        _is_style,
        "api_errors.E004",
        _("Use one of %(styles)s, or the dotted path of a module with render(error, request)."),
    ),
    SettingRule("PROPERTY_CASE", _is_property_case, "api_errors.E005", _("Use one of %(cases)s.")),
    SettingRule(
        "DOCS_URL",
        app_settings.is_optional_string,
        "api_errors.E008",
        _(
            "Use None (links to the app's own pages) or the base URL of your pages, like 'https://docs.example.com/errors/'."
        ),
    ),
    SettingRule(
        "STRICT_CODES",
        app_settings.is_optional_boolean,
        "api_errors.E009",
        _("Use True, False, or None (strict under DEBUG and in tests)."),
    ),
    SettingRule("NEGOTIATE", app_settings.is_boolean, "api_errors.E010", _("Use True or False.")),
    SettingRule("SPACE_FACTS", app_settings.is_boolean, "api_errors.E011", _("Use True or False.")),
    SettingRule(
        "API_PREFIXES",
        app_settings.is_path_prefixes,
        "api_errors.E012",
        _("Use a list of path prefixes each starting with '/', like ['/api/']; a bare string is not a list."),
    ),
    SettingRule(
        "MAX_REQUEST_BODY_SIZE",
        app_settings.is_byte_limit,
        "api_errors.E013",
        _(
            "Use a number of bytes above 0, 0 to turn the check off, "
            "or None to follow DATA_UPLOAD_MAX_MEMORY_SIZE."
        ),
    ),
    SettingRule(
        "MAX_RESULT_SET_SIZE",
        app_settings.is_positive_integer,
        "api_errors.E014",
        _("Use a whole number above 0, like 10000."),
    ),
    SettingRule(
        "MAX_VALIDATION_ERRORS",
        app_settings.is_optional_positive_integer,
        "api_errors.E015",
        _("Use a whole number above 0, or None to list every field error."),
    ),
    SettingRule("INCIDENTS", app_settings.is_boolean, "api_errors.E016", _("Use True or False.")),
    SettingRule(
        "INCIDENTS_DATABASE",
        app_settings.is_database_alias,
        "api_errors.E017",
        _("Use None (the router's choice) or one of the aliases in DATABASES: %(aliases)s."),
    ),
    SettingRule(
        "INCIDENTS_TIMEOUT",
        app_settings.is_positive_number,
        "api_errors.E018",
        _("Use a number of seconds above 0, like 2 or 0.5."),
    ),
    SettingRule(
        "REQUEST_ID_HEADER",
        app_settings.is_header_name,
        "api_errors.E019",
        _("Use an HTTP header name, like 'X-Request-ID'."),
    ),
    SettingRule(
        "MAX_JSON_VALUES",
        app_settings.is_optional_positive_integer,
        "api_errors.E020",
        _("Use a whole number above 0, or None to read JSON bodies of any number of values."),
    ),
    SettingRule(
        "PIPELINE",
        app_settings.is_pipeline,
        "api_errors.E021",
        _("Use a subclass of django_api_errors.pipeline.ErrorPipeline, or its dotted path."),
    ),
    SettingRule(
        "CONVERTERS",
        app_settings.is_converters,
        "api_errors.E022",
        _(
            "Use a dict from exception classes (or their dotted paths) to an error code, a registered "
            "slug, or a converter function (or its dotted path)."
        ),
    ),
    SettingRule(
        "INCIDENTS_WRITER", app_settings.is_incidents_writer, "api_errors.E023", _("Use 'thread' or 'sync'.")
    ),
    SettingRule(
        "INCIDENTS_QUEUE_SIZE",
        app_settings.is_positive_integer,
        "api_errors.E024",
        _("Use a whole number above 0, like 10000."),
    ),
    SettingRule(
        "INCIDENTS_BATCH_SIZE",
        app_settings.is_positive_integer,
        "api_errors.E025",
        _("Use a whole number above 0, like 10000."),
    ),
    SettingRule(
        "INCIDENTS_FLUSH_INTERVAL",
        app_settings.is_positive_number,
        "api_errors.E026",
        _("Use a number of seconds above 0, like 2 or 0.5."),
    ),
    SettingRule(
        "INCIDENTS_BREAKER_COOLDOWN",
        app_settings.is_non_negative_number,
        "api_errors.E027",
        _("Use a number of seconds of 0 or more, like 30."),
    ),
    SettingRule(
        "INCIDENTS_RATE_CAP",
        app_settings.is_optional_non_negative_integer,
        "api_errors.E028",
        _("Use a whole number of 0 or more, or None for no cap."),
    ),
    SettingRule(
        "INCIDENTS_DROP_WARNING_INTERVAL",
        app_settings.is_non_negative_number,
        "api_errors.E029",
        _("Use a number of seconds of 0 or more, like 30."),
    ),
    SettingRule(
        "FIELD_ERROR_CODES",
        app_settings.is_field_error_codes,
        "api_errors.E031",
        _("Use a list of the field error codes your validators use, like ['budget'], or None."),
    ),
)


def _hint_context() -> dict[str, str]:
    from django_api_errors.casing import CASES
    from django_api_errors.styles import BUILT_IN_STYLES

    return {
        "styles": ", ".join(BUILT_IN_STYLES),
        "cases": ", ".join(CASES),
        "aliases": ", ".join(settings.DATABASES),
    }


@register(TAG)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E004-E031: ``API_ERRORS`` is a dict of known keys, each value of the type and range it takes."""
    project = app_settings.project_settings()
    if not app_settings.is_settings_mapping(project):
        return [
            Error(
                _("API_ERRORS is %(value)r, not a dict.") % {"value": project},
                hint=_('Write API_ERRORS = {"STYLE": "awork", ...}, or leave it out for the defaults.'),
                id="api_errors.E006",
            )
        ]
    messages: list[CheckMessage] = [_unknown_key(key) for key in project if key not in app_settings.DEFAULTS]
    context = _hint_context()
    for rule in SETTING_RULES:
        value = project.get(rule.key, app_settings.DEFAULTS[rule.key])
        if not rule.accepts(value):
            messages.append(
                Error(
                    _("API_ERRORS[%(key)r] is %(value)r.") % {"key": rule.key, "value": value},
                    hint=rule.hint % context,
                    id=rule.id,
                )
            )
    return messages


def _unknown_key(key: Any) -> CheckMessage:
    nearest = difflib.get_close_matches(str(key), list(app_settings.DEFAULTS), n=1)
    if nearest:
        hint = _("Did you mean %(nearest)r?") % {"nearest": nearest[0]}
    else:
        hint = _("The keys it knows are %(keys)s.") % {"keys": ", ".join(app_settings.DEFAULTS)}
    return Error(
        _("API_ERRORS has the key %(key)r, which django-api-errors does not know.") % {"key": key},
        hint=hint,
        id="api_errors.E007",
    )


# The pieces of the README's paste (their names live in wiring.py, which the paste calls): each missing
# one is a warning of its own, so a setting overwritten after the paste is named too.

ERROR_VIEWS = {
    400: "django_api_errors.django_views.bad_request",
    403: "django_api_errors.django_views.permission_denied",
    404: "django_api_errors.django_views.page_not_found",
    500: "django_api_errors.django_views.server_error",
}
CATALOGUE_TEMPLATE = "django_api_errors/catalogue.html"
CATALOGUE_INCLUDE = 'path("", include("django_api_errors.urls"))'


def _is_our_middleware(entry: str) -> bool:
    if entry == MIDDLEWARE_PATH:
        return True
    try:
        middleware = import_string(entry)
    except ImportError:
        return False
    return isinstance(middleware, type) and issubclass(middleware, import_string(MIDDLEWARE_PATH))


@register(TAG)
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W002, W003: the middleware is installed, after LocaleMiddleware and before Common and Csrf."""
    middleware = list(settings.MIDDLEWARE)
    ours = [index for index, entry in enumerate(middleware) if _is_our_middleware(entry)]
    place = _(
        "Put it after LocaleMiddleware (when present) and before CommonMiddleware and CsrfViewMiddleware."
    )
    if not ours:
        return [
            Warning(
                _("MIDDLEWARE lacks %(path)r: failures outside DRF views answer in HTML.")
                % {"path": MIDDLEWARE_PATH},
                hint=place,
                id="api_errors.W002",
            )
        ]
    misplaced = [
        entry
        for index, entry in enumerate(middleware)
        if (entry in MIDDLEWARE_AFTER and index > ours[0]) or (entry in MIDDLEWARE_BEFORE and index < ours[0])
    ]
    if not misplaced:
        return []
    return [
        Warning(
            _("%(path)r is on the wrong side of %(others)s in MIDDLEWARE.")
            % {"path": MIDDLEWARE_PATH, "others": ", ".join(misplaced)},
            hint=place,
            id="api_errors.W003",
        )
    ]


@register(TAG)
def check_error_views(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W004: the root URLconf's handler400/403/404/500 are the app's, so Django's own failures are JSON."""
    resolver = get_resolver()
    missing = []
    for status, path in ERROR_VIEWS.items():
        try:
            handler = resolver.resolve_error_handler(status)
        except (ImportError, ViewDoesNotExist):
            continue  # Django's own check (urls.E008) reports a handler that cannot be imported
        if handler is not import_string(path):
            missing.append(f"handler{status} = {path!r}")
    if not missing:
        return []
    return [
        Warning(
            _("The root URLconf's error views are not those of django-api-errors: Django answers in HTML."),
            hint=_("Add to %(urlconf)s: %(lines)s.")
            % {"urlconf": settings.ROOT_URLCONF, "lines": "; ".join(missing)},
            id="api_errors.W004",
        )
    ]


@register(TAG)
def check_csrf_failure_view(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W005: a failed CSRF check answers through the app's view."""
    try:
        view = get_callable(settings.CSRF_FAILURE_VIEW)
    except (ImportError, ViewDoesNotExist):
        view = None
    if view is import_string(CSRF_VIEW_PATH):
        return []
    return [
        Warning(
            _("CSRF_FAILURE_VIEW is not the view of django-api-errors: a failed CSRF check answers in HTML."),
            hint=_("Set CSRF_FAILURE_VIEW = %(path)r.") % {"path": CSRF_VIEW_PATH},
            id="api_errors.W005",
        )
    ]


@register(TAG)
def check_parsers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W006: DRF's stock JSON, form and multipart parsers (the default) are replaced by the hardened ones."""
    from rest_framework.settings import api_settings

    try:
        parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    except ImportError:
        return []  # DRF itself fails on a parser it cannot import
    replace = {}
    for parser_class in parser_classes:
        for stock, replacement in PARSER_REPLACEMENTS.items():
            if issubclass(parser_class, import_string(stock)) and not issubclass(
                parser_class, import_string(replacement)
            ):
                replace[f"{parser_class.__module__}.{parser_class.__qualname__}"] = replacement
    if not replace:
        return []
    return [
        Warning(
            _(
                "REST framework parses request bodies with %(parsers)s, "
                "which answer some hostile bodies with a 500."
            )
            % {"parsers": ", ".join(replace)},
            hint=_("In REST_FRAMEWORK['DEFAULT_PARSER_CLASSES'] use %(replacements)s instead.")
            % {"replacements": ", ".join(dict.fromkeys(replace.values()))},
            id="api_errors.W006",
        )
    ]


def _drf_class_fits(setting: str, path: str) -> bool:
    """Whether DRF's ``setting`` is the class at ``path`` or a subclass (true when it cannot be
    imported: DRF itself reports that)."""
    from rest_framework.settings import api_settings

    try:
        configured = getattr(api_settings, setting)
    except ImportError:
        return True
    return isinstance(configured, type) and issubclass(configured, import_string(path))


@register(TAG)
def check_schema_class(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W007: with drf-spectacular installed, the schema documents the error responses."""
    if not apps.is_installed("drf_spectacular"):
        return []
    if _drf_class_fits("DEFAULT_SCHEMA_CLASS", SCHEMA_CLASS_PATH):
        return []
    return [
        Warning(
            _("drf-spectacular is installed, but its schema does not document the error responses."),
            hint=_("Set REST_FRAMEWORK['DEFAULT_SCHEMA_CLASS'] to %(path)r (or a subclass).")
            % {"path": SCHEMA_CLASS_PATH},
            id="api_errors.W007",
        )
    ]


@register(TAG)
def check_negotiation_class(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W010: where errors can answer in problem details (``NEGOTIATE`` on, or a problem ``STYLE``),
    DRF's negotiation lets a client asking only for problem+json reach the view."""
    from django_api_errors.renderers import serves_problems

    if not serves_problems() or _drf_class_fits("DEFAULT_CONTENT_NEGOTIATION_CLASS", NEGOTIATION_CLASS_PATH):
        return []
    return [
        Warning(
            _(
                "Errors can answer in problem details, but REST framework refuses a client that asks "
                "only for application/problem+json with 406 before the view runs."
            ),
            hint=_("Set REST_FRAMEWORK['DEFAULT_CONTENT_NEGOTIATION_CLASS'] to %(path)r (or a subclass).")
            % {"path": NEGOTIATION_CLASS_PATH},
            id="api_errors.W010",
        )
    ]


def _catalogue_mounted() -> bool:
    try:
        reverse("django_api_errors:catalogue")
    except (NoReverseMatch, ImportError):
        return False
    return True


@register(TAG)
def check_catalogue_templates(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W008: the catalogue pages (mounted, or where links point) can load their templates."""
    from django_api_errors.settings import api_errors_settings

    if not (_catalogue_mounted() or not api_errors_settings.DOCS_URL):
        return []
    try:
        get_template(CATALOGUE_TEMPLATE)
    except TemplateDoesNotExist:
        return [
            Warning(
                _("The template %(name)r cannot be loaded: the catalogue pages answer with a 500.")
                % {"name": CATALOGUE_TEMPLATE},
                hint=_(
                    "Add to TEMPLATES a DjangoTemplates backend with 'APP_DIRS': True, "
                    "as startproject writes it."
                ),
                id="api_errors.W008",
            )
        ]
    return []


@register(TAG)
def check_catalogue_urls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W009: with no DOCS_URL, every link points at the catalogue pages, so they must be mounted."""
    from django_api_errors.settings import api_errors_settings

    if api_errors_settings.DOCS_URL or _catalogue_mounted():
        return []
    return [
        Warning(
            _("The catalogue URLs are not mounted and DOCS_URL is None: every error's link is null."),
            hint=_("Add %(include)s to the root URLconf's urlpatterns, or set API_ERRORS['DOCS_URL'].")
            % {"include": CATALOGUE_INCLUDE},
            id="api_errors.W009",
        )
    ]


@register(TAG)
def check_atomic_requests(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """I001: requests run in a transaction, so a failed one keeps nothing and can say so."""
    default = settings.DATABASES.get("default")
    if not default or default.get("ATOMIC_REQUESTS"):
        return []
    return [
        Info(
            _("The default database does not run each request in a transaction (ATOMIC_REQUESTS)."),
            hint=_(
                "Set DATABASES['default']['ATOMIC_REQUESTS'] = True: a failed request then keeps nothing it "
                "wrote, and a database-commit error can tell the client so."
            ),
            id="api_errors.I001",
        )
    ]


@register(TAG)
def check_sqlite_transaction_mode(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W011: a SQLite file under ``ATOMIC_REQUESTS`` takes the write lock when each request begins."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    return [
        Warning(
            _(
                "The SQLite database %(alias)r runs each request in a transaction that asks for the write "
                "lock only when it first writes: a request that reads, then writes, fails at once with "
                "'database is locked' (a 503) while another connection writes."
            )
            % {"alias": alias},
            hint=_(
                "Set DATABASES[%(alias)r]['OPTIONS']['transaction_mode'] = 'IMMEDIATE', so each transaction "
                "waits for the write lock when it begins (the README's paste does)."
            )
            % {"alias": alias},
            id="api_errors.W011",
        )
        for alias, config in settings.DATABASES.items()
        if config.get("ATOMIC_REQUESTS")
        and is_sqlite(config.get("ENGINE", ""))
        and not DatabaseCreation.is_in_memory_db(config.get("NAME", ""))
        and str(config.get("OPTIONS", {}).get("transaction_mode", "")).upper() not in WRITE_LOCK_MODES
    ]
