"""The ``API_ERRORS`` setting, read through one object with documented defaults.

Like DRF's ``api_settings``: ``api_errors_settings.STYLE`` returns the project's value or the default,
values are cached after the first read, and the cache is dropped on Django's ``setting_changed`` signal
so ``override_settings(API_ERRORS=...)`` works in tests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

SETTING_NAME = "API_ERRORS"

DEFAULTS: dict[str, Any] = {
    # Body layout: "awork", "asana", "problem", or the dotted path of a module with a ``render``.
    "STYLE": "awork",
    # Base of each code's ``link`` and problem ``type`` (``{code}`` is replaced, else the code is appended);
    # None points at the app's own catalogue pages (/errors/<code>/).
    "DOCS_URL": None,
    # Unknown slugs in ApiError raise at once when True; None means "when DEBUG or under tests".
    "STRICT_CODES": None,
    # Casing of property names in field errors: "as-is", "camel" (streetName) or "pascal" (StreetName).
    "PROPERTY_CASE": "as-is",
    # Answer in RFC 9457 problem details when the client's Accept asks for application/problem+json.
    "NEGOTIATE": False,
    # awork style: add a fact about space to every body.
    "SPACE_FACTS": False,
    # Paths (request.path_info prefixes) whose Django-level failures answer in the active style; a
    # request elsewhere gets JSON too when its Accept header prefers JSON over HTML.
    "API_PREFIXES": ["/api/"],
    # Largest request body (bytes, by Content-Length, uploads included) the middleware lets through
    # to an API view; None follows DATA_UPLOAD_MAX_MEMORY_SIZE, 0 turns the check off.
    "MAX_REQUEST_BODY_SIZE": None,
    # Largest result set the capped paginators page through; past it they answer result-set-truncated.
    "MAX_RESULT_SET_SIZE": 10_000,
    # Most values (array items plus object members, at any depth) a JSON body may hold; past it the
    # parser answers 400 invalid-model before validation runs. None turns the check off.
    "MAX_JSON_VALUES": 2_000,
    # Most field errors one response lists; the rest are counted in a detail. None lists them all.
    "MAX_VALIDATION_ERRORS": 100,
    # Write a row to the Incident table for every 5xx (the log line is written either way).
    "INCIDENTS": True,
    # Alias in DATABASES whose settings the incident writer copies for a connection of its own;
    # None means where the database router sends Incident writes (usually "default").
    "INCIDENTS_DATABASE": None,
    # Seconds the incident writer may wait in all: to connect, for a lock, for its statement.
    "INCIDENTS_TIMEOUT": 2,
    # "thread": rows go on a bounded queue drained by a writer thread; "sync": written in the caller.
    "INCIDENTS_WRITER": "thread",
    # Rows the writer thread's queue holds (per process); past it, rows are counted as not stored.
    "INCIDENTS_QUEUE_SIZE": 10_000,
    # Most rows the writer thread inserts in one statement.
    "INCIDENTS_BATCH_SIZE": 500,
    # Seconds the writer thread gathers rows after the first before writing them as one batch.
    "INCIDENTS_FLUSH_INTERVAL": 0.2,
    # Seconds the writer stops trying after a failed write (the circuit breaker); 0 retries at once.
    "INCIDENTS_BREAKER_COOLDOWN": 30,
    # Most rows per fingerprint per minute and process; beyond it only the group's count grows. None: no cap.
    "INCIDENTS_RATE_CAP": 60,
    # Seconds between the warnings that count rows not stored (queue full, breaker open, over the cap).
    "INCIDENTS_DROP_WARNING_INTERVAL": 60,
    # Dotted path of the error pipeline class (convert, report, render); subclass ErrorPipeline.
    "PIPELINE": "django_api_errors.pipeline.ErrorPipeline",
    # {exception class or dotted path: code, slug, or converter (callable or dotted path)}, over
    # the built-in converters (see docs/pipeline.md).
    "CONVERTERS": {},
    # Field error codes of the project's own validators, added to the OpenAPI enum of DRF's and
    # Django's (validationErrors[].code); None documents that code as any string.
    "FIELD_ERROR_CODES": [],
    # Request header whose value is logged and stored with an incident as its request id.
    "REQUEST_ID_HEADER": "X-Request-ID",
}


class ApiErrorsSettings:
    """Attribute access to ``settings.API_ERRORS`` merged over :data:`DEFAULTS`."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Invalid API_ERRORS setting: {name!r}")
        user_settings = project_settings()
        if not is_settings_mapping(user_settings):
            user_settings = {}  # the system check api_errors.E006 reports it; until fixed, the defaults hold
        value = user_settings.get(name, DEFAULTS[name])
        self._cache[name] = value
        setattr(self, name, value)
        return value

    def reload(self) -> None:
        """Forget every cached value; the next read sees the current Django settings."""
        for name in self._cache:
            delattr(self, name)
        self._cache.clear()


api_errors_settings = ApiErrorsSettings()


@receiver(setting_changed)
def _reload_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        api_errors_settings.reload()


# What each key accepts, as predicates of one value: the system checks (``checks.SETTING_RULES``) pair
# each key with one of these, an id and a hint, so a new key is one row there.

HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token


def project_settings() -> Any:
    """The project's raw ``API_ERRORS`` value (an empty dict when unset), unvalidated."""
    value = getattr(settings, SETTING_NAME, None)
    return {} if value is None else value


def is_settings_mapping(value: Any) -> bool:
    """``API_ERRORS`` itself: a dict of keys to values."""
    return isinstance(value, Mapping)


def is_boolean(value: Any) -> bool:
    """``True`` or ``False``, not a truthy string like ``"false"``."""
    return isinstance(value, bool)


def is_optional_boolean(value: Any) -> bool:
    """``True``, ``False`` or ``None`` (``None`` meaning "decide from the environment")."""
    return value is None or isinstance(value, bool)


def is_positive_integer(value: Any) -> bool:
    """An ``int`` above zero (``bool`` excluded, though Python counts it an ``int``)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def is_optional_positive_integer(value: Any) -> bool:
    """A positive integer, or ``None`` for "no limit"."""
    return value is None or is_positive_integer(value)


def is_byte_limit(value: Any) -> bool:
    """A positive integer, ``0`` ("off") or ``None`` ("Django's own limit")."""
    return value is None or (value == 0 and not isinstance(value, bool)) or is_positive_integer(value)


def is_positive_number(value: Any) -> bool:
    """An ``int`` or ``float`` above zero and finite."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < math.inf


def is_non_negative_number(value: Any) -> bool:
    """An ``int`` or ``float`` of zero or more, finite."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < math.inf


def is_optional_non_negative_integer(value: Any) -> bool:
    """An ``int`` of zero or more, or ``None`` for "no limit"."""
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def is_incidents_writer(value: Any) -> bool:
    """``"thread"`` (a writer thread drains a queue) or ``"sync"`` (written in the caller)."""
    return value in ("thread", "sync")


def is_optional_string(value: Any) -> bool:
    """A ``str`` or ``None``."""
    return value is None or isinstance(value, str)


def is_path_prefixes(value: Any) -> bool:
    """A list or tuple of strings each starting with ``/``; a bare string would match by character."""
    return isinstance(value, (list, tuple)) and all(
        isinstance(prefix, str) and prefix.startswith("/") for prefix in value
    )


def is_header_name(value: Any) -> bool:
    """An HTTP header name (``X-Request-ID``): a non-empty token of letters, digits and ``-_.!#...``."""
    return isinstance(value, str) and HEADER_NAME.fullmatch(value) is not None


def is_database_alias(value: Any) -> bool:
    """``None`` or an alias of ``settings.DATABASES``."""
    return value is None or (isinstance(value, str) and value in settings.DATABASES)


def _imported(value: Any) -> Any:
    """``value`` itself, or what its dotted path names; ``None`` when the path does not import."""
    if not isinstance(value, str):
        return value
    try:
        return import_string(value)
    except ImportError:
        return None


def is_field_error_codes(value: Any) -> bool:
    """``None``, or a list or tuple of non-empty strings (field error codes)."""
    return value is None or (
        isinstance(value, (list, tuple)) and all(isinstance(code, str) and code for code in value)
    )


def is_pipeline(value: Any) -> bool:
    """A subclass of ``ErrorPipeline`` (or an instance of one), or the dotted path of such a class."""
    from django_api_errors.pipeline import ErrorPipeline

    found = _imported(value)
    return isinstance(found, ErrorPipeline) or (isinstance(found, type) and issubclass(found, ErrorPipeline))


def is_converters(value: Any) -> bool:
    """A dict from exception classes (or their dotted paths) to a code, a registered slug or a converter."""
    from django_api_errors import registry
    from django_api_errors.codes import BaseErrorCode

    def is_exception_class(key: Any) -> bool:
        found = _imported(key)
        return isinstance(found, type) and issubclass(found, BaseException)

    def is_conversion(target: Any) -> bool:
        if isinstance(target, BaseErrorCode) or (isinstance(target, str) and registry.lookup(target)):
            return True
        return callable(_imported(target))

    return isinstance(value, Mapping) and all(
        is_exception_class(key) and is_conversion(target) for key, target in value.items()
    )
