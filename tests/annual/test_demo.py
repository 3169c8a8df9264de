"""The demo county's 2025 report: non-trivial, balanced, published, and loading it twice changes nothing."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from annual import tables
from annual.models import AnnualReport, ReportScope, ReportState
from requests_app.models import Request


def test_the_demo_countys_2025_report_is_published_and_balances(demo, client):
    county = AnnualReport.objects.get(organization=demo["示范县"], year=2025, scope=ReportScope.SUBTREE)
    assert county.state == ReportState.PUBLISHED and tables.problems(county.data) == []
    t3 = county.data["table3"]
    assert t3["received"]["total"] >= 10 and t3["carried_over"]["total"] >= 1 and t3["carried_forward"]["total"] >= 1
    assert sum(1 for g in tables.GROUP_KEYS if t3[g]["total"]) == 6  # every outcome group occurs
    assert county.data["table2"]["normative"]["issued"] >= 1 and county.data["table4"]["reconsideration"]["total"]
    assert county.data["fees"]["paid"] >= 1
    civil = AnnualReport.objects.get(organization=demo["县民政局"], year=2025)
    assert civil.state == ReportState.PUBLISHED
    land = AnnualReport.objects.get(organization=demo["县自然资源局"], year=2025)
    assert land.state == ReportState.DRAFT
    listing = client.get("/zwgk/annual-reports/").content.decode()
    assert reverse("annual:report", args=[county.pk]) in listing and land.title not in listing
    assert client.get(reverse("annual:report_xlsx", args=[county.pk])).status_code == 200

    before = (Request.objects.count(), AnnualReport.objects.count(), county.version)
    call_command("load_demo", without_debug=True, stdout=io.StringIO())
    county.refresh_from_db()
    assert (Request.objects.count(), AnnualReport.objects.count(), county.version) == before


def test_the_demo_administrator_sees_who_still_owes(demo, client):
    from portal.models import User

    client.force_login(User.objects.get(username="gk_admin"))
    body = client.get(reverse("annual_staff:board")).content.decode()
    assert "个机构尚未发布" in body and "示范县自然资源局" in body


def test_the_demo_reports_went_out_within_their_deadlines(demo, client):
    from portal.models import User

    client.force_login(User.objects.get(username="gk_admin"))
    body = client.get(reverse("annual_staff:board")).content.decode()
    county_row = re.search(r'<tr class="ar-done">\s*<td[^>]*>示范县人民政府</td>(.*?)</tr>', body, flags=re.S).group(1)
    assert "2026-03-20" in county_row and "已按期发布" in county_row
