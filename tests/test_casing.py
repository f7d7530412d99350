"""Property casing: pure conversions, consistent with djangorestframework-camel-case."""

import pytest
from djangorestframework_camel_case.util import camelize

from django_api_errors.casing import convert_key, convert_path

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
