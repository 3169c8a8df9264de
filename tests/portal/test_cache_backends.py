"""The Redis cache backend keeps one client per connection pool (issue 10)."""

import pytest

from portal.cache_backends import ReusedClientRedisCache

REDIS = "redis://127.0.0.1:6379/14"  # not the suite's database: nothing here touches its keys


@pytest.fixture
def redis_cache():
    cache = ReusedClientRedisCache(REDIS, {"KEY_PREFIX": "test-cache-backends"})
    try:
        cache.get_many(["probe"])
    except Exception as error:  # the suite's machines all run Redis; say so plainly if one does not
        pytest.fail(f"Redis at {REDIS} is needed for this test: {error}")
    yield cache
    cache.delete_many(["page", "generation"])


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("another key") is client


def test_it_stores_and_reads_like_djangos_redis_cache(redis_cache):
    redis_cache.set("page", (1, b"<html>", [("Content-Type", "text/html")], '"etag"'), 30)
    redis_cache.set("generation", 7, None)
    assert redis_cache.get_many(["generation", "page", "missing"]) == {
        "generation": 7,
        "page": (1, b"<html>", [("Content-Type", "text/html")], '"etag"'),
    }
    assert redis_cache.add("generation", 8) is False
    redis_cache.delete("page")
    assert redis_cache.get("page") is None
