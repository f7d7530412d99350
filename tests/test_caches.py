"""The cache registry: every cache bounded, and all emptied together when a setting they read changes."""

from django.test import override_settings

from django_api_errors.caches import BoundedCache, cached


def test_a_bounded_cache_never_holds_more_than_its_entries():
    cache = BoundedCache(3)

    sizes = []
    for key in range(10):
        cache.put(key, key)
        sizes.append(len(cache))

    assert (max(sizes), cache[9]) == (3, 9)


def test_every_cache_is_emptied_when_a_setting_it_may_read_changes():
    calls = []
    cache = BoundedCache(8)
    remembered = cached(8)(lambda key: calls.append(key) or key)
    cache.put("host", "link")
    remembered("slug")

    with override_settings(ROOT_URLCONF="tests.urls"):
        remembered("slug")

        assert (cache, calls) == ({}, ["slug", "slug"])


def test_a_setting_no_cache_reads_keeps_them():
    cache = BoundedCache(8)
    cache.put("host", "link")

    with override_settings(TIME_ZONE="Europe/Berlin"):
        assert cache == {"host": "link"}
