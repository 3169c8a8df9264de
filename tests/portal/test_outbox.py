"""The outbox: intent recorded with the change, delivered once, retried, failures visible and resendable."""

import datetime as dt
import email
import email.policy
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal import outbox
from portal.models import AuditEntry, MessageStatus, OutboundMessage, Role
from tests.mailservers import closed_port, silent_server, smtp_server, wait_until

REDIS_URL = os.environ.get("OUTBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def orgs(make_org, make_user):
    county = make_org("测试县人民政府", short_name="测试县")
    bureau = make_org("测试县民政局", parent=county, short_name="县民政局")
    town = make_org("测试县东乡人民政府", parent=county, short_name="东乡")
    for org in (county, bureau, town):
        org.refresh_from_db()

    class Orgs:
        pass

    o = Orgs()
    o.county, o.bureau, o.town = county, bureau, town
    o.bureau_admin = make_user("bureau_admin", bureau, Role.ORG_ADMIN)
    o.town_admin = make_user("town_admin", town, Role.ORG_ADMIN)
    o.clerk = make_user("bureau_clerk", bureau, Role.CLERK)
    return o


def _enqueue(key="test:1", recipient="citizen@example.invalid", organization=None, body="请登录查看。", **extra):
    with transaction.atomic():
        return outbox.enqueue(
            recipient=recipient,
            subject="您的申请有新的进展",
            body=body,
            event_key=key,
            organization=organization,
            **extra,
        )


def _smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def _due_now(message):
    """Let the back-off pass (the clock of the retry, not of the test)."""
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


# --- recording the intent -------------------------------------------------------------------


def test_a_rolled_back_change_leaves_no_message_and_hands_nothing_over(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.enqueue(recipient="a@example.invalid", subject="s", body="b", event_key="rolled:back")
            raise RuntimeError("the change failed after the message was recorded")
    assert not OutboundMessage.objects.exists()
    assert callbacks == []


def test_a_committed_change_hands_its_message_over_after_commit(db, django_capture_on_commit_callbacks, monkeypatch):
    from portal import tasks

    published = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **kw: published.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = outbox.enqueue(recipient="a@example.invalid", subject="s", body="b", event_key="k:1")
            assert published == []  # not before the change is committed
    assert published == [(message.pk,)]
    assert message.status == MessageStatus.PENDING


def test_the_same_event_is_recorded_once(db):
    first = _enqueue("reminder:7:overdue:2026-09-07:3")
    again = _enqueue("reminder:7:overdue:2026-09-07:3")
    assert first is not None and again is None
    assert OutboundMessage.objects.count() == 1


def test_long_event_keys_stay_unique_and_fit(db):
    a = outbox.event_key("published", 1, "x" * 300)
    b = outbox.event_key("published", 1, "x" * 299 + "y")
    assert len(a) <= 200 and len(b) <= 200 and a != b


# --- delivery ---------------------------------------------------------------------------------


def test_delivery_sends_once_however_often_it_is_run(db):
    message = _enqueue()
    assert outbox.deliver(message.pk).outcome == "sent"
    assert outbox.deliver(message.pk).outcome == "skipped"
    assert outbox.deliver_due() == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["citizen@example.invalid"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at and message.attempts == 1


def test_a_secret_body_is_erased_once_sent(db):
    message = _enqueue(body="查询码：1234-5678", sensitive=True)
    outbox.deliver(message.pk)
    assert "1234-5678" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.body == "" and message.status == MessageStatus.SENT


def test_refused_connection_is_retried_with_back_off_then_recorded_as_failed(db, settings):
    _smtp(settings, closed_port())
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_BASE, settings.OUTBOX_RETRY_MAX = 3, 60, 3600
    message = _enqueue()
    first = outbox.deliver(message.pk)
    assert first.outcome == "retry" and first.countdown == 60
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "ConnectionRefused" in message.last_error
    assert dt.timedelta(seconds=55) < message.next_attempt_at - timezone.now() <= dt.timedelta(seconds=60)
    # Not due yet: a duplicate task that arrives early does nothing.
    assert outbox.deliver(message.pk).outcome == "skipped"
    _due_now(message)
    assert outbox.deliver(message.pk).countdown == 120  # doubled
    _due_now(message)
    assert outbox.deliver(message.pk).outcome == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    assert "ConnectionRefused" in message.last_error
    _due_now(message)
    assert outbox.deliver(message.pk).outcome == "skipped"  # failed stays failed until resent


def test_a_mail_server_that_hangs_costs_one_timeout_and_is_retried(db, settings):
    settings.EMAIL_TIMEOUT = 1
    message = _enqueue()
    with silent_server() as port:
        _smtp(settings, port)
        attempt = outbox.deliver(message.pk)
    assert attempt.outcome == "retry"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and "timed out" in message.last_error


def test_the_worker_task_schedules_its_retry_through_celery(db, settings, monkeypatch):
    from celery.exceptions import Retry

    from portal import tasks

    _smtp(settings, closed_port())
    message = _enqueue()
    retried = {}

    def fake_retry(**kwargs):
        retried.update(kwargs)
        return Retry("retry", when=kwargs["countdown"])

    monkeypatch.setattr(tasks.deliver, "retry", fake_retry)
    with pytest.raises(Retry):
        tasks.deliver.run(message.pk)
    assert retried == {"countdown": settings.OUTBOX_RETRY_BASE}


def test_flush_hands_over_what_the_broker_missed(db, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from portal import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()  # the change commits although the broker is down
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    published = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **kw: published.append(args))
    assert outbox.flush() == (0, 0)  # just created: its own hand-over may still be on the way
    assert outbox.flush(now=timezone.now() + dt.timedelta(minutes=1)) == (0, 1)
    assert published == [(message.pk,)]


def test_flush_puts_back_a_message_whose_worker_died_mid_send(db, settings):
    message = _enqueue()
    long_ago = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_STALE_AFTER + 5)
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=long_ago)
    reclaimed, _handed = outbox.flush()
    assert reclaimed == 1
    assert outbox.deliver(message.pk).outcome == "sent"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two connections racing for one row: PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_message_at_once_send_it_once(settings):
    settings.EMAIL_BACKEND = "tests.portal.test_outbox.SlowBackend"
    SlowBackend.sent = []
    message = _enqueue()
    barrier = threading.Barrier(4)
    outcomes = []

    def work():
        try:
            barrier.wait()
            outcomes.append(outbox.deliver(message.pk).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(SlowBackend.sent) == 1


class SlowBackend:
    """Takes its time, like a real server, so racing workers overlap; records what it sent."""

    sent = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        time.sleep(0.3)
        SlowBackend.sent.extend(messages)
        return len(messages)


# --- staff: the page and 重新发送 ------------------------------------------------------------


def _failed(organization, recipient="zhang.citizen@example.invalid", key="failed:1"):
    message = _enqueue(key, recipient=recipient, organization=organization)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.FAILED, attempts=8, last_error="SMTPServerDisconnected: Connection unexpectedly closed"
    )
    message.refresh_from_db()
    return message


def test_staff_page_lists_failed_messages_of_own_organisations_with_masked_addresses(client, orgs, make_user):
    mine = _failed(orgs.bureau)
    theirs = _failed(orgs.town, recipient="li.other@example.invalid", key="failed:2")
    client.force_login(orgs.bureau_admin)
    page = client.get(reverse("outbox")).content.decode()
    assert mine.subject in page and "发送失败" in page and "SMTPServerDisconnected" in page
    assert "z***@example.invalid" in page and "zhang.citizen" not in page
    assert "li.other" not in page and "l***@" not in page  # another township's message
    assert "请登录查看" not in page  # bodies are never shown
    client.force_login(orgs.town_admin)
    assert "l***@example.invalid" in client.get(reverse("outbox")).content.decode()
    superuser = make_user("root", orgs.county, is_superuser=True)
    client.force_login(superuser)
    page = client.get(reverse("outbox")).content.decode()
    assert "z***@" in page and "l***@" in page
    assert theirs.pk != mine.pk


def test_retries_used_up_the_failure_is_on_the_staff_page_and_resend_delivers_it(
    client, orgs, settings, django_capture_on_commit_callbacks
):
    _smtp(settings, closed_port())
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = _enqueue("e2e:1", recipient="wang.applicant@example.invalid", organization=orgs.bureau)
    assert outbox.deliver(message.pk).outcome == "retry"
    _due_now(message)
    assert outbox.deliver(message.pk).outcome == "failed"
    client.force_login(orgs.bureau_admin)
    page = client.get(reverse("outbox") + "?status=failed").content.decode()
    assert "您的申请有新的进展" in page and "ConnectionRefusedError" in page and "w***@example.invalid" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox_resend", args=[message.pk]), follow=True)  # shows (and uses up) the flash
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is fixed
    assert outbox.deliver(message.pk).outcome == "sent"
    assert [m.to for m in mail.outbox] == [["wang.applicant@example.invalid"]]
    assert "您的申请有新的进展" not in client.get(reverse("outbox")).content.decode()  # nothing open any more
    assert "您的申请有新的进展" in client.get(reverse("outbox") + "?status=sent").content.decode()


def test_a_clerk_cannot_open_the_outbox(client, orgs):
    client.force_login(orgs.clerk)
    assert client.get(reverse("outbox")).status_code == 403


def test_resend_queues_a_failed_message_again_and_is_audited(
    client, orgs, django_capture_on_commit_callbacks, monkeypatch
):
    from portal import tasks

    published = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **kw: published.append(args))
    message = _failed(orgs.bureau)
    client.force_login(orgs.bureau_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox_resend", args=[message.pk]), follow=True)
    assert "已重新排队发送" in response.content.decode()
    assert published == [(message.pk,)]
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 0
    entry = AuditEntry.objects.get(event="portal.resend_message")
    assert entry.actor == orgs.bureau_admin and entry.from_state == "发送失败" and entry.to_state == "待发送"
    assert outbox.deliver(message.pk).outcome == "sent"
    assert mail.outbox[0].to == ["zhang.citizen@example.invalid"]
    # Sent: there is nothing to resend any more.
    response = client.post(reverse("outbox_resend", args=[message.pk]), follow=True)
    assert "不能重新发送" in response.content.decode()
    assert len(mail.outbox) == 1


def test_resend_is_refused_outside_the_users_organisations(client, orgs):
    message = _failed(orgs.bureau)
    client.force_login(orgs.town_admin)
    assert client.post(reverse("outbox_resend", args=[message.pk])).status_code == 404
    with pytest.raises(Exception, match="本机构及下级机构"):
        outbox.resend(orgs.town_admin, message)
    message.refresh_from_db()
    assert (
        message.status == MessageStatus.FAILED and not AuditEntry.objects.filter(event="portal.resend_message").exists()
    )


def test_messages_of_no_organisation_are_for_superusers_only(client, orgs, make_user):
    message = _failed(None, recipient="sub@example.invalid")
    client.force_login(orgs.bureau_admin)
    assert "s***@" not in client.get(reverse("outbox")).content.decode()
    root = make_user("root", orgs.county, is_superuser=True)
    outbox.resend(root, message)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


# --- a real worker process, a real broker, a real mail server ----------------------------------


def _redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:
        return False


def _worker_database(tmp_path):
    """Environment for the worker to use the test's database; on SQLite a file copy of the in-memory one."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or "postgres"
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
        url = f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
        return {"DATABASE_URL": url}, None
    var = tmp_path / "var"
    var.mkdir()
    target = var / "portal.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    return {"PORTAL_VAR_DIR": str(var)}, target


def _status(pk, sqlite_file):
    if sqlite_file is None:
        return OutboundMessage.objects.get(pk=pk).status
    with sqlite3.connect(sqlite_file) as db:
        return db.execute("SELECT status FROM portal_outboundmessage WHERE id = ?", (pk,)).fetchone()[0]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_delivers_queued_mail_through_redis_exactly_once(tmp_path):
    """`celery -A portal worker` in its own process, the Redis broker, an SMTP server on a loopback port."""
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    from portal.celery import app
    from portal.tasks import deliver

    first = _enqueue("worker:1", recipient="first@example.invalid")
    second = _enqueue("worker:2", recipient="second@example.invalid")
    queue = f"test-outbox-{uuid.uuid4().hex[:12]}"
    with smtp_server() as (port, received):
        db_env, sqlite_file = _worker_database(tmp_path)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORTAL_VAR_DIR")}
        env.update(
            db_env,
            DJANGO_SETTINGS_MODULE="portal.settings",
            SECRET_KEY="worker-test-secret",
            DEBUG="0",
            BROKER_URL=REDIS_URL,
            CELERY_TASK_DEFAULT_QUEUE=queue,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port),
            EMAIL_TIMEOUT="5",
        )
        env.setdefault("PORTAL_VAR_DIR", str(tmp_path / "var"))
        log = open(tmp_path / "worker.log", "w")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            with app.connection_for_write(REDIS_URL) as conn:
                deliver.apply_async((first.pk,), connection=conn, queue=queue)
                assert wait_until(lambda: len(received) >= 1, timeout=90), (tmp_path / "worker.log").read_text()
                assert wait_until(lambda: _status(first.pk, sqlite_file) == MessageStatus.SENT, timeout=30)
                # The same task delivered again (a duplicate from flush or a redelivery), then the next message:
                # the worker runs them in order, so once the second arrives the duplicate was handled.
                deliver.apply_async((first.pk,), connection=conn, queue=queue)
                deliver.apply_async((second.pk,), connection=conn, queue=queue)
                assert wait_until(lambda: len(received) >= 2, timeout=60), (tmp_path / "worker.log").read_text()
                assert wait_until(lambda: _status(second.pk, sqlite_file) == MessageStatus.SENT, timeout=30)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(10)
            log.close()
            with app.connection_for_write(REDIS_URL) as conn:
                conn.default_channel.queue_delete(queue)
    assert [envelope.rcpt_tos for envelope in received] == [["first@example.invalid"], ["second@example.invalid"]]
    parsed = email.message_from_bytes(received[0].content, policy=email.policy.default)
    assert parsed["Subject"] == "您的申请有新的进展"
