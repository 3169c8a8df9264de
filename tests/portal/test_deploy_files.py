"""The files shipped under deploy/ say what the README says, and nginx accepts the site file."""

import re
import shutil
import subprocess
import sys

import pytest

from .test_deployment import ROOT, clean_env

DEPLOY = ROOT / "deploy"


def test_nginx_site_passes_the_header_the_portal_trusts_and_takes_the_largest_upload(settings):
    site = (DEPLOY / "nginx" / "zwgk.conf").read_text()
    proxy = (DEPLOY / "nginx" / "zwgk-proxy.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in proxy
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in proxy
    size = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert size > settings.DISCLOSURE_MAX_ATTACHMENT_MB
    assert re.search(r"location /static/ \{\s+alias /srv/zwgk/staticfiles/;", site)
    timeout = int(re.search(r"proxy_read_timeout (\d+)s;", proxy).group(1))
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text()
    assert f'"GUNICORN_TIMEOUT", "{timeout}"' in gunicorn  # nginx waits as long as a worker may run


@pytest.mark.skipif(not shutil.which("nginx") or not shutil.which("openssl"), reason="needs nginx and openssl")
def test_nginx_accepts_the_site_file(tmp_path):
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            tmp_path / "key.pem",
            "-out",
            tmp_path / "cert.pem",
            "-days",
            "1",
            "-subj",
            "/CN=test",
        ],
        check=True,
        capture_output=True,
    )
    (tmp_path / "snippets").mkdir()
    shutil.copy(DEPLOY / "nginx" / "zwgk-proxy.conf", tmp_path / "snippets")
    site = (DEPLOY / "nginx" / "zwgk.conf").read_text()
    for old, new in (
        ("/etc/nginx/snippets", tmp_path / "snippets"),
        ("/etc/ssl/zwgk/fullchain.pem", tmp_path / "cert.pem"),
        ("/etc/ssl/zwgk/privkey.pem", tmp_path / "key.pem"),
        ("/var/log/nginx", tmp_path),
    ):
        site = site.replace(old, str(new))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};"
        f" include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", tmp_path / "nginx.conf", "-p", tmp_path], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_config_loads_with_an_unprivileged_service_user(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY="k" * 40, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", DEPLOY / "gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for name, command in (
        ("web", "gunicorn -c /srv/zwgk/deploy/gunicorn.conf.py portal.wsgi"),
        ("worker", "celery -A portal worker -l info"),
        ("beat", "celery -A portal beat -l info --schedule /var/lib/zwgk/celerybeat-schedule"),
    ):
        unit = (DEPLOY / "systemd" / f"zwgk-{name}.service").read_text()
        assert "\nUser=zwgk\n" in unit and "EnvironmentFile=/etc/zwgk/env" in unit
        assert command in unit
