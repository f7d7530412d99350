"""Admin of 5xx incidents and their groups: read-only, found by phrase, never counting the whole table
(``docs/incidents.md#admin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from django_api_errors.catalogue.admin import NulFreeLookupsAdmin
from django_api_errors.codes import all_codes
from django_api_errors.incidents.models import Incident, IncidentGroup
from django_api_errors.pipeline.phrases import normalise_phrase


class CappedCountPaginator(Paginator):
    """A paginator whose count stops at ``limit``, so paging never scans the whole table."""

    limit = 10_000

    @cached_property
    def count(self) -> int:
        """The number of rows, counted only up to ``limit`` (a ``COUNT`` over a ``LIMIT`` subquery)."""
        # Without ORDER BY, the database stops at the limit instead of sorting every match first.
        return self.object_list.order_by()[: self.limit].count()


class CatalogueFilter(admin.SimpleListFilter):
    """Filter by a value of the catalogue's 5xx codes (no ``SELECT DISTINCT``); any other value is ignored."""

    #: The attribute of an error code offered as choices (``parameter_name`` names the model field).
    attribute = "value"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        server_codes = (code for code in all_codes() if code.status >= 500)
        return [
            (value, value) for value in sorted({str(getattr(code, self.attribute)) for code in server_codes})
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in dict(self.lookup_choices):
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class CodeFilter(CatalogueFilter):
    """Filter by error code."""

    title = _("code")
    parameter_name = "code"


class StatusFilter(CatalogueFilter):
    """Filter by HTTP status."""

    title = _("HTTP status")
    parameter_name = attribute = "status"


def _never(*args: Any, **kwargs: Any) -> bool:
    return False


class ReadOnlyAdmin(NulFreeLookupsAdmin):
    """Rows written by the app alone: staff read them, never add, change or delete them here."""

    has_add_permission = has_change_permission = has_delete_permission = staticmethod(_never)


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Incidents as support reads them: search the phrase a client quotes, read the traceback."""

    list_display = ("phrase", "code", "status", "method", "path", "user_id", "created_at")
    list_filter = (CodeFilter, StatusFilter, ("created_at", admin.DateFieldListFilter))
    search_fields = ("phrase",)
    search_help_text = _("Paste the whole phrase the client quoted, e.g. “6 sad squid snuggle softly”.")
    ordering = ("-pk",)
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """An exact match on the whole phrase (served by its unique index), whatever case and spacing."""
        phrase = normalise_phrase(search_term)
        if not phrase:
            return queryset, False
        return queryset.filter(phrase=phrase), False


@admin.register(IncidentGroup)
class IncidentGroupAdmin(ReadOnlyAdmin):
    """Failures grouped by fingerprint: a storm of one bug is one line, with its count and its phrases."""

    list_display = [
        field.name for field in IncidentGroup._meta.fields if field.name not in ("id", "fingerprint")
    ]
    list_filter = (CodeFilter, StatusFilter)
    ordering = ("-last_seen",)
    paginator = CappedCountPaginator
    show_full_result_count = False
    #: Most recent phrases a group's page lists; the link beside them lists all of them.
    phrases_shown = 20
    readonly_fields = ("phrases",)  # the model's fields, read-only too: no one may change them

    @admin.display(description=_("phrases"))
    def phrases(self, group: IncidentGroup) -> str:
        """The group's latest phrases, each linking to its incident, and a link to all of them."""
        rows = Incident.objects.filter(fingerprint=group.fingerprint).order_by("-pk")[: self.phrases_shown]
        changelist = reverse("admin:api_errors_incidents_incident_changelist")
        items = format_html_join(
            "", '<li><a href="{}{}/change/">{}</a></li>', ((changelist, row.pk, row.phrase) for row in rows)
        )
        return format_html(
            '<ul>{}</ul><a href="{}?fingerprint={}">{}</a>',
            items,
            changelist,
            group.fingerprint,
            _("All incidents"),
        )
