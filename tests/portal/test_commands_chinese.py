"""The README's management commands speak Chinese and fail with a message, not a traceback (issue 12)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.management.commands.load_demo import server_address

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_a_command_without_secret_key_prints_a_chinese_message_and_no_traceback(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_catalog", "x.xlsx", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "无法运行管理命令" in result.stderr and "SECRET_KEY" in result.stderr and "DEBUG=1" in result.stderr


@pytest.mark.parametrize(
    "host, address",
    [
        ("", "http://127.0.0.1:8000"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("8123", "http://127.0.0.1:8123"),
        ("192.0.2.10:8080", "http://192.0.2.10:8080"),
        ("[::1]:8001", "http://[::1]:8001"),
        ("localhost", "http://localhost:8000"),
    ],
)
def test_the_demo_logins_name_the_address_make_run_serves(host, address):
    assert server_address(host) == address


@pytest.mark.django_db
def test_load_demo_prints_the_host_it_is_given(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0:9000")
    out = io.StringIO()
    call_command("load_demo", without_debug=True, stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:9000/admin/login/" in text and ":8000" not in text
    assert "演示账号（仅用于开发环境）" in text and "Demo logins" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        "publish_scheduled",
        "seed_calendar",
        "process_request_deadlines",
        "refresh_request_clocks",
        "send_request_reminders",
    ],
)
def test_the_scheduled_commands_report_in_chinese(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    assert CHINESE.search(out.getvalue()), out.getvalue()
    assert not re.search(r"\b(published|queued|updated|loaded|closed)\b", out.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["process_request_deadlines", "send_request_reminders"])
def test_a_bad_date_is_a_chinese_message(command):
    with pytest.raises(CommandError, match="日期“2026-13-40”无法识别"):
        call_command(command, "--date", "2026-13-40", stdout=io.StringIO())
