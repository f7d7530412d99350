"""Paths built from a client's keys are capped: each key, the number of segments and the whole path;
so is each message, which may quote the value the client sent."""

from __future__ import annotations

from rest_framework import serializers

from django_api_errors.flatten import (
    ELIDED,
    MAX_KEY_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_PATH_LENGTH,
    MAX_PATH_SEGMENTS,
    dotted_path,
    flatten_errors,
)


def nested_under(keys: list, message: str = "Bad.") -> dict:
    """An error structure holding ``message`` under ``keys``, outermost first."""
    detail: object = [message]
    for key in reversed(keys):
        detail = {key: detail}
    return detail


def test_a_key_is_kept_up_to_the_cap():
    key = "k" * MAX_KEY_LENGTH

    assert flatten_errors(nested_under([key]))[0].path == (key,)


def test_a_longer_key_keeps_its_start_and_ends_elided():
    (error,) = flatten_errors(nested_under(["k" * 2_000_000]))

    assert error.path == ("k" * MAX_KEY_LENGTH + ELIDED,)


def test_a_key_of_dots_is_cut_before_it_is_escaped():
    (error,) = flatten_errors(nested_under(["." * 2_400_000]))

    assert dotted_path(error.path) == "\\." * MAX_KEY_LENGTH + ELIDED


def test_a_path_deeper_than_the_cap_ends_elided():
    (error,) = flatten_errors(nested_under([f"k{i}" for i in range(100)]))

    assert error.path == (*(f"k{i}" for i in range(MAX_PATH_SEGMENTS)), ELIDED)


def test_list_indexes_count_as_segments():
    detail: object = ["Bad."]
    for _ in range(100):
        detail = [{"a": detail}]

    (error,) = flatten_errors({"items": detail})

    assert len(error.path) == MAX_PATH_SEGMENTS + 1
    assert error.path[-1] == ELIDED


def test_the_keys_of_a_path_are_capped_in_all():
    keys = ["k" * MAX_KEY_LENGTH] * 10

    (error,) = flatten_errors(nested_under(keys))

    assert sum(len(segment) for segment in error.path) <= MAX_PATH_LENGTH + 2 * len(ELIDED)
    assert error.path[:5] == tuple(keys[:5])
    assert error.path[-1].endswith(ELIDED)


def test_errors_under_a_capped_path_are_all_kept():
    detail = nested_under(["x" * 5000])
    detail["x" * 5000] = {"a": ["One."], "b": ["Two."]}

    assert [error.message for error in flatten_errors(detail)] == ["One.", "Two."]


def test_a_message_is_kept_up_to_the_cap():
    message = "m" * MAX_MESSAGE_LENGTH

    assert flatten_errors({"name": [message]})[0].message == message


def test_a_message_quoting_a_huge_value_keeps_its_start_and_ends_elided():
    class Paint(serializers.Serializer):
        color = serializers.ChoiceField(choices=["red", "blue"])

    paint = Paint(data={"color": "x" * 100_000})  # DRF's message: '"xxx…" is not a valid choice.'
    assert not paint.is_valid()

    (error,) = flatten_errors(paint.errors)
    assert error.message == '"' + "x" * (MAX_MESSAGE_LENGTH - 1) + ELIDED
    assert error.code == "invalid_choice"
