"""On a 375-px phone, a citizen finds the county's disclosure rules and its policy documents (issue 12).

The filters are plain GET forms: choosing a value and pressing 筛选 works
without any script, so the browser runs with JavaScript off.
"""

import pytest

from tests.browser.conftest import PHONE, assert_no_horizontal_scroll

RULES_TITLE = "示范县人民政府关于印发《示范县政府信息公开工作规范（示例）》的通知"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def follow(page, locator):
    """Click a link or the 筛选 button and wait until the next page has loaded.

    ``all_inner_texts`` does not wait: read right after the click it could see the page
    that was being left, or one not yet parsed (it returned [] once on a busy CI machine).
    """
    with page.expect_navigation():
        locator.click()


def titles(page, selector):
    return page.locator(f"{selector} a.item-title").all_inner_texts()


def test_the_rules_subcolumn_lists_the_demo_rules_and_filters(phone, live_server, demo):
    page = phone
    page.goto(live_server.url + "/zwgk/")
    assert_no_horizontal_scroll(page)
    follow(page, page.locator("nav.column-nav").get_by_role("link", name="政府信息公开制度"))
    assert page.locator("h1").inner_text() == "政府信息公开制度"
    assert titles(page, "ul.item-list") == [RULES_TITLE]
    assert_no_horizontal_scroll(page)
    page.locator("form.filters select[name=year]").select_option("2025")
    page.locator("form.filters select[name=org]").select_option(label="示范县人民政府")
    follow(page, page.locator("form.filters").get_by_role("button", name="筛选"))
    assert "year=2025" in page.url
    assert titles(page, "ul.item-list") == [RULES_TITLE]
    page.locator("form.filters select[name=validity]").select_option("repealed")
    follow(page, page.locator("form.filters").get_by_role("button", name="筛选"))
    assert page.locator("p.empty").inner_text() == "暂无符合条件的制度文件。"
    assert_no_horizontal_scroll(page)


def test_the_policy_library_lists_the_demo_documents_and_filters(phone, live_server, demo):
    page = phone
    page.goto(live_server.url + "/zwgk/")
    follow(page, page.locator("nav.column-nav").get_by_role("link", name="政策文件库"))
    assert page.locator("h1").inner_text() == "政策文件库"
    listed = titles(page, "ul.policy-list")
    assert RULES_TITLE in listed
    assert "示范县民政局关于调整城乡居民最低生活保障标准的通知" in listed
    assert "示范县城乡最低生活保障办事指南" not in listed  # no 文号, not a policy document
    assert_no_horizontal_scroll(page)
    # Each row shows its 文号, 发文机关, 成文日期, 发布日期 and 有效性.
    row = page.locator("ul.policy-list > li", has=page.get_by_role("link", name=RULES_TITLE, exact=True))
    meta = row.locator("dl.policy-meta").inner_text()
    for expected in ("示政发〔2025〕5号", "示范县人民政府", "2025-04-10", "2025-04-15", "有效"):
        assert expected in meta, expected

    page.locator("form.filters select[name=org]").select_option(label="示范县人民政府")
    follow(page, page.locator("form.filters").get_by_role("button", name="筛选"))
    assert titles(page, "ul.policy-list") == [RULES_TITLE]
    page.goto(live_server.url + "/zwgk/xxgk/policies/")
    page.locator("form.filters select[name=validity]").select_option("repealed")
    page.locator("form.filters select[name=type]").select_option("normative")
    follow(page, page.locator("form.filters").get_by_role("button", name="筛选"))
    repealed = titles(page, "ul.policy-list")
    assert repealed and all("版" in t for t in repealed), repealed  # the 2019 and 2022 editions
    assert page.locator("ul.policy-list .badge-repealed").count() == len(repealed)
    assert_no_horizontal_scroll(page)

    # A document leads to its interpretation.
    page.goto(live_server.url + "/zwgk/xxgk/policies/?validity=valid")
    policy = page.locator(
        "ul.policy-list > li",
        has=page.get_by_role("link", name="示范县民政局关于调整城乡居民最低生活保障标准的通知", exact=True),
    )
    policy.locator(".policy-interpretations a").click()
    assert page.locator("h1").inner_text() == "《关于调整城乡居民最低生活保障标准的通知》政策解读"
