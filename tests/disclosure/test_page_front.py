"""The page cache's front door (portal/pagefront.py): stored pages answered before Django runs.

Requests are made as gunicorn makes them, through the WSGI application that
``portal/wsgi.py`` serves, not through Django's test client.
"""

import io
import logging
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from portal import pagecache, pagefront


class Server:
    """Calls a WSGI application the way gunicorn does and records what Django itself answered."""

    def __init__(self):
        self.django = get_wsgi_application()
        self.django_calls = 0
        self.front = pagefront.wrap(self._django)

    def _django(self, environ, start_response):
        self.django_calls += 1
        return self.django(environ, start_response)

    def get(self, path, method="GET", **headers):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.9",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            **{"HTTP_" + name.upper(): value for name, value in headers.items()},
        }
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        # As Django's test client does: the test's database connection must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.front(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return answer["status"], answer["headers"], body.decode()


@pytest.fixture
def server(db, settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_FRONT_SECONDS = 1
    return Server()


def test_a_stored_page_is_answered_in_front_of_django_with_the_same_headers(server, county, publish_item, caplog):
    publish_item(title="门前缓存的信息")
    status, first_headers, first = server.get("/zwgk/xxgk/")
    assert status == 200 and "门前缓存的信息" in first and server.django_calls == 1
    with caplog.at_level(logging.INFO, logger="portal.access"):
        status, headers, again = server.get("/zwgk/xxgk/")
    assert status == 200 and again == first
    assert server.django_calls == 1, "the second request reached Django"
    for name in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "ETag",
        "Last-Modified",
        "Cache-Control",
    ):
        assert headers.get(name) == first_headers.get(name), name
    assert "Set-Cookie" not in headers
    assert [r for r in caplog.records if "127.0.0.9 GET /zwgk/xxgk/ 200" in r.getMessage()], "no access-log line"


def test_revalidation_answers_304(server, county, publish_item):
    publish_item()
    _status, headers, _body = server.get("/zwgk/xxgk/")
    status, _headers, body = server.get("/zwgk/xxgk/", if_none_match=headers["ETag"])
    assert status == 304 and body == "" and server.django_calls == 1


def test_visitors_with_a_session_other_methods_and_other_hosts_go_to_django(server, county, publish_item):
    publish_item()
    server.get("/zwgk/xxgk/")
    calls = server.django_calls
    server.get("/zwgk/xxgk/", cookie="sessionid=abc")
    server.get("/zwgk/xxgk/", method="POST")
    server.get("/zwgk/xxgk/", host="other.example")  # another host's page was never stored
    assert server.django_calls == calls + 3


@pytest.mark.parametrize("visits", [1, 3])
def test_a_publication_through_this_server_shows_at_once(server, county, publish_item, visits):
    publish_item(title="较早的信息")
    for _ in range(visits):  # three: the third was a prepared answer
        server.get("/zwgk/xxgk/")
    publish_item(title="刚刚公开的信息")
    _status, _headers, body = server.get("/zwgk/xxgk/")
    assert "刚刚公开的信息" in body


def test_a_repeated_request_gets_the_same_answer_and_its_own_log_line(server, county, publish_item, caplog):
    publish_item(title="重复访问的信息")
    server.get("/zwgk/xxgk/")
    answers = [server.get("/zwgk/xxgk/") for _ in range(2)]  # the second is the prepared answer
    assert answers[0] == answers[1] and "重复访问的信息" in answers[1][2]
    assert server.django_calls == 1
    with caplog.at_level(logging.INFO, logger="portal.access"):
        server.get("/zwgk/xxgk/", x_forwarded_for="203.0.113.5")
    assert [r for r in caplog.records if "127.0.0.9 GET /zwgk/xxgk/ 200" in r.getMessage()], "no access-log line"


def test_a_prepared_answer_is_not_given_to_another_language_host_or_revalidation(
    server, county, publish_item, settings
):
    publish_item()
    for _ in range(3):
        _status, headers, chinese = server.get("/zwgk/xxgk/")
    assert 'lang="zh-hans"' in chinese
    _status, english_headers, english = server.get("/zwgk/xxgk/", cookie=f"{settings.LANGUAGE_COOKIE_NAME}=en")
    assert 'lang="en"' in english and english_headers["Content-Language"] == "en"
    status, _headers, body = server.get("/zwgk/xxgk/", if_none_match=headers["ETag"])
    assert status == 304 and body == ""
    calls = server.django_calls
    server.get("/zwgk/xxgk/", host="other.example")  # never stored for that host
    assert server.django_calls == calls + 1


def test_a_publication_through_another_server_shows_within_a_second(server, county, publish_item, monkeypatch):
    publish_item(title="较早的信息")
    server.get("/zwgk/xxgk/")
    server.get("/zwgk/xxgk/")  # now remembered in this process
    # Another server publishes: its rows are in the shared database and it bumps the shared
    # generation; this process has not bumped anything itself.
    bumps = pagecache._bumps
    publish_item(title="别的服务器刚公开的信息")
    monkeypatch.setattr(pagecache, "_bumps", bumps)
    _status, _headers, body = server.get("/zwgk/xxgk/")
    assert "别的服务器刚公开的信息" not in body  # within PAGE_CACHE_FRONT_SECONDS: the page it read
    later = pagecache.time.monotonic() + 1.5
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    _status, _headers, body = server.get("/zwgk/xxgk/")
    assert "别的服务器刚公开的信息" in body


def test_with_no_front_seconds_every_hit_reads_the_shared_cache(server, county, publish_item, monkeypatch, settings):
    settings.PAGE_CACHE_FRONT_SECONDS = 0
    publish_item(title="较早的信息")
    server.get("/zwgk/xxgk/")
    bumps = pagecache._bumps
    publish_item(title="别的服务器刚公开的信息")
    monkeypatch.setattr(pagecache, "_bumps", bumps)
    _status, _headers, body = server.get("/zwgk/xxgk/")
    assert "别的服务器刚公开的信息" in body


def test_when_the_cache_cannot_be_reached_django_answers(server, county, publish_item, monkeypatch):
    publish_item(title="缓存故障时的信息")
    server.get("/zwgk/xxgk/")

    def unreachable(self, key):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(pagecache.RecentPages, "lookup", unreachable)
    status, _headers, body = server.get("/zwgk/xxgk/")
    assert status == 200 and "缓存故障时的信息" in body and server.django_calls == 2
