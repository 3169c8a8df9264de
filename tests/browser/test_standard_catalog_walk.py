"""A citizen walks home → 政务公开 → 法定主动公开内容 → each domain that ships a catalog file (issue 13).

Every domain with a fixture file must show its standard entries and where they
come from (来源). Read from the fixture files, so the walk covers all 26 domains
once every file is there.
"""

import pytest

from catalog.models import CatalogEntry
from catalog.standard import catalog_files, read_sheet, read_source
from tests.browser.conftest import DESKTOP, assert_no_horizontal_scroll


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_every_shipped_domain_page_lists_its_entries_and_source(desktop, live_server, demo):
    page = desktop
    files = catalog_files()
    assert files, "no standard catalog file ships"
    for name, path in files:
        page.goto(live_server.url + "/")
        page.locator("a.home-entry", has_text="政务公开").click()
        page.locator("ol.subcolumns").get_by_role("link", name="法定主动公开内容").click()
        domain = CatalogEntry.objects.get(parent=None, name=name, organization=None)
        page.locator(f'ul.domain-grid a[href$="/domain/{domain.pk}/"]').click()
        assert page.locator("h1").inner_text().startswith(name), path.name
        tree = page.locator("ul.tree").first
        shown = tree.inner_text()
        for row in read_sheet(path).rows:
            assert row.names[-1] in shown, (path.name, row.names)
        assert "来源：" in page.locator("p.source").first.inner_text()
        assert read_source(path)["title"] in page.locator("p.source").first.inner_text()
        assert_no_horizontal_scroll(page)
