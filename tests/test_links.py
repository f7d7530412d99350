"""Where errors point: ``link`` (awork, Asana) and the problem ``type``, with and without ``DOCS_URL``."""

import pytest
from django.test import RequestFactory
from django.urls import set_script_prefix

from django_api_errors.styles import links
from django_api_errors.styles.links import catalogue_path, docs_link, link_for, type_uri_for

pytestmark = pytest.mark.django_db

DOCS = "https://docs.example.com/errors/"


@pytest.fixture
def script_prefix():
    """Set a script prefix for one test, as a server mounting the site under a path would."""
    yield set_script_prefix
    set_script_prefix("/")


def test_awork_link_is_the_absolute_url_of_the_catalogue_page(api):
    response = api.get("/raise/drf-not-found/")

    assert response.json()["link"] == "http://testserver/errors/not-found/"


def test_awork_link_follows_the_host_so_it_stays_clickable(api):
    response = api.get("/raise/drf-not-found/", HTTP_HOST="localhost")

    assert response.json()["link"] == "http://localhost/errors/not-found/"


@pytest.mark.parametrize(
    ("docs_url", "link"),
    [
        (DOCS, "https://docs.example.com/errors/not-found"),
        ("https://docs.example.com/errors/{code}.html", "https://docs.example.com/errors/not-found.html"),
        ("https://api.example.com/errors/{code}/", "https://api.example.com/errors/not-found/"),
    ],
)
def test_docs_url_gives_the_link_whatever_the_host(api, settings, docs_url, link):
    settings.API_ERRORS = {"DOCS_URL": docs_url}

    answers = [
        api.get("/raise/drf-not-found/", HTTP_HOST=host).json()["link"]
        for host in ("testserver", "localhost")
    ]

    assert answers == [link, link]


def test_asana_help_is_the_same_link(api, settings):
    settings.API_ERRORS = {"STYLE": "asana", "DOCS_URL": DOCS}

    response = api.get("/raise/drf-not-found/")

    assert [error["help"] for error in response.json()["errors"]] == [f"{DOCS}not-found"]


def test_problem_type_is_the_site_relative_path_whatever_the_host():
    requests = [RequestFactory().get("/", HTTP_HOST=host) for host in ("testserver", "localhost:18473")]

    assert [type_uri_for("not-found", request) for request in requests] == ["/errors/not-found/"] * 2


def test_problem_type_is_the_docs_url_link_when_set(settings):
    settings.API_ERRORS = {"DOCS_URL": "https://docs.example.com/errors/{code}/"}

    assert (
        type_uri_for("not-found", RequestFactory().get("/")) == "https://docs.example.com/errors/not-found/"
    )


def test_problem_type_keeps_the_script_prefix_of_a_site_mounted_under_a_path(script_prefix):
    script_prefix("/shop/")

    assert type_uri_for("not-found") == "/shop/errors/not-found/"


def test_problem_type_is_about_blank_without_docs_url_or_catalogue():
    request = RequestFactory().get("/")
    request.urlconf = "tests.openapiapp.urls"

    assert type_uri_for("not-found", request) == "about:blank"
    assert link_for("not-found", request) is None


def test_problem_type_leads_to_the_codes_page(api):
    page = api.get(type_uri_for("entity-archived"), HTTP_ACCEPT="application/json")

    assert page.status_code == 200
    assert page.json()["code"] == "entity-archived"


def test_without_a_request_link_and_type_are_the_same_path():
    assert (
        link_for("not-found")
        == type_uri_for("not-found")
        == catalogue_path("not-found")
        == "/errors/not-found/"
    )


def test_docs_link_is_none_without_docs_url():
    assert docs_link("not-found") is None


def test_the_absolute_link_follows_each_request_host_though_built_once_per_host():
    hosts = ["testserver", "localhost", "testserver", "localhost"]

    links = [link_for("not-found", RequestFactory().get("/", HTTP_HOST=host)) for host in hosts]

    assert links == [f"http://{host}/errors/not-found/" for host in hosts]


def test_forwarded_headers_django_does_not_read_add_no_cached_links(settings):
    settings.ALLOWED_HOSTS = ["*"]
    link_for("not-found", RequestFactory().get("/"))
    cached = len(links._absolute_links)

    for number in range(50):
        request = RequestFactory().get(
            "/", HTTP_X_FORWARDED_HOST=f"h{number}.example", HTTP_X_FORWARDED_PORT="81"
        )
        assert link_for("not-found", request) == "http://testserver/errors/not-found/"

    assert len(links._absolute_links) == cached


def test_a_forwarded_host_django_reads_is_linked(settings):
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["*"]

    request = RequestFactory().get("/", HTTP_X_FORWARDED_HOST="api.example")

    assert link_for("not-found", request) == "http://api.example/errors/not-found/"


def test_an_oversized_host_is_linked_but_not_kept(settings):
    settings.ALLOWED_HOSTS = ["*"]
    host = "a" * 600 + ".example"
    cached = len(links._absolute_links)

    link = link_for("not-found", RequestFactory().get("/", HTTP_HOST=host))

    assert (link, len(links._absolute_links)) == (f"http://{host}/errors/not-found/", cached)


def test_the_absolute_link_follows_the_scheme():
    request = RequestFactory().get("/", secure=True)

    assert link_for("not-found", request) == "https://testserver/errors/not-found/"
    assert link_for("not-found", RequestFactory().get("/")) == "http://testserver/errors/not-found/"


def test_the_absolute_link_follows_the_script_prefix(script_prefix):
    request = RequestFactory().get("/")
    assert link_for("not-found", request) == "http://testserver/errors/not-found/"

    script_prefix("/shop/")

    assert link_for("not-found", request) == "http://testserver/shop/errors/not-found/"


def test_a_host_refused_after_allowed_hosts_changed_is_no_longer_linked(settings):
    from django.core.exceptions import DisallowedHost

    request = RequestFactory().get("/", HTTP_HOST="localhost")
    assert link_for("not-found", request) == "http://localhost/errors/not-found/"

    settings.ALLOWED_HOSTS = ["testserver"]

    # A later request from that host: the first one keeps the host Django validated for it.
    with pytest.raises(DisallowedHost):
        link_for("not-found", RequestFactory().get("/", HTTP_HOST="localhost"))


def test_a_refused_host_gets_the_relative_link_in_the_body():
    from rest_framework.exceptions import NotFound
    from rest_framework.request import Request

    from django_api_errors.handler import exception_handler

    def link(host):
        request = Request(RequestFactory().get("/", HTTP_HOST=host))
        return exception_handler(NotFound(), {"request": request, "view": None}).data["link"]

    assert [link("testserver"), link("evil.example")] == [
        "http://testserver/errors/not-found/",
        "/errors/not-found/",
    ]


def test_a_request_choosing_its_url_conf_gets_that_conf_s_link():
    request = RequestFactory().get("/")
    assert link_for("not-found", request) == "http://testserver/errors/not-found/"

    request.urlconf = "tests.openapiapp.urls"

    assert link_for("not-found", request) is None


def test_the_absolute_link_follows_a_forwarded_port_when_django_reads_it(settings):
    settings.USE_X_FORWARDED_PORT = True

    links = [
        link_for("not-found", RequestFactory().get("/", HTTP_X_FORWARDED_PORT=port))
        for port in ("8443", "8080")
    ]

    assert links == ["http://testserver:8443/errors/not-found/", "http://testserver:8080/errors/not-found/"]
