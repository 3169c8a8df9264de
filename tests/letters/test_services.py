"""The office's steps: what each changes, what the writer sees, and the version check."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from letters import services
from letters.models import LetterState
from portal.models import AuditEntry


def _status(letter, code):
    client = Client()
    client.post(reverse("letters:lookup"), {"tracking_number": letter.tracking_number, "query_code": code})
    return client, client.get(reverse("letters:status", args=[letter.tracking_number])).content.decode()


def test_reject_shows_the_reason_to_the_writer(county, today, write):
    letter, code = write(county.civil)
    services.reject(county.officer, letter, category="out_of_scope", reason="此事项属法院管辖，请向法院反映。")
    _client, page = _status(letter, code)
    assert "不予受理" in page and "请向法院反映" in page
    assert AuditEntry.objects.filter(event="letters.reject").exists()


def test_merge_duplicate_shows_the_main_letters_answer(county, today, write):
    main, _ = write(county.civil)
    duplicate, code = write(county.civil, title="重复来信")
    with pytest.raises(ValidationError):
        services.merge(county.officer, duplicate, into_number=duplicate.tracking_number)
    services.merge(county.officer, duplicate, into_number=main.tracking_number.lower())
    duplicate.refresh_from_db()
    assert duplicate.state == LetterState.MERGED and duplicate.merged_into == main
    services.accept(county.officer, main)
    services.reply(county.officer, main, text="统一答复：已办理。")
    _client, page = _status(duplicate, code)
    assert "合并办理" in page and "统一答复" in page


def test_stale_version_refused_and_nothing_changes(county, today, write):
    """Two officers opened the same letter (version 1); the second click is refused with a message."""
    letter, _ = write(county.civil)
    first, second = Client(), Client()
    first.force_login(county.officer)
    second.force_login(county.officer2)
    version = letter.version
    url = reverse("letters_staff:act", args=[letter.pk, "accept"])
    first.post(url, {"version": version})
    response = second.post(
        reverse("letters_staff:act", args=[letter.pk, "reject"]),
        {"version": version, "category": "spam", "reason": "广告"},
        follow=True,
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.ACCEPTED and letter.handler == county.officer
    assert "刚刚已被其他人处理" in response.content.decode()
    assert AuditEntry.objects.filter(event="letters.reject").count() == 0


def test_staff_page_offers_exactly_the_available_steps(county, today, write):
    letter, _ = write(county.civil)
    for user in (county.officer, county.reviewer, county.clerk, county.admin):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("letters_staff:detail", args=[letter.pk]))
        if not user.has_perm("letters.view_letter"):
            assert response.status_code == 403
            continue
        offered = set(re.findall(r'id="action-([a-z_]+)"', response.content.decode()))
        assert offered == set(services.available_steps(user, letter)), user


def test_transfer_to_another_office_leaves_the_first_without_access(county, today, write):
    letter, _ = write(county.east)
    services.transfer(county.east_officer, letter, to_organization=county.civil, reason="属民政局职责")
    letter.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.accept(county.east_officer, letter)
    services.accept(county.officer, letter)
    assert letter.transfers.get().from_organization == county.east


def test_convert_to_information_request_keeps_date_data_and_links_both_ways(county, today, write):
    from requests_app.models import Request

    letter, code = write(county.civil, email="writer@example.invalid")
    today(today.date().replace(day=3))
    letter, req, req_code = services.convert_to_request(
        county.officer,
        letter,
        applicant_category="natural",
        id_type="resident_id",
        id_number=__import__("tests.requests_app.conftest", fromlist=["x"]).resident_id(),
        phone=letter.phone,
        address="",
        form_wanted="electronic",
        delivery_method="online",
    )
    req = Request.objects.get(pk=req.pk)
    assert req.receipt_date == letter.received_on and req.applicant_name == "张测试"
    assert letter.converted_request == req and letter.state == LetterState.CONVERTED
    staff = Client()
    staff.force_login(county.officer)
    page = staff.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
    assert letter.tracking_number in page and reverse("letters_staff:detail", args=[letter.pk]) in page
    _client, status = _status(letter, code)
    assert req.tracking_number in status


def test_publish_needs_consent(county, today, write):
    letter, _ = write(county.civil, publish_consent=False)
    services.accept(county.officer, letter)
    letter = services.reply(county.officer, letter, text="答复")
    assert "publish" not in services.available_steps(county.reviewer, letter)
    with pytest.raises(ValidationError):
        services.publish(county.reviewer, letter)


def test_reminders_once_and_escalation_to_the_admin(county, today, write, civil_admin):
    from letters import reminders

    letter, _ = write(county.civil)
    civil_admin.email = "admin@example.invalid"
    civil_admin.save()
    today(letter.due_on)
    queued, _already = reminders.queue_reminders()
    assert queued >= 1
    assert reminders.queue_reminders() == (0, queued)
    today(letter.due_on.replace(day=letter.due_on.day + 1))
    messages = reminders.due_messages()
    kinds = {(user.username, kind) for _l, user, kind, _s, _b in messages}
    assert ("civil_admin", "escalate") in kinds
    reminders.queue_reminders()
    assert AuditEntry.objects.filter(event="letters.escalate").exists()
    for _l, _u, _k, _subject, body in messages:
        assert "张测试" not in body and "00005550100" not in body


def test_the_scheduled_job_refreshes_and_reminds(county, today, write, settings):
    from letters.tasks import send_letter_reminders

    assert settings.CELERY_BEAT_SCHEDULE["send-letter-reminders"]["task"] == "letters.tasks.send_letter_reminders"
    letter, _ = write(county.civil)
    today(letter.due_on)
    result = send_letter_reminders()
    assert result["queued"] >= 1 and result["refreshed"] == 0
    assert send_letter_reminders()["queued"] == 0


def test_statistics_count_a_new_letter_at_once(county, today, write):
    client = Client()
    url = reverse("letters:statistics") + f"?year={today.date().year}"
    assert "该年度没有来信" in client.get(url).content.decode()
    write(county.civil)
    page = client.get(url).content.decode()
    assert "该年度没有来信" not in page and "测试县民政局" in page


def test_convert_offered_only_to_those_who_register_requests(county, today, write, make_user):
    from django.contrib.auth.models import Permission

    letters_only = make_user("letters_only", county.civil)
    letters_only.user_permissions.set(
        Permission.objects.filter(content_type__app_label="letters", codename__in=["view_letter", "handle_letter"])
    )
    letters_only = type(letters_only).objects.get(pk=letters_only.pk)
    letter, _ = write(county.civil)
    assert "accept" in services.available_steps(letters_only, letter)
    assert "convert" not in services.available_steps(letters_only, letter)
    assert "convert" in services.available_steps(county.officer, letter)
    with pytest.raises(PermissionDenied):
        services.convert_to_request(letters_only, letter, applicant_category="natural")
