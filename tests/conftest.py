import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api() -> APIClient:
    """A DRF test client; responses go through the whole Django stack."""
    return APIClient()


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
    """Each test starts with the incident writer's breaker closed, and leaves nothing queued behind."""
    from django_api_errors.incident_writer import writer

    writer.forget()
    yield
    writer.flush(timeout=5)
    writer.forget()
