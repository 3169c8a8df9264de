"""Applicants' files and notices in an S3-compatible store (a real S3 API server: moto's server mode).

Applicants' files are personal information: in the bucket they are private
objects that an anonymous GET cannot read, and the only way out is through the
views that check the tracking number and code (or the staff member's scope).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import notices, services
from requests_app.models import FileKind


def lookup(client, number, code):
    return client.post(reverse("requests_app:lookup"), {"tracking_number": number, "query_code": code})


def test_an_applicants_file_is_private_in_the_bucket_and_served_only_with_the_code(client, intake, county, s3):
    req, code = intake()
    services.request_supplement(county.officer, req, items="请写明文件名称")
    content = b"%PDF-1.4 supplement with a resident's personal data"
    lookup(client, req.tracking_number, code)
    response = client.post(
        reverse("requests_app:supplement", args=[req.tracking_number]),
        {
            "text": "文件名称为测试通知",
            "files": [SimpleUploadedFile("补正.pdf", content, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    item = req.files.get()
    key = f"county/private/{item.file.name}"
    assert key in s3.keys("county/private/") and s3.body(key) == content
    # Nobody reads it straight from the bucket, neither by its plain URL nor by guessing.
    status, body = s3.anonymous_get(key)
    assert status == 403 and content not in body
    # The store only ever hands out short-lived signed URLs (the views do not use them).
    assert "X-Amz-Signature=" in item.file.url and "X-Amz-Expires=300" in item.file.url
    download = client.get(reverse("requests_app:file", args=[req.tracking_number, item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    # Another visitor, without the code, gets nothing.
    client.logout()
    assert client.get(reverse("requests_app:file", args=[req.tracking_number, item.pk])).status_code == 404


def test_an_internal_file_stays_with_staff(client, in_handling, county, s3):
    req = in_handling()
    item = services.attach_file(
        county.officer, req, SimpleUploadedFile("内部.pdf", b"%PDF-1.4 internal"), kind=FileKind.INTERNAL
    )
    client.force_login(county.officer)
    response = client.get(reverse("requests_staff:file", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 internal"
    client.force_login(county.west_officer)
    assert client.get(reverse("requests_staff:file", args=[item.pk])).status_code == 404


def test_a_notice_is_rendered_once_into_the_bucket_and_downloaded_from_it(client, intake, county, s3, monkeypatch):
    reason = notices.pdf_unavailable_reason()
    if reason:
        pytest.skip(reason)  # names the Debian package to install
    req, code = intake()
    ack = req.notices.get()
    lookup(client, req.tracking_number, code)
    url = reverse("requests_app:notice_pdf", args=[req.tracking_number, ack.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    data = first.getvalue()
    assert data.startswith(b"%PDF")
    [key] = s3.keys(f"county/private/notices/{req.pk}/{ack.pk}/")
    assert s3.body(key) == data and s3.anonymous_get(key)[0] == 403
    # The second download (any server) streams the stored file: WeasyPrint is not asked again.
    monkeypatch.setattr(notices, "render_pdf", lambda *a, **k: pytest.fail("rendered twice"))
    client.force_login(county.officer)
    again = client.get(reverse("requests_staff:notice_pdf", args=[ack.pk]))
    assert again.status_code == 200 and again.getvalue() == data
