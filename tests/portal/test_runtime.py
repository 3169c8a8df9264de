"""Running as a service: health checks, the database-down page, the access log, load_demo's refusal."""

import json
import logging
import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.test import Client

from .test_deployment import ROOT, clean_env, free_port, run_python


def _database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


# --- /healthz and /readyz ------------------------------------------------------------------------


def test_healthz_answers_without_touching_the_database(client):
    """No ``db`` fixture: any query here would fail the test."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


@pytest.fixture
def local_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_FILES_ROOT = tmp_path / "files"
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    return tmp_path


@pytest.mark.django_db
def test_readyz_names_every_check_with_its_time(client, local_files):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache", "storage", "queue"}
    for check in data["checks"].values():
        assert check["status"] in {"ok", "skipped"} and isinstance(check["ms"], float)
    assert data["checks"]["database"]["status"] == data["checks"]["cache"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down_and_says_no_more(client, local_files):
    with connection.execute_wrapper(_database_down):
        response = client.get("/readyz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error" and data["checks"]["database"]["status"] == "error"
    assert "Connection refused" not in response.content.decode()  # the reason is logged, not shown


@pytest.mark.django_db
def test_readyz_checks_the_job_broker_when_one_is_configured(client, local_files, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/5"
    assert client.get("/readyz").json()["checks"]["queue"]["status"] == "ok"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/5"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["queue"]["status"] == "error"


@pytest.mark.django_db
def test_readyz_checks_the_embedded_filesystem_queue(client, local_files, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "q"),
        "data_folder_out": str(tmp_path / "q"),
    }
    assert client.get("/readyz").json()["checks"]["queue"]["status"] == "ok"
    (tmp_path / "file").write_text("x")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "file" / "q")}
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["queue"]["status"] == "error"


@pytest.mark.django_db
def test_readyz_fails_when_the_file_directories_cannot_be_written(client, settings, tmp_path, monkeypatch):
    import portal

    # The local-directory check (the storage layer's own check, when present, is tested with it).
    monkeypatch.setitem(sys.modules, "portal.storage", None)
    monkeypatch.delattr(portal, "storage", raising=False)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_FILES_ROOT = blocker / "files"
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["status"] == "error"
    settings.DISCLOSURE_FILES_ROOT = tmp_path / "files"
    assert client.get("/readyz").json()["checks"]["storage"]["status"] == "ok"


# --- the database is down: 503 with Retry-After on every page ---------------------------------------


def _assert_unavailable(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "服务暂时不可用" in body and "分钟后再试" in body
    assert "Traceback" not in body and "OperationalError" not in body and "Connection refused" not in body


@pytest.mark.django_db
def test_public_and_staff_pages_answer_503_while_the_database_is_down(client, make_org, make_user):
    from portal.models import Role

    org = make_org()
    client.force_login(make_user("officer", org, Role.REQUEST_OFFICER))
    assert client.get("/staff/requests/").status_code == 200
    with connection.execute_wrapper(_database_down):
        for path in ("/", "/zwgk/", "/ysqgk/", "/staff/requests/", "/admin/"):
            _assert_unavailable(client.get(path))
    assert client.get("/staff/requests/").status_code == 200  # and back when it is


@pytest.mark.django_db
def test_a_database_error_outside_the_view_is_a_503_too(monkeypatch, make_org):
    """The session is saved after the view, by middleware: the 500 handler answers 503 for that too."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django.urls import reverse

    from portal.middleware import server_error
    from requests_app import services
    from tests.requests_app.conftest import applicant

    req, code = services.submit_online(organization=make_org(), **applicant())

    def broken_save(self, must_create=False):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", broken_save)
    client = Client(raise_request_exception=False)
    # A right code: the view grants access in the session, which middleware then fails to save.
    response = client.post(reverse("requests_app:lookup"), {"tracking_number": req.tracking_number, "query_code": code})
    _assert_unavailable(response)
    try:
        raise ValueError("a bug, not the database")
    except ValueError:
        assert server_error(RequestFactory().get("/")).status_code == 500


def test_an_unreachable_postgresql_gives_503_pages_quickly_and_a_live_healthz(tmp_path):
    """A real connection to a closed port: no patching, no hang, no traceback."""
    port = free_port()
    code = (
        "import django, json, time; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(); out = {}\n"
        "for path in ('/', '/ysqgk/', '/readyz', '/healthz'):\n"
        "    t = time.monotonic(); r = c.get(path)\n"
        "    out[path] = [r.status_code, r.get('Retry-After'), r.content.decode(), time.monotonic() - t]\n"
        "print(json.dumps(out))\n"
    )
    env = clean_env(
        tmp_path,
        SECRET_KEY="k" * 40,
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/zwgk_nowhere",
    )
    result = run_python(code, env, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    for path in ("/", "/ysqgk/"):
        status, retry_after, body, _seconds = out[path]
        assert status == 503 and int(retry_after) > 0, (path, status, body[:500])
        assert "服务暂时不可用" in body and "Traceback" not in body
    assert out["/readyz"][0] == 503 and json.loads(out["/readyz"][2])["checks"]["database"]["status"] == "error"
    assert out["/healthz"][0] == 200
    assert "database unavailable" in result.stderr  # and the operator's log says why


def test_postgresql_connections_are_health_checked_and_time_out(tmp_path):
    code = "import json, portal.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    result = run_python(code, clean_env(tmp_path, SECRET_KEY="k", DATABASE_URL="postgres://u:p@db.invalid/x"))
    database = json.loads(result.stdout.strip().splitlines()[-1])
    assert database["CONN_HEALTH_CHECKS"] is True and database["CONN_MAX_AGE"] > 0
    assert 0 < database["OPTIONS"]["connect_timeout"] <= 10


def test_sqlite_uses_wal_immediate_transactions_and_a_busy_timeout(tmp_path):
    code = (
        "import django, json; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "    c.execute('PRAGMA busy_timeout'); busy = c.fetchone()[0]\n"
        "print(json.dumps({'mode': mode, 'busy': busy, 'tx': connection.transaction_mode}))\n"
    )
    env = clean_env(tmp_path, SECRET_KEY="k", DJANGO_SETTINGS_MODULE="portal.settings")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data == {"mode": "wal", "busy": 20000, "tx": "IMMEDIATE"}


# --- the access log ----------------------------------------------------------------------------------


@pytest.fixture
def access_records():
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.INFO)
    log = logging.getLogger("portal.access")
    log.addHandler(handler)
    yield records
    log.removeHandler(handler)


@pytest.mark.django_db
def test_one_access_line_per_request_with_the_real_client_address(client, access_records, settings):
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    client.get("/zwgk/?q=%E5%BC%A0%E4%B8%89", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.30")
    client.get("/no-such-page/", REMOTE_ADDR="198.51.100.31", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert len(access_records) == 2
    first, second = access_records
    assert (first.client, first.method, first.path, first.status) == ("198.51.100.30", "GET", "/zwgk/", 200)
    assert first.duration_ms >= 0 and first.user_id is None
    assert "张三" not in first.getMessage() and "q=" not in first.getMessage()  # never the query string
    assert first.getMessage().startswith("198.51.100.30 GET /zwgk/ 200 ")
    assert (second.client, second.status) == ("198.51.100.31", 404)


@pytest.mark.django_db
def test_the_access_line_names_the_staff_user(client, access_records, make_org, make_user):
    from portal.models import Role

    user = make_user("officer", make_org(), Role.REQUEST_OFFICER)
    client.force_login(user)
    client.get("/staff/requests/")
    assert access_records[-1].user_id == user.pk and f"user={user.pk}" in access_records[-1].getMessage()


def test_log_format_json_writes_one_object_per_line(tmp_path):
    code = (
        "import django, logging; django.setup()\n"
        "from django.test import Client\n"
        "Client().get('/healthz', REMOTE_ADDR='198.51.100.40')\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('requests_app.services').exception('报表 %s 失败', 7)\n"
    )
    (tmp_path / "static").mkdir()
    env = clean_env(
        tmp_path,
        SECRET_KEY="k",
        ALLOWED_HOSTS="testserver",
        LOG_FORMAT="json",
        STATIC_ROOT=tmp_path / "static",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.strip().splitlines() if line.startswith("{")]
    assert lines and len(lines) == len(result.stderr.strip().splitlines())  # nothing but JSON lines
    access = next(line for line in lines if line["logger"] == "portal.access")
    assert access["client"] == "198.51.100.40" and access["path"] == "/healthz" and access["status"] == 200
    assert access["method"] == "GET" and isinstance(access["duration_ms"], float) and access["level"] == "INFO"
    error = next(line for line in lines if line["logger"] == "requests_app.services")
    assert error["message"] == "报表 7 失败" and "ZeroDivisionError" in error["exc_info"]
    assert error["time"].endswith("+00:00")


# --- load_demo -----------------------------------------------------------------------------------------


def test_load_demo_refuses_to_run_when_debug_is_off(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY="a-production-secret-key", DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "拒绝载入演示数据" in result.stderr and "DEBUG" in result.stderr
    assert "Traceback" not in result.stderr and "演示账号" not in result.stdout


@pytest.mark.django_db
def test_readyz_uses_the_storage_layers_own_check_when_there_is_one(client, local_files, monkeypatch):
    """portal.storage.check() answers per store ({alias: {"status", "ms"}}); one failing store fails readyz."""
    import types

    import portal

    answer = {"attachments": {"status": "ok", "ms": 1.0}, "private": {"status": "ok", "ms": 1.0}}
    fake = types.ModuleType("portal.storage")
    fake.check = lambda: answer
    monkeypatch.setitem(sys.modules, "portal.storage", fake)
    monkeypatch.setattr(portal, "storage", fake, raising=False)
    assert client.get("/readyz").json()["checks"]["storage"]["status"] == "ok"
    answer["private"] = {"status": "error", "ms": 2000.0}
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["status"] == "error"
