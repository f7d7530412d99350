"""Errors with a wait: 429 and 503 with Retry-After in whole seconds and the wait in details."""

from datetime import timedelta

import pytest
from django.utils import timezone

from django_api_errors.exceptions import ServiceUnavailable, TooManyRequests, retry_after_seconds

pytestmark = pytest.mark.django_db


def test_a_projects_own_throttle_is_429_with_retry_after_rounded_up(api):
    response = api.get("/own-throttle/")

    assert response.status_code == 429
    assert response["Retry-After"] == "91"
    assert response.json()["code"] == "too-many-requests"
    assert response.json()["details"] == []  # DRF's stock sentence: Retry-After says the wait


def test_service_unavailable_is_503_with_retry_after(api):
    response = api.get("/maintenance/")

    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    assert response.json()["code"] == "service-unavailable"
    assert response.json()["details"] == ["Try again in 600 seconds."]


def test_too_many_requests_keeps_the_views_own_details(api):
    response = api.get("/own-rate-limit/")

    assert response.status_code == 429
    assert response["Retry-After"] == "3"
    assert response.json()["details"] == ["Five exports an hour.", "Try again in 3 seconds."]


def test_without_a_wait_there_is_no_retry_after():
    error = ServiceUnavailable()

    assert (error.status, dict(error.headers), error.details) == (503, {}, ())


def test_one_second_is_singular():
    assert TooManyRequests(retry_after=1).details == ("Try again in 1 second.",)


@pytest.mark.parametrize(
    ("retry_after", "seconds"),
    [(None, None), (0, 0), (2, 2), (2.1, 3), (timedelta(minutes=2), 120), (-5, 0)],
)
def test_waits_are_whole_seconds_rounded_up(retry_after, seconds):
    assert retry_after_seconds(retry_after) == seconds


def test_a_moment_becomes_the_seconds_until_it(monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # a stopped clock: no margin to lose on a slow run

    assert retry_after_seconds(now + timedelta(seconds=59.5)) == 60
