"""The README's settings paste (docs/quickstart.md); the system checks read the same names. Nothing here
reads Django's settings: it runs while they are being read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.util import find_spec
from typing import Any

APPS = ("rest_framework", "django_api_errors")
HANDLER_PATH = "django_api_errors.handler.exception_handler"
MIDDLEWARE_PATH = "django_api_errors.middleware.ApiErrorMiddleware"
MIDDLEWARE_AFTER = ("django.middleware.locale.LocaleMiddleware",)
MIDDLEWARE_BEFORE = ("django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware")
CSRF_VIEW_PATH = "django_api_errors.django_views.csrf_failure"
# DRF's stock parsers (its default DEFAULT_PARSER_CLASSES, in order) and ours.
PARSER_REPLACEMENTS = {
    "rest_framework.parsers.JSONParser": "django_api_errors.parsers.JSONParser",
    "rest_framework.parsers.FormParser": "django_api_errors.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser": "django_api_errors.parsers.MultiPartParser",
}
SCHEMA_CLASS_PATH = "django_api_errors.openapi.AutoSchema"
# Ours lets a client asking only for problem+json reach the view (DRF's answers 406), when errors can be.
NEGOTIATION_CLASS_PATH = "django_api_errors.renderers.ProblemNegotiation"
STOCK_NEGOTIATION_CLASS = "rest_framework.negotiation.DefaultContentNegotiation"
# Schema classes that document no error response: DRF's default and drf-spectacular's own.
STOCK_SCHEMA_CLASSES = ("rest_framework.schemas.openapi.AutoSchema", "drf_spectacular.openapi.AutoSchema")
# SQLite's transaction modes that take the write lock when the transaction begins.
WRITE_LOCK_MODES = ("IMMEDIATE", "EXCLUSIVE")


def installed_apps(apps: Sequence[str]) -> list[str]:
    """``INSTALLED_APPS`` with DRF and this app at the end, unless listed (by name or AppConfig path)."""
    listed = {app.split(".apps.")[0] for app in apps}
    return [*apps, *(app for app in APPS if app not in listed)]


def middleware(middleware: Sequence[str]) -> list[str]:
    """``MIDDLEWARE`` with ``ApiErrorMiddleware`` before ``CommonMiddleware`` and ``CsrfViewMiddleware``
    (so their refusals pass through it), unless listed."""
    entries = list(middleware)
    if MIDDLEWARE_PATH not in entries:
        before = [entries.index(entry) for entry in MIDDLEWARE_BEFORE if entry in entries]
        entries.insert(min(before, default=len(entries)), MIDDLEWARE_PATH)
    return entries


def rest_framework(configured: Mapping[str, Any] | None) -> dict[str, Any]:
    """``REST_FRAMEWORK`` with our exception handler, and DRF's stock parsers, negotiation and (with
    drf-spectacular installed) schema class swapped for ours."""
    merged = dict(configured or {})
    merged["EXCEPTION_HANDLER"] = HANDLER_PATH
    parsers = merged.get("DEFAULT_PARSER_CLASSES", list(PARSER_REPLACEMENTS))
    merged["DEFAULT_PARSER_CLASSES"] = list(dict.fromkeys(PARSER_REPLACEMENTS.get(p, p) for p in parsers))
    if merged.get("DEFAULT_CONTENT_NEGOTIATION_CLASS", STOCK_NEGOTIATION_CLASS) == STOCK_NEGOTIATION_CLASS:
        merged["DEFAULT_CONTENT_NEGOTIATION_CLASS"] = NEGOTIATION_CLASS_PATH
    schema_class = merged.get("DEFAULT_SCHEMA_CLASS", STOCK_SCHEMA_CLASSES[0])
    if schema_class in STOCK_SCHEMA_CLASSES and find_spec("drf_spectacular"):
        merged["DEFAULT_SCHEMA_CLASS"] = SCHEMA_CLASS_PATH
    return merged


def databases(databases: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``DATABASES`` with ``ATOMIC_REQUESTS`` on the default alias and SQLite's write lock taken when a
    transaction begins, each unless set."""
    merged = {alias: dict(config) for alias, config in databases.items()}
    if "default" in merged:
        merged["default"].setdefault("ATOMIC_REQUESTS", True)
    for config in merged.values():
        if config.get("ATOMIC_REQUESTS") and is_sqlite(config.get("ENGINE", "")):
            config["OPTIONS"] = {"transaction_mode": WRITE_LOCK_MODES[0], **config.get("OPTIONS", {})}
    return merged


def is_sqlite(engine: str) -> bool:
    """Whether a database ``ENGINE`` is Django's SQLite backend (or SpatiaLite, or one named after it)."""
    return engine.rsplit(".", 1)[-1] in ("sqlite3", "spatialite")
