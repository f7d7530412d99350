"""The contract guard as a pytest plugin: a test fails when its API answers an undocumented error.

Registered through the ``pytest11`` entry point (``-p django_api_errors.pytest_plugin`` without it).
Opt in with the ``error_contract`` fixture: a test's argument, ``usefixtures("error_contract")``, or an
autouse fixture asking for it in a ``conftest.py``. Every error response of the test is checked by
:func:`django_api_errors.guard.check` against its operation's schema; see docs/testing.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

FOUND = pytest.StashKey[list[str]]()


@pytest.fixture
def error_contract(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Check every error response of the test against its operation's schema; the list of findings.

    It adds the guard to ``API_ERRORS["OBSERVERS"]``; a test replacing ``API_ERRORS`` names
    ``django_api_errors.guard.check`` itself to keep it.
    """
    from django.test import override_settings

    from django_api_errors import guard
    from django_api_errors.settings import api_errors_settings, project_settings

    observers = [*api_errors_settings.OBSERVERS, guard.check]
    value = {**project_settings(), "OBSERVERS": observers}
    try:
        # pytest-django's settings: one stack of overrides, undone in order whatever the fixtures' order
        # (an override_settings undone before one made after it would bring the guard back).
        settings = request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        overridden = override_settings(API_ERRORS=value)
    else:
        settings.API_ERRORS = value
        overridden = contextlib.nullcontext()
    with overridden, guard.collecting() as found:
        request.node.stash[FOUND] = found
        yield found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Fail a test that passed but met an undocumented error (each finding named once)."""
    result = yield
    found = item.stash.get(FOUND, None)
    if found:
        pytest.fail("\n".join(dict.fromkeys(found)), pytrace=False)
    return result
