"""The catalogue's reads (the enums merged with what staff wrote) and its sync (docs/catalogue.md)."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone, translation

from django_api_errors.codes import BaseErrorCode, by_slug, lookup
from django_api_errors.styles.links import link_for

#: The fields the sync writes from the enums (and ``synced_at``); the others belong to staff.
CODE_DEFINED_FIELDS = ("status", "description", "app_label", "enum_name", "retired")


class PublishedEntry(NamedTuple):
    """One code as the public pages and the export show it: the code plus editorial text."""

    code: BaseErrorCode
    documentation: str = ""
    hints: tuple[str, ...] = ()
    docs_url: str = ""


class SyncReport(NamedTuple):
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


# Reading: code-defined data from the enums, editorial data from the database


def published_entries() -> list[PublishedEntry]:
    """Every registered code with its editorial text, ordered by status then slug (one query)."""
    return _published(sorted(by_slug().values(), key=lambda code: (code.status, code.slug)))


def published_entry(slug: str) -> PublishedEntry | None:
    """One registered code with its editorial text (one query), or ``None`` for an unknown slug."""
    code = lookup(slug)
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
    code = entry.code
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

    Editorial fields are never touched; a code no enum declares any more is marked retired.
    """
    from django_api_errors.catalogue.models import CatalogueEntry

    with translation.override(settings.LANGUAGE_CODE):  # stored in the default language, whatever is active
        wanted = {
            code.slug: (code.status, str(code.description), code.app_label[:100], code.enum_name[:200], False)
            for code in by_slug().values()
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
