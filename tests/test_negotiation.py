"""The one ``Accept`` parser: q-values, specificity and the decisions taken on them."""

import pytest

from django_api_errors.negotiation import (
    accepts_json_not_html,
    parse_accept,
    prefers_json,
    prefers_problem_json,
    weight,
)


def test_ranges_keep_header_order_lower_cased_with_their_q():
    assert parse_accept("Text/HTML;level=1, application/json;q=0.5, */*;Q=0") == (
        ("text/html", 1.0),
        ("application/json", 0.5),
        ("*/*", 0.0),
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [("0.3", 0.3), ("abc", 0.0), ("nan", 0.0), ("-1", 0.0), ("7", 1.0), ("inf", 1.0)],
)
def test_a_weight_outside_zero_to_one_or_unreadable_is_clamped_or_refused(q, expected):
    assert weight(parse_accept(f"application/json;q={q}"), "application/json") == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", 0.0),
        ("*/*", 0.0),  # wildcards say nothing
        ("application/*", 0.0),
        ("application/json;q=0.4, application/json;q=0.9", 0.4),  # the first range naming the type
        ("text/html", 0.0),
    ],
)
def test_only_a_range_naming_the_type_weighs_it(header, expected):
    assert weight(parse_accept(header), "application/json") == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", True),
        ("application/problem+json", True),
        ("text/html, application/json", False),  # a tie goes to the range written first
        ("application/json, text/html", True),
        ("text/html;q=0.5, application/json", True),
        ("application/json;q=0, text/html", False),
        ("*/*", False),
        ("text/html;q=0, */*", False),  # a wildcard never stands in for JSON
        ("application/json;q=-1", False),  # an out-of-range weight refuses
    ],
)
def test_prefers_json_weighs_json_against_html(header, expected):
    assert prefers_json(header) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", True),
        ("application/json, text/html", False),
        ("application/json;q=0", False),
    ],
)
def test_the_catalogue_answers_json_only_when_html_is_not_asked_for(header, expected):
    assert accepts_json_not_html(header) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/problem+json", True),
        ("application/problem+json;q=0.5, application/json", False),
        ("application/problem+json, application/json;q=0.5", True),
        ("application/problem+json;q=0", False),
        ("*/*", False),
    ],
)
def test_problem_details_are_chosen_only_when_named_and_weighed_at_least_as_json(header, expected):
    assert prefers_problem_json(header) is expected


# STYLE "problem": a client asking only for problem details is served, never refused with 406


@pytest.mark.urls("tests.contractapp.urls")
@pytest.mark.parametrize(
    ("method", "url", "status", "content_type"),
    [
        ("get", "/api/contract/profile/", 200, "application/json"),  # a success is not a problem
        ("post", "/api/contract/profile/", 400, "application/problem+json"),
        ("get", "/api/contract/missing/", 404, "application/problem+json"),
    ],
)
@pytest.mark.parametrize("accept", ["application/problem+json", "application/json"])
def test_the_problem_style_answers_a_problem_json_client_with_the_views_own_status(
    db, client, settings, method, url, status, content_type, accept
):
    settings.API_ERRORS = {"STYLE": "problem"}
    response = getattr(client, method)(url, {}, content_type="application/json", HTTP_ACCEPT=accept)
    assert (response.status_code, response["Content-Type"]) == (status, content_type)
    if status >= 400:
        assert response.json()["status"] == status


@pytest.mark.urls("tests.contractapp.urls")
def test_another_style_still_refuses_a_client_accepting_only_problem_json(db, client, settings):
    settings.API_ERRORS = {"STYLE": "awork"}
    response = client.get("/api/contract/profile/", HTTP_ACCEPT="application/problem+json")
    assert response.status_code == 406
