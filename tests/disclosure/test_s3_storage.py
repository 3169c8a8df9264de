"""Attachments in an S3-compatible store (a real S3 API server: moto's server mode).

What a second application server needs: a file uploaded through one process
is in the bucket, not on that process's disk, and any process streams it back
byte for byte through the download view, which still decides who may have it.
"""

import hashlib

from disclosure import services
from disclosure.models import DisclosureItem
from portal import storage
from tests.disclosure.conftest import PDF_BYTES, pdf_upload


def _other_pdf():
    return PDF_BYTES.replace(b"200 200", b"300 400") + b"%" + bytes(range(256)) + b"\n"


def test_an_attachment_uploaded_on_the_staff_page_downloads_byte_identical_from_the_bucket(
    client, county, make_item, publish_item, s3, settings, tmp_path
):
    content = _other_pdf()
    item = make_item()
    client.force_login(county.clerk)
    response = client.post(f"/gkgl/item/{item.pk}/attachments/", {"file": pdf_upload("补贴名单.pdf", content)})
    assert response.status_code == 302
    attachment = item.attachments.get()
    # In the bucket under the attachments prefix, and nowhere on this machine's disk.
    key = f"county/attachments/{attachment.file.name}"
    assert s3.keys("county/attachments/") == [key]
    assert s3.body(key) == content and attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    publish_item(DisclosureItem.objects.get(pk=item.pk))
    client.logout()
    download = client.get(f"/zwgk/xxgk/file/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content
    # Even a published item's file is not readable straight from the bucket: only through the view.
    status, body = s3.anonymous_get(key)
    assert status == 403 and content not in body


def test_a_withdrawn_items_file_is_not_served_although_it_stays_in_the_bucket(
    client, county, make_item, publish_item, s3
):
    item = make_item()
    attachment = services.add_attachment(county.clerk, item, pdf_upload())
    publish_item(item)
    assert client.get(f"/zwgk/xxgk/file/{attachment.pk}/").status_code == 200
    services.withdraw(county.reviewer, item, reason="误发")
    response = client.get(f"/zwgk/xxgk/file/{attachment.pk}/")
    assert response.status_code == 410 and "撤回" in response.content.decode()
    assert PDF_BYTES not in response.content
    assert s3.keys("county/attachments/") == [f"county/attachments/{attachment.file.name}"]


def test_staff_download_of_a_draft_and_removing_it_deletes_the_object(
    client, county, make_item, s3, django_capture_on_commit_callbacks
):
    item = make_item()
    attachment = services.add_attachment(county.clerk, item, pdf_upload())
    client.force_login(county.clerk)
    response = client.get(f"/gkgl/file/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert client.get(f"/zwgk/xxgk/file/{attachment.pk}/").status_code == 404  # not public yet
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(county.clerk, attachment)
        assert s3.keys("county/attachments/") != []  # not before the removal is committed
    assert s3.keys("county/attachments/") == []


def test_a_missing_object_is_a_404_not_a_500(client, county, make_item, publish_item, s3):
    item = make_item()
    attachment = services.add_attachment(county.clerk, item, pdf_upload())
    publish_item(item)
    s3.client.delete_object(Bucket=s3.bucket, Key=f"county/attachments/{attachment.file.name}")
    assert client.get(f"/zwgk/xxgk/file/{attachment.pk}/").status_code == 404


def test_the_readiness_check_says_ok_or_error_and_nothing_else(s3, settings):
    assert {alias: r["status"] for alias, r in storage.check().items()} == {
        "attachments": "ok",
        "private": "ok",
        "default": "ok",
    }
    s3.client.delete_bucket(Bucket=s3.bucket)
    results = storage.check()
    assert {r["status"] for r in results.values()} == {"error"} and not storage.healthy()
    assert s3.bucket not in repr(results) and s3.endpoint not in repr(results)
