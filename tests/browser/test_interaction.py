"""互动交流 in a real browser, on a desktop and at 375 px: a citizen comments on an open draft and an
officer publishes the comment; the closed consultation shows its feedback and links to the final
policy and back; a citizen reports an error from an item page's footer and reads the answer."""

import pytest

from consultations.models import Consultation
from corrections.models import ErrorReport
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.browser.test_requests_flow import answer


@pytest.fixture
def fast_form(settings):
    settings.REQUESTS_FORM_MIN_SECONDS = 0


def staff_login(browser, viewport, base, username, password, next_url):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    return page


def test_a_comment_is_moderated_and_the_closed_consultation_shows_feedback_and_the_final_policy(
    page, live_server, demo, fast_form, browser, viewport
):
    base = live_server.url
    open_one = Consultation.objects.get(state="published")
    page.goto(base + "/hdjl/yjzj/")
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name=open_one.title).click()
    assert page.locator("#cs-phase").inner_text() == "正在征集"
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name="对第四条提意见").click()
    assert page.locator("#id_section").input_value() == "第四条"
    page.fill("#id_body", "建议写明改厕补助的申请方式。")
    page.fill("#id_answer", answer(page.locator(".rq-question").inner_text()))
    with page.expect_navigation():
        page.get_by_role("button", name="提交意见").click()
    assert "感谢您的意见" in page.locator("#cs-thanks").inner_text()
    assert_no_horizontal_scroll(page)

    officer = staff_login(
        browser, viewport, base, "cg_clerk", "demo-cgclerk-2026", f"/staff/consultations/{open_one.pk}/"
    )
    assert_no_horizontal_scroll(officer)
    item = officer.locator("li", has_text="建议写明改厕补助的申请方式。")
    with officer.expect_navigation():
        item.get_by_role("button", name="公开意见", exact=True).click()
    assert "已完成" in officer.locator(".messages").inner_text()
    officer.context.close()

    page.goto(f"{base}/hdjl/yjzj/{open_one.pk}/")
    assert "建议写明改厕补助的申请方式。" in page.locator(".cs-comments").inner_text()

    closed = Consultation.objects.get(state="closed")
    page.goto(base + "/hdjl/yjzj/?phase=feedback")
    with page.expect_navigation():
        page.get_by_role("link", name=closed.title).click()
    assert "共收到意见 4 条，采纳 2 条。" in page.locator("#cs-feedback-counts").inner_text()
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.locator("#cs-final").click()
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name="意见采纳情况").click()
    assert page.url.endswith(f"/hdjl/yjzj/{closed.pk}/#feedback")


def test_an_error_report_from_an_item_page_is_answered_by_its_organisation(
    page, live_server, demo, fast_form, browser, viewport
):
    base = live_server.url
    closed = Consultation.objects.get(state="closed")
    item_path = f"/zwgk/xxgk/item/{closed.final_item_id}/"
    page.goto(base + item_path)
    with page.expect_navigation():
        page.locator(".footer-links").get_by_role("link", name="我要纠错").click()
    assert page.locator("#jc-page").inner_text() == item_path
    assert_no_horizontal_scroll(page)
    page.check("input[name=kind][value=typo]")
    page.fill("#id_description", "附件名称中“标淮”应为“标准”。")
    page.fill("#id_answer", answer(page.locator(".rq-question").inner_text()))
    with page.expect_navigation():
        page.get_by_role("button", name="提交纠错").click()
    reference = page.locator("#jc-reference").inner_text()
    assert ErrorReport.objects.get(reference=reference).organization.short_name == "县民政局"
    assert_no_horizontal_scroll(page)

    officer = staff_login(browser, viewport, base, "clerk", "demo-clerk-2026", "/staff/corrections/")
    assert_no_horizontal_scroll(officer)
    with officer.expect_navigation():
        officer.get_by_role("link", name=reference).click()
    officer.fill("#id_answer", "已更正附件名称，谢谢。")
    with officer.expect_navigation():
        officer.get_by_role("button", name="已更正并答复").click()
    assert officer.locator("#jc-state").inner_text() == "已更正"
    assert_no_horizontal_scroll(officer)
    officer.context.close()

    with page.expect_navigation():
        page.get_by_role("link", name="查看处理情况").click()
    assert page.locator("#jc-state").inner_text() == "已更正"
    assert "已更正附件名称，谢谢。" in page.locator("#jc-answer").inner_text()
    assert_no_horizontal_scroll(page)
