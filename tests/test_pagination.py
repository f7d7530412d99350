"""Capped pagination: pages inside the cap as usual, past it 400 result-set-truncated, no full count."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.pagination import PageNumberPagination

from django_api_errors.errors import ApiError
from django_api_errors.pagination import CappedPaginator, ResultSetCapMixin, bounded_count
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db

PAGES = "/notes/pages/"  # 5 a page, cap 10
WINDOWS = "/notes/windows/"  # limit 5, cap 10


def make_notes(count: int) -> None:
    Note.objects.bulk_create(Note(text=f"n{i}") for i in range(count))


@pytest.mark.parametrize("page", ["1", "2"])
def test_pages_inside_the_cap_are_served_with_a_next_link(api, page):
    make_notes(12)

    response = api.get(PAGES, {"page": page})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    assert response.json()["next"] == f"http://testserver{PAGES}?page={int(page) + 1}"
    assert response.json()["count"] is None


@pytest.mark.parametrize("page", ["3", "4", "99", "last"])
def test_pages_past_the_cap_are_result_set_truncated(api, page):
    make_notes(12)

    response = api.get(PAGES, {"page": page})

    assert response.status_code == 400
    assert response.json()["code"] == "result-set-truncated"
    assert response.json()["details"] == [
        "This query matches more than 10 items, more than the API pages through. Split it into "
        "smaller queries, for example one per parent object or per date range."
    ]


def test_a_result_set_within_the_cap_pages_as_usual(api):
    make_notes(10)

    response = api.get(PAGES, {"page": "2"})

    assert response.status_code == 200
    assert response.json()["count"] == 10
    assert response.json()["next"] is None


def test_a_page_past_a_small_result_set_is_still_not_found(api):
    make_notes(3)

    response = api.get(PAGES, {"page": "3"})

    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


@pytest.mark.parametrize(("offset", "status"), [("0", 200), ("5", 200), ("6", 400), ("10", 400)])
def test_limit_offset_windows_past_the_cap_are_truncated(api, offset, status):
    make_notes(12)

    response = api.get(WINDOWS, {"offset": offset})

    assert response.status_code == status
    if status == 400:
        assert response.json()["code"] == "result-set-truncated"
    else:
        assert response.json()["count"] is None


def test_limit_offset_within_the_cap_reports_the_count(api):
    make_notes(7)

    assert api.get(WINDOWS, {"offset": "5"}).json()["count"] == 7


def test_the_count_never_reads_past_the_cap(api):
    make_notes(30)

    with CaptureQueriesContext(connection) as queries:
        api.get(PAGES)

    [count_sql] = [q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"].upper()]
    assert "LIMIT 11" in count_sql


def test_the_cap_defaults_to_the_setting(settings):
    class Pages(ResultSetCapMixin, PageNumberPagination):
        page_size = 2

    settings.API_ERRORS = {"MAX_RESULT_SET_SIZE": 3}

    assert Pages().get_max_result_set_size() == 3


@pytest.mark.parametrize(("items", "expected"), [(0, 0), (4, 4), (5, 5), (6, 6), (100, 6)])
def test_bounded_count_stops_one_past_the_cap(items, expected):
    assert bounded_count(list(range(items)), 5) == expected


def test_capped_paginator_refuses_pages_crossing_the_cap():
    paginator = CappedPaginator(list(range(20)), 4, max_size=10)

    assert list(paginator.page(2)) == [4, 5, 6, 7]
    with pytest.raises(ApiError) as crossing:
        paginator.page(3)  # would hold items 8 to 11: past the cap of 10
    assert crossing.value.slug == "result-set-truncated"


def test_capped_paginator_keeps_djangos_errors_for_bad_numbers():
    paginator = CappedPaginator(list(range(20)), 4, max_size=10)

    with pytest.raises(EmptyPage):
        paginator.page(0)


def test_the_schema_marks_count_nullable():
    class Pages(ResultSetCapMixin, PageNumberPagination):
        page_size = 2

    schema = Pages().get_paginated_response_schema({"type": "array", "items": {}})

    assert schema["properties"]["count"]["nullable"] is True
