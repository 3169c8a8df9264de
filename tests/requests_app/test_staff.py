"""The officials' pages: intake, the workbench, steps through the request page, notices, reminders."""

import datetime as dt
import io
import re
import zlib

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from requests_app import notices, services
from requests_app.models import Request, Status

from .conftest import applicant

D = dt.date


def test_paper_intake_registers_and_shows_the_code_once(client, county, today):
    client.force_login(county.officer)
    data = applicant(delivery_method="post")
    data.update(organization=county.civil.pk, channel="post", receipt_date="2026-05-29")
    response = client.post(reverse("requests_staff:intake"), data)
    assert response.status_code == 200
    body = response.content.decode()
    req = Request.objects.get()
    assert req.status == Status.REGISTERED and req.receipt_date == D(2026, 5, 29) and req.channel == "post"
    assert req.registration_number in body
    code = re.search(r'id="query-code">([^<]+)<', body).group(1)
    detail = client.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
    assert code not in detail


def test_intake_refuses_a_future_date_and_offers_only_own_organisations(client, county, today):
    client.force_login(county.east_officer)
    page = client.get(reverse("requests_staff:intake")).content.decode()
    assert county.east.name in page and county.civil.name not in page
    data = applicant()
    data.update(organization=county.east.pk, channel="in_person", receipt_date="2026-06-02")
    response = client.post(reverse("requests_staff:intake"), data)
    assert "不能晚于今天" in response.content.decode() and not Request.objects.exists()
    data.update(organization=county.civil.pk, receipt_date="2026-06-01")
    response = client.post(reverse("requests_staff:intake"), data)
    assert response.status_code == 200 and not Request.objects.exists()


def step(client, req, verb, **data):
    req.refresh_from_db()
    data.setdefault("version", req.version)
    return client.post(reverse("requests_staff:act", args=[req.pk, verb]), data, follow=True)


def test_an_official_walks_a_request_through_the_page(client, online, county, today):
    req, _code = online()
    client.force_login(county.officer)
    for verb, data in (
        ("register", {}),
        ("begin_review", {}),
        ("accept", {"handler": county.officer.pk}),
        ("start_consultation", {"reason": "other_agency", "party": "县财政局"}),
        ("end_consultation", {}),
        ("request_extension", {"days": 10, "reason": "数量较大"}),
    ):
        response = step(client, req, verb, **data)
        assert "已完成" in response.content.decode(), verb
    response = step(
        client, req, "reply", outcome="3.4", decision="涉及第三方商业秘密，不予公开。", legal_basis="《条例》第十五条"
    )
    assert "已完成" in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.REPLIED and req.outcome == "3.4"
    step(client, req, "archive")
    assert Request.objects.get(pk=req.pk).status == Status.ARCHIVED


def test_a_form_error_changes_nothing_and_says_why(client, in_handling, county):
    req = in_handling()
    client.force_login(county.officer)
    response = step(client, req, "reply", outcome="1", decision="")
    assert response.status_code == 400 and "未执行" in response.content.decode()
    response = step(client, req, "request_extension", days=30, reason="x")
    assert response.status_code == 400
    assert Request.objects.get(pk=req.pk).status == Status.IN_HANDLING


def test_two_officials_on_one_page_exactly_one_wins(client, in_handling, county):
    req = in_handling()
    seen = req.version
    client.force_login(county.officer)
    first = client.post(
        reverse("requests_staff:act", args=[req.pk, "reply"]),
        {"version": seen, "outcome": "1", "decision": "予以公开"},
        follow=True,
    )
    assert "已完成" in first.content.decode()
    client.force_login(county.officer2)
    second = client.post(
        reverse("requests_staff:act", args=[req.pk, "reply"]),
        {"version": seen, "outcome": "5.2", "decision": "重复申请"},
        follow=True,
    )
    assert "刚刚已被其他人处理" in second.content.decode()
    req.refresh_from_db()
    assert req.outcome == "1" and req.notices.filter(kind="reply").count() == 1


def test_workbench_colours_counts_filters_and_sort(client, in_handling, county, today):
    today(D(2026, 9, 1))
    overdue = in_handling(D(2026, 7, 1))
    soon = in_handling(D(2026, 8, 10))  # due 2026-09-07
    fresh = in_handling(D(2026, 9, 1))
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:workbench")).content.decode()
    assert re.search(r'id="count-overdue">1<', page) and re.search(r'id="count-due-soon">1<', page)
    order = [m for m in re.findall(r"〔2026〕第\d{4}号", page)]
    assert (
        order.index(overdue.registration_number)
        < order.index(soon.registration_number)
        < order.index(fresh.registration_number)
    )
    assert 'class="rq-row rq-overdue"' in page
    only_overdue = client.get(reverse("requests_staff:workbench"), {"colour": "overdue"}).content.decode()
    assert overdue.registration_number in only_overdue and fresh.registration_number not in only_overdue
    newest_first = client.get(reverse("requests_staff:workbench"), {"sort": "-receipt"}).content.decode()
    found = re.findall(r"〔2026〕第\d{4}号", newest_first)
    assert found.index(fresh.registration_number) < found.index(overdue.registration_number)
    services.reply(county.officer, fresh, outcome="1", decision="予以公开")
    open_only = client.get(reverse("requests_staff:workbench")).content.decode()
    assert fresh.registration_number not in open_only


def test_my_requests_lists_only_mine(client, in_handling, county):
    mine = in_handling()
    other = in_handling()
    services.assign_handler(county.officer, other, county.officer2)
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:mine")).content.decode()
    assert mine.registration_number in page and other.registration_number not in page


def test_workbench_queries_do_not_grow_with_the_queue(client, in_handling, county, django_assert_max_num_queries):
    for _ in range(15):
        in_handling()
    client.force_login(county.officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("requests_staff:workbench"))
    assert response.content.decode().count('class="rq-row') == 15


def test_workbench_counts_and_pages_cover_the_whole_queue(client, in_handling, county, today):
    """Counts and colours are computed over every open request, not the first screenful."""
    today(D(2026, 9, 1))
    for _ in range(52):
        in_handling(D(2026, 7, 1))  # all overdue
    client.force_login(county.officer)
    first = client.get(reverse("requests_staff:workbench")).content.decode()
    assert re.search(r'id="count-overdue">52<', first)
    assert first.count('class="rq-row') == 50
    second = client.get(reverse("requests_staff:workbench"), {"page": 2}).content.decode()
    assert second.count('class="rq-row') == 2


def test_printable_notice_carries_organisation_and_number(client, intake, county):
    req, _ = intake()
    ack = req.notices.get()
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:notice", args=[ack.pk])).content.decode()
    assert county.civil.name in page and ack.document_number in page and "受理回执" in page


def test_pdf_notice_embeds_a_chinese_font(client, intake, county):
    reason = notices.pdf_unavailable_reason()
    if reason:
        pytest.skip(reason)  # names the Debian package to install (fonts-noto-cjk / pango)
    req, _ = intake()
    ack = req.notices.get()
    client.force_login(county.officer)
    response = client.get(reverse("requests_staff:notice_pdf", args=[ack.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.getvalue()
    assert data.startswith(b"%PDF")
    assert b"Noto" in _pdf_text(data) and b"CJK" in _pdf_text(data)


def _pdf_text(data):
    """The PDF's objects with their compressed streams inflated, to look for the font's name."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, flags=re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_reminders_mail_the_handler_without_personal_data(in_handling, county, today, deliver_outbox):
    today(D(2026, 9, 1))
    req = in_handling(D(2026, 8, 10))
    out = io.StringIO()
    call_command("send_request_reminders", "--base-url", "https://gk.example.invalid", stdout=out)
    assert mail.outbox == []  # recorded, not sent inside the command
    assert deliver_outbox() == ["sent"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [county.officer.email]
    assert req.registration_number in message.body and "2026-09-07" in message.body
    assert f"https://gk.example.invalid/staff/requests/{req.pk}/" in message.body
    for secret in (req.applicant_name, req.id_number, req.phone):
        assert secret not in message.body


def test_reminders_skip_requests_not_yet_due(in_handling, county, today, deliver_outbox):
    today(D(2026, 9, 1))
    in_handling(D(2026, 9, 1))
    call_command("send_request_reminders", stdout=io.StringIO())
    assert deliver_outbox() == []
    assert mail.outbox == []


def test_demo_has_every_state_and_loads_twice(demo):
    from requests_app import clock

    statuses = set(Request.objects.values_list("status", flat=True))
    assert statuses >= {s.value for s in Status}
    colours = {r.clock.colour() for r in Request.objects.filter(status="in_handling")}
    assert {clock.Colour.OVERDUE, clock.Colour.PAUSED} <= colours
    assert Request.objects.filter(extension_status="approved").exists()
    assert Request.objects.filter(segments__reason="third_party", segments__ends_on__isnull=True).exists()
    assert Request.objects.filter(receipt_date__year=2025).exists()
    assert Request.objects.filter(receipt_date__year=2026).exists()
    count = Request.objects.count()
    call_command("load_demo", without_debug=True, stdout=io.StringIO())
    assert Request.objects.count() == count


def test_notice_templates_are_edited_in_the_admin_and_checked(client, county, admin_user):
    from requests_app.models import NoticeTemplate

    template = NoticeTemplate.objects.get(organization=None, kind="reply")
    client.force_login(admin_user)
    url = reverse("admin:requests_app_noticetemplate_change", args=[template.pk])
    page = client.get(url).content.decode()
    assert "{{ reconsideration_body }}" in page  # the placeholders are listed for the editor
    broken = client.post(url, {"kind": "reply", "organization": "", "title": template.title, "body": "{% if %}坏模板"})
    assert broken.status_code == 200 and "模板格式有误" in broken.content.decode()
    client.post(
        url,
        {
            "kind": "reply",
            "organization": "",
            "title": template.title,
            "body": template.body + "\n本机关联系电话：{{ organization_phone }}",
        },
    )
    template.refresh_from_db()
    assert "本机关联系电话" in template.body


def _offered(client, req):
    """The step buttons of the request page, as the verbs their forms post to."""
    body = client.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
    return set(re.findall(rf"/staff/requests/{req.pk}/act/(\w+)/", body))


def test_the_page_offers_exactly_the_steps_the_services_accept(client, in_handling, county):
    from django.core.exceptions import ValidationError

    from requests_app.models import PauseReason

    req = in_handling()
    services.start_consultation(county.officer, req, reason=PauseReason.THIRD_PARTY, party="某公司")
    client.force_login(county.officer)
    offered = _offered(client, req)
    assert "end_consultation" in offered and "reply" in offered
    assert not offered & {"start_consultation", "issue_fee_notice", "record_fee_payment", "approve_extension"}
    req.refresh_from_db()
    with pytest.raises(ValidationError, match="当前已暂停计时"):
        services.start_consultation(county.officer, req, reason=PauseReason.OTHER_AGENCY, party="县财政局")
    assert set(services.available_steps(county.officer, req)) >= offered

    services.request_extension(county.officer, req, days=5, reason="材料较多")
    assert "request_extension" not in _offered(client, req)
    client.force_login(county.reviewer)
    assert _offered(client, req) == {"approve_extension", "reject_extension"}
