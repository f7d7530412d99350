"""The catalogue of error codes: what the enums define, merged with what staff wrote, and its sync.

The enums are the source of truth. :func:`sync_catalogue` mirrors them into ``CatalogueEntry`` rows
so staff can browse them and add documentation; :func:`published_entries` and :func:`published_entry`
read the code-defined part from the registry and only the editorial part from the database, so the
public pages work even where the table was never synced or does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from django_api_errors import registry
from django_api_errors.codes import BaseErrorCode
from django_api_errors.styles.links import link_for

# Rows are written and retired in batches: SQLite caps the parameters of one statement.
BATCH_SIZE = 500
EDITORIAL_FIELDS = ("slug", "documentation", "hints", "docs_url")


@dataclass(frozen=True)
class CodeDefinition:
    """What the code says about one error code; ``description`` stays lazy (translated on use)."""

    slug: str
    status: int
    description: str | Promise
    app_label: str
    enum_name: str


@dataclass(frozen=True)
class PublishedEntry:
    """One code as the public pages and the export show it: the definition plus editorial text."""

    definition: CodeDefinition
    documentation: str = ""
    hints: tuple[str, ...] = ()
    docs_url: str = ""

    @property
    def slug(self) -> str:
        """The code's slug."""
        return self.definition.slug

    @property
    def status(self) -> int:
        """The HTTP status the code answers with."""
        return self.definition.status


@dataclass
class SyncReport:
    """What one sync changed; ``unchanged`` rows were read but not written."""

    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    slugs_retired: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.retired} retired, "
            f"{self.unchanged} unchanged."
        )


def owning_app(enum_class: type[BaseErrorCode]) -> str:
    """The label of the installed app whose module declares the enum (else the module's path)."""
    app_config = apps.get_containing_app_config(enum_class.__module__)
    return app_config.label if app_config is not None else enum_class.__module__


def code_definitions() -> list[CodeDefinition]:
    """Every registered code once (the first declaration of a slug wins, as in lookups)."""
    seen: dict[str, CodeDefinition] = {}
    for enum_class in registry.code_enums():
        app_label = owning_app(enum_class)
        for code in enum_class:
            seen.setdefault(code.value, _define(code, app_label))
    return list(seen.values())


def definition_for(slug: str) -> CodeDefinition | None:
    """The definition of one registered code, or ``None``."""
    code = registry.lookup(slug)
    return None if code is None else _define(code, owning_app(type(code)))


def _define(code: BaseErrorCode, app_label: str) -> CodeDefinition:
    enum_name = f"{type(code).__module__}.{type(code).__qualname__}"
    return CodeDefinition(code.value, code.status, code.description, app_label, enum_name)


# Reading: code-defined data from the registry, editorial data from the database


def published_entries() -> list[PublishedEntry]:
    """Every registered code with its editorial text, ordered by status then slug (one query)."""
    definitions = sorted(code_definitions(), key=lambda d: (d.status, d.slug))
    editorial = _editorial_rows(None)
    return [_publish(definition, editorial.get(definition.slug)) for definition in definitions]


def published_entry(slug: str) -> PublishedEntry | None:
    """One registered code with its editorial text (one query), or ``None`` for an unknown slug."""
    definition = definition_for(slug)
    if definition is None:
        return None
    return _publish(definition, _editorial_rows([slug]).get(slug))


def _publish(definition: CodeDefinition, row: dict[str, str] | None) -> PublishedEntry:
    if row is None:
        return PublishedEntry(definition)
    hints = tuple(filter(None, (line.strip() for line in row["hints"].splitlines())))
    return PublishedEntry(definition, row["documentation"], hints, row["docs_url"])


def _editorial_rows(slugs: list[str] | None) -> dict[str, dict[str, str]]:
    """Editorial fields by slug; empty when the table is missing or unreadable (pages never fail)."""
    from django_api_errors.catalogue.models import CatalogueEntry

    queryset = CatalogueEntry.objects.values(*EDITORIAL_FIELDS)
    if slugs is not None:
        queryset = queryset.filter(slug__in=slugs)
    try:
        # A savepoint keeps a failed read from aborting the request's transaction on PostgreSQL.
        with transaction.atomic(using=queryset.db):
            return {row["slug"]: row for row in queryset}
    except DatabaseError:
        return {}


def entry_as_dict(entry: PublishedEntry, request: Any = None) -> dict[str, Any]:
    """The JSON form of a published entry (public pages and the JSON export)."""
    definition = entry.definition
    return {
        "code": definition.slug,
        "status": definition.status,
        "description": str(definition.description),
        "app": definition.app_label,
        "documentation": entry.documentation,
        "hints": list(entry.hints),
        "docsUrl": entry.docs_url or None,
        "link": link_for(definition.slug, request),
    }


def example_body(slug: str, request: Any = None) -> dict[str, Any] | None:
    """The body the API answers with this code, in the active style (the pipeline's example, as the
    OpenAPI schema shows it); ``None`` for an unknown slug."""
    from django_api_errors.pipeline import get_pipeline

    code = registry.lookup(slug)
    return None if code is None else dict(get_pipeline().example(code, request).body)


# Writing: mirroring the enums into CatalogueEntry rows

CODE_DEFINED_FIELDS = ("status", "description", "app_label", "enum_name", "retired", "synced_at")


def sync_catalogue(using: str = "default") -> SyncReport:
    """Mirror every registered code into the catalogue table; idempotent, in one transaction.

    New codes are created, changed ones rewritten (editorial fields are never touched), codes no
    enum declares any more are marked retired, and a retired code declared again comes back.
    """
    from django_api_errors.catalogue.models import CatalogueEntry

    now = timezone.now()
    # Descriptions are stored in the project's default language, whatever language is active.
    with translation.override(settings.LANGUAGE_CODE):
        wanted = {d.slug: _row_values(d) for d in code_definitions()}
    with transaction.atomic(using=using):
        manager = CatalogueEntry.objects.using(using)
        existing = {row.slug: row for row in manager.only("slug", *CODE_DEFINED_FIELDS[:-1])}

        to_create = [
            CatalogueEntry(slug=slug, synced_at=now, **values)
            for slug, values in wanted.items()
            if slug not in existing
        ]
        to_update = list(_changed_rows(existing, wanted, now))
        to_retire = [row.pk for slug, row in existing.items() if slug not in wanted and not row.retired]

        manager.bulk_create(to_create, batch_size=BATCH_SIZE)
        manager.bulk_update(to_update, CODE_DEFINED_FIELDS, batch_size=BATCH_SIZE)
        for start in range(0, len(to_retire), BATCH_SIZE):
            manager.filter(pk__in=to_retire[start : start + BATCH_SIZE]).update(retired=True, synced_at=now)

    retired = set(to_retire)
    return SyncReport(
        created=len(to_create),
        updated=len(to_update),
        retired=len(to_retire),
        unchanged=len(existing) - len(to_update) - len(to_retire),
        slugs_retired=sorted(slug for slug, row in existing.items() if row.pk in retired),
    )


def _row_values(definition: CodeDefinition) -> dict[str, Any]:
    return {
        "status": definition.status,
        "description": str(definition.description),
        "app_label": definition.app_label[:100],
        "enum_name": definition.enum_name[:200],
        "retired": False,
    }


def _changed_rows(existing: dict[str, Any], wanted: dict[str, dict[str, Any]], now: Any) -> Iterator[Any]:
    for slug, row in existing.items():
        values = wanted.get(slug)
        if values is None or all(getattr(row, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.synced_at = now
        yield row
