"""The built-in catalogue and the registry of code enums."""

import re

import pytest
from django.utils import translation

from django_api_errors import codes
from django_api_errors.codes import BaseErrorCode, ErrorCode, code_for_status

AWORK_CODES = {
    "workspaceid-missing", "not-found", "entity-archived", "duplication-violation",
    "database-commit", "concurrency-violation", "date-dependency", "date-out-of-range",
    "value-out-of-range", "invalid-operation", "invalid-model", "validation-failed",
    "server-error", "already-exist-error", "invalid-filter-or-order",
    "illegal-property-transition", "unauthorized", "invalid-batch-operation",
    "deactivated-user", "request-body-too-large", "insufficient-subscription-level",
    "insufficient-seats",
}  # fmt: skip


def test_every_awork_code_is_built_in():
    assert AWORK_CODES <= {code.value for code in ErrorCode}
    assert len(AWORK_CODES) == 22


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("insufficient-subscription-level", 402),
        ("request-body-too-large", 413),
        ("not-found", 404),
        ("server-error", 500),
        ("database-commit", 500),
        ("validation-failed", 400),
        ("not-authenticated", 401),
        ("method-not-allowed", 405),
        ("too-many-requests", 429),
        ("unavailable-for-legal-reasons", 451),
    ],
)
def test_codes_answer_with_their_documented_status(slug, status):
    assert ErrorCode(slug).status == status


def test_every_built_in_code_is_kebab_case_with_an_error_status_and_description():
    for code in ErrorCode:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code.value)
        assert 400 <= code.status <= 599
        assert str(code.description).endswith(".")


def test_descriptions_are_lazy_translations():
    with translation.override("en"):
        assert str(ErrorCode.NOT_FOUND.description) == "The requested resource does not exist."


def test_members_compare_equal_to_their_slug():
    assert ErrorCode.VALIDATION_FAILED == "validation-failed"
    assert ErrorCode.VALIDATION_FAILED.slug == "validation-failed"
    assert str(ErrorCode.VALIDATION_FAILED) == "validation-failed"


def test_a_projects_enum_registers_itself_and_is_found_by_slug():
    class Extra(BaseErrorCode):
        SOLD_OUT = "sold-out-test", 409, "Sold out."

    try:
        assert Extra in codes.code_enums()
        assert codes.lookup("sold-out-test") is Extra.SOLD_OUT
    finally:
        codes.unregister(Extra)
    assert codes.lookup("sold-out-test") is None


def test_the_example_projects_codes_are_discovered_at_start_up():
    assert codes.lookup("out-of-stock").status == 409


@pytest.mark.parametrize(
    ("status", "slug"),
    [
        (400, "bad-request"),
        (401, "not-authenticated"),
        (402, "insufficient-subscription-level"),
        (403, "unauthorized"),
        (404, "not-found"),
        (405, "method-not-allowed"),
        (406, "not-acceptable"),
        (409, "concurrency-violation"),
        (413, "request-body-too-large"),
        (415, "unsupported-media-type"),
        (418, "bad-request"),
        (429, "too-many-requests"),
        (451, "unavailable-for-legal-reasons"),
        (500, "server-error"),
        (502, "server-error"),
        (503, "service-unavailable"),
    ],
)
def test_bare_statuses_map_to_a_fitting_code(status, slug):
    assert code_for_status(status).value == slug
