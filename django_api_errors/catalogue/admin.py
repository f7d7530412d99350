"""Admin of the error catalogue: code-defined fields read-only, documentation editable (docs/catalogue.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from django_api_errors.catalogue.models import CatalogueEntry
from django_api_errors.catalogue.sync import CODE_DEFINED_FIELDS
from django_api_errors.catalogue.views import example_json
from django_api_errors.codes import lookup

CODE_DEFINED = ("slug", *CODE_DEFINED_FIELDS, "synced_at")


class NulFreeLookupsAdmin(admin.ModelAdmin):
    """A change list whose filters and search may not hold a NUL (``?code=%00``), which PostgreSQL
    cannot compare: answered as Django answers a lookup it cannot use, with a redirect marked ``?e=1``."""

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        """Django's change list; ``IncorrectLookupParameters`` when a parameter holds a NUL."""
        if any("\x00" in name or "\x00" in "".join(values) for name, values in request.GET.lists()):
            raise IncorrectLookupParameters
        return super().get_changelist_instance(request)


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
    # A URL typed without a scheme gets https (Django 6's default; 5.2 still assumes http).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Codes are declared in enums, never added here."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CatalogueEntry | None = None) -> bool:
        """Only a retired code may be deleted (and never in bulk from the list)."""
        return obj is not None and obj.retired and super().has_delete_permission(request, obj)

    @admin.display(description=_("description"))
    def short_description(self, entry: CatalogueEntry) -> str:
        """The description, cut to fit a list row."""
        return Truncator(entry.description).chars(90)

    @admin.display(description=_("example response body"))
    def example_body(self, entry: CatalogueEntry) -> Any:
        """The body the API answers with this code, in the active style."""
        body = example_json(lookup(entry.slug))
        return (
            _("No enum declares this code any more.") if body is None else format_html("<pre>{}</pre>", body)
        )
