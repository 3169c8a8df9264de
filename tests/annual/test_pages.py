"""The 年报 sub-column, the downloads, the statistics pages and the staff pages, as users meet them."""

import csv
import datetime as dt
import io
import re
import zlib

import pytest
from django.urls import reverse

from annual import services
from annual.models import AnnualReport, ReportScope, ReportState
from requests_app import services as rq
from requests_app.models import Outcome

D = dt.date
# Every page's one script: the static 朗读 enhancement of the accessibility toolbar (portal/display.py).
READ_ALOUD_SCRIPT = '<script src="/static/js/a11y.js" defer></script>'

# The spec's rows and columns of table 三, exactly (annual-report.md).
SPEC_T3_ROWS = """一、本年新收政府信息公开申请数量
二、上年结转政府信息公开申请数量
三、本年度办理结果
（一）予以公开
（二）部分公开（区分处理的，只计这一情形，不计其他情形）
（三）不予公开
1.属于国家秘密
2.其他法律行政法规禁止公开
3.危及“三安全一稳定”
4.保护第三方合法权益
5.属于三类内部事务信息
6.属于四类过程性信息
7.属于行政执法案卷
8.属于行政查询事项
（四）无法提供
1.本机关不掌握相关政府信息
2.没有现成信息需要另行制作
3.补正后申请内容仍不明确
（五）不予处理
1.信访举报投诉类申请
2.重复申请
3.要求提供公开出版物
4.无正当理由大量反复申请
5.要求行政机关确认或重新出具已获取信息
（六）其他处理
1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
3.其他
（七）总计
四、结转下年度继续办理""".split("\n")
SPEC_T3_COLUMNS = ["自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
SPEC_T2_LABELS = [
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "第二十条第（五）项",
    "行政许可",
    "本年处理决定数量",
    "第二十条第（六）项",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "行政事业性收费",
    "本年收费金额（单位：万元）",
]
SPEC_T4_LABELS = [
    "行政复议",
    "行政诉讼",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
]
SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def cells_text(html):
    """The text of every table cell, unescaped."""
    import html as html_lib

    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, flags=re.S)
    ]


def t3_numbers(html):
    """{row label: [7 numbers]} of the table 三 on a page."""
    table = re.search(r'<table class="ar-table ar-t3">(.*?)</table>', html, flags=re.S).group(1)
    result = {}
    for row in re.findall(r'<tr class="ar-[a-z]+" data-row="[^"]+">(.*?)</tr>', table, flags=re.S):
        cells = cells_text(row)
        result[cells[0]] = [int(c) for c in cells[1:]]
    return result


@pytest.fixture
def published(county, intake, today):
    """The bureau's 2025 report, published; a draft of the land of the township beside it."""
    for receipt, category, outcome, replied in [
        (D(2024, 12, 30), "natural", Outcome.DISCLOSED, D(2025, 1, 8)),
        (D(2025, 3, 3), "business", Outcome.PARTIAL, D(2025, 3, 10)),
        (D(2025, 5, 5), "research", Outcome.NOT_HANDLED_REPEAT, D(2025, 5, 7)),
        (D(2025, 12, 29), "natural", None, None),
    ]:
        req = intake(receipt, applicant_category=category)
        if outcome:
            rq.begin_review(county.officer, req)
            rq.reply(county.officer, req, outcome=outcome, decision="答复", legal_basis="条例", on=replied)
    report = services.generate(county.clerk, county.civil, 2025)
    services.update_text(county.clerk, report, problems="答复说理需加强。")
    services.submit(county.clerk, report)
    report = services.publish(county.reviewer, report)
    draft = services.generate(county.admin, county.east, 2025)
    return report, draft


def test_the_column_says_when_nothing_is_published(client, county):
    response = client.get(reverse("annual:list"))
    assert response.status_code == 200 and "暂无已发布的年度报告。" in response.content.decode()


def test_published_reports_are_listed_in_the_column_and_drafts_are_not(client, published):
    report, draft = published
    body = client.get("/zwgk/annual-reports/").content.decode()
    assert reverse("annual:report", args=[report.pk]) in body and "2025年度" in body
    assert report.title in body and draft.title not in body
    for name in ("annual:report", "annual:report_xlsx", "annual:report_pdf"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    # The column's 年报 link leads here.
    column = client.get(reverse("column:index")).content.decode()
    assert 'href="/zwgk/annual-reports/"' in column


def test_the_report_page_has_every_section_and_the_exact_labels_and_numbers(client, published):
    report, _draft = published
    body = client.get(reverse("annual:report", args=[report.pk])).content.decode()
    cells = cells_text(body)
    for label in SPEC_T3_ROWS + SPEC_T3_COLUMNS + SPEC_T2_LABELS + SPEC_T4_LABELS:
        assert label in cells, label
    assert "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和" in cells
    headings = re.findall(r"<h2>(.*?)</h2>", body)
    assert headings == SECTIONS
    numbers = t3_numbers(body)
    assert list(numbers) == [r for r in SPEC_T3_ROWS if r != "三、本年度办理结果"]
    assert numbers["一、本年新收政府信息公开申请数量"] == [1, 1, 1, 0, 0, 0, 3]
    assert numbers["二、上年结转政府信息公开申请数量"] == [1, 0, 0, 0, 0, 0, 1]
    assert numbers["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == [0, 1, 0, 0, 0, 0, 1]
    assert numbers["2.重复申请"] == [0, 0, 1, 0, 0, 0, 1]
    assert numbers["四、结转下年度继续办理"] == [1, 0, 0, 0, 0, 0, 1]
    assert "答复说理需加强。" in body and "<script" not in body.replace(READ_ALOUD_SCRIPT, "")


def test_the_spreadsheet_has_the_same_labels_and_numbers(client, published):
    from openpyxl import load_workbook

    report, _draft = published
    response = client.get(reverse("annual:report_xlsx", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.getvalue()))
    assert wb.sheetnames == ["正文", "表二", "表三", "表四"]
    text = [c.value for c in wb["正文"]["A"] if c.value]
    assert text[0] == report.title and all(s in text for s in SECTIONS)
    sheet = wb["表三"]
    assert sheet["A2"].value == "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
    assert [sheet.cell(row=4, column=c).value for c in range(3, 8)] == SPEC_T3_COLUMNS[2:7]
    assert (sheet["B3"].value, sheet["C3"].value, sheet["H3"].value) == ("自然人", "法人或其他组织", "总计")
    rows = {
        sheet.cell(row=r, column=1).value: [sheet.cell(row=r, column=c).value for c in range(2, 9)]
        for r in range(5, sheet.max_row + 1)
    }
    assert list(rows) == SPEC_T3_ROWS
    page = t3_numbers(client.get(reverse("annual:report", args=[report.pk])).content.decode())
    for label, values in page.items():
        assert rows[label] == values, label
    t2 = [c.value for row in wb["表二"].iter_rows() for c in row if c.value is not None]
    for label in SPEC_T2_LABELS:
        assert label in t2
    t4 = wb["表四"]
    assert (t4["A2"].value, t4["F2"].value, t4["F3"].value, t4["K3"].value) == (
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    )
    assert [t4.cell(row=4, column=c).value for c in range(1, 6)] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]
    assert all(isinstance(t4.cell(row=5, column=c).value, int) for c in range(1, 16))


def test_the_pdf_is_set_in_chinese_fonts(client, published):
    from requests_app.notices import pdf_unavailable_reason

    if pdf_unavailable_reason():
        pytest.skip(pdf_unavailable_reason())
    report, _draft = published
    response = client.get(reverse("annual:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.getvalue()
    assert data.startswith(b"%PDF")
    inflated = b"".join(
        zlib.decompress(m.group(1))
        for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S)
        if _inflates(m.group(1))
    )
    assert b"Noto" in inflated and b"CJK" in inflated


def _inflates(data):
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


def test_earlier_years_stay_online(client, published, county, intake, today):
    report, _draft = published
    today(D(2027, 2, 1))
    newer = services.generate(county.clerk, county.civil, 2026)
    services.update_text(county.clerk, newer, problems="无。")
    services.submit(county.clerk, newer)
    services.publish(county.reviewer, newer)
    body = client.get("/zwgk/annual-reports/").content.decode()
    assert body.index("2026年度") < body.index("2025年度")
    assert client.get(reverse("annual:report", args=[report.pk])).status_code == 200


# --- statistics -----------------------------------------------------------------------------------


def test_public_statistics_show_each_chart_with_its_numbers_and_csv(client, published, county):
    url = reverse("annual:statistics")
    body = client.get(url, {"year": 2025}).content.decode()
    assert "<script" not in body.replace(READ_ALOUD_SCRIPT, "")
    for name in ("monthly", "outcomes", "timeliness", "reply_days", "items_monthly", "items_domains"):
        assert f'id="{name}"' in body
    assert "coverage" not in body  # the catalog coverage table is for staff
    monthly = re.search(r'<section class="ar-stat" id="monthly">(.*?)</section>', body, flags=re.S).group(1)
    assert "<img" in monthly and "数据见下表" in monthly
    cells = cells_text(monthly)
    assert cells[cells.index("3月") + 1] == "1" and cells[cells.index("12月") + 1] == "1"
    chart = client.get(reverse("annual:statistics_chart", args=["monthly"]), {"year": 2025})
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in chart.content and b"<script" not in chart.content
    csv_response = client.get(reverse("annual:statistics_csv", args=["monthly"]), {"year": 2025})
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == ["月份", "收到申请", "办结"]
    assert rows[3] == ["3月", "1", "1"] and rows[12] == ["12月", "1", "0"]
    outcomes = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("annual:statistics_csv", args=["outcomes"]), {"year": 2025}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert outcomes[1][:2] == ["（一）予以公开", "1"] and outcomes[5][:2] == ["（五）不予处理", "1"]
    # Filtering by another organisation shows none of the bureau's numbers.
    east = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("annual:statistics_csv", args=["monthly"]), {"year": 2025, "org": county.east.pk}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert all(r[1] == "0" for r in east[1:])
    assert client.get(reverse("annual:statistics_csv", args=["nothing"])).status_code == 404
    assert client.get(url, {"year": "abc", "org": "x"}).status_code == 200


def test_timeliness_counts_replies_against_the_statutory_clock(client, county, intake, today):
    late = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, late)
    rq.reply(county.officer, late, outcome=Outcome.DISCLOSED, decision="公开", on=D(2025, 4, 30))
    quick = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, quick)
    rq.reply(county.officer, quick, outcome=Outcome.DISCLOSED, decision="公开", on=D(2025, 3, 5))
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("annual:statistics_csv", args=["timeliness"]), {"year": 2025}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    values = dict(rows[1:])
    assert (values["作出答复"], values["按期答复"], values["逾期答复"], values["按期答复率"]) == (
        "2",
        "1",
        "1",
        "50.0%",
    )
    assert values["90%的答复在以下工作日内作出"] == str(
        __import__("portal.workdays", fromlist=["working_days_between"]).working_days_between(
            D(2025, 3, 3), D(2025, 4, 30)
        )
    )


# --- staff pages ------------------------------------------------------------------------------------


def test_the_board_shows_who_still_owes_last_years_report(client, published, county, today):
    client.force_login(county.admin)
    body = client.get(reverse("annual_staff:board")).content.decode()
    rows = re.findall(r'<tr class="ar-(done|late|open)">(.*?)</tr>', body, flags=re.S)
    by_org = {cells_text(r)[0]: (kind, cells_text(r)) for kind, r in rows}
    # Published on 1 June 2026, after the bureau's 31 January deadline.
    assert by_org["测试县民政局"][0] == "done" and "已发布（逾期）" in by_org["测试县民政局"][1][3]
    # 1 June 2026: a township's 31 January deadline is 121 days past; the county's 31 March one 62 days.
    assert by_org["测试县东乡人民政府"][0] == "late" and "已逾期 121 天" in by_org["测试县东乡人民政府"][1][3]
    assert "草稿" in by_org["测试县东乡人民政府"][1][2]
    assert "已逾期 62 天" in by_org["测试县人民政府"][1][3] and "2026-03-31" in by_org["测试县人民政府"][1][1]
    assert "东乡某村村民委员会" not in by_org  # villages publish no report
    assert "3 个机构尚未发布" in body
    today(D(2026, 1, 10))
    body = client.get(reverse("annual_staff:board")).content.decode()
    assert "还剩 21 天" in body  # a department's report on 2025, on 10 January 2026


def test_a_reviewer_publishes_from_the_staff_page(client, county, intake, today):
    report = services.generate(county.clerk, county.civil, 2025)
    client.force_login(county.clerk)
    response = client.post(
        reverse("annual_staff:text", args=[report.pk]),
        {"overview": "总体情况。", "problems": "问题。", "other_matters": "其他。", "version": report.version},
    )
    assert response.status_code == 302
    client.post(reverse("annual_staff:act", args=[report.pk, "submit"]))
    client.force_login(county.reviewer)
    page = client.get(reverse("annual_staff:detail", args=[report.pk])).content.decode()
    assert 'id="balance-ok"' in page and "act/publish/" in page
    response = client.post(reverse("annual_staff:act", args=[report.pk, "publish"]), follow=True)
    assert "已完成：发布。" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED and report.overview == "总体情况。"


def test_staff_of_another_township_cannot_reach_the_bureaus_report(client, published, county):
    report, _draft = published
    client.force_login(county.west_admin)
    for name in ("annual_staff:detail", "annual_staff:xlsx", "annual_staff:pdf"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name
    assert client.post(reverse("annual_staff:act", args=[report.pk, "regenerate"])).status_code == 404
    assert client.post(reverse("annual_staff:text", args=[report.pk]), {"overview": "x"}).status_code == 404
    response = client.post(
        reverse("annual_staff:generate"),
        {"organization": county.civil.pk, "year": 2025, "scope": ReportScope.ORGANIZATION},
        follow=True,
    )
    assert "选择一个有效的选项" in response.content.decode() or "您只能处理" in response.content.decode()
    assert (
        not AnnualReport.objects.filter(organization=county.civil, year=2025, scope="organization")
        .exclude(pk=report.pk)
        .exists()
    )
    board = client.get(reverse("annual_staff:board")).content.decode()
    assert "测试县民政局" not in board
    # The dashboard's organisation filter cannot reach outside the subtree either.
    rows = client.get(reverse("annual_staff:csv", args=["monthly"]), {"year": 2025, "org": county.civil.pk})
    own = client.get(reverse("annual_staff:csv", args=["monthly"]), {"year": 2025, "org": county.west.pk})
    assert rows.content == own.content


def test_the_staff_dashboard_adds_catalog_coverage(client, county):
    client.force_login(county.admin)
    body = client.get(reverse("annual_staff:dashboard"), {"year": 2025}).content.decode()
    assert 'id="coverage"' in body and "各机构目录覆盖情况" in body
    response = client.get(reverse("annual_staff:csv", args=["coverage"]), {"year": 2025})
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[0] == [
        "机构",
        "应主动公开事项",
        "已有公开信息",
        "其中逾期",
        "覆盖率",
    ]


def test_pages_need_the_view_permission(client, county, make_user):
    client.force_login(make_user("nobody", county.civil))
    assert client.get(reverse("annual_staff:board")).status_code == 403
    assert client.get(reverse("annual_staff:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("annual_staff:board")).status_code == 302


def test_time_spent_consulting_a_third_party_does_not_make_a_reply_late(client, county, intake, today):
    from annual import stats
    from portal.workdays import working_days_between

    req = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, req)
    rq.accept(county.officer, req, handler=county.officer)
    rq.start_consultation(county.officer, req, reason="third_party", party="某公司", on=D(2025, 3, 5))
    rq.end_consultation(county.officer, req, on=D(2025, 3, 26))
    rq.reply(
        county.officer,
        req,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        decision="不予公开",
        legal_basis="条例",
        on=D(2025, 4, 10),
    )
    assert working_days_between(D(2025, 3, 3), D(2025, 4, 10)) > 20  # late, were the pause counted
    on_time, late, days = stats.reply_times(stats.Filters(county.civil, 2025))
    assert (on_time, late, days) == (1, 0, [working_days_between(D(2025, 3, 3), D(2025, 4, 10))])


def test_an_approved_extension_counts_for_timeliness(client, county, intake, today):
    from annual import stats
    from portal.workdays import add_working_days

    req = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, req)
    rq.accept(county.officer, req, handler=county.officer)
    rq.request_extension(county.officer, req, days=15, reason="数量较大", on=D(2025, 3, 20))
    rq.approve_extension(county.reviewer, req, on=D(2025, 3, 21))
    rq.reply(county.officer, req, outcome=Outcome.DISCLOSED, decision="公开", on=add_working_days(D(2025, 3, 3), 30))
    assert stats.reply_times(stats.Filters(county.civil, 2025))[:2] == (1, 0)


def test_the_board_can_look_at_an_earlier_year(client, published, county, today):
    client.force_login(county.admin)
    body = client.get(reverse("annual_staff:board"), {"year": 2024}).content.decode()
    assert "2024年度报告发布情况" in body
    assert 'class="ar-done"' not in body and "2025-01-31" in body  # nothing published for 2024; its deadlines
    assert "2025年度报告发布情况" in client.get(reverse("annual_staff:board"), {"year": "x"}).content.decode()
