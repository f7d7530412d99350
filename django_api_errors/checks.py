"""System checks of the catalogue, the ``API_ERRORS`` setting and the wiring (fixes: docs/checks.md)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Warning, register
from django.core.exceptions import ViewDoesNotExist
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework.settings import DEFAULTS as DRF_DEFAULTS
from rest_framework.settings import api_settings

from django_api_errors import codes, wiring
from django_api_errors.renderers import serves_problems
from django_api_errors.settings import CASES, SETTINGS, api_errors_settings, imported, project_settings
from django_api_errors.styles import BUILT_IN_STYLES, get_style

KEBAB_CASE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ERROR_VIEWS = {
    400: "django_api_errors.django_views.bad_request",
    403: "django_api_errors.django_views.permission_denied",
    404: "django_api_errors.django_views.page_not_found",
    500: "django_api_errors.django_views.server_error",
}
CATALOGUE_TEMPLATE = "django_api_errors/catalogue.html"
# Each id's message and hint (its fix); "setting" serves each setting's own id (settings.SETTINGS).
SET = _("Set %(setting)s to %(path)r.")
PLACE = _("Put it after LocaleMiddleware (when present) and before CommonMiddleware and CsrfViewMiddleware.")
MESSAGES = {
    "E001": (
        _("The error code %(slug)r is declared %(count)d times."),
        _("Give each code its own slug; declared at %(places)s."),
    ),
    "E002": (
        _("The error code %(slug)r has the status %(status)r, which is not an HTTP error status."),
        _("Use a status from 400 to 599."),
    ),
    "E003": (
        _("The error code %(slug)r is not lower-case kebab."),
        _("Write slugs with lower-case letters, digits and single hyphens, like 'out-of-stock'."),
    ),
    "setting": (_("API_ERRORS[%(key)r] is %(value)r."), _("Use %(takes)s; the default is %(default)r.")),
    "E006": (
        _("API_ERRORS is %(value)r, not a dict."),
        _('Write API_ERRORS = {"STYLE": "awork", ...}, or leave it out for the defaults.'),
    ),
    "E007": (
        _("API_ERRORS has the key %(key)r, which django-api-errors does not know."),
        _("Did you mean %(nearest)r?"),
    ),
    "E030": (
        _("DEFAULT_SCHEMA_CLASS is %(path)r, but drf-spectacular is not installed."),
        _('Install the OpenAPI extra: pip install "%(extra)s".'),
    ),
    "W001": (_("REST framework's EXCEPTION_HANDLER is not the handler of django-api-errors."), SET),
    "W002": (_("MIDDLEWARE lacks %(path)r: failures outside DRF views answer in HTML."), PLACE),
    "W003": (_("%(path)r is on the wrong side of %(others)s in MIDDLEWARE."), PLACE),
    "W004": (
        _("The root URLconf's error views are not those of django-api-errors: Django answers in HTML."),
        _("Add to %(urlconf)s: %(lines)s."),
    ),
    "W005": (
        _("CSRF_FAILURE_VIEW is not the view of django-api-errors: a failed CSRF check answers in HTML."),
        SET,
    ),
    "W006": (
        _(
            "REST framework parses request bodies with %(parsers)s, "
            "which answer some hostile bodies with a 500."
        ),
        _("In REST_FRAMEWORK['DEFAULT_PARSER_CLASSES'] use %(replacements)s instead."),
    ),
    "W007": (_("drf-spectacular is installed, but its schema does not document the error responses."), SET),
    "W008": (
        _("The template %(name)r cannot be loaded: the catalogue pages answer with a 500."),
        _("Add to TEMPLATES a DjangoTemplates backend with 'APP_DIRS': True, as startproject writes it."),
    ),
    "W009": (
        _("The catalogue URLs are not mounted and DOCS_URL is None: every error's link is null."),
        _("Add %(include)s to the root URLconf's urlpatterns, or set API_ERRORS['DOCS_URL']."),
    ),
    "W010": (
        _("Errors can be problem details, but REST framework answers 406 to a client accepting only those."),
        SET,
    ),
    "W011": (
        _(
            "The SQLite database %(alias)r takes the write lock only when a request first writes: a request "
            "that reads, then writes, fails with a 503 while another connection writes."
        ),
        _("Set DATABASES[%(alias)r]['OPTIONS']['transaction_mode'] = 'IMMEDIATE' (the README's paste does)."),
    ),
    "I001": (
        _("The default database does not run each request in a transaction (ATOMIC_REQUESTS)."),
        _(
            "Set DATABASES['default']['ATOMIC_REQUESTS'] = True: a failed request then keeps nothing it "
            "wrote, and a database-commit error can tell the client so."
        ),
    ),
}


def _message(check_id: str, obj: Any = None, *, hint: Any = None, **values: Any) -> CheckMessage:
    """The message of ``check_id`` (``W005``, or a setting's ``api_errors.E004``) at its letter's level."""
    check_id = check_id.removeprefix("api_errors.")
    message, default_hint = MESSAGES.get(check_id, MESSAGES["setting"])
    level = {"E": Error, "W": Warning, "I": Info}[check_id[0]]
    return level(message % values, hint=(hint or default_hint) % values, obj=obj, id=f"api_errors.{check_id}")


def _is_ours(configured: Any, path: str) -> bool:
    """Whether ``configured`` (or its dotted path) is the object at ``path``, a subclass or an instance."""
    try:
        found, ours = imported(configured), import_string(path)
    except ImportError:
        return False
    if not isinstance(ours, type):
        return found is ours
    return isinstance(found, ours) or (isinstance(found, type) and issubclass(found, ours))


@register("api_errors")
def check_codes(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E001-E003: each slug is declared once, in lower-case kebab, with an HTTP error status."""
    declared_in: dict[str, list[str]] = {}
    for enum_class in codes.code_enums():
        # __members__ keeps the names Python's Enum turned into aliases of an equal value.
        for name, member in enum_class.__members__.items():
            declared_in.setdefault(member.value, []).append(f"{member.enum_name}.{name}")
    messages = [
        _message("E001", slug=slug, count=len(places), places=", ".join(places))
        for slug, places in declared_in.items()
        if len(places) > 1
    ]
    for code in codes.all_codes():
        if not (isinstance(code.status, int) and 400 <= code.status <= 599):
            messages.append(_message("E002", code.enum_name, slug=code.value, status=code.status))
        if not KEBAB_CASE.fullmatch(code.value):
            messages.append(_message("E003", code.enum_name, slug=code.value))
    return messages


# Settings: the predicates settings.py names by dotted path.


def is_style(name: Any) -> bool:
    """A built-in style's name, or the dotted path of a module (or object) with a ``render``."""
    return isinstance(name, str) and callable(getattr(get_style(name), "render", None))


def is_pipeline(value: Any) -> bool:
    """The default pipeline class, a subclass or an instance of one, or the dotted path of one."""
    return _is_ours(value, SETTINGS["PIPELINE"].default)


def is_converters(value: Any) -> bool:
    """A dict from exception classes (or their dotted paths) to a code, a registered slug or a converter."""
    from django_api_errors.codes import BaseErrorCode

    return isinstance(found := imported(value), Mapping) and all(
        isinstance(key, type)
        and issubclass(key, BaseException)
        and (isinstance(target, BaseErrorCode) or codes.lookup(target) is not None or callable(target))
        for key, target in found.items()
    )


def takes(key: str) -> str:
    """What ``API_ERRORS[key]`` takes, in words, the built-in style names and cases filled in."""
    return SETTINGS[key].takes % {"styles": ", ".join(BUILT_IN_STYLES), "cases": ", ".join(CASES)}


def _accepts(accepts: Any, value: Any) -> bool:
    try:
        return bool((import_string(accepts) if isinstance(accepts, str) else accepts)(value))
    except (ImportError, TypeError, ValueError):  # a dotted path that does not import, a wrong type
        return False


@register("api_errors")
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E004-E032: ``API_ERRORS`` is a dict of known keys, each value of the type and range it takes."""
    project = project_settings()
    if not isinstance(project, Mapping):
        return [_message("E006", value=project)]
    messages = []
    for key in project:
        if key not in SETTINGS:
            nearest = difflib.get_close_matches(str(key), list(SETTINGS), n=1)
            hint = None if nearest else _("The keys it knows are %(keys)s.")
            messages.append(
                _message("E007", hint=hint, key=key, nearest=nearest and nearest[0], keys=", ".join(SETTINGS))
            )
    for key, setting in SETTINGS.items():
        if not _accepts(setting.accepts, value := project.get(key, setting.default)):
            messages.append(
                _message(setting.check_id, key=key, value=value, takes=takes(key), default=setting.default)
            )
    return messages


# The wiring: what the README's paste (wiring.py) puts in place.


@register("api_errors")
def check_wiring(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W001, W005, W007, W010: DRF's exception handler, the CSRF failure view, DRF's schema class (with
    drf-spectacular installed) and negotiation class (where errors can be problem details) are ours."""
    drf = {**DRF_DEFAULTS, **getattr(settings, "REST_FRAMEWORK", {})}
    wanted = [  # (id, the setting, our dotted path, whether it matters here)
        ("W001", "EXCEPTION_HANDLER", wiring.HANDLER_PATH, True),
        ("W005", "CSRF_FAILURE_VIEW", wiring.CSRF_VIEW_PATH, True),
        ("W007", "DEFAULT_SCHEMA_CLASS", wiring.SCHEMA_CLASS_PATH, apps.is_installed("drf_spectacular")),
        ("W010", "DEFAULT_CONTENT_NEGOTIATION_CLASS", wiring.NEGOTIATION_CLASS_PATH, serves_problems()),
    ]
    return [
        _message(check_id, setting=f"REST_FRAMEWORK[{setting!r}]" if setting in drf else setting, path=path)
        for check_id, setting, path, applies in wanted
        if applies and not _is_ours(drf.get(setting, getattr(settings, setting, None)), path)
    ]


@register("api_errors")
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W002, W003: the middleware is installed, after LocaleMiddleware and before Common and Csrf."""
    ours = [
        index for index, entry in enumerate(settings.MIDDLEWARE) if _is_ours(entry, wiring.MIDDLEWARE_PATH)
    ]
    if not ours:
        return [_message("W002", path=wiring.MIDDLEWARE_PATH)]
    misplaced = [
        entry
        for index, entry in enumerate(settings.MIDDLEWARE)
        if (entry in wiring.MIDDLEWARE_AFTER and index > ours[0])
        or (entry in wiring.MIDDLEWARE_BEFORE and index < ours[0])
    ]
    return [_message("W003", path=wiring.MIDDLEWARE_PATH, others=", ".join(misplaced))] if misplaced else []


@register("api_errors")
def check_error_views(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W004: the root URLconf's handler400/403/404/500 are the app's, so Django's own failures are JSON."""
    missing = []
    for status, path in ERROR_VIEWS.items():
        try:
            if not _is_ours(get_resolver().resolve_error_handler(status), path):
                missing.append(f"handler{status} = {path!r}")
        except (ImportError, ViewDoesNotExist):
            pass  # Django's own check (urls.E008) reports a handler that cannot be imported
    return [_message("W004", urlconf=settings.ROOT_URLCONF, lines="; ".join(missing))] if missing else []


@register("api_errors")
def check_parsers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W006: DRF's stock JSON, form and multipart parsers (the default) are replaced by the hardened ones."""
    try:
        parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    except ImportError:
        return []  # DRF itself fails on a parser it cannot import
    replace = {
        f"{parser_class.__module__}.{parser_class.__qualname__}": replacement
        for parser_class in parser_classes
        for stock, replacement in wiring.PARSER_REPLACEMENTS.items()
        if _is_ours(parser_class, stock) and not _is_ours(parser_class, replacement)
    }
    replacements = ", ".join(dict.fromkeys(replace.values()))
    return [_message("W006", parsers=", ".join(replace), replacements=replacements)] if replace else []


@register("api_errors")
def check_catalogue_pages(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """W008, W009: with no DOCS_URL every link points at the catalogue pages, so they must be mounted;
    mounted or linked, they must load their template."""
    try:
        mounted = bool(reverse("django_api_errors:catalogue"))
    except (NoReverseMatch, ImportError):
        mounted = False
    if api_errors_settings.DOCS_URL and not mounted:
        return []
    messages = [] if mounted else [_message("W009", include='path("", include("django_api_errors.urls"))')]
    try:
        get_template(CATALOGUE_TEMPLATE)
    except TemplateDoesNotExist:
        messages.append(_message("W008", name=CATALOGUE_TEMPLATE))
    return messages


@register("api_errors")
def check_databases(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """I001, W011: requests run in a transaction, so a failed one keeps nothing and can say so; on a
    SQLite file, one that takes the write lock when it begins."""
    from django.db.backends.sqlite3.creation import DatabaseCreation

    default = settings.DATABASES.get("default", {"ATOMIC_REQUESTS": True})
    return [_message("I001")] * (not default.get("ATOMIC_REQUESTS")) + [
        _message("W011", alias=alias)
        for alias, config in settings.DATABASES.items()
        if config.get("ATOMIC_REQUESTS")
        and wiring.is_sqlite(config.get("ENGINE", ""))
        and not DatabaseCreation.is_in_memory_db(config.get("NAME", ""))
        and str(config.get("OPTIONS", {}).get("transaction_mode", "")).upper() not in wiring.WRITE_LOCK_MODES
    ]


@register("api_errors")
def check_openapi_extra(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E030: our ``AutoSchema`` is configured, so drf-spectacular (the ``openapi`` extra) must import."""
    # The raw setting: DRF's api_settings would import the schema class, and fail.
    schema_class = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_SCHEMA_CLASS")
    if not str(schema_class).startswith("django_api_errors.openapi.") or find_spec("drf_spectacular"):
        return []
    return [_message("E030", path=schema_class, extra="django-api-errors[openapi]")]
