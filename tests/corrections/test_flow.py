"""我要纠错: from the footer of an item page to the owning organisation's queue and its answer."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from corrections import services
from corrections.models import ErrorReport, ReportState
from portal.models import AuditEntry
from tests.consultations.conftest import solve, token_of

pytestmark = pytest.mark.django_db
D = dt.date


def report_via_form(client, url, description="第三段“低保标准”写成了“底保标准”。", **extra):
    form_url = reverse("corrections:report") + "?url=" + quote(url)
    page = client.get(form_url).content.decode()
    data = {"url": url, "kind": "typo", "description": description, "name": "", "contact": "", "website": ""}
    data.update(token=token_of(page), answer=solve(page))
    data.update(extra)
    return client.post(reverse("corrections:report"), data)


def test_the_footer_link_carries_the_page_and_the_report_reaches_the_items_organisation(
    client, county, today, published_item
):
    item = published_item()
    item_url = reverse("disclosure:item", args=[item.pk])
    page = client.get(item_url).content.decode()
    link = re.search(r'href="(/hdjl/jc/\?url=[^"]+)"', page).group(1)
    assert quote(item_url, safe="") in link or item_url in link

    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'value="{item_url}"' in form

    response = report_via_form(client, item_url, name="李示例", contact="00005550123")
    body = response.content.decode()
    assert response.status_code == 200 and "纠错已提交" in body
    report = ErrorReport.objects.get()
    assert report.organization == county.town and report.page_title == item.title
    assert report.due_on == D(2026, 6, 8)  # 5 working days after Monday 06-01

    # In 城关镇's queue, not in 河西乡's.
    client.force_login(county.clerk)
    queue = client.get(reverse("corrections_staff:queue")).content.decode()
    assert report.reference in queue
    client.force_login(county.other_clerk)
    assert report.reference not in client.get(reverse("corrections_staff:queue")).content.decode()
    assert client.get(reverse("corrections_staff:detail", args=[report.pk])).status_code == 404

    client.force_login(county.clerk)
    detail = client.get(reverse("corrections_staff:detail", args=[report.pk])).content.decode()
    assert "李示例" in detail and "00005550123" in detail  # the owning office's handler sees them
    response = client.post(
        reverse("corrections_staff:act", args=[report.pk, "fix"]),
        {"version": report.version, "answer": "已改正，谢谢指正。"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.FIXED and report.answered_on == D(2026, 6, 1)
    assert AuditEntry.objects.filter(event="corrections.fix").exists()

    client.logout()
    answer = client.get(reverse("corrections:lookup") + f"?reference={report.reference}").content.decode()
    assert "已改正，谢谢指正。" in answer and "已更正" in answer
    assert "李示例" not in answer and "00005550123" not in answer


def test_pages_without_an_owner_go_to_the_root_organisation(client, county, today):
    report_via_form(client, "/zwgk/guide/")
    report_via_form(client, "https://elsewhere.example/zwgk/")  # another site: dropped, the root answers
    reports = list(ErrorReport.objects.order_by("id"))
    assert [r.organization for r in reports] == [county.county, county.county]
    assert reports[0].page_url == "/zwgk/guide/" and reports[1].page_url == ""


def test_organisation_and_consultation_pages_resolve_to_their_organisation(county, today):
    from corrections import owners

    assert owners.owner_of(reverse("disclosure:organization", args=[county.other_town.pk]))[0] == county.other_town
    assert owners.owner_of("/zwgk/xxgk/item/999999/")[0] == county.county
    assert owners.owner_of("/no/such/page/")[0] == county.county


def test_answering_needs_the_permission_and_an_answer(county, today):
    report = services.submit(page_url="/", kind="wrong", description="电话号码有误")
    with pytest.raises(ValidationError):
        services.fix(county.county_clerk, report, answer="  ")
    with pytest.raises(PermissionDenied):
        services.fix(county.reviewer, report, answer="好")  # a reviewer does not answer reports
    with pytest.raises(PermissionDenied):
        services.dismiss(county.other_clerk, report, answer="好")  # 河西乡 cannot answer the county's
    services.accept(county.county_clerk, report)
    report = services.dismiss(county.county_clerk, report, answer="经核实，电话号码无误。")
    assert report.state == ReportState.NOT_ERROR
    assert services.available_steps(county.county_clerk, report) == set()


def test_transfer_to_the_organisation_that_really_owns_the_page(client, county, today):
    report = services.submit(page_url="/", kind="wrong", description="城关镇的办公地址有误")
    client.force_login(county.county_admin)
    client.post(
        reverse("corrections_staff:act", args=[report.pk, "transfer"]),
        {"version": report.version, "organization": county.town.pk, "comment": "城关镇的信息"},
    )
    report.refresh_from_db()
    assert report.organization == county.town and report.state == ReportState.NEW
    assert report.due_on == D(2026, 6, 8)  # the deadline does not move


def test_statistics_count_reports_and_answer_times(client, county, today):
    first = services.submit(page_url="/", kind="typo", description="错字一")
    second = services.submit(page_url="/", kind="typo", description="错字二")
    services.submit(page_url="/", kind="typo", description="错字三")
    today(D(2026, 6, 3))
    services.fix(county.county_clerk, first, answer="已改")  # 2 working days
    today(D(2026, 6, 10))
    services.dismiss(county.county_clerk, second, answer="无误")  # 7 working days: late
    client.force_login(county.county_admin)
    page = client.get(reverse("corrections_staff:statistics") + "?start=2026-06-01&end=2026-06-30").content.decode()
    assert re.search(r'id="jc-total">3<', page)
    assert re.search(r'id="jc-on-time">1（50%）<', page)
    assert re.search(r'id="jc-average">4.5<', page)
    assert re.search(r'id="jc-overdue">1<', page)
