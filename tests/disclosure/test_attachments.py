import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import filetypes, services
from disclosure.demo import tiny_pdf, tiny_png
from tests.disclosure.conftest import PDF_BYTES, pdf_upload


def zip_bytes(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


OLE = filetypes.OLE2_MAGIC + b"\x00" * 504


@pytest.mark.parametrize(
    "content, expected",
    [
        (PDF_BYTES, filetypes.FileType.PDF),
        (zip_bytes(["OFD.xml", "Doc_0/Document.xml"]), filetypes.FileType.OFD),
        (zip_bytes(["[Content_Types].xml", "word/document.xml"]), filetypes.FileType.DOCX),
        (zip_bytes(["[Content_Types].xml", "xl/workbook.xml"]), filetypes.FileType.XLSX),
        (OLE, filetypes.FileType.OLE),
        (tiny_png(), filetypes.FileType.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, filetypes.FileType.JPEG),
        (b"GIF89a" + b"\x00" * 20, filetypes.FileType.GIF),
        (zip_bytes(["材料/说明.txt"]), filetypes.FileType.ZIP),
        (b"MZ\x90\x00" + b"\x00" * 60, None),
        (b"<html><script>alert(1)</script></html>", None),
        (zip_bytes(["[Content_Types].xml", "ppt/presentation.xml"]), None),
    ],
)
def test_type_is_read_from_content(content, expected):
    assert filetypes.detect(io.BytesIO(content)) == expected


def test_upload_keeps_original_name_and_stores_under_generated_name(county, make_item):
    item = make_item()
    attachment = services.add_attachment(county.clerk, item, pdf_upload("城乡低保标准调整表.pdf"))
    assert attachment.original_name == "城乡低保标准调整表.pdf"
    assert attachment.file_type == filetypes.FileType.PDF
    assert "低保" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert attachment.size == len(PDF_BYTES)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("通知.pdf", b"<html>not a pdf</html>", "无法识别"),
        ("通知.pdf", tiny_png(), "扩展名与内容不符"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "无法识别"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(county, make_item, name, content, message):
    item = make_item()
    with pytest.raises(ValidationError, match=message):
        services.add_attachment(county.clerk, item, SimpleUploadedFile(name, content))
    assert item.attachments.count() == 0


def test_size_limit_comes_from_settings(county, make_item, settings):
    settings.DISCLOSURE_MAX_ATTACHMENT_MB = 1
    item = make_item()
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError, match="超过了1MB"):
        services.add_attachment(county.clerk, item, SimpleUploadedFile("大文件.pdf", big))
    settings.DISCLOSURE_MAX_ATTACHMENT_MB = 2
    assert services.add_attachment(county.clerk, item, SimpleUploadedFile("大文件.pdf", big)).size == len(big)


def test_no_upload_to_a_submitted_item(county, make_item):
    item = make_item()
    services.submit(county.clerk, item)
    with pytest.raises(ValidationError, match="待审核"):
        services.add_attachment(county.clerk, item, pdf_upload())


def test_download_has_original_chinese_name(client, county, make_item, publish_item):
    item = make_item()
    attachment = services.add_attachment(county.clerk, item, pdf_upload("低保标准（2026）.pdf"))
    publish_item(item)
    response = client.get(f"/zwgk/xxgk/file/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''" + quote("低保标准（2026）.pdf") in disposition
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_files_of_unpublished_and_withdrawn_items_are_not_served(client, county, make_item, publish_item):
    item = make_item()
    attachment = services.add_attachment(county.clerk, item, pdf_upload())
    assert client.get(f"/zwgk/xxgk/file/{attachment.pk}/").status_code == 404
    publish_item(item)
    assert client.get(f"/zwgk/xxgk/file/{attachment.pk}/").status_code == 200
    services.withdraw(county.reviewer, item, reason="误发")
    response = client.get(f"/zwgk/xxgk/file/{attachment.pk}/")
    assert response.status_code == 410
    assert "撤回" in response.content.decode()


def test_earlier_versions_files_stay_downloadable(client, county, make_item, publish_item):
    item = make_item()
    old = services.add_attachment(county.clerk, item, pdf_upload("旧表.pdf"))
    publish_item(item)
    revision = services.begin_revision(county.clerk, item, note="换新表")
    copy = revision.attachments.get()
    services.remove_attachment(county.clerk, copy)
    services.add_attachment(county.clerk, revision, SimpleUploadedFile("新表.pdf", tiny_pdf("new")))
    publish_item(revision)
    item.refresh_from_db()
    page = client.get(f"/zwgk/xxgk/item/{item.pk}/").content.decode()
    assert "新表.pdf" in page and "旧表.pdf" not in page
    first = client.get(f"/zwgk/xxgk/item/{item.pk}/v/1/").content.decode()
    assert "旧表.pdf" in first
    assert client.get(f"/zwgk/xxgk/file/{old.pk}/").status_code == 200
