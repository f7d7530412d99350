"""System checks of the code catalogue and the DRF wiring (``manage.py check``).

==================  ==========================================================================
``api_errors.E001``  a slug is declared twice (in two enums, or twice in one enum)
``api_errors.E002``  a code's status is not an HTTP error status (400-599)
``api_errors.E003``  a slug is not lower-case kebab (``out-of-stock``)
``api_errors.E004``  ``API_ERRORS["STYLE"]`` names no importable style with a ``render``
``api_errors.E005``  ``API_ERRORS["PROPERTY_CASE"]`` is not one of ``as-is``, ``camel``, ``pascal``
``api_errors.W001``  DRF's ``EXCEPTION_HANDLER`` is not ``django_api_errors.handler.exception_handler``
==================  ==========================================================================
"""

from __future__ import annotations

import re
from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register
from django.utils.translation import gettext_lazy as _

from django_api_errors import registry

TAG = "api_errors"
HANDLER_PATH = "django_api_errors.handler.exception_handler"
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


@register(TAG)
def check_style(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E004: the configured style can be imported and renders."""
    from django_api_errors.settings import api_errors_settings
    from django_api_errors.styles import BUILT_IN_STYLES, get_style

    name = api_errors_settings.STYLE
    try:
        usable = callable(getattr(get_style(name), "render", None))
    except ImportError:
        usable = False
    if usable:
        return []
    return [
        Error(
            _("API_ERRORS['STYLE'] is %(name)r, which names no style with a render() function.")
            % {"name": name},
            hint=_("Use one of %(names)s, or the dotted path of a module with render(error, request).")
            % {"names": ", ".join(BUILT_IN_STYLES)},
            id="api_errors.E004",
        )
    ]


@register(TAG)
def check_property_case(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E005: the property casing is one the styles know."""
    from django_api_errors.casing import CASES
    from django_api_errors.settings import api_errors_settings

    case = api_errors_settings.PROPERTY_CASE
    if case in CASES:
        return []
    return [
        Error(
            _("API_ERRORS['PROPERTY_CASE'] is %(case)r.") % {"case": case},
            hint=_("Use one of %(cases)s.") % {"cases": ", ".join(CASES)},
            id="api_errors.E005",
        )
    ]
