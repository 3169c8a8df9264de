"""A published report's downloads are made once, kept in the S3-compatible store and streamed from it."""

import io

from django.urls import reverse

from tests.annual.test_pages import published  # noqa: F401 - the published report fixture


def test_published_spreadsheet_is_stored_once_and_a_drafts_is_not(client, county, published, s3):  # noqa: F811
    from openpyxl import load_workbook

    report, draft = published
    first = client.get(reverse("annual:report_xlsx", args=[report.pk]))
    assert first.status_code == 200 and first["Content-Disposition"].startswith("attachment")
    data = first.getvalue()
    assert load_workbook(io.BytesIO(data))["正文"]["A1"].value == report.title
    [key] = s3.keys(f"county/media/reports/annual/{report.pk}/")
    assert s3.body(key) == data and s3.anonymous_get(key)[0] == 403
    assert client.get(reverse("annual:report_xlsx", args=[report.pk])).getvalue() == data
    assert s3.keys("county/media/") == [key]  # the second download made no new file
    client.force_login(county.admin)
    staff = client.get(reverse("annual_staff:xlsx", args=[draft.pk]))
    assert staff.status_code == 200 and staff.content.startswith(b"PK")
    assert s3.keys("county/media/") == [key]  # a draft changes daily: never stored
