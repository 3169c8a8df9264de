"""The county's administrator finishes the land bureau's 2025 report, submits and publishes it;
a citizen finds it in the column's 年报 sub-column, reads table 三 and downloads the spreadsheet —
on a desktop and at 375 px."""

import io
import re

from annual.models import AnnualReport, ReportState
from tests.browser.conftest import assert_no_horizontal_scroll

LAND = "示范县自然资源局"
TITLE = f"{LAND}2025年政府信息公开工作年度报告"


def test_publish_a_report_and_read_it_in_the_column(browser, page, live_server, demo):
    base = live_server.url
    report = AnnualReport.objects.get(organization=demo["县自然资源局"], year=2025)
    assert report.state == ReportState.DRAFT

    # The administrator sees the bureau still owes its report, and opens it.
    page.goto(f"{base}/admin/login/?next=/staff/annual/")
    page.fill("#id_username", "gk_admin")
    page.fill("#id_password", "demo-gkadmin-2026")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url("**/staff/annual/")
    row = page.locator(".ar-deadlines tr", has_text=LAND)
    assert "已逾期" in row.inner_text()
    assert_no_horizontal_scroll(page)
    row.get_by_role("link", name="草稿").click()
    assert "请填写“五、存在的主要问题及改进情况”。" in page.locator(".ar-problems").inner_text()
    assert_no_horizontal_scroll(page)

    page.fill("#id_problems", "个别依申请公开答复说理不够充分，将加强答复文书审核。")
    page.get_by_role("button", name="保存正文").click()
    assert "正文已保存。" in page.locator(".messages").inner_text()
    assert page.locator("#balance-ok").is_visible()
    page.get_by_role("button", name="提交审核").click()
    assert page.locator("#report-state").inner_text() == "待审核"
    page.get_by_role("button", name="发布").click()
    assert "已完成：发布。" in page.locator(".messages").inner_text()
    assert page.locator("#report-state").inner_text() == "已发布"

    # A citizen, not logged in, finds it in the 年报 sub-column.
    citizen = browser.new_context(viewport=page.viewport_size, locale="zh-CN", accept_downloads=True).new_page()
    citizen.goto(f"{base}/zwgk/")
    citizen.get_by_role("link", name="政府信息公开年报").first.click()
    assert_no_horizontal_scroll(citizen)
    citizen.get_by_role("link", name=TITLE).click()
    assert citizen.locator("h1").inner_text() == TITLE
    assert_no_horizontal_scroll(citizen)
    t3 = citizen.locator("table.ar-t3")
    assert t3.is_visible()
    received = t3.locator("tr[data-row=received]")
    assert received.locator("th").inner_text() == "一、本年新收政府信息公开申请数量"
    on_page = [int(c) for c in received.locator("td").all_inner_texts()]
    report.refresh_from_db()
    assert on_page[-1] == report.data["table3"]["received"]["total"] > 0
    assert "个别依申请公开答复说理不够充分" in citizen.locator(".ar-report").inner_text()
    narrow = citizen.viewport_size["width"] < 600
    assert citizen.locator("table.ar-t4.ar-narrow").is_visible() == narrow
    assert citizen.locator("table.ar-t4.ar-wide").is_visible() != narrow

    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="电子表格（xlsx）").click()
    from openpyxl import load_workbook

    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["表三"]
    row = next(
        r
        for r in range(1, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == received.locator("th").inner_text()
    )
    assert [sheet.cell(row=row, column=c).value for c in range(2, 9)] == on_page
    assert re.search(r"\.xlsx$", download.value.suggested_filename)
    citizen.context.close()
