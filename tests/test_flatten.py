"""Flattening serializer errors: pure functions, tested on real DRF serializers and raw structures."""

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from django_api_errors.flatten import DataKey, FieldError, dotted_path, flatten_errors


class Street(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    number = serializers.IntegerField()


class Address(serializers.Serializer):
    street = Street()
    city = serializers.CharField()

    def validate(self, attrs):
        raise serializers.ValidationError("Address is not deliverable.", code="undeliverable")


class Item(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)


class Order(serializers.Serializer):
    address = Address()
    items = Item(many=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=3))
    grid = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    meta = serializers.DictField(child=serializers.IntegerField())
    note = serializers.CharField(max_length=3, required=False)

    def validate(self, attrs):
        raise serializers.ValidationError("Orders are closed.", code="closed")


def errors_of(serializer_class, data):
    serializer = serializer_class(data=data)
    assert not serializer.is_valid()
    return [(dotted_path(e.path), e.message, e.code) for e in flatten_errors(serializer.errors)]


def test_nested_serializer_errors_have_dotted_paths_three_levels_deep():
    assert errors_of(Address, {"street": {"name": "too long", "number": "x"}, "city": "Oslo"}) == [
        ("street.name", "Ensure this field has no more than 5 characters.", "max_length"),
        ("street.number", "A valid integer is required.", "invalid"),
    ]


def test_missing_fields_report_required():
    assert errors_of(Item, {}) == [
        ("name", "This field is required.", "required"),
        ("quantity", "This field is required.", "required"),
    ]


def test_list_item_errors_have_bracket_paths():
    data = {
        "address": {"street": {"name": "Main", "number": 1}, "city": "Oslo"},
        "items": [{"name": "a", "quantity": 1}, {"name": "", "quantity": 0}],
        "tags": ["ok", "toolong"],
        "grid": [[1], [2, "x"]],
        "meta": {"size": "big"},
    }
    assert errors_of(Order, data) == [
        ("address", "Address is not deliverable.", "undeliverable"),
        ("items[1].name", "This field may not be blank.", "blank"),
        ("items[1].quantity", "Ensure this value is greater than or equal to 1.", "min_value"),
        ("tags[1]", "Ensure this field has no more than 3 characters.", "max_length"),
        ("grid[1][1]", "A valid integer is required.", "invalid"),
        ("meta.size", "A valid integer is required.", "invalid"),
    ]


def test_top_level_non_field_errors_have_no_property():
    data = {
        "address": {"street": {"name": "Main", "number": 1}, "city": "Oslo"},
        "items": [],
        "tags": [],
        "grid": [],
        "meta": {},
    }
    serializer = Order(data=data)
    serializer.fields["address"].validate = lambda attrs: attrs
    assert not serializer.is_valid()
    assert flatten_errors(serializer.errors) == [FieldError((), "Orders are closed.", "closed")]


def test_every_message_of_a_field_is_its_own_entry_in_input_order():
    detail = {
        "b": [ErrorDetail("first", "one"), ErrorDetail("second", "two")],
        "a": [ErrorDetail("third", "three")],
    }
    assert flatten_errors(detail) == [
        FieldError(("b",), "first", "one"),
        FieldError(("b",), "second", "two"),
        FieldError(("a",), "third", "three"),
    ]


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ([[ErrorDetail("x", "c")], [ErrorDetail("y", "c")]], [((0,), "x"), ((1,), "y")]),
        ({"rows": [[], [[ErrorDetail("deep", "c")]]]}, [(("rows", 1, 0), "deep")]),
        ({"rows": {2: {0: [ErrorDetail("int keys", "c")]}}}, [(("rows", 2, 0), "int keys")]),
        ({"name": "plain string"}, [(("name",), "plain string")]),
        ({"name": []}, []),
        ({}, []),
        ("just a message", [((), "just a message")]),
    ],
)
def test_raw_structures_flatten_by_their_shape(detail, expected):
    assert [(e.path, e.message) for e in flatten_errors(detail)] == expected


def test_plain_strings_get_the_invalid_code():
    assert flatten_errors({"name": ["No code here."]})[0].code == "invalid"


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ((), None),
        (("name",), "name"),
        (("items", 1, "name"), "items[1].name"),
        ((0, "name"), "[0].name"),
        (("grid", 1, 0), "grid[1][0]"),
        (("a.b", "c[0]"), "a\\.b.c\\[0\\]"),
        (("back\\slash",), "back\\\\slash"),
    ],
)
def test_dotted_path_renders_and_escapes(path, rendered):
    assert dotted_path(path) == rendered


class Labelled(serializers.Serializer):
    label_map = serializers.DictField(child=Street())
    scores = serializers.ListField(child=serializers.DictField(child=serializers.IntegerField()))


def data_keys(errors):
    return [[type(segment) is DataKey for segment in error.path] for error in errors]


@pytest.fixture
def camel(settings):
    settings.API_ERRORS = {"PROPERTY_CASE": "camel"}


@pytest.mark.usefixtures("camel")
def test_dict_field_keys_are_marked_as_the_clients_data():
    serializer = Labelled(data={"label_map": {"home_key": {"name": "too long"}}, "scores": [{"a_b": "x"}]})
    assert not serializer.is_valid()
    errors = flatten_errors(serializer.errors)
    assert [error.path for error in errors] == [
        ("label_map", "home_key", "name"),
        ("label_map", "home_key", "number"),
        ("scores", 0, "a_b"),
    ]
    assert data_keys(errors) == [[False, True, False], [False, True, False], [False, False, True]]


@pytest.mark.usefixtures("camel")
def test_items_of_a_many_serializer_are_walked_too():
    data = [{"label_map": {"k_1": {"name": "too long", "number": 1}}, "scores": "no"}]
    serializer = Labelled(data=data, many=True)
    assert not serializer.is_valid()
    assert data_keys(flatten_errors(serializer.errors)) == [[False, False, True, False], [False, False]]


@pytest.mark.usefixtures("camel")
def test_without_its_serializer_a_structure_marks_nothing():
    # A plain dict (raised by hand) does not say which keys are data: every key is a field name.
    errors = flatten_errors({"label_map": {"home_key": ["Invalid."]}})
    assert data_keys(errors) == [[False, False]]
