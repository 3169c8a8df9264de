"""Subscribers' notices go through the outbox: publishing never fails on mail, and each version is announced once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from disclosure import services, subscriptions, tasks
from disclosure.models import DisclosureItem, ItemState
from portal.models import MessageStatus, OutboundMessage
from tests.mailservers import closed_port


@pytest.fixture
def subscriber(county, deliver_outbox):
    sub = subscriptions.subscribe("reader@example.invalid", organization=county.gov)
    subscriptions.confirm(sub.token)
    deliver_outbox()  # the confirmation mail
    mail.outbox.clear()
    return sub


@pytest.fixture
def no_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 1


@pytest.mark.parametrize("eager", [False, True], ids=["queued", "eager"])
def test_publishing_succeeds_with_the_mail_server_down_and_subscribers_hear_once_it_is_back(
    client,
    county,
    make_item,
    subscriber,
    no_mail_server,
    eager,
    monkeypatch,
    settings,
    django_capture_on_commit_callbacks,
    deliver_outbox,
):
    from portal.celery import app

    if eager:
        monkeypatch.setitem(app.conf, "task_always_eager", True)
    item = make_item(title="城关镇低保名单公示")
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item, note="不涉密")
    client.force_login(county.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/gkgl/item/{item.pk}/publish/", {"publish_at": ""}, follow=True)
    assert response.status_code == 200 and "已发布" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED
    notice = OutboundMessage.objects.get(event_key__startswith="published:")
    assert notice.status == MessageStatus.PENDING and notice.organization == county.civil
    assert (notice.attempts == 1 and "Connection" in notice.last_error) if eager else notice.attempts == 0
    # The mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert deliver_outbox() == ["sent"]
    assert deliver_outbox() == []
    assert [m.to for m in mail.outbox] == [["reader@example.invalid"]] and item.title in mail.outbox[0].subject


def test_a_rolled_back_publication_records_no_notice(county, make_item, subscriber, monkeypatch):
    item = make_item()
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    real_notify = services._notify_subscribers
    recorded = []

    def notify_then_fail(it):
        real_notify(it)
        recorded.extend(OutboundMessage.objects.filter(event_key__startswith="published:"))
        raise RuntimeError("the publication failed after its notices were recorded")

    monkeypatch.setattr(services.publication, "_notify_subscribers", notify_then_fail)
    with pytest.raises(RuntimeError):
        services.publish(county.reviewer, item)
    assert len(recorded) == 1  # it was recorded inside the publication's transaction …
    assert not OutboundMessage.objects.filter(event_key__startswith="published:").exists()  # … and went with it
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED


def test_scheduled_publication_by_the_beat_task_announces_once(county, make_item, subscriber, deliver_outbox):
    item = make_item(title="定时发布的救助标准")
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    DisclosureItem.objects.filter(pk=item.pk).update(
        state=ItemState.SCHEDULED, scheduled_for=timezone.now() - dt.timedelta(minutes=1)
    )
    assert tasks.publish_scheduled() == 1
    assert tasks.publish_scheduled() == 0
    assert deliver_outbox() == ["sent"]
    assert [m.subject for m in mail.outbox] == ["新发布：定时发布的救助标准"]


def test_a_revision_is_a_new_announcement(county, publish_item, subscriber, deliver_outbox):
    item = publish_item(title="低保标准")
    revision = services.begin_revision(county.clerk, item, note="更正金额")
    services.submit(county.clerk, revision)
    services.sign_off_confidentiality(county.reviewer, revision)
    services.publish(county.reviewer, revision)
    assert subscriptions.notify_published(item.pk) == 0  # each version already announced
    assert deliver_outbox() == ["sent", "sent"]


def test_asking_twice_for_a_confirmation_mails_once_a_day(client, county, deliver_outbox):
    for _ in range(2):
        response = client.post(
            "/zwgk/xxgk/subscribe/", {"email": "twice@example.invalid", "domain": county.domain.pk}, follow=True
        )
        assert "确认邮件将发送到您的邮箱" in response.content.decode()
    assert deliver_outbox() == ["sent"]
    assert len(mail.outbox) == 1
