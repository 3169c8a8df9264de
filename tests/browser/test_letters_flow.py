"""A citizen writes to a mailbox from the home page, keeps the number and code, the office answers,
a reviewer publishes it, it appears masked, and the citizen rates the answer — desktop and 375 px."""

from letters.models import Letter
from tests.browser.conftest import assert_no_horizontal_scroll
from tests.browser.test_requests_flow import answer, fast_form, official_does  # noqa: F401


def staff_login(browser, viewport, base, username, password, next_url):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(base + "/admin/login/?next=" + next_url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    return page


def citizen_looks_up(page, base, number, code):
    page.goto(base + "/hdjl/xx/lookup/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_query_code", code)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    page.locator("#letter-state").wait_for()
    assert_no_horizontal_scroll(page)


def test_write_answer_publish_masked_and_rate(page, live_server, demo, fast_form, browser, viewport):  # noqa: F811
    base = live_server.url
    page.goto(base + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="互动交流：我要写信").click()
    assert_no_horizontal_scroll(page)
    page.select_option("#id_organization", label="县民政局信箱")
    page.check("input[name=kind][value=consult]")
    page.fill("#id_title", "残疾人两项补贴怎么申请")
    page.fill("#id_body", "我叫钱测试，电话13700001234，想了解残疾人两项补贴的申请条件。")
    page.fill("#id_name", "钱测试")
    page.fill("#id_phone", "13700001234")
    page.check("#id_publish_consent")
    page.fill("#id_answer", answer(page.locator(".rq-question").inner_text()))
    with page.expect_navigation():
        page.get_by_role("button", name="提交来信").click()
    number = page.locator("#tracking-number").inner_text()
    code = page.locator("#query-code").inner_text()
    assert_no_horizontal_scroll(page)
    citizen_looks_up(page, base, number, code)
    assert page.locator("#letter-state").inner_text() == "已收到，等待受理"

    officer = staff_login(browser, viewport, base, "civil_officer", "demo-civiloff-2026", "/staff/letters/")
    officer.fill("input[name=q]", number)
    with officer.expect_navigation():
        officer.locator(".rq-filters button").click()
    with officer.expect_navigation():
        officer.get_by_role("link", name=number).click()
    assert_no_horizontal_scroll(officer)
    official_does(officer, "accept")
    official_does(officer, "reply", lambda p: p.fill("#reply-text", "请持残疾人证到户籍所在地乡镇便民服务中心申请。"))
    officer.context.close()

    reviewer = staff_login(browser, viewport, base, "reviewer", "demo-reviewer-2026", "/staff/letters/")
    reviewer.goto(base + f"/staff/letters/{Letter.objects.get(tracking_number=number).pk}/")
    official_does(reviewer, "publish")
    reviewer.context.close()

    page.goto(base + "/hdjl/xx/")
    assert_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("link", name="残疾人两项补贴怎么申请").click()
    assert page.locator("#letter-writer").inner_text() == "钱**"
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "钱测试" not in text and "13700001234" not in text
    assert "便民服务中心" in page.locator("#letter-reply").inner_text()
    assert_no_horizontal_scroll(page)

    citizen_looks_up(page, base, number, code)
    page.check("input[name=rating][value=satisfied]")
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    assert page.locator("#letter-rating").inner_text().endswith("满意")
    assert Letter.objects.get(tracking_number=number).rating == "satisfied"


def test_letters_pages_pass_axe_and_fit_the_viewport(page, live_server, demo, viewport):
    from axe_playwright_python.sync_playwright import Axe

    from letters.demo import demo_query_code
    from tests.browser.test_accessibility import axe_violations

    base = live_server.url
    published = Letter.objects.filter(published=True).first()
    report = []
    axe = Axe()
    paths = ["/hdjl/xx/", "/hdjl/xx/write/", "/hdjl/xx/lookup/", "/hdjl/xx/statistics/", f"/hdjl/xx/{published.pk}/"]
    for path in paths:
        page.goto(base + path)
        assert_no_horizontal_scroll(page)
        report += [f"{path}: {line}" for line in axe_violations(page, axe)]
    citizen_looks_up(page, base, "XX0000000001", demo_query_code(1))
    report += [f"status: {line}" for line in axe_violations(page, axe)]
    assert not report, "\n".join(report)
