"""Who may do what: roles, the organisation boundary tried by URL, and the applicant's personal data."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from portal import audit
from portal.models import AuditEvent
from requests_app import services
from requests_app.models import Request, RequestFile, Status
from requests_app.staff_actions import ACTIONS

PRIVATE_ADDRESS = "幸福路99号3单元"
PRIVATE_PHONE = "00005557788"


@pytest.fixture
def civil_request(in_handling, county):
    req = in_handling(address=PRIVATE_ADDRESS, phone=PRIVATE_PHONE, delivery_method="post")
    services.attach_file(county.officer, req, _upload(), kind="internal")
    return req


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("内部.pdf", b"%PDF-1.4 internal", content_type="application/pdf")


def staff_urls(req):
    notice = req.notices.first()
    item = RequestFile.objects.filter(request=req).first()
    gets = [
        reverse("requests_staff:detail", args=[req.pk]),
        reverse("requests_staff:notice", args=[notice.pk]),
        reverse("requests_staff:notice_pdf", args=[notice.pk]),
        reverse("requests_staff:file", args=[item.pk]),
    ]
    posts = [reverse("requests_staff:act", args=[req.pk, verb]) for verb in ACTIONS] + [
        reverse("requests_staff:reveal", args=[req.pk]),
        reverse("requests_staff:note", args=[req.pk]),
        reverse("requests_staff:attach", args=[req.pk]),
        reverse("requests_staff:deliver", args=[notice.pk]),
    ]
    return gets, posts


def test_another_townships_officer_reaches_nothing_by_url(client, civil_request, county):
    client.force_login(county.west_officer)
    gets, posts = staff_urls(civil_request)
    before = Request.objects.get(pk=civil_request.pk)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        response = client.post(
            url,
            {
                "version": before.version,
                "text": "x",
                "method": "post",
                "reason": "x",
                "outcome": "1",
                "decision": "x",
                "items": "x",
                "party": "x",
                "days": 5,
            },
        )
        assert response.status_code == 404, url
    after = Request.objects.get(pk=civil_request.pk)
    assert (after.status, after.version, after.notes.count()) == (before.status, before.version, 0)
    queue = client.get(reverse("requests_staff:workbench")).content.decode()
    assert civil_request.registration_number not in queue
    export = load_workbook(io.BytesIO(client.get(reverse("requests_staff:export")).content)).active
    assert export.max_row == 1


def test_services_refuse_another_organisation_too(civil_request, county):
    for call in (
        lambda: services.reply(county.west_officer, civil_request, outcome="1", decision="x"),
        lambda: services.add_note(county.west_officer, civil_request, "x"),
        lambda: services.reveal_personal_data(county.west_officer, civil_request),
        lambda: services.intake(
            county.west_officer, county.civil, channel="post", receipt_date=civil_request.receipt_date, **_data()
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()


def _data():
    from .conftest import applicant

    return applicant()


def test_anonymous_users_are_sent_to_log_in(client, civil_request):
    gets, _posts = staff_urls(civil_request)
    for url in gets + [reverse("requests_staff:workbench"), reverse("requests_staff:intake")]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_a_clerk_has_no_request_pages(client, civil_request, county):
    client.force_login(county.clerk)
    assert client.get(reverse("requests_staff:workbench")).status_code == 403
    assert client.get(reverse("requests_staff:detail", args=[civil_request.pk])).status_code == 403


def test_a_reviewer_approves_extensions_but_does_not_handle(client, civil_request, county):
    client.force_login(county.reviewer)
    assert client.get(reverse("requests_staff:intake")).status_code == 403
    assert client.get(reverse("requests_staff:export")).status_code == 403
    req = Request.objects.get(pk=civil_request.pk)
    response = client.post(
        reverse("requests_staff:act", args=[req.pk, "reply"]),
        {"version": req.version, "outcome": "1", "decision": "予以公开"},
        follow=True,
    )
    assert "没有执行此操作的权限" in response.content.decode()
    assert Request.objects.get(pk=req.pk).status == Status.IN_HANDLING
    services.request_extension(county.officer, req, days=10, reason="数量较大")
    req.refresh_from_db()
    page = client.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
    assert 'id="action-approve_extension"' in page and 'id="action-reply"' not in page
    client.post(reverse("requests_staff:act", args=[req.pk, "approve_extension"]), {"version": req.version})
    assert Request.objects.get(pk=req.pk).extension_status == "approved"


def test_an_officer_cannot_approve_an_extension(client, civil_request, county):
    services.request_extension(county.officer, civil_request, days=10, reason="数量较大")
    req = Request.objects.get(pk=civil_request.pk)
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
    assert 'id="action-approve_extension"' not in page
    response = client.post(
        reverse("requests_staff:act", args=[req.pk, "approve_extension"]), {"version": req.version}, follow=True
    )
    assert "没有执行此操作的权限" in response.content.decode()
    assert Request.objects.get(pk=req.pk).extension_status == "requested"


def test_lists_are_masked_even_for_the_target_organisation(client, civil_request, county):
    client.force_login(county.officer)
    for url in (reverse("requests_staff:workbench"), reverse("requests_staff:mine")):
        body = client.get(url).content.decode()
        assert civil_request.registration_number in body
        for secret in (civil_request.id_number, PRIVATE_PHONE, PRIVATE_ADDRESS, civil_request.applicant_name):
            assert secret not in body, (url, secret)


def test_the_target_officer_sees_full_data_on_request_and_it_is_audited(client, civil_request, county):
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:detail", args=[civil_request.pk])).content.decode()
    assert civil_request.id_number not in page and PRIVATE_PHONE not in page
    assert reverse("requests_staff:reveal", args=[civil_request.pk]) in page
    full = client.post(reverse("requests_staff:reveal", args=[civil_request.pk])).content.decode()
    for value in (civil_request.id_number, PRIVATE_PHONE, PRIVATE_ADDRESS, civil_request.applicant_name):
        assert value in full
    entry = audit.entries_for(civil_request).first()
    assert entry.event == AuditEvent.VIEW_PERSONAL_DATA and entry.actor == county.officer
    assert entry.verb == "查看个人信息"
    assert civil_request.id_number not in entry.comment + entry.object_repr


def test_a_superior_bodys_officer_sees_the_request_but_not_the_person(client, civil_request, county):
    client.force_login(county.county_officer)
    page = client.get(reverse("requests_staff:detail", args=[civil_request.pk])).content.decode()
    assert civil_request.registration_number in page
    assert reverse("requests_staff:reveal", args=[civil_request.pk]) not in page
    denied = client.post(reverse("requests_staff:reveal", args=[civil_request.pk]), follow=True).content.decode()
    assert civil_request.id_number not in denied and "只有受理机关" in denied
    sheet = load_workbook(io.BytesIO(client.get(reverse("requests_staff:export")).content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert civil_request.registration_number in values
    assert civil_request.id_number not in values and PRIVATE_PHONE not in values


def test_export_is_full_for_the_target_organisation_and_audited(client, civil_request, county):
    client.force_login(county.officer)
    response = client.get(reverse("requests_staff:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["登记号", "查询号", "受理机关"]
    row = [c.value for c in sheet[2]]
    assert civil_request.registration_number in row and civil_request.id_number in row
    assert audit.entries_for(county.civil).filter(event="requests_app.export_register").exists()


def test_no_one_may_delete_a_request_in_the_admin(client, civil_request, county, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:requests_app_request_delete", args=[civil_request.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Request.objects.filter(pk=civil_request.pk).exists()
    listing = client.get(reverse("admin:requests_app_request_changelist")).content.decode()
    assert civil_request.id_number not in listing


def test_notices_show_the_name_only_inside_the_target_organisation(client, civil_request, county):
    ack = civil_request.notices.get(kind="acknowledgement")
    assert civil_request.applicant_name in ack.body
    client.force_login(county.county_officer)
    page = client.get(reverse("requests_staff:notice", args=[ack.pk])).content.decode()
    assert ack.document_number in page and civil_request.applicant_name not in page
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:notice", args=[ack.pk])).content.decode()
    assert civil_request.applicant_name in page
    ack.refresh_from_db()
    assert civil_request.applicant_name in ack.body  # the issued text itself is never altered
