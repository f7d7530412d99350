"""Fingerprints: what makes two failures the same incident group."""

import pytest

from django_api_errors.fingerprints import Fingerprint, fingerprint, project_frame


def raise_from_the_project():
    raise KeyError("x")


def traceback_of(function):
    try:
        function()
    except Exception as exc:
        return exc.__traceback__
    raise AssertionError("did not raise")


def test_the_frame_is_the_innermost_of_the_projects_code():
    frame = project_frame(traceback_of(raise_from_the_project))

    assert frame.startswith("tests.test_fingerprints:raise_from_the_project:")


def test_frames_of_libraries_and_frameworks_are_skipped():
    import json

    from django.utils.dateparse import parse_duration

    # The innermost frames are the standard library's and Django's; the project's caller is kept.
    assert project_frame(traceback_of(lambda: json.loads("{"))).startswith(
        "tests.test_fingerprints:<lambda>:"
    )
    assert project_frame(traceback_of(lambda: parse_duration(None))).startswith(
        "tests.test_fingerprints:<lambda>:"
    )


def test_no_traceback_has_no_frame():
    assert project_frame(None) == ""


@pytest.mark.parametrize(
    "other",
    [
        Fingerprint("database-commit", "builtins.KeyError", "orders/", "shop.views:create:10"),
        Fingerprint("server-error", "builtins.ValueError", "orders/", "shop.views:create:10"),
        Fingerprint("server-error", "builtins.KeyError", "orders/<int:pk>/", "shop.views:create:10"),
        Fingerprint("server-error", "builtins.KeyError", "orders/", "shop.views:create:11"),
    ],
    ids=["code", "exception type", "route", "frame"],
)
def test_each_part_tells_groups_apart(other):
    one = Fingerprint("server-error", "builtins.KeyError", "orders/", "shop.views:create:10")

    assert one.digest != other.digest
    assert one.digest == Fingerprint(*vars(one).values()).digest
    assert len(one.digest) == 40


def test_two_failures_of_one_bug_share_a_fingerprint():
    first = fingerprint("server-error", "builtins.KeyError", "x/", traceback_of(raise_from_the_project))
    second = fingerprint("server-error", "builtins.KeyError", "x/", traceback_of(raise_from_the_project))

    assert first == second
