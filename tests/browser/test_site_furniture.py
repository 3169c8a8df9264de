"""The footer's site information and the 网站地图, reached from the home page in a real Chromium (issue 12);
a clerk logging in lands on disclosure management and sees no 申请办理 link."""

import re

from tests.browser.conftest import assert_no_horizontal_scroll


def test_footer_fields_and_the_site_map_from_the_home_page(page, live_server, demo):
    page.goto(live_server.url + "/")
    footer = page.locator("footer.site-footer")
    footer.scroll_into_view_if_needed()
    assert footer.is_visible()
    text = footer.inner_text()
    for expected in (
        "主办单位：示范县人民政府（示例）",
        "承办单位：示范县人民政府办公室（示例）",
        "地址：示范县示范大道1号（示例地址）",
        "联系电话：0000-5550001",
        "电子邮箱：gk@example.invalid",
        "网站标识码：9901010001",
        "示ICP备00000001号-1",
        "示公网安备 99010102000001号",
    ):
        assert expected in text, expected
    icp = footer.get_by_role("link", name="示ICP备00000001号-1")
    assert icp.get_attribute("href") == "https://beian.miit.gov.cn/"
    logo = footer.get_by_role("img", name="党政机关网站标识")
    assert logo.is_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", logo.element_handle())
    assert_no_horizontal_scroll(page)
    # The browser found the icon and the feeds the head advertises.
    assert page.request.get(live_server.url + "/favicon.ico").status == 200
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').count() == 1

    footer.get_by_role("link", name="网站地图").click()
    page.wait_for_url(re.compile(r"/wzdt/$"))
    assert page.locator("h1").inner_text() == "网站地图"
    assert_no_horizontal_scroll(page)
    main = page.locator("main")
    for name in (
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "社会救助",
        "在线申请",
        "申请进度查询",
        "政府信息搜索",
        "最新政府信息（RSS）",
    ):
        assert main.get_by_role("link", name=name, exact=True).count() >= 1, name
    main.get_by_role("link", name="社会救助", exact=True).click()
    assert "社会救助" in page.locator("h1").inner_text()


def test_a_clerk_lands_on_disclosure_management_with_only_its_links(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="工作人员登录").click()
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "demo-clerk-2026")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/gkgl/$"))
    header = page.locator("nav.site-nav")
    assert header.get_by_role("link", name="公开管理").is_visible()
    assert header.get_by_role("link", name="申请办理").count() == 0


def test_a_staff_login_without_a_page_to_return_to_lands_on_the_workbench(page, live_server, demo):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "demo-officer-2026")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/requests/$"))
