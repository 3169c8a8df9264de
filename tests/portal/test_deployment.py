"""Settings from the environment, and ``gunicorn portal.wsgi`` serving the portal for real.

Each check runs Python in a subprocess with a clean environment, because the
settings are read once at import time.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, portal.settings as s; print(json.dumps({"
    "'databases': s.DATABASES, 'time_zone': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'language': s.LANGUAGE_CODE,"
    "'languages': [code for code, _ in s.LANGUAGES], 'debug': s.DEBUG, 'allowed_hosts': s.ALLOWED_HOSTS,"
    "'media_root': str(s.MEDIA_ROOT), 'session_cookie_secure': getattr(s, 'SESSION_COOKIE_SECURE', False),"
    "'staticfiles': s.STORAGES['staticfiles']['BACKEND'], 'secret_key': s.SECRET_KEY}, default=str))"
)


def clean_env(tmp_path, **extra):
    """Only what a bare server has: no DATABASE_URL, no SECRET_KEY, no DEBUG unless given."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_python(code, env, timeout=60):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def read_settings(tmp_path, **extra):
    result = run_python(PRINT_SETTINGS, clean_env(tmp_path, **extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    for extra in ({}, {"DEBUG": "0"}, {"DEBUG": "false"}, {"SECRET_KEY": ""}, {"SECRET_KEY": "   "}):
        result = run_python("import portal.settings", clean_env(tmp_path, **extra))
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_runs_without_a_secret_key_but_never_uses_it_in_production(tmp_path):
    settings = read_settings(tmp_path, DEBUG="1")
    assert settings["debug"] is True
    assert settings["allowed_hosts"] == ["127.0.0.1", "localhost", "[::1]"]
    production = read_settings(tmp_path, SECRET_KEY="a-long-random-production-key")
    assert production["debug"] is False
    assert production["secret_key"] == "a-long-random-production-key"
    assert production["allowed_hosts"] == []
    assert production["session_cookie_secure"] is True
    assert production["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_sqlite_under_the_var_directory_by_default(tmp_path):
    settings = read_settings(tmp_path, SECRET_KEY="k")
    database = settings["databases"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == tmp_path / "var" / "portal.sqlite3"
    assert (tmp_path / "var").is_dir()
    assert Path(settings["media_root"]) == tmp_path / "var" / "media"


def test_postgresql_from_database_url(tmp_path):
    settings = read_settings(
        tmp_path, SECRET_KEY="k", DATABASE_URL="postgres://zwgk:s3cret@db.example.invalid:5433/zwgk_portal"
    )
    database = settings["databases"]["default"]
    assert database["ENGINE"] == "portal.postgresql"  # Django's, with a cheaper health check
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("zwgk_portal", "zwgk", "s3cret")
    assert (database["HOST"], int(database["PORT"])) == ("db.example.invalid", 5433)
    assert not (tmp_path / "var" / "portal.sqlite3").exists()


def test_time_zone_and_languages(tmp_path):
    settings = read_settings(tmp_path, SECRET_KEY="k", ALLOWED_HOSTS=" gk.example.invalid, 127.0.0.1 ")
    assert settings["time_zone"] == "Asia/Shanghai" and settings["use_tz"] is True
    assert settings["language"] == "zh-hans"
    assert settings["languages"][0] == "zh-hans" and "en" in settings["languages"]
    assert settings["allowed_hosts"] == ["gk.example.invalid", "127.0.0.1"]


# --- gunicorn ------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None, timeout=10):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def gunicorn_server(tmp_path):
    env = clean_env(
        tmp_path,
        DEBUG="0",
        SECRET_KEY="deployment-test-secret-key-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=tmp_path / "static",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    for command in (["migrate", "--noinput"], ["load_demo", "--without-debug"], ["collectstatic", "--noinput"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (command, result.stderr)
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
            "1",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode(errors="replace") if server.poll() is not None else ""
                    pytest.fail(f"gunicorn did not start: {output}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


def test_gunicorn_serves_the_home_page_and_compressed_static_files(gunicorn_server):
    status, headers, body = fetch(gunicorn_server + "/")
    assert status == 200, body[:2000]
    html = body.decode()
    assert "示范县人民政府" in html and "政务公开" in html
    assert '<html lang="zh-hans"' in html

    # The stylesheet under its hashed name from the manifest, served by whitenoise.
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', html)
    portal_css = next(href for href in stylesheets if "portal" in href)
    assert re.search(r"portal\.[0-9a-f]{12}\.css$", portal_css), portal_css
    status, headers, css = fetch(gunicorn_server + portal_css)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert b"{" in css
    assert "max-age=315360000" in headers.get("Cache-Control", "")  # hashed: cached for good
    status, headers, _ = fetch(gunicorn_server + portal_css, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"

    status, _headers, _ = fetch(gunicorn_server + "/zwgk/")
    assert status == 200
    status, _headers, _ = fetch(gunicorn_server + "/", {"Host": "evil.example.invalid"})
    assert status == 400  # ALLOWED_HOSTS is honoured with DEBUG off
    status, _headers, body = fetch(gunicorn_server + "/no-such-page/")
    assert status == 404 and b"Traceback" not in body
