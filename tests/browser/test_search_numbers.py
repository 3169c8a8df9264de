"""A citizen finds the demo policy by its 索引号 and by its 文号 typed with [] brackets, first in the list,
and narrows the results with a facet link — on a desktop and a phone (issue 12)."""

from disclosure.models import DisclosureItem
from tests.browser.conftest import assert_no_horizontal_scroll

POLICY = "示范县民政局关于调整城乡居民最低生活保障标准的通知"


def search_from_home(page, live_server, query):
    page.goto(live_server.url + "/")
    page.fill("#site-search", query)
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/zwgk/xxgk/search/**")
    assert_no_horizontal_scroll(page)


def test_search_by_index_number_and_bracketed_document_number_finds_the_policy_first(page, live_server, demo):
    policy = DisclosureItem.objects.public().get(title=POLICY)
    assert policy.index_number and policy.document_number == "示民发〔2026〕3号"

    for query in (policy.index_number, "示民发[2026]3号", "示民发【2026】第03号"):
        search_from_home(page, live_server, query)
        first = page.locator(".item-list > li").first
        assert first.locator("a.item-title").inner_text() == POLICY, query
        assert "示民发〔2026〕3号" in first.inner_text()

    # The facets are plain links: the year of the policy narrows the results and keeps the query.
    search_from_home(page, live_server, "低保")
    facets = page.locator("nav.facets")
    assert facets.is_visible()
    year = policy.published_at.year
    facets.locator("section.facet", has_text="年份").get_by_role("link", name=str(year)).click()
    page.wait_for_url(f"**year={year}**")
    assert page.locator("#search-q").input_value() == "低保"
    assert facets.locator('[aria-current="true"]').first.inner_text().startswith(str(year))
    titles = page.locator(".item-list a.item-title").all_inner_texts()
    assert POLICY in titles
    assert_no_horizontal_scroll(page)
