"""Mail to applicants and handlers goes through the outbox: a broken mail server never breaks an application."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portal.models import MessageStatus, OutboundMessage
from requests_app import access, services, tasks
from requests_app.models import Request, Status
from tests.mailservers import closed_port, silent_server

from .test_public import form_data

D = dt.date


@pytest.fixture
def broken_mail(settings, request):
    """The production default with no mail server (connection refused), or one that accepts and never answers."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 1
    if request.param == "refused":
        settings.EMAIL_PORT = closed_port()
        yield request.param
    else:
        with silent_server() as port:
            settings.EMAIL_PORT = port
            yield request.param


@pytest.fixture(params=["queued", "eager"])
def delivery(request, monkeypatch):
    """``queued``: the worker sends later (production). ``eager``: the task runs inside the request — the worst case."""
    from portal.celery import app

    if request.param == "eager":
        monkeypatch.setitem(app.conf, "task_always_eager", True)
    return request.param


def _status_page(client, number, code):
    """The status page the way the applicant reaches it: the look-up with number and code."""
    response = client.post(reverse("requests_app:lookup"), {"tracking_number": number, "query_code": code}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("broken_mail", ["refused", "hanging"], indirect=True)
def test_a_broken_mail_server_never_costs_the_applicant_the_number_and_code(
    client, county, broken_mail, delivery, django_capture_on_commit_callbacks, settings, deliver_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("requests_app:apply"), form_data(client, county))
    assert response.status_code == 200
    req = Request.objects.get()
    page = response.content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    assert number == req.tracking_number and access.check_query_code(code, req.query_code_hash)
    assert "已发送到" not in page and "将把查询号和查询码发送到" in page
    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.PENDING and message.recipient == "citizen@example.invalid"
    if delivery == "eager":
        assert message.attempts == 1 and message.last_error  # tried inside the request, failed, kept
    status_page = _status_page(client, number, code)
    assert "待发送" in status_page
    # The mail server is back: the worker sends the mail once, with the code.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundMessage.objects.update(next_attempt_at=message.created_at)
    assert deliver_outbox() == ["sent"]
    assert deliver_outbox() == []
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body
    status_page = _status_page(client, number, code)
    assert "已发送（" in status_page and code not in status_page


def test_status_page_says_when_the_mail_failed(client, county, deliver_outbox):
    page = client.post(reverse("requests_app:apply"), form_data(client, county)).content.decode()
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    req = Request.objects.get()
    OutboundMessage.objects.update(status=MessageStatus.FAILED, last_error="SMTPRecipientsRefused")
    page = _status_page(client, req.tracking_number, code)
    assert "发送失败" in page and "SMTPRecipientsRefused" not in page


def test_an_application_without_email_records_no_message(client, county):
    response = client.post(reverse("requests_app:apply"), form_data(client, county, email=""))
    assert response.status_code == 200 and Request.objects.exists()
    assert not OutboundMessage.objects.exists()
    page = response.content.decode()
    assert "电子邮箱" not in page


def test_a_notice_mail_is_recorded_once_per_notice(online, county, deliver_outbox):
    req, code = online(email="a@example.invalid")
    services.register(county.officer, req)
    keys = sorted(OutboundMessage.objects.values_list("event_key", flat=True))
    ack = req.notices.get()
    assert keys == sorted([f"request:{req.pk}:submitted", f"request:{req.pk}:notice:{ack.pk}"])
    assert deliver_outbox() == ["sent", "sent"]
    sent_bodies = [m.body for m in mail.outbox]
    assert sum(access.format_query_code(code) in body for body in sent_bodies) == 1


# --- reminders: once per due event ------------------------------------------------------------


def test_reminders_are_sent_once_per_due_event_however_often_the_job_runs(in_handling, county, today, deliver_outbox):
    today(D(2026, 9, 1))
    req = in_handling(D(2026, 8, 10))  # due 2026-09-07: within 5 working days
    call_command("send_request_reminders", stdout=io.StringIO())
    call_command("send_request_reminders", stdout=io.StringIO())
    assert tasks.send_request_reminders() == {"queued": 0, "already": 1}  # the beat task: same code
    assert deliver_outbox() == ["sent"]
    call_command("send_request_reminders", stdout=io.StringIO())
    assert deliver_outbox() == []
    assert len(mail.outbox) == 1 and "即将到期" in mail.outbox[0].subject
    # Overdue is a new event: one more reminder, once.
    today(D(2026, 9, 8))
    assert tasks.send_request_reminders() == {"queued": 1, "already": 0}
    assert tasks.send_request_reminders() == {"queued": 0, "already": 1}
    assert deliver_outbox() == ["sent"]
    assert len(mail.outbox) == 2 and "已超期" in mail.outbox[1].subject
    assert req.registration_number in mail.outbox[1].subject


def test_unassigned_requests_remind_each_officer_once(intake, county, today, deliver_outbox):
    today(D(2026, 9, 1))
    req, _code = intake(D(2026, 8, 10))
    assert req.handler_id is None
    out = io.StringIO()
    call_command("send_request_reminders", stdout=out)
    call_command("send_request_reminders", stdout=out)
    assert "1 queued" in out.getvalue() and "0 queued, 1 already" in out.getvalue()
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[county.officer.email]]  # officer2 has no address


def test_dry_run_records_nothing(in_handling, county, today):
    today(D(2026, 9, 1))
    in_handling(D(2026, 8, 10))
    out = io.StringIO()
    call_command("send_request_reminders", "--dry-run", stdout=out)
    assert "reminders due: 1" in out.getvalue() and county.officer.email in out.getvalue()
    assert not OutboundMessage.objects.exists()


def test_the_deadline_task_runs_the_deadline_service(intake, county, today):
    today(D(2026, 6, 1))
    req, _code = intake(D(2026, 6, 1))
    services.begin_review(county.officer, req)
    services.request_supplement(county.officer, req, items="请补充申请内容的时间范围。")
    req.refresh_from_db()
    today(req.supplement_deadline + dt.timedelta(days=1))
    assert tasks.process_request_deadlines()["not_supplemented"] == 1
    req.refresh_from_db()
    assert req.status == Status.CLOSED
