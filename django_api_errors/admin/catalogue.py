"""Admin of the error catalogue: browse every code, edit only the documentation staff write.

Code-defined fields are read-only and rows are neither added nor deleted here: the enums are the
source of truth and ``sync_error_catalogue`` writes them. Only a retired code, which no enum declares
any more, may be deleted.
"""

from __future__ import annotations

import json
from typing import Any

import django
from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from django_api_errors.admin.lookups import NulFreeLookupsAdmin
from django_api_errors.catalogue import example_body
from django_api_errors.models import CatalogueEntry

CODE_DEFINED = ("slug", "status", "description", "app_label", "enum_name", "retired", "synced_at")


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(NulFreeLookupsAdmin):
    """The catalogue for staff: list, search, filters, and one page per code with its docs."""

    list_display = ("slug", "status", "app_label", "short_description", "retired")
    list_filter = ("status", "app_label", "retired")
    search_fields = ("slug", "description", "documentation", "hints")
    readonly_fields = (*CODE_DEFINED, "example_body")
    fieldsets = (
        (_("Defined in code"), {"fields": CODE_DEFINED}),
        (_("Documentation"), {"fields": ("documentation", "hints", "docs_url")}),
        (_("Example"), {"fields": ("example_body",)}),
    )
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Codes are declared in enums, never added here."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CatalogueEntry | None = None) -> bool:
        """Only a retired code may be deleted (and never in bulk from the list)."""
        return obj is not None and obj.retired and super().has_delete_permission(request, obj)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Form fields as usual; URLs typed without a scheme get https, as Django 6 does by default."""
        if db_field.name == "docs_url" and django.VERSION[0] == 5:
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("description"))
    def short_description(self, entry: CatalogueEntry) -> str:
        """The description, cut to fit a list row."""
        text = entry.description
        return text if len(text) <= 90 else f"{text[:89]}…"

    @admin.display(description=_("example response body"))
    def example_body(self, entry: CatalogueEntry) -> Any:
        """The body the API answers with this code, in the active style."""
        body = example_body(entry.slug)
        if body is None:
            return _("No enum declares this code any more.")
        return format_html(
            "<pre>{}</pre>", json.dumps(body, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
        )
