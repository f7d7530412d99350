"""Fingerprints: what makes two failures the same incident group."""

import importlib.util
import textwrap

import pytest

from django_api_errors.pipeline.fingerprints import Fingerprint, fingerprint, project_frames


def raise_from_the_project():
    raise KeyError("x")


def traceback_of(function):
    try:
        function()
    except Exception as exc:
        return exc.__traceback__
    raise AssertionError("did not raise")


def test_the_frames_are_the_projects_with_module_function_and_line_text():
    frames = project_frames(traceback_of(raise_from_the_project))

    assert frames == (
        ("tests.test_fingerprints", "traceback_of", "function()"),
        ("tests.test_fingerprints", "raise_from_the_project", 'raise KeyError("x")'),
    )
    assert Fingerprint("c", "e", "r", frames).frame == "tests.test_fingerprints:raise_from_the_project"


def test_frames_of_libraries_and_frameworks_are_skipped():
    import json

    from django.utils.dateparse import parse_duration

    # The innermost frames are the standard library's and Django's; the project's caller is kept.
    for failing in (lambda: json.loads("{"), lambda: parse_duration(None)):
        assert Fingerprint("c", "e", "r", project_frames(traceback_of(failing))).frame == (
            "tests.test_fingerprints:<lambda>"
        )


def test_no_traceback_has_no_frame():
    assert project_frames(None) == ()
    assert Fingerprint("c", "e", "r").frame == ""


ORDERS = ("shop.views", "create", "order = orders[key]")


@pytest.mark.parametrize(
    "other",
    [
        Fingerprint("database-commit", "builtins.KeyError", "orders/", (ORDERS,)),
        Fingerprint("server-error", "builtins.ValueError", "orders/", (ORDERS,)),
        Fingerprint("server-error", "builtins.KeyError", "orders/<int:pk>/", (ORDERS,)),
        Fingerprint("server-error", "builtins.KeyError", "orders/", (("shop.views", "update", ORDERS[2]),)),
        Fingerprint(
            "server-error", "builtins.KeyError", "orders/", (("shop.views", "create", "orders[pk]"),)
        ),
        Fingerprint("server-error", "builtins.KeyError", "orders/", (("shop.api", *ORDERS[1:]),)),
    ],
    ids=["code", "exception type", "route", "function", "line text", "module"],
)
def test_each_part_tells_groups_apart(other):
    one = Fingerprint("server-error", "builtins.KeyError", "orders/", (ORDERS,))

    assert one.digest != other.digest
    assert one.digest == Fingerprint(*vars(one).values()).digest
    assert len(one.digest) == 40


def test_two_failures_of_one_bug_share_a_fingerprint():
    first = fingerprint("server-error", "builtins.KeyError", "x/", traceback_of(raise_from_the_project))
    second = fingerprint("server-error", "builtins.KeyError", "x/", traceback_of(raise_from_the_project))

    assert first == second


MODULE = """
def helper(orders):
    return orders["missing"]


def create(orders):
    total = 0
    return helper(orders) + total


def update(orders):
    return helper(orders)
"""


def failure_in(tmp_path, name, source, function):
    """The fingerprint of ``function`` failing in a module ``shop_views`` loaded from ``source``."""
    path = tmp_path / name / "shop_views.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location("shop_views", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tb = traceback_of(lambda: getattr(module, function)({}))
    return fingerprint("server-error", "builtins.KeyError", "orders/", tb)


def test_editing_other_lines_of_the_module_keeps_the_group(tmp_path):
    # The next release: a docstring and an import above, another line reformatted: every line moved.
    edited = '"""Orders."""\n\nimport json\n\n' + MODULE.replace("    total = 0", "    total  =  0   ")

    before = failure_in(tmp_path, "v1", MODULE, "create")
    after = failure_in(tmp_path, "v2", edited, "create")

    assert after.digest == before.digest
    assert after.frame == before.frame == "shop_views:helper"


def test_one_helper_failing_for_two_functions_is_two_groups(tmp_path):
    assert (
        failure_in(tmp_path, "a", MODULE, "create").digest
        != failure_in(tmp_path, "b", MODULE, "update").digest
    )
