"""Property casing: pure conversions, consistent with djangorestframework-camel-case."""

import pytest
from djangorestframework_camel_case.util import camelize

from django_api_errors.flatten import DataKey
from django_api_errors.styles import convert_key, convert_path

KEYS = ["name", "street_name", "address_line_1", "_private", "already_camelCase", "a__b", "x_1_y", "URL_path"]


@pytest.mark.parametrize("key", KEYS)
def test_camel_case_matches_djangorestframework_camel_case(key):
    assert convert_key(key, "camel") == next(iter(camelize({key: 1})))


@pytest.mark.parametrize(
    ("key", "case", "expected"),
    [
        ("street_name", "as-is", "street_name"),
        ("street_name", "camel", "streetName"),
        ("street_name", "pascal", "StreetName"),
        ("name", "pascal", "Name"),
    ],
)
def test_keys_convert_to_each_case(key, case, expected):
    assert convert_key(key, case) == expected


def test_paths_convert_keys_and_keep_indexes():
    assert convert_path(("line_items", 2, "unit_price"), "pascal") == ("LineItems", 2, "UnitPrice")


# Through the handler: field names are re-cased, the client's own dict keys are not

INVALID_PROFILE = {
    "display_name": "",
    "extra_data": {"snake_key": "x", "CamelKey": "y", "lowerCamel": "z"},
    "tag_map": {"snake_key": ["not", "a", "string"]},
    "addresses_by_label": {"home_sweet": {"street_name": ""}},
    "home_address": {"street_name": ""},
}

EXPECTED_PROPERTIES = {
    "camel": [
        "displayName",
        "extraData.snake_key",
        "extraData.CamelKey",
        "extraData.lowerCamel",
        "tagMap.snake_key",
        "addressesByLabel.home_sweet.streetName",
        "homeAddress.streetName",
    ],
    "pascal": [
        "DisplayName",
        "ExtraData.snake_key",
        "ExtraData.CamelKey",
        "ExtraData.lowerCamel",
        "TagMap.snake_key",
        "AddressesByLabel.home_sweet.StreetName",
        "HomeAddress.StreetName",
    ],
}


@pytest.mark.urls("tests.contractapp.urls")
@pytest.mark.parametrize("case", ["camel", "pascal"])
def test_dict_field_keys_stay_as_the_client_sent_them(db, client, settings, case):
    settings.API_ERRORS = {"PROPERTY_CASE": case}
    response = client.post("/api/contract/profile/", INVALID_PROFILE, content_type="application/json")
    assert response.status_code == 400
    properties = [entry["property"] for entry in response.json()["validationErrors"]]
    assert properties == EXPECTED_PROPERTIES[case]


@pytest.mark.urls("tests.contractapp.urls")
def test_problem_pointers_keep_dict_keys_as_sent(db, client, settings):
    settings.API_ERRORS = {"STYLE": "problem", "PROPERTY_CASE": "camel"}
    response = client.post("/api/contract/profile/", INVALID_PROFILE, content_type="application/json")
    pointers = [entry["pointer"] for entry in response.json()["errors"]]
    assert pointers[1:3] == ["#/extraData/snake_key", "#/extraData/CamelKey"]


def test_a_data_key_is_never_re_cased():
    assert convert_path(("extra_data", DataKey("snake_key"), 0), "pascal") == ("ExtraData", "snake_key", 0)
