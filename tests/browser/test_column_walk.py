import re

from tests.browser.conftest import assert_no_horizontal_scroll


def test_citizen_walks_from_home_to_a_catalog_entry(page, live_server, demo):
    page.goto(live_server.url + "/")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name=re.compile("^政务公开")).first.click()
    page.get_by_role("link", name="法定主动公开内容").click()
    page.get_by_role("link", name="社会救助").first.click()
    page.get_by_role("link", name="审核信息").click()
    assert page.locator("h1").inner_text().startswith("最低生活保障")
    assert "初审对象名单及相关信息" in page.content()
    assert "公示7个工作日" in page.content()
    assert_no_horizontal_scroll(page)
