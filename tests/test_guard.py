"""The contract guard: an error an operation answers without documenting it is caught, in tests and
in development; documented, it passes. This module is its own URLconf (``pytest.mark.urls``)."""

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import path
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import AllowAny

from django_api_errors import ApiError, guard
from django_api_errors.codes import ErrorCode
from django_api_errors.openapi import AutoSchema, document_errors

pytestmark = [pytest.mark.urls("tests.test_guard"), pytest.mark.django_db]
WORKTREE = Path(__file__).resolve().parent.parent
GUARD = "django_api_errors.guard.check"


@api_view(["POST"])
@permission_classes([AllowAny])
@schema(AutoSchema())
def upgrade(request):
    """Answers a code its schema does not document: 402 is no status the table finds for it."""
    raise ApiError(ErrorCode.INSUFFICIENT_SUBSCRIPTION_LEVEL)


@document_errors(add=[ErrorCode.INSUFFICIENT_SUBSCRIPTION_LEVEL])
@api_view(["POST"])
@permission_classes([AllowAny])
@schema(AutoSchema())
def documented_upgrade(request):
    """The same failure, documented."""
    raise ApiError(ErrorCode.INSUFFICIENT_SUBSCRIPTION_LEVEL)


@api_view(["POST"])
@permission_classes([AllowAny])
@schema(AutoSchema())
def transition(request):
    """A 400 the operation documents, with a code it does not (only validation and parsing codes)."""
    raise ApiError(ErrorCode.ILLEGAL_PROPERTY_TRANSITION)


@api_view(["GET"])
@permission_classes([AllowAny])
@schema(AutoSchema())
def item(request, pk):
    """A 404 every operation with a path parameter documents."""
    raise ApiError(ErrorCode.NOT_FOUND)


urlpatterns = [
    path("api/upgrade/", upgrade),
    path("api/documented-upgrade/", documented_upgrade),
    path("api/transition/", transition),
    path("api/items/<int:pk>/", item),
]


@pytest.fixture(autouse=True)
def _fresh_guard():
    guard._schemas.clear()
    guard._warned.clear()


@pytest.fixture
def guarded(settings):
    settings.API_ERRORS = {"OBSERVERS": [GUARD]}
    with guard.collecting() as found:
        yield found


def test_an_undocumented_status_is_found_naming_the_operation_the_code_and_the_fix(api, guarded):
    assert api.post("/api/upgrade/").status_code == 402

    (message,) = guarded
    assert message.startswith("POST /api/upgrade/ answered 402 'insufficient-subscription-level'")
    assert '@document_errors(add=["insufficient-subscription-level"])' in message
    assert "CONVERTERS" in message


def test_an_undocumented_code_of_a_documented_status_is_found(api, guarded):
    assert api.post("/api/transition/").status_code == 400

    (message,) = guarded
    assert message.startswith("POST /api/transition/ answered 400 'illegal-property-transition'")


def test_documented_errors_pass(api, guarded):
    assert api.post("/api/documented-upgrade/").status_code == 402
    assert api.get("/api/items/7/").status_code == 404

    assert guarded == []


def test_a_request_no_operation_serves_is_not_checked(api, guarded):
    assert api.get("/api/no-such-thing/").status_code == 404
    assert api.get("/api/upgrade/").status_code == 405  # no GET operation on the path

    assert guarded == []


def test_in_development_each_operation_is_warned_about_once(api, settings, caplog):
    settings.API_ERRORS = {"OBSERVERS": [GUARD]}

    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        for _ in range(3):
            api.post("/api/upgrade/")
        api.post("/api/transition/")

    warnings = [record.getMessage() for record in caplog.records if record.name == "django_api_errors"]
    assert len(warnings) == 2
    assert "POST /api/upgrade/" in warnings[0]
    assert "POST /api/transition/" in warnings[1]


def test_the_guard_is_off_unless_named(api, caplog):
    with caplog.at_level(logging.WARNING, logger="django_api_errors"):
        assert api.post("/api/upgrade/").status_code == 402

    assert guard._schemas == {}  # not even the schema was built
    assert not [record for record in caplog.records if record.name == "django_api_errors"]


INNER_TESTS = """
    import pytest

    pytestmark = [pytest.mark.urls("tests.test_guard"), pytest.mark.django_db]


    @pytest.mark.usefixtures("error_contract")
    def test_undocumented(api):
        assert api.post("/api/upgrade/").status_code == 402


    def test_documented(api, error_contract):
        assert api.post("/api/documented-upgrade/").status_code == 402


    def test_unguarded(api):
        assert api.post("/api/upgrade/").status_code == 402


    def test_a_setting_changed_after_the_guard(settings, error_contract):
        settings.USE_THOUSAND_SEPARATOR = True  # an override made after the guard's, undone after it


    def test_the_guard_is_gone_afterwards(api):
        from django.conf import settings

        assert "OBSERVERS" not in getattr(settings, "API_ERRORS", {})
"""


@pytest.mark.integration  # a pytest session of its own
def test_the_installed_pytest_plugin_fails_the_test_meeting_an_undocumented_code(tmp_path):
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TESTS))
    (tmp_path / "conftest.py").write_text("from tests.conftest import api  # noqa: F401\n")
    # No `-p`: the installed package registers the plugin through its pytest11 entry point.
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--trace-config"]
    command += ["--ds=tests.settings", "--rootdir", str(tmp_path), str(tmp_path)]
    # SQLite in the child: its test database must not clash with this session's PostgreSQL one.
    env = {name: value for name, value in os.environ.items() if name != "API_ERRORS_TEST_DB"}
    env["PYTHONPATH"] = os.pathsep.join([str(WORKTREE), str(WORKTREE / "example_project")])

    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)

    third_party = run.stdout.split("registered third-party plugins:")[1].split("active plugins:")[0]
    assert "django-api-errors-" in third_party, run.stdout + run.stderr
    assert "1 failed, 4 passed" in run.stdout, run.stdout + run.stderr
    assert "FAILED test_inner.py::test_undocumented" in run.stdout
    assert "POST /api/upgrade/ answered 402 'insufficient-subscription-level'" in run.stdout
