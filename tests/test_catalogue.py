"""The catalogue: codes of every app from the registry, their sync into the table, editorial reads."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_api_errors import codes
from django_api_errors.catalogue.sync import (
    published_entries,
    published_entry,
    sync_catalogue,
)
from django_api_errors.codes import BaseErrorCode, ErrorCode
from django_api_errors.models import CatalogueEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def declare() -> Iterator:
    """Declare throw-away code enums, owned by the test app, unregistered after the test."""
    declared: list[type[BaseErrorCode]] = []

    def declare_enum(name: str, *members: tuple[str, int, str]) -> type[BaseErrorCode]:
        enum_class = BaseErrorCode(
            name,
            [(slug.upper().replace("-", "_"), (slug, status, text)) for slug, status, text in members],
            module="tests.testapp.views",
        )
        declared.append(enum_class)
        return enum_class

    yield declare_enum
    for enum_class in declared:
        codes.unregister(enum_class)


def test_the_registry_holds_the_enums_of_two_apps_with_their_owners():
    from shop.error_codes import ShopErrorCode

    assert {ErrorCode, ShopErrorCode} <= set(codes.code_enums())
    assert ErrorCode.NOT_FOUND.app_label == "django_api_errors"
    assert ShopErrorCode.OUT_OF_STOCK.app_label == "shop"
    assert CatalogueEntry.objects.get(slug="out-of-stock").enum_name == "shop.error_codes.ShopErrorCode"


def test_a_third_apps_enum_joins_the_catalogue(declare):
    declare("TestAppCode", ("quota-exceeded", 429, "The quota is used up."))

    code = codes.lookup("quota-exceeded")

    assert (code.status, code.app_label) == (429, "testapp")


def test_migrate_has_synced_every_code():
    slugs = set(CatalogueEntry.objects.values_list("slug", flat=True))

    assert slugs == set(codes.by_slug())
    assert not CatalogueEntry.objects.filter(retired=True).exists()


def test_a_second_sync_changes_nothing():
    sync_catalogue()
    before = list(CatalogueEntry.objects.values())

    report = sync_catalogue()

    assert (report.created, report.updated, report.retired) == (0, 0, 0)
    assert report.unchanged == len(before)
    assert list(CatalogueEntry.objects.values()) == before


def test_sync_creates_a_new_code_and_keeps_editorial_fields_of_the_others(declare):
    CatalogueEntry.objects.filter(slug="not-found").update(documentation="Check the id.", hints="a\nb")
    declare("TestAppCode", ("quota-exceeded", 429, "The quota is used up."))

    report = sync_catalogue()

    assert (report.created, report.updated, report.retired) == (1, 0, 0)
    created = CatalogueEntry.objects.get(slug="quota-exceeded")
    assert (created.status, created.description, created.app_label) == (
        429,
        "The quota is used up.",
        "testapp",
    )
    kept = CatalogueEntry.objects.get(slug="not-found")
    assert (kept.documentation, kept.hints) == ("Check the id.", "a\nb")


def test_sync_rewrites_code_defined_fields_that_changed_but_not_editorial_ones():
    CatalogueEntry.objects.filter(slug="not-found").update(
        status=400, description="Old.", documentation="Mine."
    )

    report = sync_catalogue()

    assert report.updated == 1
    entry = CatalogueEntry.objects.get(slug="not-found")
    assert (entry.status, entry.description, entry.documentation) == (
        404,
        "The requested resource does not exist.",
        "Mine.",
    )


def test_a_code_removed_from_code_is_retired_not_deleted_and_comes_back_when_declared_again(declare):
    extra = declare("TestAppCode", ("quota-exceeded", 429, "The quota is used up."))
    sync_catalogue()
    CatalogueEntry.objects.filter(slug="quota-exceeded").update(documentation="Wait for the next month.")
    codes.unregister(extra)

    report = sync_catalogue()

    assert (report.retired, report.slugs_retired) == (1, ["quota-exceeded"])
    retired = CatalogueEntry.objects.get(slug="quota-exceeded")
    assert retired.retired
    assert retired.documentation == "Wait for the next month."
    assert sync_catalogue().retired == 0

    codes.register(extra)
    report = sync_catalogue()

    assert report.updated == 1
    assert not CatalogueEntry.objects.get(slug="quota-exceeded").retired


def test_sync_stores_descriptions_in_the_default_language_whatever_is_active(declare):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    # A message Django itself translates, so the active language would show if it leaked in.
    declare("TestAppCode", ("field-required", 400, gettext_lazy("This field is required.")))
    with translation.override("de"):
        assert str(codes.lookup("field-required").description) != "This field is required."
        sync_catalogue()

    assert CatalogueEntry.objects.get(slug="field-required").description == "This field is required."


def test_sync_error_catalogue_command_reports_and_is_idempotent(capsys, declare):
    declare("TestAppCode", ("quota-exceeded", 429, "The quota is used up."))

    call_command("sync_error_catalogue")
    first = capsys.readouterr().out
    call_command("sync_error_catalogue")
    second = capsys.readouterr().out

    assert first.startswith("1 created, 0 updated, 0 retired,")
    assert second.startswith("0 created, 0 updated, 0 retired,")


def test_published_entries_read_every_code_from_the_registry_when_the_table_is_empty():
    CatalogueEntry.objects.all().delete()

    entries = published_entries()

    # Every code of the built-in enum and the test app's, by status then slug.
    assert [(entry.code.status, entry.code.slug) for entry in entries] == [
        (400, "bad-request"), (400, "date-dependency"), (400, "date-out-of-range"), (400, "deactivated-user"),
        (400, "entity-archived"), (400, "illegal-property-transition"), (400, "invalid-batch-operation"),
        (400, "invalid-filter-or-order"), (400, "invalid-model"), (400, "invalid-operation"),
        (400, "result-set-truncated"), (400, "validation-failed"), (400, "value-out-of-range"),
        (400, "workspaceid-missing"), (401, "not-authenticated"), (402, "insufficient-seats"),
        (402, "insufficient-subscription-level"), (403, "unauthorized"), (404, "not-found"),
        (405, "method-not-allowed"), (406, "not-acceptable"), (409, "already-exist-error"),
        (409, "concurrency-violation"), (409, "duplication-violation"), (409, "out-of-stock"),
        (413, "request-body-too-large"), (415, "unsupported-media-type"), (429, "too-many-requests"),
        (451, "unavailable-for-legal-reasons"), (500, "database-commit"), (500, "server-error"),
        (503, "service-unavailable"),
    ]  # fmt: skip
    assert all(entry.documentation == "" and entry.hints == () for entry in entries)


def test_published_entry_merges_editorial_fields_in_one_query():
    CatalogueEntry.objects.filter(slug="out-of-stock").update(
        documentation="Happens when the last item is sold.",
        hints="Offer a back-order.\n\n  Show the restock date.  ",
        docs_url="https://docs.example.com/stock",
    )

    with CaptureQueriesContext(connection) as queries:
        entry = published_entry("out-of-stock")

    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    assert entry.code.status == 409
    assert entry.documentation == "Happens when the last item is sold."
    assert entry.hints == ("Offer a back-order.", "Show the restock date.")
    assert entry.docs_url == "https://docs.example.com/stock"


def test_published_entry_of_an_unknown_slug_is_none():
    assert published_entry("no-such-code") is None


def test_migrate_syncs_the_catalogue_after_its_migrations(declare):
    from io import StringIO

    declare("TestAppCode", ("quota-exceeded", 429, "The quota is used up."))
    out = StringIO()

    call_command("migrate", verbosity=2, stdout=out, interactive=False)

    assert "Error catalogue: 1 created, 0 updated, 0 retired," in out.getvalue()
    assert CatalogueEntry.objects.filter(slug="quota-exceeded", status=429).exists()


# The code page's example is the pipeline's, as the OpenAPI schema shows it


def test_the_validation_failed_page_shows_the_field_error_the_schema_example_shows(client):
    page = client.get("/errors/validation-failed/", HTTP_ACCEPT="application/json").json()["example"]

    assert page["validationErrors"] == [
        {"property": "name", "message": "This field is required.", "code": "required"}
    ]


def test_a_projects_render_step_shows_in_the_code_page_example(client, settings):
    settings.API_ERRORS = {"PIPELINE": "tests.testapp.pipeline_views.StampingPipeline"}

    page = client.get("/errors/not-found/", HTTP_ACCEPT="application/json").json()["example"]

    assert page["stamp"] == "rendered"
