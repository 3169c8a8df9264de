"""A citizen applies online, an official asks for a supplement, the citizen supplements with the
query code, the official replies, and the citizen reads the reply — on a desktop and at 375 px."""

import re

import pytest

from requests_app.models import Request
from tests.browser.conftest import assert_no_horizontal_scroll

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def number_of(words):
    if len(words) == 1:
        return DIGITS[words]
    if words.startswith("十"):
        return 10 + DIGITS[words[1:]]
    tens, _, ones = words.partition("十")
    return DIGITS[tens] * 10 + (DIGITS[ones] if ones else 0)


def answer(question):
    question = question.removesuffix("等于几？")
    if "加" in question:
        a, b = question.split("加")
        return str(number_of(a) + number_of(b))
    a, b = question.split("减")
    return str(number_of(a) - number_of(b))


@pytest.fixture
def fast_form(settings):
    settings.REQUESTS_FORM_MIN_SECONDS = 0


def citizen_applies(page, base):
    page.goto(base + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="在线申请政府信息公开").first.click()
    assert_no_horizontal_scroll(page)
    page.select_option("#id_organization", label="示范县民政局")
    page.select_option("#id_applicant_category", "natural")
    page.fill("#id_applicant_name", "孙测试")
    page.select_option("#id_id_type", "resident_id")
    from portal import codes

    page.fill("#id_id_number", codes.make_resident_id("99010119900101777"))
    page.fill("#id_phone", "00005550999")
    page.fill("#id_description", "2026年度本县临时救助资金发放明细")
    page.check("input[name=form_wanted][value=electronic]")
    page.check("input[name=delivery_method][value=online]")
    page.fill("#id_answer", answer(page.locator(".rq-question").inner_text()))
    page.check("#id_consent")
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()
    number = page.locator("#tracking-number").inner_text()
    code = page.locator("#query-code").inner_text()
    assert_no_horizontal_scroll(page)
    return number, code


def citizen_looks_up(page, base, number, code):
    page.goto(base + "/ysqgk/status/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_query_code", code)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    page.locator("#public-status").wait_for()
    assert_no_horizontal_scroll(page)


def official_does(page, verb, fill=None):
    page.locator(f"#action-{verb} summary").click()
    if fill:
        fill(page)
    with page.expect_navigation():
        page.locator(f"#action-{verb} button[type=submit]").click()
    assert "已完成" in page.locator(".messages").inner_text(), verb


def test_citizen_and_official_through_a_supplement_to_the_reply(page, live_server, demo, fast_form, browser, viewport):
    base = live_server.url
    number, code = citizen_applies(page, base)

    official = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    official.goto(base + "/admin/login/?next=/staff/requests/")
    official.fill("#id_username", "civil_officer")
    official.fill("#id_password", "demo-civiloff-2026")
    with official.expect_navigation():
        official.locator("input[type=submit]").click()
    official.fill("input[name=q]", number)
    with official.expect_navigation():
        official.locator(".rq-filters button").click()
    with official.expect_navigation():
        official.get_by_role("link", name=number).click()
    assert_no_horizontal_scroll(official)
    official_does(official, "register")
    official_does(official, "begin_review")
    official_does(
        official,
        "request_supplement",
        lambda p: p.fill("#request_supplement-items", "请写明所需信息的形成年度和文件名称。"),
    )
    assert_no_horizontal_scroll(official)

    citizen_looks_up(page, base, number, code)
    assert page.locator("#public-status").inner_text() == "需要补正"
    assert "请写明所需信息的形成年度和文件名称" in page.content()
    page.fill("#id_text", "所需文件为《2026年临时救助资金发放明细表》。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交补正").click()
    assert "补正材料已提交" in page.locator(".messages").inner_text()
    assert page.locator("#public-status").inner_text() == "审核中"

    official.reload()
    assert "《2026年临时救助资金发放明细表》" in official.content()
    official_does(official, "accept")

    def reply(p):
        p.select_option("#reply-outcome", "1")
        p.fill("#reply-decision", "您申请的信息予以公开：2026年临时救助资金共发放示例金额。")

    official_does(official, "reply", reply)
    official.context.close()

    citizen_looks_up(page, base, number, code)
    assert page.locator("#public-status").inner_text() == "已答复"
    with page.expect_navigation():
        page.get_by_role("link", name="政府信息公开申请答复告知书").click()
    body = page.locator(".rq-notice").inner_text()
    assert "2026年临时救助资金共发放示例金额" in body and "行政复议" in body and "示范县民政局" in body
    assert_no_horizontal_scroll(page)
    req = Request.objects.get(tracking_number=number)
    assert req.status == "replied" and req.outcome == "1"
    assert re.fullmatch(r"〔\d{4}〕第\d{4}号", req.registration_number)
