"""A browser that asks for English (Accept-Language: en-US) still gets the Chinese site; the
visitor's own choice in the footer switches it, keeps it across pages, and switches back."""

import pytest


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_an_english_browser_gets_chinese_until_the_visitor_chooses_english(browser, live_server, demo, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US", extra_http_headers={"Accept-Language": "en-US,en"})
    page = context.new_page()
    page.goto(live_server.url + "/zwgk/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "政府信息公开指南" in page.locator("main").inner_text()
    assert "Government Information Disclosure Guide" not in page.content()

    page.locator("nav.language-links").get_by_role("link", name="English").click()
    page.wait_for_url("**/zwgk/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Government Information Disclosure Guide" in page.locator("main").inner_text()
    page.goto(live_server.url + "/zwgk/guide/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("nav.language-links").get_by_role("link", name="简体中文").click()
    page.wait_for_url("**/zwgk/guide/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    context.close()
