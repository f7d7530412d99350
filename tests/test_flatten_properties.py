"""Properties of the flattener over any error structure DRF can produce (hypothesis).

Every message of the input appears exactly once in the flat list, with a path from which its place in
the input is recovered: ``parse_path(dotted_path(path))`` gives the path back, and walking the input
along it reaches the dict or list that holds the message. The cap keeps a prefix and counts the rest.
"""

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ErrorDetail, ValidationError

from django_api_errors.flatten import (
    count_messages,
    dotted_path,
    flatten_errors,
    flatten_errors_capped,
    parse_path,
)

NON_FIELD_KEYS = ("non_field_errors", "__all__")

# Keys mix plain names, the characters the rendering escapes, digits (a string "1" is not the index 1),
# and the empty key; integer keys are how DRF reports items of ListField and ListSerializer.
key_text = st.text(alphabet=st.sampled_from("ab1_.[]\\ é\x00"), max_size=6).filter(
    lambda key: key not in NON_FIELD_KEYS
)
keys = st.one_of(key_text, st.integers(min_value=0, max_value=10_000))

CODES = ["required", "invalid", "max_length", "blank"]
message_text = st.text(max_size=12)
details = st.builds(ErrorDetail, message_text, st.sampled_from(CODES))
messages = st.one_of(message_text, details)
error_lists = st.lists(messages, max_size=3)


def with_non_field_errors(fields: st.SearchStrategy) -> st.SearchStrategy:
    """A serializer's errors: its fields' errors, sometimes with its own non-field errors."""
    return st.tuples(fields, st.sampled_from((None, *NON_FIELD_KEYS)), error_lists).map(
        lambda parts: parts[0] if parts[1] is None else {**parts[0], parts[1]: parts[2]}
    )


structures = st.recursive(
    error_lists,
    lambda children: st.one_of(
        with_non_field_errors(st.dictionaries(keys, children, max_size=4)),
        st.lists(st.dictionaries(keys, children, max_size=3), max_size=3),  # many=True
        st.lists(children, max_size=3),  # ListField of ListField
    ),
    max_leaves=25,
)
paths = st.lists(st.one_of(st.text(max_size=5), st.integers(min_value=0), keys), max_size=6).map(tuple)


def all_messages(detail: Any) -> Counter:
    """Every string in the input, wherever it is: what the flat list must hold, once each."""
    if isinstance(detail, str):
        return Counter([str(detail)])
    values = detail.values() if isinstance(detail, dict) else detail
    return sum((all_messages(value) for value in values), Counter())


def held_at(detail: Any, path: tuple) -> Counter:
    """The messages the node at ``path`` holds itself: its strings and its non-field errors."""
    node = detail
    for segment in path:
        node = node[segment]
    if isinstance(node, str):
        return Counter([str(node)])
    if isinstance(node, dict):
        own = [message for key in NON_FIELD_KEYS for message in node.get(key, [])]
    else:
        own = [item for item in node if isinstance(item, str)]
    return Counter(str(message) for message in own)


def assert_every_message_once_at_its_place(detail: Any) -> None:
    flat = flatten_errors(detail)
    by_place = Counter((dotted_path(error.path), error.message) for error in flat)
    for (rendered, message), count in by_place.items():
        assert held_at(detail, parse_path(rendered))[message] == count
    assert Counter(error.message for error in flat) == all_messages(detail)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(structures)
def test_every_message_appears_once_with_a_path_back_to_its_place(detail):
    assert_every_message_once_at_its_place(detail)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(structures)
def test_drf_validation_error_details_flatten_the_same_way(detail):
    normalised = ValidationError(detail).detail

    assert_every_message_once_at_its_place(normalised)
    assert [error.message for error in flatten_errors(normalised)] == [
        error.message for error in flatten_errors(detail)
    ]


@settings(max_examples=50, deadline=None, derandomize=True)
@given(structures)
def test_codes_are_kept_and_default_to_invalid(detail):
    for error in flatten_errors(ValidationError(detail).detail):
        assert error.code in CODES


@settings(max_examples=125, deadline=None, derandomize=True)
@given(paths)
def test_rendered_paths_parse_back_to_the_same_path(path):
    assert parse_path(dotted_path(path)) == path


@settings(max_examples=75, deadline=None, derandomize=True)
@given(paths, paths)
def test_different_paths_never_render_alike(first, second):
    if first != second:
        assert dotted_path(first) != dotted_path(second)


@settings(max_examples=75, deadline=None, derandomize=True)
@given(structures, st.integers(min_value=0, max_value=30))
def test_the_cap_keeps_the_first_errors_and_counts_the_rest(detail, limit):
    everything = flatten_errors(detail)

    kept, omitted = flatten_errors_capped(detail, limit)

    assert kept == everything[:limit]
    assert omitted == len(everything) - len(kept)
    assert count_messages(detail) == len(everything)


PATH_CASES = [
    ((), None),
    (("name",), "name"),
    (("items", 1, "name"), "items[1].name"),
    ((1,), "[1]"),
    (("1",), "1"),
    (("tags", "1"), "tags.1"),
    (("a.b",), "a\\.b"),
    (("a", "b"), "a.b"),
    (("k[0]",), "k\\[0\\]"),
    (("back\\slash",), "back\\\\slash"),
    (("",), "."),
    (("", 0), ".[0]"),
    (("meta", ""), "meta."),
]


def test_path_rendering_table():
    for path, rendered in PATH_CASES:
        assert dotted_path(path) == rendered
        assert parse_path(rendered) == path


def test_a_string_dotted_path_never_renders_is_rejected():
    for rendered in ("a[", "a]", "[x]", "a\\", "a\\b", "[1]x"):
        try:
            parse_path(rendered)
        except ValueError:
            continue
        raise AssertionError(f"{rendered!r} parsed")
