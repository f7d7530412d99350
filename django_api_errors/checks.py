"""System checks of the code catalogue, the ``API_ERRORS`` setting and the wiring (``manage.py check``).

Every id is documented, with its fix, in ``docs/checks.md``.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Mapping
from typing import Any

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
from django_api_errors.settings import SETTINGS, api_errors_settings, imported, project_settings
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
OPENAPI_EXTRA = "django-api-errors[openapi]"
OPENAPI_MODULE = SCHEMA_CLASS_PATH.rpartition(".")[0] + "."
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


# Settings: every key's check derives from its declaration in settings.SETTINGS. The predicates below
# need the package loaded, so settings.py names them by dotted path and imports nothing of it.


def is_style(name: Any) -> bool:
    """A built-in style's name, or the dotted path of a module (or object) with a ``render``."""
    from django_api_errors.styles import get_style

    try:
        return isinstance(name, str) and callable(getattr(get_style(name), "render", None))
    except (ImportError, TypeError, ValueError):
        return False


def is_property_case(case: Any) -> bool:
    """One of the cases ``casing.py`` converts property names to."""
    from django_api_errors.casing import CASES

    return case in CASES


def is_pipeline(value: Any) -> bool:
    """A subclass of the default pipeline class (or an instance of one), or the dotted path of one."""
    base = import_string(SETTINGS["PIPELINE"].default)
    try:
        found = imported(value)
    except ImportError:
        return False
    return isinstance(found, base) or (isinstance(found, type) and issubclass(found, base))


def is_converters(value: Any) -> bool:
    """A dict from exception classes (or their dotted paths) to a code, a registered slug or a converter."""
    from django_api_errors.codes import BaseErrorCode

    try:
        found = imported(value)
    except ImportError:
        return False
    return isinstance(found, Mapping) and all(
        isinstance(key, type)
        and issubclass(key, BaseException)
        and (isinstance(target, BaseErrorCode) or registry.lookup(target) is not None or callable(target))
        for key, target in found.items()
    )


def takes(key: str) -> str:
    """What ``API_ERRORS[key]`` takes, in words, the built-in style names and cases filled in."""
    from django_api_errors.casing import CASES
    from django_api_errors.styles import BUILT_IN_STYLES

    return SETTINGS[key].takes % {"styles": ", ".join(BUILT_IN_STYLES), "cases": ", ".join(CASES)}


@register(TAG)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E004-E031: ``API_ERRORS`` is a dict of known keys, each value of the type and range it takes."""
    project = project_settings()
    if not isinstance(project, Mapping):
        return [
            Error(
                _("API_ERRORS is %(value)r, not a dict.") % {"value": project},
                hint=_('Write API_ERRORS = {"STYLE": "awork", ...}, or leave it out for the defaults.'),
                id="api_errors.E006",
            )
        ]
    messages: list[CheckMessage] = [_unknown_key(key) for key in project if key not in SETTINGS]
    for key, setting in SETTINGS.items():
        value = project.get(key, setting.default)
        accepts = import_string(setting.accepts) if isinstance(setting.accepts, str) else setting.accepts
        if not accepts(value):
            messages.append(
                Error(
                    _("API_ERRORS[%(key)r] is %(value)r.") % {"key": key, "value": value},
                    hint=_("Use %(takes)s; the default is %(default)r.")
                    % {"takes": takes(key), "default": setting.default},
                    id=setting.check_id,
                )
            )
    return messages


def _unknown_key(key: Any) -> CheckMessage:
    nearest = difflib.get_close_matches(str(key), list(SETTINGS), n=1)
    if nearest:
        hint = _("Did you mean %(nearest)r?") % {"nearest": nearest[0]}
    else:
        hint = _("The keys it knows are %(keys)s.") % {"keys": ", ".join(SETTINGS)}
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


@register(TAG)
def check_openapi_extra(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E030: our ``AutoSchema`` is configured, so drf-spectacular (the ``openapi`` extra) must import."""
    from rest_framework.settings import api_settings

    # The raw setting: resolving it through api_settings would import the schema class and fail.
    schema_class = api_settings.user_settings.get("DEFAULT_SCHEMA_CLASS")
    if not isinstance(schema_class, str) or not schema_class.startswith(OPENAPI_MODULE):
        return []
    try:
        importlib.import_module("drf_spectacular")
    except ImportError:
        return [
            Error(
                _("DEFAULT_SCHEMA_CLASS is %(path)r, but drf-spectacular is not installed.")
                % {"path": schema_class},
                hint=_('Install the OpenAPI extra: pip install "%(extra)s".') % {"extra": OPENAPI_EXTRA},
                id="api_errors.E030",
            )
        ]
    return []
