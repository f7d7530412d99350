"""The catalogue of error codes: what the enums define, merged with what staff wrote, and its sync.

The enums are the source of truth. :func:`sync_catalogue` mirrors them into ``CatalogueEntry`` rows so
staff can browse them and add documentation; the public pages and the export read the code-defined part
from the registry and only the editorial part from the database, so they work even where the table was
never synced or does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone, translation

from django_api_errors import registry
from django_api_errors.codes import BaseErrorCode
from django_api_errors.styles.links import link_for

#: The fields the sync writes from the enums (and ``synced_at``); the others belong to staff.
CODE_DEFINED_FIELDS = ("status", "description", "app_label", "enum_name", "retired")


@dataclass(frozen=True)
class PublishedEntry:
    """One code as the public pages and the export show it: the code plus editorial text."""

    definition: BaseErrorCode
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


@dataclass(frozen=True)
class SyncReport:
    """What one sync wrote; ``unchanged`` rows were read but not written."""

    created: int
    updated: int
    retired: int
    unchanged: int
    slugs_retired: list[str]

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.retired} retired, "
            f"{self.unchanged} unchanged."
        )


def registered_codes() -> list[BaseErrorCode]:
    """Every registered code once (the first declaration of a slug wins, as in lookups)."""
    first: dict[str, BaseErrorCode] = {}
    for code in registry.all_codes():
        first.setdefault(code.slug, code)
    return list(first.values())


# Reading: code-defined data from the registry, editorial data from the database


def published_entries() -> list[PublishedEntry]:
    """Every registered code with its editorial text, ordered by status then slug (one query)."""
    return _published(sorted(registered_codes(), key=lambda code: (code.status, code.slug)))


def published_entry(slug: str) -> PublishedEntry | None:
    """One registered code with its editorial text (one query), or ``None`` for an unknown slug."""
    code = registry.lookup(slug)
    return None if code is None else _published([code], slug)[0]


def _published(codes: list[BaseErrorCode], only: str | None = None) -> list[PublishedEntry]:
    """The codes with their editorial text; none where the table is missing or unreadable."""
    from django_api_errors.catalogue.models import CatalogueEntry

    rows = CatalogueEntry.objects.values_list("slug", "documentation", "hints", "docs_url")
    rows = rows if only is None else rows.filter(slug=only)
    try:
        # A savepoint keeps a failed read from aborting the request's transaction on PostgreSQL.
        with transaction.atomic(using=rows.db):
            editorial = {
                slug: (documentation, tuple(filter(None, map(str.strip, hints.splitlines()))), docs_url)
                for slug, documentation, hints, docs_url in rows
            }
    except DatabaseError:
        editorial = {}
    return [PublishedEntry(code, *editorial.get(code.slug, ())) for code in codes]


def entry_as_dict(entry: PublishedEntry, request: Any = None) -> dict[str, Any]:
    """The JSON form of a published entry (public pages and the JSON export)."""
    code = entry.definition
    return {
        "code": code.slug,
        "status": code.status,
        "description": str(code.description),
        "app": code.app_label,
        "documentation": entry.documentation,
        "hints": list(entry.hints),
        "docsUrl": entry.docs_url or None,
        "link": link_for(code.slug, request),
    }


# Writing: mirroring the enums into CatalogueEntry rows


def sync_catalogue(using: str = DEFAULT_DB_ALIAS) -> SyncReport:
    """Mirror every registered code into the catalogue table; idempotent, in one transaction.

    New codes are created, changed ones rewritten (editorial fields are never touched), codes no
    enum declares any more are marked retired, and a retired code declared again comes back.
    """
    from django_api_errors.catalogue.models import CatalogueEntry

    with translation.override(settings.LANGUAGE_CODE):  # stored in the default language, whatever is active
        wanted = {
            code.slug: (code.status, str(code.description), code.app_label[:100], _enum_name(code), False)
            for code in registered_codes()
        }
    with transaction.atomic(using=using):
        manager = CatalogueEntry.objects.using(using)
        stored = {row[0]: row[1:] for row in manager.values_list("slug", *CODE_DEFINED_FIELDS)}
        retired = sorted(slug for slug, row in stored.items() if slug not in wanted and not row[-1])
        writes = {slug: row for slug, row in wanted.items() if stored.get(slug) != row}
        writes.update((slug, (*stored[slug][:-1], True)) for slug in retired)
        now = timezone.now()
        rows = [
            CatalogueEntry(slug=slug, synced_at=now, **dict(zip(CODE_DEFINED_FIELDS, row, strict=True)))
            for slug, row in writes.items()
        ]
        # One upsert for new, changed and retired rows; MySQL takes no conflict target.
        target = ["slug"] if connections[using].features.supports_update_conflicts_with_target else None
        fields = [*CODE_DEFINED_FIELDS, "synced_at"]
        manager.bulk_create(rows, update_conflicts=True, unique_fields=target, update_fields=fields)
    created = len(wanted.keys() - stored.keys())
    updated = len(writes) - created - len(retired)
    return SyncReport(created, updated, len(retired), len(stored) - updated - len(retired), retired)


def _enum_name(code: BaseErrorCode) -> str:
    return f"{type(code).__module__}.{type(code).__qualname__}"[:200]
