"""The real client address behind proxies, and limits that hold across processes."""

import multiprocessing

import pytest
from django.test import RequestFactory

from portal import net, ratelimit


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ()
    assert net.client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_trusted_proxy_the_right_most_untrusted_address_counts(settings):
    settings.TRUSTED_PROXIES = ("127.0.0.1", "10.0.0.0/8")
    # The client wrote "1.1.1.1" itself; nginx appended the address it saw.
    assert net.client_ip(_request("127.0.0.1", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    # Two proxies: the gateway 10.0.0.5 forwarded to nginx.
    assert net.client_ip(_request("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"


def test_a_request_not_from_a_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    assert net.client_ip(_request("198.51.100.8", "127.0.0.1, 5.5.5.5")) == "198.51.100.8"


def test_garbage_in_the_header_stops_the_walk(settings):
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    assert net.client_ip(_request("127.0.0.1", "198.51.100.1, not-an-ip")) == "127.0.0.1"
    assert net.client_ip(_request("127.0.0.1", "")) == "127.0.0.1"


def test_ipv6_and_ports():
    assert net.client_ip(_request("::1")) == "::1"
    assert net.parse_proxies(" 127.0.0.1 , ::1,10.0.0.0/8,") == ("127.0.0.1", "::1", "10.0.0.0/8")
    with pytest.raises(ValueError, match="not-an-ip"):
        net.parse_proxies("127.0.0.1,not-an-ip")


@pytest.mark.django_db
def test_limit_refuses_after_allowance_and_says_when():
    for n in range(3):
        assert ratelimit.hit("t", "1.2.3.4", limit=3, window=3600).allowed
    refused = ratelimit.hit("t", "1.2.3.4", limit=3, window=3600)
    assert not refused.allowed and 0 < refused.retry_after <= 3600
    assert ratelimit.hit("t", "5.6.7.8", limit=3, window=3600).allowed  # another address
    assert not ratelimit.peek("t", "1.2.3.4", limit=3, window=3600).allowed
    ratelimit.reset("t", "1.2.3.4", limit=3, window=3600)
    assert ratelimit.peek("t", "1.2.3.4", limit=3, window=3600).allowed


@pytest.mark.django_db
def test_429_page_is_chinese_with_retry_after(rf):
    response = ratelimit.too_many_requests(rf.get("/"), 125)
    assert response.status_code == 429
    assert response["Retry-After"] == "125"
    assert "3 分钟后再试" in response.content.decode()


def _claim(args):
    from portal import ratelimit as rl

    return sum(rl.hit("burst", "9.9.9.9", limit=5, window=3600).allowed for _ in range(args))


@pytest.mark.django_db(transaction=True)
def test_limit_holds_across_processes(settings):
    """Four processes hammering one address share five slots, not five each."""
    from django.conf import settings as live
    from django.core.cache import caches

    if (
        "redis" not in live.CACHES["default"]["BACKEND"].lower()
        and live.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        and ":memory:" in str(live.DATABASES["default"].get("TEST", {}).get("NAME") or ":memory:")
    ):
        pytest.skip("an in-memory SQLite test database is not shared between processes")
    from django.db import connections

    prefix = caches["default"].key_prefix
    connections.close_all()  # children open their own connections, never share the parent's socket
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4, initializer=_set_prefix, initargs=(prefix,)) as pool:
        allowed = sum(pool.map(_claim, [4, 4, 4, 4]))
    assert allowed == 5


def _set_prefix(prefix):
    from django.core.cache import caches

    caches["default"].key_prefix = prefix
