"""The catalogue's admin, through Django's test client: list, search, filters, detail, permissions."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_api_errors.catalogue.sync import sync_catalogue
from django_api_errors.models import CatalogueEntry

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/django_api_errors/catalogueentry/"


def change_url(slug: str) -> str:
    return f"{CHANGELIST}{CatalogueEntry.objects.get(slug=slug).pk}/change/"


def listed_slugs(response) -> list[str]:
    return re.findall(r'<th class="field-slug"><a href="[^"]+">([^<]+)</a></th>', response.content.decode())


def make_staff(*permissions: str):
    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="django_api_errors", codename__in=permissions)
    )
    return user


def test_the_list_shows_slug_status_app_and_description(admin_client):
    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert set(listed_slugs(response)) == set(CatalogueEntry.objects.values_list("slug", flat=True))
    row = html.split(f'<a href="{change_url("out-of-stock")}">out-of-stock</a>')[1].split("</tr>")[0]
    assert '<td class="field-status">409</td>' in row
    assert '<td class="field-app_label">shop</td>' in row
    assert "The product is sold out." in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("out-of-stock", {"out-of-stock"}),
        ("sold out", {"out-of-stock"}),
        ("subscription", {"insufficient-subscription-level"}),
        ("restock", {"out-of-stock"}),
    ],
    ids=["slug", "description", "other-description", "hints"],
)
def test_search_finds_codes_by_slug_and_text(admin_client, query, expected):
    CatalogueEntry.objects.filter(slug="out-of-stock").update(hints="Show the restock date.")

    response = admin_client.get(CHANGELIST, {"q": query})

    assert set(listed_slugs(response)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"status": "409"},
            {"duplication-violation", "concurrency-violation", "already-exist-error", "out-of-stock"},
        ),
        ({"app_label": "shop"}, {"out-of-stock"}),
        ({"retired__exact": "1"}, {"gone-code"}),
    ],
    ids=["status", "app", "retired"],
)
def test_filters_by_status_app_and_retired(admin_client, params, expected):
    CatalogueEntry.objects.create(
        slug="gone-code", status=410, description="Gone.", app_label="x", retired=True
    )

    response = admin_client.get(CHANGELIST, params)

    assert response.status_code == 200
    assert set(listed_slugs(response)) == expected


def test_the_detail_page_shows_code_fields_read_only_and_the_docs_editable(admin_client):
    CatalogueEntry.objects.filter(slug="out-of-stock").update(
        documentation="Happens when the last item sold."
    )

    response = admin_client.get(change_url("out-of-stock"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="readonly">out-of-stock</div>' in html
    assert '<div class="readonly">409</div>' in html
    assert 'name="slug"' not in html
    assert 'name="status"' not in html
    assert re.search(
        r'<textarea name="documentation"[^>]*>\s*Happens when the last item sold.</textarea>', html
    )
    assert 'name="hints"' in html
    assert 'name="docs_url"' in html
    assert "&quot;code&quot;: &quot;out-of-stock&quot;" in html
    assert "View on site" in html


def test_saving_changes_editorial_fields_only(admin_client):
    url = change_url("out-of-stock")

    response = admin_client.post(
        url,
        {
            "documentation": "Sold out.",
            "hints": "Try later.",
            "docs_url": "https://docs.example.com/stock",
            "slug": "hacked",
            "status": "200",
        },
    )

    assert response.status_code == 302
    entry = CatalogueEntry.objects.get(pk=url.split("/")[-3])
    assert (entry.slug, entry.status) == ("out-of-stock", 409)
    assert (entry.documentation, entry.hints, entry.docs_url) == (
        "Sold out.",
        "Try later.",
        "https://docs.example.com/stock",
    )
    assert sync_catalogue().updated == 0


def test_no_code_can_be_added(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert (
        'href="/admin/django_api_errors/catalogueentry/add/"'
        not in admin_client.get(CHANGELIST).content.decode()
    )


def test_a_code_declared_in_code_cannot_be_deleted(admin_client):
    pk = CatalogueEntry.objects.get(slug="not-found").pk

    assert admin_client.get(f"{CHANGELIST}{pk}/delete/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert CatalogueEntry.objects.filter(pk=pk).exists()
    assert 'value="delete_selected"' not in admin_client.get(CHANGELIST).content.decode()


def test_a_retired_code_can_be_deleted(admin_client):
    gone = CatalogueEntry.objects.create(
        slug="gone-code", status=410, description="Gone.", app_label="x", retired=True
    )

    response = admin_client.post(f"{CHANGELIST}{gone.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not CatalogueEntry.objects.filter(pk=gone.pk).exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_users_who_are_not_staff_are_sent_to_the_login(client):
    user = get_user_model().objects.create_user("visitor", password="pw", is_staff=False)
    client.force_login(user)

    assert client.get(CHANGELIST)["Location"].startswith("/admin/login/")
    assert client.get(change_url("not-found")).status_code == 302


def test_staff_without_permission_on_the_catalogue_are_refused(client):
    client.force_login(make_staff())

    assert client.get(CHANGELIST).status_code == 403


def test_staff_with_view_permission_read_but_cannot_edit(client):
    client.force_login(make_staff("view_catalogueentry"))
    url = change_url("out-of-stock")

    page = client.get(url)
    client.post(url, {"documentation": "Vandalised.", "hints": "", "docs_url": ""})

    assert page.status_code == 200
    assert 'name="documentation"' not in page.content.decode()
    assert CatalogueEntry.objects.get(slug="out-of-stock").documentation == ""


def test_staff_with_change_permission_edit_the_docs(client):
    client.force_login(make_staff("view_catalogueentry", "change_catalogueentry"))

    response = client.post(
        change_url("out-of-stock"), {"documentation": "Edited.", "hints": "", "docs_url": ""}
    )

    assert response.status_code == 302
    assert CatalogueEntry.objects.get(slug="out-of-stock").documentation == "Edited."


# Session, user, two counts, the page of rows, the distinct statuses and apps of the two filters.
CHANGELIST_QUERY_BOUND = 7


def selects(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def test_the_list_needs_a_fixed_number_of_queries_whatever_the_number_of_codes(admin_client):
    admin_client.get(CHANGELIST)  # warm caches (content types, session) outside the measurement
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(CHANGELIST).status_code == 200
    CatalogueEntry.objects.bulk_create(
        CatalogueEntry(slug=f"extra-{i}", status=400 + i % 100, description="More.", app_label=f"app{i % 7}")
        for i in range(90)
    )
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(CHANGELIST).status_code == 200

    assert len(selects(many)) == len(selects(few))
    assert len(selects(few)) <= CHANGELIST_QUERY_BOUND


# PostgreSQL cannot compare text with a NUL: every filter and search answers Django's "invalid lookup"
# redirect to the unfiltered list instead of a 500.
@pytest.mark.parametrize("param", ["q", "slug", "app_label", "status", "description__contains", "hints"])
def test_a_nul_in_a_filter_or_search_answers_the_unfiltered_list(admin_client, param):
    response = admin_client.get(CHANGELIST, {param: "a\x00"}, follow=True)

    assert response.redirect_chain == [(f"{CHANGELIST}?e=1", 302)]
    assert response.status_code == 200
    assert response.context["cl"].result_count == CatalogueEntry.objects.count() > 0


def test_a_documentation_url_typed_without_a_scheme_is_saved_with_https(admin_client):
    url = change_url("out-of-stock")

    response = admin_client.post(
        url, {"documentation": "", "hints": "", "docs_url": "docs.example.com/stock"}
    )

    assert response.status_code == 302
    assert CatalogueEntry.objects.get(slug="out-of-stock").docs_url == "https://docs.example.com/stock"


def test_a_long_description_is_cut_to_90_characters_in_the_list(admin_client):
    CatalogueEntry.objects.filter(slug="out-of-stock").update(description="x" * 100)

    html = admin_client.get(CHANGELIST).content.decode()

    row = html.split(f'<a href="{change_url("out-of-stock")}">out-of-stock</a>')[1].split("</tr>")[0]
    assert f'<td class="field-short_description">{"x" * 89}…</td>' in row
