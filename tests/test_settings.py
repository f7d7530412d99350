"""The settings object: defaults, project values, the reset on setting_changed, and the kinds of value."""

import pytest
from django.test import override_settings

from django_api_errors.settings import (
    DEFAULTS,
    api_errors_settings,
    is_boolean,
    is_byte_limit,
    is_database_alias,
    is_header_name,
    is_optional_boolean,
    is_optional_positive_integer,
    is_optional_string,
    is_path_prefixes,
    is_positive_integer,
    is_positive_number,
    project_settings,
)


def test_defaults_apply_when_the_setting_is_absent():
    assert api_errors_settings.STYLE == "awork"
    assert api_errors_settings.DOCS_URL is None


def test_override_settings_is_seen_and_undone():
    assert api_errors_settings.DOCS_URL is None
    with override_settings(API_ERRORS={"DOCS_URL": "https://x.test/"}):
        assert api_errors_settings.DOCS_URL == "https://x.test/"
        assert api_errors_settings.STYLE == DEFAULTS["STYLE"]
    assert api_errors_settings.DOCS_URL is None


def test_an_unknown_key_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NOPE"):
        api_errors_settings.NOPE  # noqa: B018


def test_api_errors_that_is_not_a_dict_reads_as_the_defaults(settings):
    settings.API_ERRORS = "problem"

    assert api_errors_settings.STYLE == DEFAULTS["STYLE"]


def test_project_settings_are_an_empty_dict_when_unset(settings):
    del settings.API_ERRORS

    assert project_settings() == {}


def test_project_settings_are_returned_unvalidated(settings):
    settings.API_ERRORS = "not a dict"

    assert project_settings() == "not a dict"


@pytest.mark.parametrize(
    ("kind", "value", "accepted"),
    [
        (is_boolean, True, True),
        (is_boolean, "false", False),
        (is_boolean, 0, False),
        (is_optional_boolean, None, True),
        (is_optional_boolean, "", False),
        (is_positive_integer, 1, True),
        (is_positive_integer, True, False),
        (is_positive_integer, 0, False),
        (is_positive_integer, 1.0, False),
        (is_optional_positive_integer, None, True),
        (is_optional_positive_integer, -1, False),
        (is_byte_limit, 0, True),
        (is_byte_limit, None, True),
        (is_byte_limit, 2_621_440, True),
        (is_byte_limit, False, False),
        (is_byte_limit, -1, False),
        (is_positive_number, 0.001, True),
        (is_positive_number, float("nan"), False),
        (is_positive_number, float("inf"), False),
        (is_positive_number, True, False),
        (is_optional_string, "", True),
        (is_optional_string, b"https://x.test/", False),
        (is_path_prefixes, ["/api/", "/v2/"], True),
        (is_path_prefixes, (), True),
        (is_path_prefixes, "/api/", False),
        (is_path_prefixes, ["api/"], False),
        (is_path_prefixes, {"/api/"}, False),
        (is_header_name, "X-Request-ID", True),
        (is_header_name, "X_Trace.Id", True),
        (is_header_name, "X-Request-ID\n", False),
        (is_header_name, "X Request", False),
        (is_header_name, "", False),
        (is_database_alias, "default", True),
        (is_database_alias, None, True),
        (is_database_alias, "other", False),
    ],
)
def test_each_kind_of_value_accepts_what_its_docstring_says(kind, value, accepted):
    assert kind(value) is accepted
