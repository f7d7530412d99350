import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api() -> APIClient:
    """A DRF test client; responses go through the whole Django stack."""
    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    from django.core.cache import cache

    cache.clear()
