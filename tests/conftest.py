import logging

import pytest
from rest_framework.test import APIClient

# The two tiers (pyproject.toml's `integration` marker): contract tests run in every nox session,
# integration tests once, on the newest session and on PostgreSQL. Modules mark themselves
# (`pytestmark`); these start a server or a project in every test and are marked here too, as is any
# test that uses a fixture serving over real HTTP, wherever it lives.
INTEGRATION_MODULES = {"test_startproject", "test_incidents_gunicorn"}
SERVER_FIXTURES = {"live_server", "gunicorn_server", "gunicorn_port"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the integration tests that do not mark themselves."""
    for item in items:
        if item.path.stem in INTEGRATION_MODULES or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def api() -> APIClient:
    """A DRF test client; responses go through the whole Django stack.

    A 5xx sends ``got_request_exception`` as Django's own 500s do, which makes Django's test client
    re-raise the exception; these tests read the JSON body of the 500 instead.
    """
    return APIClient(raise_request_exception=False)


@pytest.fixture
def client():
    """Django's test client, answering a 5xx with its body rather than re-raising (see ``api``)."""
    from django.test import Client

    return Client(raise_request_exception=False)


@pytest.fixture
def user_api(api, db) -> APIClient:
    """The client, authenticated with the token of a fresh user."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.create_user("ada", password="pw")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_incident_writer():
    """Each test starts with the incident handler's breaker closed, and leaves nothing queued behind."""
    from django_api_errors.incidents.handler import IncidentHandler

    handlers = [h for h in logging.getLogger("django_api_errors").handlers if isinstance(h, IncidentHandler)]
    for handler in handlers:
        handler.reset()
    yield
    for handler in handlers:
        running = handler.writer is not None and handler.writer._thread is not None
        if running or handler.writer is None:  # a writer the test stopped drains nothing: no wait
            handler.flush(timeout=5)
        if running:
            handler.writer.stop()  # its thread ends: it must not take the next test's counts
        handler.reset()
