"""The public catalogue pages, through Django's test client: HTML, JSON, unknown codes, no table."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_api_errors.codes import ErrorCode
from django_api_errors.models import CatalogueEntry

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class ShoutingStyle:
    """A project's own style, to show the pages follow the active one."""

    @staticmethod
    def render(error, request):
        return {"ERROR": error.slug.upper(), "status": error.status, "details": error.details}


def test_the_list_page_groups_every_code_by_status(client):
    response = client.get("/errors/", **BROWSER)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<meta name="viewport"' in html
    sections = re.findall(r'<section id="status-(\d+)">', html)
    assert sections == sorted(sections, key=int)
    assert len(sections) == len(set(sections))
    section_404 = html.split('<section id="status-404">')[1].split("</section>")[0]
    assert '<a href="/errors/not-found/"><code>not-found</code></a>' in section_404
    assert "Not Found" in section_404
    assert "/errors/out-of-stock/" in html.split('<section id="status-409">')[1].split("</section>")[0]


def test_the_list_page_answers_json_to_accept_json(client):
    response = client.get("/errors/", **JSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    codes = response.json()["codes"]
    assert {code["code"] for code in codes} == {e.slug for e in CatalogueEntry.objects.all()}
    assert [(c["status"], c["code"]) for c in codes] == sorted((c["status"], c["code"]) for c in codes)
    out_of_stock = next(code for code in codes if code["code"] == "out-of-stock")
    assert out_of_stock == {
        "code": "out-of-stock",
        "status": 409,
        "description": "The product is sold out.",
        "app": "shop",
        "documentation": "",
        "hints": [],
        "docsUrl": None,
        "link": "http://testserver/errors/out-of-stock/",
    }


def test_the_code_page_shows_status_description_docs_hints_and_an_example(client):
    CatalogueEntry.objects.filter(slug="entity-archived").update(
        documentation="Archived projects are read-only.\n\nRestore it first.",
        hints="Restore the project.\nAsk an admin <b>now</b>.",
        docs_url="https://docs.example.com/archived",
    )

    response = client.get("/errors/entity-archived/", **BROWSER)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1><code>entity-archived</code></h1>" in html
    assert '<span class="status">400</span> Bad Request' in html
    assert str(ErrorCode.ENTITY_ARCHIVED.description) in html
    assert "<p>Archived projects are read-only.</p>\n\n<p>Restore it first.</p>" in html
    assert "<li>Restore the project.</li><li>Ask an admin &lt;b&gt;now&lt;/b&gt;.</li>" in html
    assert 'href="https://docs.example.com/archived"' in html
    assert "&quot;code&quot;: &quot;entity-archived&quot;" in html
    assert "&quot;link&quot;: &quot;http://testserver/errors/entity-archived/&quot;" in html


def test_the_code_page_answers_json_with_the_example_body(client):
    response = client.get("/errors/entity-archived/", **JSON)

    assert response.status_code == 200
    assert response.json() == {
        "code": "entity-archived",
        "status": 400,
        "description": str(ErrorCode.ENTITY_ARCHIVED.description),
        "app": "django_api_errors",
        "documentation": "",
        "hints": [],
        "docsUrl": None,
        "link": "http://testserver/errors/entity-archived/",
        "example": {
            "code": "entity-archived",
            "description": str(ErrorCode.ENTITY_ARCHIVED.description),
            "link": "http://testserver/errors/entity-archived/",
            "details": [],
            "validationErrors": [],
        },
    }


@pytest.mark.parametrize("headers", [BROWSER, JSON, {}], ids=["browser", "json", "no-accept"])
def test_an_unknown_code_is_a_404_in_the_standard_shape(client, headers):
    response = client.get("/errors/no-such-code/", **headers)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not-found",
        "description": "The requested resource does not exist.",
        "link": "http://testserver/errors/not-found/",
        "details": ["No error code is called “no-such-code”."],
        "validationErrors": [],
    }


@pytest.mark.parametrize("headers", [BROWSER, JSON], ids=["browser", "json"])
def test_an_unknown_slug_is_echoed_cut_at_100_characters(client, headers):
    response = client.get(f"/errors/{'x' * 4000}/", **headers)

    assert response.status_code == 404
    assert response.json()["details"] == [f"No error code is called “{'x' * 100}…”."]
    assert len(response.content) < 1_000


def test_the_pages_follow_the_active_style(client, settings):
    settings.API_ERRORS = {"STYLE": "tests.test_views.ShoutingStyle"}

    example = client.get("/errors/out-of-stock/", **JSON).json()["example"]
    missing = client.get("/errors/no-such-code/", **JSON)

    assert example == {"ERROR": "OUT-OF-STOCK", "status": 409, "details": []}
    assert missing.json() == {
        "ERROR": "NOT-FOUND",
        "status": 404,
        "details": ["No error code is called “no-such-code”."],
    }


def test_a_raised_errors_link_resolves_to_a_page_naming_the_code(api):
    link = api.get("/raise/api-error/").json()["link"]

    page = api.get(link, **BROWSER)

    assert page.status_code == 200
    assert "<h1><code>entity-archived</code></h1>" in page.content.decode()


def test_the_pages_work_when_the_catalogue_was_never_synced(client):
    CatalogueEntry.objects.all().delete()

    listing = client.get("/errors/", **JSON)
    detail = client.get("/errors/out-of-stock/", **BROWSER)

    assert "out-of-stock" in {code["code"] for code in listing.json()["codes"]}
    assert detail.status_code == 200
    assert "The product is sold out." in detail.content.decode()


@pytest.mark.parametrize("url", ["/errors/", "/errors/not-found/"])
def test_each_page_reads_the_database_once(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **JSON)

    assert response.status_code == 200
    selects = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1


@pytest.mark.django_db(transaction=True)
def test_the_pages_work_when_the_catalogue_table_does_not_exist(client):
    with connection.schema_editor() as editor:
        editor.delete_model(CatalogueEntry)
    try:
        listing = client.get("/errors/", **JSON)
        detail = client.get("/errors/out-of-stock/", **JSON)
        html = client.get("/errors/out-of-stock/", **BROWSER)
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(CatalogueEntry)

    assert listing.status_code == 200
    assert "not-found" in {code["code"] for code in listing.json()["codes"]}
    assert (detail.status_code, detail.json()["status"]) == (200, 409)
    assert html.status_code == 200
