"""System checks of the code catalogue, the ``API_ERRORS`` setting and the wiring (``manage.py check``).

Every id is documented, with its fix, in ``docs/checks.md``. A setting's check derives from its
declaration in ``settings.SETTINGS``; the wiring's from the names ``wiring.py`` pastes, each missing
piece a warning of its own, so a setting overwritten after the paste is named too.
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
KEBAB_CASE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ERROR_VIEWS = {
    400: "django_api_errors.django_views.bad_request",
    403: "django_api_errors.django_views.permission_denied",
    404: "django_api_errors.django_views.page_not_found",
    500: "django_api_errors.django_views.server_error",
}
CATALOGUE_TEMPLATE = "django_api_errors/catalogue.html"
CATALOGUE_INCLUDE = 'path("", include("django_api_errors.urls"))'
OPENAPI_EXTRA = "django-api-errors[openapi]"
LEVELS = {"E": Error, "W": Warning, "I": Info}


def _message(check_id: str, message: Any, hint: Any, obj: Any = None, **values: Any) -> CheckMessage:
    """The message ``check_id`` (``api_errors.W005``) at its letter's level, texts filled from ``values``."""
    return LEVELS[check_id[len(TAG) + 1]](message % values, hint=hint % values, obj=obj, id=check_id)


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
        _message(
            "api_errors.E001",
            _("The error code %(slug)r is declared %(count)d times."),
            _("Give each code its own slug; declared at %(places)s."),
            slug=slug,
            count=len(places),
            places=", ".join(places),
        )
        for slug, places in declared_in.items()
        if len(places) > 1
    ]


@register(TAG)
def check_statuses(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E002: every code answers with a client or server error status."""
    return [
        _message(
            "api_errors.E002",
            _("The error code %(slug)r has the status %(status)r, which is not an HTTP error status."),
            _("Use a status from 400 to 599."),
            _declared(type(code)),
            slug=code.value,
            status=code.status,
        )
        for code in registry.all_codes()
        if not (isinstance(code.status, int) and 400 <= code.status <= 599)
    ]


@register(TAG)
def check_slug_format(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E003: every slug is lower-case kebab, as clients match on it and it is part of URLs."""
    return [
        _message(
            "api_errors.E003",
            _("The error code %(slug)r is not lower-case kebab."),
            _("Write slugs with lower-case letters, digits and single hyphens, like 'out-of-stock'."),
            _declared(type(code)),
            slug=code.value,
        )
        for code in registry.all_codes()
        if not KEBAB_CASE.fullmatch(code.value)
    ]


# Settings. The predicates below need the package loaded: settings.py names them by dotted path.


def is_style(name: Any) -> bool:
    """A built-in style's name, or the dotted path of a module (or object) with a ``render``."""
    from django_api_errors.styles import get_style

    try:
        return isinstance(name, str) and callable(getattr(get_style(name), "render", None))
    except (ImportError, TypeError, ValueError):
        return False


def is_property_case(case: Any) -> bool:
    """One of the cases ``casing.py`` converts property names to."""
    from django_api_errors.styles.casing import CASES

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
    from django_api_errors.styles import BUILT_IN_STYLES
    from django_api_errors.styles.casing import CASES

    return SETTINGS[key].takes % {"styles": ", ".join(BUILT_IN_STYLES), "cases": ", ".join(CASES)}


@register(TAG)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E004-E031: ``API_ERRORS`` is a dict of known keys, each value of the type and range it takes."""
    project = project_settings()
    if not isinstance(project, Mapping):
        return [
            _message(
                "api_errors.E006",
                _("API_ERRORS is %(value)r, not a dict."),
                _('Write API_ERRORS = {"STYLE": "awork", ...}, or leave it out for the defaults.'),
                value=project,
            )
        ]
    messages = [_unknown_key(key) for key in project if key not in SETTINGS]
    for key, setting in SETTINGS.items():
        value = project.get(key, setting.default)
        accepts = import_string(setting.accepts) if isinstance(setting.accepts, str) else setting.accepts
        if not accepts(value):
            messages.append(
                _message(
                    setting.check_id,
                    _("API_ERRORS[%(key)r] is %(value)r."),
                    _("Use %(takes)s; the default is %(default)r."),
                    key=key,
                    value=value,
                    takes=takes(key),
                    default=setting.default,
                )
            )
    return messages


def _unknown_key(key: Any) -> CheckMessage:
    nearest = difflib.get_close_matches(str(key), list(SETTINGS), n=1)
    return _message(
        "api_errors.E007",
        _("API_ERRORS has the key %(key)r, which django-api-errors does not know."),
        _("Did you mean %(nearest)r?") if nearest else _("The keys it knows are %(keys)s."),
        key=key,
        nearest=nearest[0] if nearest else None,
        keys=", ".join(SETTINGS),
    )


# The wiring: what the README's paste (wiring.py) puts in place.


def _is_ours(configured: Any, path: str) -> bool:
    """Whether ``configured`` (an object or its dotted path) is the object at ``path``, or a subclass."""
    try:
        found, ours = imported(configured), import_string(path)
    except ImportError:
        return False
    return found is ours or (isinstance(found, type) and isinstance(ours, type) and issubclass(found, ours))


def _drf_setting_is_ours(setting: str, path: str) -> bool:
    """Whether DRF's ``setting`` is ours (true when DRF cannot import it: DRF itself reports that)."""
    from rest_framework.settings import api_settings

    try:
        return _is_ours(getattr(api_settings, setting), path)
    except ImportError:
        return True


@register(TAG)
def check_rest_framework(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W001, W007, W010: DRF's exception handler is ours; so are its schema class (with drf-spectacular
    installed) and its negotiation class (where errors can be problem details), or subclasses of them."""
    from django_api_errors.renderers import serves_problems

    wanted = [  # (id, DRF's setting, ours, whether it matters here, what goes wrong without it)
        (
            "api_errors.W001",
            "EXCEPTION_HANDLER",
            HANDLER_PATH,
            True,
            _("REST framework's EXCEPTION_HANDLER is not the handler of django-api-errors."),
        ),
        (
            "api_errors.W007",
            "DEFAULT_SCHEMA_CLASS",
            SCHEMA_CLASS_PATH,
            apps.is_installed("drf_spectacular"),
            _("drf-spectacular is installed, but its schema does not document the error responses."),
        ),
        (
            "api_errors.W010",
            "DEFAULT_CONTENT_NEGOTIATION_CLASS",
            NEGOTIATION_CLASS_PATH,
            serves_problems(),
            _(
                "Errors can answer in problem details, but REST framework refuses a client that asks "
                "only for application/problem+json with 406 before the view runs."
            ),
        ),
    ]
    return [
        _message(
            check_id,
            message,
            _("Set REST_FRAMEWORK[%(setting)r] to %(path)r."),
            setting=setting,
            path=path,
        )
        for check_id, setting, path, applies, message in wanted
        if applies and not _drf_setting_is_ours(setting, path)
    ]


@register(TAG)
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W002, W003: the middleware is installed, after LocaleMiddleware and before Common and Csrf."""
    middleware = list(settings.MIDDLEWARE)
    ours = [index for index, entry in enumerate(middleware) if _is_ours(entry, MIDDLEWARE_PATH)]
    place = _(
        "Put it after LocaleMiddleware (when present) and before CommonMiddleware and CsrfViewMiddleware."
    )
    if not ours:
        message = _("MIDDLEWARE lacks %(path)r: failures outside DRF views answer in HTML.")
        return [_message("api_errors.W002", message, place, path=MIDDLEWARE_PATH)]
    misplaced = [
        entry
        for index, entry in enumerate(middleware)
        if (entry in MIDDLEWARE_AFTER and index > ours[0]) or (entry in MIDDLEWARE_BEFORE and index < ours[0])
    ]
    if not misplaced:
        return []
    message = _("%(path)r is on the wrong side of %(others)s in MIDDLEWARE.")
    return [_message("api_errors.W003", message, place, path=MIDDLEWARE_PATH, others=", ".join(misplaced))]


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
        if not _is_ours(handler, path):
            missing.append(f"handler{status} = {path!r}")
    if not missing:
        return []
    return [
        _message(
            "api_errors.W004",
            _("The root URLconf's error views are not those of django-api-errors: Django answers in HTML."),
            _("Add to %(urlconf)s: %(lines)s."),
            urlconf=settings.ROOT_URLCONF,
            lines="; ".join(missing),
        )
    ]


@register(TAG)
def check_csrf_failure_view(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W005: a failed CSRF check answers through the app's view."""
    try:
        view = get_callable(settings.CSRF_FAILURE_VIEW)
    except (ImportError, ViewDoesNotExist):
        view = None
    if _is_ours(view, CSRF_VIEW_PATH):
        return []
    return [
        _message(
            "api_errors.W005",
            _("CSRF_FAILURE_VIEW is not the view of django-api-errors: a failed CSRF check answers in HTML."),
            _("Set CSRF_FAILURE_VIEW = %(path)r."),
            path=CSRF_VIEW_PATH,
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
    replace = {
        f"{parser_class.__module__}.{parser_class.__qualname__}": replacement
        for parser_class in parser_classes
        for stock, replacement in PARSER_REPLACEMENTS.items()
        if _is_ours(parser_class, stock) and not _is_ours(parser_class, replacement)
    }
    if not replace:
        return []
    return [
        _message(
            "api_errors.W006",
            _(
                "REST framework parses request bodies with %(parsers)s, "
                "which answer some hostile bodies with a 500."
            ),
            _("In REST_FRAMEWORK['DEFAULT_PARSER_CLASSES'] use %(replacements)s instead."),
            parsers=", ".join(replace),
            replacements=", ".join(dict.fromkeys(replace.values())),
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
    if api_errors_settings.DOCS_URL and not _catalogue_mounted():
        return []
    try:
        get_template(CATALOGUE_TEMPLATE)
    except TemplateDoesNotExist:
        return [
            _message(
                "api_errors.W008",
                _("The template %(name)r cannot be loaded: the catalogue pages answer with a 500."),
                _(
                    "Add to TEMPLATES a DjangoTemplates backend with 'APP_DIRS': True, "
                    "as startproject writes it."
                ),
                name=CATALOGUE_TEMPLATE,
            )
        ]
    return []


@register(TAG)
def check_catalogue_urls(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W009: with no DOCS_URL, every link points at the catalogue pages, so they must be mounted."""
    if api_errors_settings.DOCS_URL or _catalogue_mounted():
        return []
    return [
        _message(
            "api_errors.W009",
            _("The catalogue URLs are not mounted and DOCS_URL is None: every error's link is null."),
            _("Add %(include)s to the root URLconf's urlpatterns, or set API_ERRORS['DOCS_URL']."),
            include=CATALOGUE_INCLUDE,
        )
    ]


@register(TAG)
def check_atomic_requests(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """I001: requests run in a transaction, so a failed one keeps nothing and can say so."""
    default = settings.DATABASES.get("default")
    if not default or default.get("ATOMIC_REQUESTS"):
        return []
    return [
        _message(
            "api_errors.I001",
            _("The default database does not run each request in a transaction (ATOMIC_REQUESTS)."),
            _(
                "Set DATABASES['default']['ATOMIC_REQUESTS'] = True: a failed request then keeps nothing it "
                "wrote, and a database-commit error can tell the client so."
            ),
        )
    ]


@register(TAG)
def check_sqlite_transaction_mode(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W011: a SQLite file under ``ATOMIC_REQUESTS`` takes the write lock when each request begins."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    return [
        _message(
            "api_errors.W011",
            _(
                "The SQLite database %(alias)r runs each request in a transaction that asks for the write "
                "lock only when it first writes: a request that reads, then writes, fails at once with "
                "'database is locked' (a 503) while another connection writes."
            ),
            _(
                "Set DATABASES[%(alias)r]['OPTIONS']['transaction_mode'] = 'IMMEDIATE', so each transaction "
                "waits for the write lock when it begins (the README's paste does)."
            ),
            alias=alias,
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
    if not isinstance(schema_class, str) or not schema_class.startswith(SCHEMA_CLASS_PATH.rpartition(".")[0]):
        return []
    try:
        importlib.import_module("drf_spectacular")
    except ImportError:
        return [
            _message(
                "api_errors.E030",
                _("DEFAULT_SCHEMA_CLASS is %(path)r, but drf-spectacular is not installed."),
                _('Install the OpenAPI extra: pip install "%(extra)s".'),
                path=schema_class,
                extra=OPENAPI_EXTRA,
            )
        ]
    return []
