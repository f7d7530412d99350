"""What the package's admins share: a change list that answers a NUL in its query string."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest


class NulFreeLookupsAdmin(admin.ModelAdmin):
    """A change list whose filters and search may not hold a NUL character (``?code=%00``).

    PostgreSQL cannot compare text with a NUL and fails the query: a 500 for any filter or search on a
    text field. Such a query string is answered as Django answers a lookup it cannot use: a redirect to
    the unfiltered list, marked ``?e=1``.
    """

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        """Django's change list; ``IncorrectLookupParameters`` when a parameter holds a NUL."""
        if any("\x00" in name or "\x00" in "".join(values) for name, values in request.GET.lists()):
            raise IncorrectLookupParameters
        return super().get_changelist_instance(request)
