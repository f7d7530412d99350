"""The incidents admin: found by phrase, filtered, read-only, staff only, and no full-table count."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_api_errors.incidents.admin import CappedCountPaginator
from django_api_errors.incidents.handler import flush_incidents
from django_api_errors.incidents.models import Incident

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/api_errors_incidents/incident/"


def incident(phrase, code="server-error", status=500, age=timedelta(0)):
    row = Incident.objects.create(phrase=phrase, code=code, status=status, method="GET", path="/x/")
    if age:
        Incident.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


def listed(response):
    assert response.status_code == 200
    return [row.phrase for row in response.context["cl"].result_list]


@pytest.mark.django_db(transaction=True)
def test_a_failed_request_is_found_in_the_admin_by_the_phrase_the_client_quotes(api, admin_client):
    phrase = api.get("/raise-server-side/unhandled/")["X-Error-Phrase"]
    flush_incidents()
    incident("2 calm cats nap quietly")

    quoted = "  " + phrase.upper().replace(" ", "  ") + " "
    response = admin_client.get(CHANGELIST, {"q": quoted})

    assert listed(response) == [phrase]
    detail = admin_client.get(f"{CHANGELIST}{Incident.objects.get(phrase=phrase).pk}/change/")
    assert detail.status_code == 200
    assert "SECRET_KEY=hunter2" in detail.content.decode()  # the traceback, for staff only


@pytest.mark.parametrize("term", ["calm cats", "2 calm cats nap", "cats"])
def test_only_the_whole_phrase_matches(admin_client, term):
    incident("2 calm cats nap quietly")

    assert listed(admin_client.get(CHANGELIST, {"q": term})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["7 odd owls hoot loudly", "3 shy seals sing softly", "2 calm cats nap quietly"]),
        ({"code": "database-commit"}, ["3 shy seals sing softly"]),
        ({"status": "503"}, ["7 odd owls hoot loudly"]),
        (
            {"created_at__gte": (timezone.now() - timedelta(days=7)).isoformat()},
            ["7 odd owls hoot loudly", "3 shy seals sing softly"],
        ),
    ],
    ids=["all", "code", "status", "past-7-days"],
)
def test_incidents_filter_by_code_status_and_date(admin_client, params, expected):
    incident("2 calm cats nap quietly", age=timedelta(days=40))
    incident("3 shy seals sing softly", code="database-commit")
    incident("7 odd owls hoot loudly", code="service-unavailable", status=503)

    assert listed(admin_client.get(CHANGELIST, params)) == expected


def test_the_code_filter_offers_the_catalogues_server_codes_without_querying_them(admin_client):
    with CaptureQueriesContext(connection) as queries:
        content = admin_client.get(CHANGELIST).content.decode()

    assert not [query for query in queries if "DISTINCT" in query["sql"].upper()]
    assert "?code=database-commit" in content
    assert "?code=service-unavailable" in content
    assert "?code=not-found" not in content  # a client error is never an incident


def test_the_change_list_never_counts_the_whole_table(admin_client, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "limit", 3)
    for number in range(2, 7):
        incident(f"{number} calm cats nap quietly")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(CHANGELIST)

    assert response.context["cl"].result_count == 3
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts
    assert all("LIMIT" in sql.upper() for sql in counts)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"{CHANGELIST}add/"),
        ("post", f"{CHANGELIST}{{pk}}/change/"),
        ("post", f"{CHANGELIST}{{pk}}/delete/"),
    ],
    ids=["add", "change", "delete"],
)
def test_incidents_are_read_only_even_for_a_superuser(admin_client, method, url):
    row = incident("2 calm cats nap quietly")

    response = getattr(admin_client, method)(url.format(pk=row.pk), {"phrase": "changed"})

    assert response.status_code == 403
    assert Incident.objects.get(pk=row.pk).phrase == "2 calm cats nap quietly"


@pytest.mark.parametrize(
    ("is_staff", "can_view", "status"),
    [(False, True, 302), (True, False, 403), (True, True, 200)],
    ids=["not-staff", "staff-without-permission", "staff-with-view-permission"],
)
def test_only_staff_allowed_to_view_incidents_see_them(client, is_staff, can_view, status):
    user = get_user_model().objects.create_user("sam", password="pw", is_staff=is_staff)
    if can_view:
        user.user_permissions.add(Permission.objects.get(codename="view_incident"))
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("value", ["²", "٣", "5000000000000", "abc", "-1"])
def test_a_status_the_filter_cannot_read_is_ignored(admin_client, value):
    incident("2 calm cats nap quietly")

    assert listed(admin_client.get(CHANGELIST, {"status": value})) == ["2 calm cats nap quietly"]


GROUPS = "/admin/api_errors_incidents/incidentgroup/"


@pytest.mark.django_db(transaction=True)
def test_a_storm_is_one_group_listing_its_count_and_phrases(api, admin_client):
    from django_api_errors.incidents.models import IncidentGroup

    phrases = [api.get("/raise-server-side/unhandled/")["X-Error-Phrase"] for _ in range(3)]
    flush_incidents()

    response = admin_client.get(GROUPS)
    (group,) = response.context["cl"].result_list
    assert (group.code, group.count, group.capped, group.route) == (
        "server-error",
        3,
        0,
        "raise-server-side/<str:name>/",
    )
    assert group.first_seen <= group.last_seen
    detail = admin_client.get(f"{GROUPS}{group.pk}/change/").content.decode()
    assert all(phrase in detail for phrase in phrases)
    listed_by_fingerprint = admin_client.get(CHANGELIST, {"fingerprint": group.fingerprint})
    assert set(listed(listed_by_fingerprint)) == set(phrases)
    assert IncidentGroup.objects.count() == 1


# PostgreSQL cannot compare text with a NUL: every filter and search answers Django's "invalid lookup"
# redirect to the unfiltered list instead of a 500.
@pytest.mark.parametrize(
    ("changelist", "param"),
    [
        *[(CHANGELIST, param) for param in ("code", "fingerprint", "q", "phrase", "path", "exception_type")],
        (CHANGELIST, "created_at__gte"),
        *[(GROUPS, param) for param in ("code", "fingerprint", "exception_type", "route", "status")],
    ],
)
def test_a_nul_in_a_filter_or_search_answers_the_unfiltered_list(admin_client, changelist, param):
    incident("2 calm cats nap quietly")

    response = admin_client.get(changelist, {param: "a\x00"}, follow=True)

    assert response.redirect_chain == [(f"{changelist}?e=1", 302)]
    assert response.status_code == 200
    assert response.context["cl"].result_count == (1 if changelist == CHANGELIST else 0)
