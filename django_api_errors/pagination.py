"""Paginators capping the size of a result set, as Asana pages very large queries (docs/http.md)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext
from rest_framework.pagination import LimitOffsetPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from django_api_errors.codes import ErrorCode
from django_api_errors.errors import ApiError
from django_api_errors.settings import api_errors_settings


def result_set_truncated(max_size: int) -> ApiError:
    """The 400 ``result-set-truncated`` error for a query matching more than ``max_size`` items."""
    detail = gettext(
        "This query matches more than %(max_size)d items, more than the API pages through. Split it "
        "into smaller queries, for example one per parent object or per date range."
    ) % {"max_size": max_size}
    return ApiError(ErrorCode.RESULT_SET_TRUNCATED, details=[detail])


def bounded_count(object_list: Any, max_size: int) -> int:
    """The number of items, counting no further than ``max_size + 1``."""
    if isinstance(object_list, QuerySet):
        return object_list[: max_size + 1].count()
    return min(len(object_list), max_size + 1)


class CappedPaginator(Paginator):
    """Django's paginator with a bounded count, refusing pages that reach past ``max_size`` items."""

    def __init__(self, object_list: Any, per_page: int, *, max_size: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.max_size = max_size

    @cached_property
    def count(self) -> int:
        """The number of items, or ``max_size + 1`` when there are more than ``max_size``."""
        return bounded_count(self.object_list, self.max_size)

    def page(self, number: Any) -> Page:
        """Django's page, or ``result-set-truncated`` for a page reaching past the cap (not checked in
        ``validate_number``, which DRF also calls for the ``next`` link of the last page inside it)."""
        exceeds_cap = self.count > self.max_size
        try:
            number = self.validate_number(number)
        except EmptyPage:
            if exceeds_cap and int(number) > 1:
                raise result_set_truncated(self.max_size) from None
            raise
        if exceeds_cap and number * self.per_page > self.max_size:
            raise result_set_truncated(self.max_size)
        return super().page(number)


class ResultSetCapMixin:
    """Caps a ``PageNumberPagination`` or ``LimitOffsetPagination`` subclass; put it first in the bases."""

    max_result_set_size: int | None = None
    result_set_exceeds_cap = False

    def get_max_result_set_size(self) -> int:
        """The cap: the class's ``max_result_set_size``, else the ``MAX_RESULT_SET_SIZE`` setting."""
        return self.max_result_set_size or api_errors_settings.MAX_RESULT_SET_SIZE

    # PageNumberPagination builds its Django paginator through this attribute.
    def django_paginator_class(self, object_list: Any, per_page: int) -> CappedPaginator:
        """A :class:`CappedPaginator` with this class's cap."""
        paginator = CappedPaginator(object_list, per_page, max_size=self.get_max_result_set_size())
        self.result_set_exceeds_cap = paginator.count > paginator.max_size
        return paginator

    # LimitOffsetPagination calls get_count, then get_offset, before it reads a row.
    def get_count(self, queryset: Any) -> int:
        """The bounded count (used by ``LimitOffsetPagination``)."""
        max_size = self.get_max_result_set_size()
        count = bounded_count(queryset, max_size)
        self.result_set_exceeds_cap = count > max_size
        return count

    def get_offset(self, request: Request) -> int:
        """The requested offset; ``result-set-truncated`` when the window reaches past the cap."""
        offset = super().get_offset(request)  # type: ignore[misc]
        max_size = self.get_max_result_set_size()
        if self.result_set_exceeds_cap and offset + self.limit > max_size:  # type: ignore[attr-defined]
            raise result_set_truncated(max_size)
        return offset

    def get_paginated_response(self, data: Any) -> Response:
        """The base class's response, with ``count`` null when the result set exceeds the cap."""
        response = super().get_paginated_response(data)  # type: ignore[misc]
        if self.result_set_exceeds_cap:
            response.data["count"] = None
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The base class's schema, with ``count`` nullable."""
        paginated = super().get_paginated_response_schema(schema)  # type: ignore[misc]
        paginated["properties"]["count"]["nullable"] = True
        return paginated


class CappedPageNumberPagination(ResultSetCapMixin, PageNumberPagination):
    """``?page=`` pagination that refuses pages past the cap with ``result-set-truncated``."""


class CappedLimitOffsetPagination(ResultSetCapMixin, LimitOffsetPagination):
    """``?limit=&offset=`` pagination that refuses windows past the cap with ``result-set-truncated``."""
