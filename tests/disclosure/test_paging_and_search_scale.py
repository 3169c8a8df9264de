"""Lists without exact counts, search ranking only the newest matches, the year list (issue 10)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure import paging, selectors, services
from disclosure.models import DisclosureItem


@pytest.fixture
def imported(county):
    def make(n, title="示例信息", year=2026, entries=None, organization=None):
        items = []
        for i in range(n):
            when = timezone.make_aware(dt.datetime(year, 3, 1, 9) + dt.timedelta(hours=i))
            item = DisclosureItem(
                organization=organization or county.civil, title=f"{title}{i}", body="<p>正文</p>", published_at=when
            )
            items.append(
                services.import_published(
                    county.admin, item, catalog_entries=[county.entry] if entries is None else entries
                )
            )
        return items

    return make


def test_a_long_list_shows_an_estimate_and_pages_past_it(client, county, imported, monkeypatch, settings):
    settings.PAGE_CACHE = False
    monkeypatch.setattr(paging, "EXACT_LIMIT", 25)
    imported(45)
    first = client.get("/zwgk/xxgk/")
    page = first.context["page_obj"]
    assert len(page.object_list) == 20 and page.has_next()
    if connection.vendor == "postgresql":
        assert page.paginator.estimated and "约" in first.content.decode()
    else:
        assert page.paginator.count == 45
    last = client.get("/zwgk/xxgk/?page=3").context["page_obj"]
    assert len(last.object_list) == 5 and not last.has_next() and last.paginator.count == 45
    beyond = client.get("/zwgk/xxgk/?page=99")
    assert beyond.status_code == 200 and list(beyond.context["page_obj"].object_list) == list(last.object_list)
    assert client.get("/zwgk/xxgk/?page=abc").context["page_obj"].number == 1


def test_deep_pages_and_the_page_past_the_end_list_exactly_the_rows_of_their_offset(county, imported, monkeypatch):
    """Deep pages read one extra row instead of counting; past the end reads the last rows backwards."""
    monkeypatch.setattr(paging, "EXACT_LIMIT", 25)
    monkeypatch.setattr(paging, "KEYS_FIRST_OFFSET", 0)
    imported(47)
    qs = selectors.public_items()
    everything = list(qs)
    for number in (1, 2, 3):
        page = paging.get_page(qs, number, per_page=20)
        assert list(page.object_list) == everything[(number - 1) * 20 : number * 20]
        assert page.has_next() == (number < 3)
    second = paging.get_page(qs, 2, per_page=20)
    assert second.paginator.num_pages == 3
    assert second.paginator.count == 47 or (connection.vendor == "postgresql" and second.paginator.estimated)
    with CaptureQueriesContext(connection) as queries:
        beyond = paging.get_page(qs, 99, per_page=20)
    assert (beyond.number, list(beyond.object_list)) == (3, everything[40:])
    assert not beyond.has_next() and beyond.paginator.count == 47 and not beyond.paginator.estimated
    assert not any("OFFSET 40" in q["sql"] for q in queries.captured_queries)  # read from the end
    exact = paging.get_page(qs, 2, per_page=23)  # exactly one row on the next page: counted, not estimated
    assert exact.paginator.count == 47 and not exact.paginator.estimated and exact.has_next()


def test_a_deep_list_page_finds_its_rows_keys_in_the_items_alone(client, county, imported, monkeypatch, settings):
    """The keys of a deep page come from the items' ordering index only: no organisation is
    joined to skip the rows before it (a join there made page 500 three times slower)."""
    settings.PAGE_CACHE = False
    monkeypatch.setattr(paging, "KEYS_FIRST_OFFSET", 0)
    items = imported(25)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/zwgk/xxgk/?page=2")
    assert [row.title for row in page.context["page_obj"].object_list] == [i.title for i in items[4::-1]]
    assert county.civil.name in page.content.decode()
    keys = [q["sql"] for q in queries.captured_queries if "OFFSET 20" in q["sql"]]
    assert keys and all("portal_organization" not in sql for sql in keys)


def test_an_item_under_two_entries_of_a_domain_is_listed_once(client, county, imported, settings):
    settings.PAGE_CACHE = False
    [item] = imported(1, entries=[county.entry, county.policy_entry])
    page = client.get(f"/zwgk/xxgk/domain/{county.domain.pk}/").context["page_obj"]
    assert [i.pk for i in page.object_list] == [item.pk]
    assert client.get(f"/zwgk/xxgk/domain/{county.land.pk}/").context["page_obj"].object_list == []


def test_the_year_list_follows_publications(client, county, imported):
    imported(2, year=2025)
    imported(1, year=2026)
    assert selectors.publication_years() == [2026, 2025]
    imported(1, year=2021)  # a migrated item of an older year shows in the filter at once
    assert selectors.publication_years() == [2026, 2025, 2021]
    assert '<option value="2021"' in client.get("/zwgk/xxgk/").content.decode()


def test_search_ranks_the_newest_matches_and_counts_them_all(client, county, imported, monkeypatch, settings):
    settings.PAGE_CACHE = False
    monkeypatch.setattr(selectors.site_search, "SEARCH_CANDIDATES", 3)
    items = imported(5, title="低保资金发放情况")
    response = client.get("/zwgk/xxgk/search/", {"q": "低保"})
    shown = [i.pk for i in response.context["page_obj"].object_list]
    page = response.content.decode()
    assert "找到 5 条" in page
    if connection.vendor == "postgresql":
        assert sorted(shown) == sorted(i.pk for i in items[-3:])  # the three newest, ranked
        assert "最新的 3 条" in page
    else:
        assert shown == [i.pk for i in reversed(items)]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/zwgk/xxgk/",
        "/zwgk/xxgk/?page=2",
        "/zwgk/xxgk/domain/{domain}/",
        "/zwgk/xxgk/entry/{entry}/",
        "/zwgk/xxgk/org/{org}/",
        "/zwgk/xxgk/year/2026/",
        "/zwgk/xxgk/search/?q=示例",
        "/zwgk/xxgk/item/{item}/",
        "/zwgk/fdzdgknr/",
        "/zwgk/",
        "/zwgk/rules/",
        "/zwgk/xxgk/policies/",
        "/sitemap.xml",
        "/sitemap-items.xml",
        "/zwgk/xxgk/feed/rss/",
    ],
)
def test_public_pages_cost_at_most_ten_queries_uncached(client, county, imported, settings, url):
    settings.PAGE_CACHE = False
    items = imported(25)
    url = url.format(domain=county.domain.pk, entry=county.entry.pk, org=county.civil.pk, item=items[0].pk)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 10, [q["sql"][:120] for q in queries.captured_queries]
