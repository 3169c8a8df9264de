"""A citizen walks the disclosure column in a real Chromium, on a desktop and on a 375×812 phone.

On every page: nothing scrolls sideways, the search box is visible, the
breadcrumb (当前位置) is there. Set SCREENSHOT_DIR=/tmp/somewhere to keep a
full-page screenshot of each page for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest

from catalog.models import CatalogEntry, Channel
from portal.models import OrganizationKind
from tests.browser.conftest import DESKTOP, assert_no_horizontal_scroll

SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")


def check_page(page, name):
    """What must hold on every public page, whatever the viewport."""
    assert_no_horizontal_scroll(page)
    assert page.locator("#site-search").is_visible(), f"{page.url}: search box not visible"
    breadcrumb = page.locator("nav.breadcrumb")
    label = "You are here" if page.locator("html").get_attribute("lang") == "en" else "当前位置"
    assert breadcrumb.is_visible() and label in breadcrumb.inner_text(), page.url
    if SCREENSHOT_DIR:
        width = page.viewport_size["width"]
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOT_DIR}/{width}-{name}.png", full_page=True)


def test_citizen_walks_from_home_to_a_catalog_entry(page, live_server, demo):
    page.goto(live_server.url + "/")
    check_page(page, "1-home")
    assert page.locator("h1").inner_text() == demo["示范县"].name
    page.locator("a.home-entry", has_text="政务公开").click()
    assert page.locator("h1").inner_text() == "政府信息公开专栏"
    subcolumns = page.locator("ol.subcolumns h2").all_inner_texts()
    assert subcolumns == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]
    check_page(page, "2-column")
    page.locator("ol.subcolumns").get_by_role("link", name="法定主动公开内容").click()
    assert page.locator("ul.domain-grid > li").count() == 26
    check_page(page, "3-statutory")
    page.locator("ul.domain-grid").get_by_role("link", name="社会救助").click()
    assert page.locator("h1").inner_text() == "社会救助"
    check_page(page, "4-domain")
    page.get_by_role("link", name="审核信息").click()
    assert page.locator("h1").inner_text().startswith("最低生活保障")
    fields = page.locator("table.fields")
    assert "初审对象名单及相关信息" in fields.inner_text()
    assert "公示7个工作日" in fields.inner_text()
    assert page.locator("nav.breadcrumb .crumb").inner_text() == "审核信息"
    check_page(page, "5-entry")
    # Back up through the breadcrumb to the domain.
    page.locator("nav.breadcrumb").get_by_role("link", name="社会救助").click()
    assert page.locator("h1").inner_text() == "社会救助"


def test_guide_shows_every_office_readably(page, live_server, demo):
    page.goto(live_server.url + "/zwgk/guide/")
    check_page(page, "6-guide")
    offices = page.locator("section.office")
    assert offices.count() == len(
        [o for o in demo.values() if o.kind not in (OrganizationKind.VILLAGE, OrganizationKind.COMMUNITY)]
    )
    civil = page.locator(f"#org-{demo['县民政局'].pk}")
    assert demo["县民政局"].office_phone in civil.inner_text()
    # The label column and the value sit side by side, inside the card.
    label, value = civil.locator("dt").first.bounding_box(), civil.locator("dd").first.bounding_box()
    card = civil.bounding_box()
    assert abs(label["y"] - value["y"]) < 4 and value["x"] > label["x"]
    assert value["x"] + value["width"] <= card["x"] + card["width"] + 1


def test_organisation_catalog_reads_as_cards_on_a_phone_and_a_table_on_a_desktop(page, live_server, demo):
    hexi = demo["河西乡"]
    page.goto(f"{live_server.url}/zwgk/fdzdgknr/org/{hexi.pk}/")
    check_page(page, "7-organization")
    assert "示范县河西乡人民政府政务公开事项目录" in page.locator("h1").inner_text()
    table = page.locator("table.catalog-table").first
    header_visible = table.locator("thead").is_visible()
    assert header_visible == (page.viewport_size["width"] == DESKTOP["width"])
    first_row = table.locator("tbody tr").first
    if not header_visible:
        # Each cell of the card names its column.
        label = first_row.locator("td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"公开时限："'
    local = page.locator("tr", has_text="冬春生活救助名单（本地）")
    assert "河西乡本地事项" in local.inner_text()
    page.get_by_role("link", name="冬春生活救助名单（本地）").click()
    assert "根据本地实际增加的本地事项" in page.locator("p.notice").inner_text()
    check_page(page, "8-local-entry")


def test_long_names_and_texts_do_not_push_the_page_sideways(page, live_server, demo):
    """Real catalogs carry long unbroken names, document numbers and links."""
    social = CatalogEntry.objects.get(parent=None, name="社会救助")
    group = CatalogEntry.objects.create(
        parent=social,
        name="特困人员救助供养" * 6,
        level_county=True,
        level_township=True,
    )
    leaf = CatalogEntry.objects.create(
        parent=group,
        name="审核审批信息及救助供养对象名单与救助供养标准" * 3,
        content_elements="；".join(["救助供养对象姓名、所在村（居）、救助供养标准、救助供养形式"] * 4),
        legal_basis="《特困人员认定办法》（民发〔2021〕43号）https://www.example.invalid/" + "a" * 120 + "/index.html",
        time_limit_text="制定或获取信息之日起10个工作日内，公示7个工作日",
        responsible_body="县级人民政府民政部门、乡镇人民政府（街道办事处）" * 2,
        channels=[value for value, _label in Channel.choices],
        audience_public=True,
        proactive=True,
        level_county=True,
        level_township=True,
    )
    hexi = demo["河西乡"]
    hexi.name = "示范县河西乡人民政府" * 4
    hexi.save()
    from catalog import services

    services.adopt(demo["示范县"].users.get(username="admin"), hexi, group, reason="测试长名称")
    for path, name in [
        (f"/zwgk/fdzdgknr/domain/{social.pk}/", "9-long-domain"),
        (f"/zwgk/fdzdgknr/entry/{leaf.pk}/", "10-long-entry"),
        (f"/zwgk/fdzdgknr/org/{hexi.pk}/", "11-long-organization"),
        ("/zwgk/fdzdgknr/", "12-long-statutory"),
        ("/zwgk/guide/", "13-long-guide"),
        ("/zwgk/search/?q=" + "审核" * 60, "14-long-search"),
    ]:
        page.goto(live_server.url + path)
        check_page(page, name)


def test_language_switcher_works_without_javascript(page, live_server, demo):
    page.goto(live_server.url + "/zwgk/")
    page.locator(".language-links a[lang=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/zwgk/")
    assert "Government Information Disclosure Guide" in page.locator("main").inner_text()
    check_page(page, "15-english")


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_admin_draggable_trees_load_for_a_superuser(desktop_page, live_server, demo):
    page = desktop_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "demo-admin-2026")
    page.locator("input[type=submit]").click()
    assert page.locator("#site-name").inner_text() == "政务公开管理后台"
    for path, first_row in [
        ("/admin/catalog/catalogentry/", "城乡规划"),
        ("/admin/portal/organization/", demo["示范县"].name),
    ]:
        page.goto(live_server.url + path)
        # DraggableMPTTAdmin's script turns every row into a tree node with a drag handle.
        assert page.locator(".drag-handle").count() > 1, path
        assert page.locator("#result_list tbody tr").first.inner_text().find(first_row) >= 0, path
        assert re.search("选择 .* 来修改", page.locator("h1").inner_text()), path
    assert errors == []
