"""gunicorn with several workers, for real: the embedded SQLite under simultaneous applications,
and PostgreSQL connections that die under a running server.

Each test starts gunicorn on a loopback port in a subprocess and talks to it over HTTP.
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.requests_app.conftest import applicant

from ..requests_app.test_public import solve
from .test_deployment import ROOT, clean_env, free_port


@contextlib.contextmanager
def gunicorn(env, workers):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail("gunicorn did not start: " + server.stdout.read().decode(errors="replace"))
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


class Browser:
    """One citizen: its own cookies, a real HTTP client."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")


def manage(env, *args, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (args, result.stderr[-3000:])
    return result.stdout


CREATE_ORG = (
    "from portal import codes; from portal.models import Organization, OrganizationKind;"
    "o = Organization.objects.create(name='测试县人民政府', short_name='测试县', kind=OrganizationKind.GOVERNMENT,"
    " code=codes.make_uscc('11990199' + codes.make_org_code('T0000001'))); print(o.pk)"
)


def test_twenty_simultaneous_applications_against_three_workers_on_sqlite(tmp_path):
    """The embedded default (a SQLite file) under 3 gunicorn workers: every application is recorded."""
    env = clean_env(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="concurrency-test-secret-key-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="portal.settings_test",
        REQUESTS_FORM_MIN_SECONDS="0",
        REQUESTS_RATE_LIMITS="apply=100,failure=100",
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    org = manage(env, "shell", "-c", CREATE_ORG).strip().splitlines()[-1]
    database = tmp_path / "var" / "portal.sqlite3"

    with gunicorn(env, workers=3) as (base, _server):
        citizens = []
        for _ in range(20):
            browser = Browser(base)
            status, page = browser.request("/ysqgk/")
            assert status == 200, page[:500]
            data = applicant()
            data.update(
                organization=org,
                website="",
                consent="on",
                answer=solve(page),
                token=re.search(r'name="token" value="([^"]+)"', page).group(1),
                csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
            )
            citizens.append((browser, data))

        start = threading.Barrier(len(citizens))
        answers = [None] * len(citizens)

        def submit(n):
            browser, data = citizens[n]
            start.wait()
            answers[n] = browser.request("/ysqgk/", data)

        threads = [threading.Thread(target=submit, args=(n,)) for n in range(len(citizens))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)

    statuses = [status for status, _body in answers]
    assert statuses == [200] * 20, [(s, b[:300]) for s, b in answers if s != 200]
    numbers = [re.search(r'id="tracking-number">([^<]+)<', body).group(1) for _status, body in answers]
    assert all(re.search(r'id="query-code">[^<]+<', body) for _status, body in answers)
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT tracking_number FROM requests_app_request").fetchall()
    assert sorted(number for (number,) in rows) == sorted(numbers) and len(set(numbers)) == 20


@pytest.mark.django_db(transaction=True)
def test_killed_postgresql_connections_cost_no_request_a_500(tmp_path):
    """pg_terminate_backend under a running server: the next request reconnects (CONN_HEALTH_CHECKS)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    s = connection.settings_dict
    url = "postgres://{}:{}@{}:{}/{}".format(
        urllib.parse.quote(s["USER"] or ""),
        urllib.parse.quote(s["PASSWORD"] or ""),
        s["HOST"] or "127.0.0.1",
        s["PORT"] or 5432,
        s["NAME"],
    )
    env = clean_env(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="pg-fault-test-secret-key-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="portal.settings_test",
        DATABASE_URL=url,
    )
    if os.environ.get("REDIS_URL"):  # the same cache as this test database was migrated for
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    with gunicorn(env, workers=1) as (base, _server):
        browser = Browser(base)
        assert browser.request("/ysqgk/status/")[0] == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1  # the worker's persistent connection
        for path in ("/ysqgk/status/", "/zwgk/", "/readyz"):
            status, body = browser.request(path)
            assert status == 200, (path, status, body[:500])
