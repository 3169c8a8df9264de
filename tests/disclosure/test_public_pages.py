import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import CatalogEntry
from disclosure import services
from disclosure.models import DisclosureItem, DocumentType, ItemKind, Validity


@pytest.fixture
def imported(county):
    """Publish items quickly, as a migration from an old site would."""

    def make(n=1, organization=None, title="示例信息", entries=None, **fields):
        items = []
        for i in range(n):
            item = DisclosureItem(
                organization=organization or county.civil,
                title=f"{title}{i}",
                body=fields.pop("body", "<p>正文</p>") if i == 0 else "<p>正文</p>",
                **fields,
            )
            items.append(
                services.import_published(
                    county.admin, item, catalog_entries=[county.entry] if entries is None else entries
                )
            )
        return items

    return make


def test_item_page_shows_metadata_table_with_the_spec_labels(client, county, publish_item):
    item = publish_item(
        document_number="示民发[2026]3号",
        subject="民政、扶贫、救灾\\社会救助",
        written_on=dt.date(2026, 1, 5),
        keywords="低保 标准",
        effective_on=dt.date(2026, 1, 1),
    )
    page = client.get(f"/zwgk/xxgk/item/{item.pk}/").content.decode()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "文号", "发布日期", "有效性", "公开方式", "主题词"):
        assert f'<th scope="row">{label}</th>' in page
    assert item.index_number in page
    assert "示民发〔2026〕3号" in page
    assert "2026-01-05" in page and "实施日期：2026-01-01" in page
    assert "主动公开" in page
    assert "社会救助" in page  # breadcrumb: domain
    assert f"/zwgk/xxgk/item/{item.pk}/print/" in page


def test_repealed_item_still_shows_with_banner(client, county, publish_item):
    item = publish_item()
    services.change_validity(county.reviewer, item, Validity.REPEALED, on_date=dt.date(2026, 7, 1))
    response = client.get(f"/zwgk/xxgk/item/{item.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "validity-banner" in page and "已废止" in page and "2026年7月1日" in page
    assert "废止日期：2026-07-01" in page


def test_withdrawn_item_leaves_a_tombstone(client, county, publish_item):
    item = publish_item()
    services.withdraw(county.reviewer, item, reason="信息重复发布")
    response = client.get(f"/zwgk/xxgk/item/{item.pk}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "该信息已撤回" in page and "信息重复发布" in page and item.index_number in page
    assert item.title not in client.get("/zwgk/xxgk/").content.decode()


def test_drafts_are_not_public(client, county, make_item):
    item = make_item()
    assert client.get(f"/zwgk/xxgk/item/{item.pk}/").status_code == 404
    assert client.get(f"/zwgk/xxgk/item/{item.pk}/print/").status_code == 404


def test_nothing_a_clerk_types_runs_on_public_pages(client, county, publish_item):
    item = publish_item(
        title='<script>alert("t")</script>低保',
        body='<p onmouseover="alert(1)">x</p><script>alert(2)</script>',
        keywords="<img src=x onerror=alert(3)>",
    )
    for url in (f"/zwgk/xxgk/item/{item.pk}/", "/zwgk/xxgk/", "/zwgk/xxgk/search/?q=低保", "/zwgk/xxgk/feed/rss/", "/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "onmouseover" not in page and "<img src=x" not in page, url


def test_revised_item_shows_versions(client, county, publish_item):
    item = publish_item(body="<p>旧标准800元</p>")
    revision = services.begin_revision(county.clerk, item, note="更正金额")
    services.update_draft(county.clerk, revision, body="<p>新标准850元</p>")
    publish_item(revision)
    page = client.get(f"/zwgk/xxgk/item/{item.pk}/").content.decode()
    assert "新标准850元" in page and "旧标准800元" not in page
    assert "历史版本" in page and "更正金额" in page
    old = client.get(f"/zwgk/xxgk/item/{item.pk}/v/1/").content.decode()
    assert "旧标准800元" in old and "不是现行版本" in old
    assert client.get(f"/zwgk/xxgk/item/{revision.pk}/").status_code == 404


def test_interpretation_and_policy_link_both_ways(client, county, make_item, publish_item):
    policy = publish_item(title="低保办法")
    interpretation = publish_item(
        make_item(
            title="低保办法解读",
            kind=ItemKind.INTERPRETATION,
            interpretation_form="graphic",
            entries=[],
            interprets=[policy],
        )
    )
    policy_page = client.get(f"/zwgk/xxgk/item/{policy.pk}/").content.decode()
    assert f"/zwgk/xxgk/item/{interpretation.pk}/" in policy_page and "政策解读" in policy_page
    page = client.get(f"/zwgk/xxgk/item/{interpretation.pk}/").content.decode()
    assert f"/zwgk/xxgk/item/{policy.pk}/" in page and "图解" in page


def test_lists_filter_by_domain_org_year_type_validity(client, county, imported):
    [social] = imported(title="社会救助信息", document_type=DocumentType.NORMATIVE)
    [land] = imported(title="征地信息", entries=[county.land_entry], organization=county.east)
    [old] = imported(title="旧文件", published_at=timezone.make_aware(dt.datetime(2019, 5, 1, 9)))
    services.change_validity(county.admin, old, Validity.REPEALED, on_date=dt.date(2024, 1, 1))

    def titles(url):
        return {i.title for i in client.get(url).context["page_obj"].object_list}

    assert titles(f"/zwgk/xxgk/?domain={county.domain.pk}") == {social.title, old.title}
    assert titles(f"/zwgk/xxgk/domain/{county.land.pk}/") == {land.title}
    assert titles(f"/zwgk/xxgk/entry/{county.group.pk}/") == {social.title, old.title}
    assert titles(f"/zwgk/xxgk/org/{county.east.pk}/") == {land.title}
    assert titles("/zwgk/xxgk/year/2019/") == {old.title}
    assert titles("/zwgk/xxgk/?year=2019") == {old.title}
    assert titles("/zwgk/xxgk/?type=normative") == {social.title}
    assert titles("/zwgk/xxgk/?validity=repealed") == {old.title}
    # Nonsense filters are ignored, never a 500.
    assert client.get("/zwgk/xxgk/?domain=abc&year=x&page=zz&type=<b>").status_code == 200


def test_filter_form_keeps_what_the_visitor_chose_and_escapes_names(client, county, imported):
    """The selects are written by ``option_tags``: the chosen values stay selected after filtering."""
    imported(title="征地信息", entries=[county.land_entry], organization=county.east)
    county.west.name = "西乡<人民政府>"
    county.west.save()
    html = client.get(f"/zwgk/xxgk/?org={county.east.pk}&year=2026&type=normative&validity=repealed").content.decode()
    assert f'<option value="{county.east.pk}" selected>{county.east.name}</option>' in html
    assert f'<option value="{county.civil.pk}">{county.civil.name}</option>' in html
    assert '<option value="2026" selected>2026</option>' in html
    assert '<option value="normative" selected>' in html
    assert '<option value="repealed" selected>' in html
    assert "西乡&lt;人民政府&gt;" in html and "西乡<人民政府>" not in html
    unfiltered = client.get("/zwgk/xxgk/").content.decode()
    assert " selected>" not in unfiltered


def test_domain_pages_follow_every_publication_and_withdrawal_at_once(client, county, imported, settings):
    """The domain's ordered ids are kept per content generation; a change shows on the next view."""
    settings.PAGE_CACHE = False  # the lists behind the page, not the page cache, are under test
    older = imported(
        23, title="征地旧信息", entries=[county.land_entry], published_at=timezone.now() - dt.timedelta(days=30)
    )
    url = f"/zwgk/xxgk/domain/{county.land.pk}/"
    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 23
    assert f'href="/zwgk/xxgk/entry/{county.land_entry.pk}/">{county.land_entry.name}</a>' in first.content.decode()
    [new] = imported(title="征地新公告", entries=[county.land_entry])
    page = client.get(url).context["page_obj"]
    assert page.paginator.count == 24 and page.object_list[0].title == new.title
    services.withdraw(county.admin, new, reason="内容有误")
    page = client.get(url).context["page_obj"]
    assert page.paginator.count == 23 and new.title not in [i.title for i in page.object_list]
    last = client.get(url + "?page=99").context["page_obj"]  # past the end: the last page
    assert last.number == 2 and [i.title for i in last.object_list] == [older[2].title, older[1].title, older[0].title]


def test_pagination(client, county, imported):
    imported(25)
    first = client.get("/zwgk/xxgk/")
    assert len(first.context["page_obj"].object_list) == 20
    second = client.get("/zwgk/xxgk/?page=2")
    assert len(second.context["page_obj"].object_list) == 5


def test_village_sub_column_under_township(client, county, imported):
    [item] = imported(title="某村财务公开", organization=county.village, entries=[])
    town = client.get(f"/zwgk/xxgk/org/{county.east.pk}/").content.decode()
    assert "村（居）务公开" in town and f"/zwgk/xxgk/org/{county.village.pk}/" in town
    village = client.get(f"/zwgk/xxgk/org/{county.village.pk}/").content.decode()
    assert item.title in village and "村（居）务公开" in village


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/zwgk/xxgk/",
        "/zwgk/xxgk/?domain={domain}",
        "/zwgk/xxgk/org/{org}/",
        "/zwgk/xxgk/search/?q=示例",
        "/",
        "/zwgk/xxgk/feed/rss/",
    ],
)
def test_list_query_counts_do_not_grow_with_items(client, county, imported, url):
    url = url.format(domain=county.domain.pk, org=county.civil.pk)
    imported(2)
    few = _count(client, url)
    imported(15, title="更多示例")
    many = _count(client, url)
    assert many == few
    assert many <= 15


def test_item_page_query_count_is_bounded(client, county, imported, publish_item, make_item):
    [item] = imported(1)
    alone = _count(client, f"/zwgk/xxgk/item/{item.pk}/")
    publish_item(make_item(title="解读0", kind=ItemKind.INTERPRETATION, entries=[], interprets=[item]))
    few = _count(client, f"/zwgk/xxgk/item/{item.pk}/")
    for n in range(1, 5):
        publish_item(make_item(title=f"解读{n}", kind=ItemKind.INTERPRETATION, entries=[], interprets=[item]))
    many = _count(client, f"/zwgk/xxgk/item/{item.pk}/")
    # The linked items cost one query however many there are (and none when there are none).
    assert alone <= few == many <= 12


def test_feeds_are_well_formed(client, county, imported):
    imported(3)
    rss = ET.fromstring(client.get("/zwgk/xxgk/feed/rss/").content)
    assert rss.tag == "rss"
    items = rss.findall("./channel/item")
    assert len(items) == 3 and all(i.findtext("title") and i.findtext("link") for i in items)
    atom = ET.fromstring(client.get("/zwgk/xxgk/feed/atom/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(atom.findall("a:entry", ns)) == 3
    domain = ET.fromstring(client.get(f"/zwgk/xxgk/feed/domain/{county.domain.pk}/rss/").content)
    assert len(domain.findall("./channel/item")) == 3
    land = ET.fromstring(client.get(f"/zwgk/xxgk/feed/domain/{county.land.pk}/atom/").content)
    assert land.findall("a:entry", ns) == []
    org = ET.fromstring(client.get(f"/zwgk/xxgk/feed/org/{county.east.pk}/rss/").content)
    assert org.findall("./channel/item") == []
    assert client.get("/zwgk/xxgk/feed/org/999999/rss/").status_code == 404


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _sitemap_locs(client, url, tag):
    response = client.get(url)
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    return [e.findtext("s:loc", namespaces=SITEMAP_NS) for e in root.findall(f"s:{tag}", SITEMAP_NS)]


def _all_sitemap_urls(client):
    urls = []
    for part in _sitemap_locs(client, "/sitemap.xml", "sitemap"):
        path = part.split("://", 1)[-1].split("/", 1)[1]
        urls += _sitemap_locs(client, "/" + path, "url")
    return urls


def test_sitemap_lists_public_items_only(client, county, imported, make_item):
    [public] = imported(1)
    draft = make_item()
    locs = _all_sitemap_urls(client)
    assert any(loc.endswith(f"/zwgk/xxgk/item/{public.pk}/") for loc in locs)
    assert not any(loc.endswith(f"/zwgk/xxgk/item/{draft.pk}/") for loc in locs)
    assert any(loc.endswith("/zwgk/") for loc in locs)


def test_sitemap_index_covers_every_item_past_one_file(client, county, imported, monkeypatch):
    """A sitemap file holds a bounded number of URLs; the index must page through all items."""
    from disclosure.sitemaps import ItemSitemap

    monkeypatch.setattr(ItemSitemap, "limit", 4)
    items = imported(10)
    parts = [p for p in _sitemap_locs(client, "/sitemap.xml", "sitemap") if "sitemap-items" in p]
    assert len(parts) == 3  # 10 items, 4 per file
    locs = _all_sitemap_urls(client)
    for item in items:
        assert sum(loc.endswith(f"/zwgk/xxgk/item/{item.pk}/") for loc in locs) == 1
    assert client.get("/sitemap-items.xml?p=4").status_code == 404


def test_home_page_lists_latest_items(client, county, imported):
    [item] = imported(1, title="首页可见的信息")
    assert item.title in client.get("/").content.decode()


def _breadcrumb_links(page):
    import re

    nav = re.search(r'<nav class="breadcrumb[^"]*"[^>]*>(.*?)</nav>', page, flags=re.S).group(1)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)


def test_item_breadcrumb_walks_from_the_domain_to_the_items_first_entry(client, county, imported):
    [item] = imported(1, entries=[county.land_entry, county.entry])  # 社会救助 comes first in tree order
    links = _breadcrumb_links(client.get(f"/zwgk/xxgk/item/{item.pk}/").content.decode())
    assert links[-3:] == [
        (f"/zwgk/xxgk/domain/{county.domain.pk}/", "社会救助"),
        (f"/zwgk/xxgk/entry/{county.group.pk}/", "最低生活保障"),
        (f"/zwgk/xxgk/entry/{county.entry.pk}/", "办事指南"),
    ]
    # An item under a domain itself: the domain alone; an item without an entry: its organisation.
    [top] = imported(1, entries=[county.land])
    assert _breadcrumb_links(client.get(f"/zwgk/xxgk/item/{top.pk}/").content.decode())[-1] == (
        f"/zwgk/xxgk/domain/{county.land.pk}/",
        "征地补偿",
    )
    [loose] = imported(1, entries=[])
    assert _breadcrumb_links(client.get(f"/zwgk/xxgk/item/{loose.pk}/").content.decode())[-1] == (
        f"/zwgk/xxgk/org/{county.civil.pk}/",
        county.civil.name,
    )


def test_entry_breadcrumb_walks_from_the_domain_through_its_ancestors_escaping_names(client, county):
    county.group.name = "最低生活保障<审核&公示>"
    county.group.save(update_fields=["name"])
    page = client.get(f"/zwgk/xxgk/entry/{county.entry.pk}/").content.decode()
    assert _breadcrumb_links(page)[-2:] == [
        (f"/zwgk/xxgk/domain/{county.domain.pk}/", "社会救助"),
        (f"/zwgk/xxgk/entry/{county.group.pk}/", "最低生活保障&lt;审核&amp;公示&gt;"),
    ]
    assert '<span class="crumb">办事指南</span>' in page


def test_a_list_pages_own_objects_are_read_once_until_the_catalog_or_an_organisation_changes(client, county, settings):
    """The domain, the entry and its ancestors, the organisation and its villages (issue 10)."""
    from portal.models import Organization, OrganizationKind

    settings.PAGE_CACHE = False  # every page is built: what is remembered is the page's objects
    entry_page = f"/zwgk/xxgk/entry/{county.entry.pk}/"
    east_page = f"/zwgk/xxgk/org/{county.east.pk}/"
    domain_page = f"/zwgk/xxgk/domain/{county.domain.pk}/"

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = {url: queries(url) for url in (entry_page, east_page, domain_page)}
    again = {url: queries(url) for url in (entry_page, east_page, domain_page)}
    # Asked again, each page reads only its rows: not the entry and its ancestors, the
    # organisation and its villages, the domain (which has no item: its keys are remembered too).
    assert first[entry_page] > 1 and first[east_page] > 1 and first[domain_page] > 0
    assert again == {entry_page: 1, east_page: 1, domain_page: 0}

    # Each change shows on the next visit.
    county.group.name = "最低生活保障（城乡）"
    county.group.save()
    county.entry.name = "办事指南（新）"
    county.entry.save()
    page = client.get(entry_page).content.decode()
    assert '<span class="crumb">办事指南（新）</span>' in page and ">最低生活保障（城乡）</a>" in page
    county.domain.name = "社会救助（含临时救助）"
    county.domain.save()
    assert "社会救助（含临时救助）" in client.get(domain_page).content.decode()
    county.east.name = "测试县东乡镇人民政府"
    county.east.save()
    Organization.objects.create(name="东乡新建社区居民委员会", parent=county.east, kind=OrganizationKind.COMMUNITY)
    page = client.get(east_page).content.decode()
    assert '<span class="crumb">测试县东乡镇人民政府</span>' in page and "东乡新建社区居民委员会" in page
    # A number that names no page stays a 404.
    for _ in range(2):
        assert client.get("/zwgk/xxgk/entry/999999/").status_code == 404
        assert client.get("/zwgk/xxgk/org/999999/").status_code == 404


def test_the_item_and_its_breadcrumb_are_one_query(county, imported, django_assert_num_queries):
    from disclosure import selectors

    items = imported(1, entries=[county.land_entry, county.entry]) + imported(1, entries=[county.land])
    items += imported(1, entries=[])
    for item in items:
        with django_assert_num_queries(1):
            page_item = selectors.item_for_page(item.pk)
            domain, path = selectors.breadcrumbs_for(page_item)
        # The same path as the breadcrumb's own query gives for an item read elsewhere.
        alone_domain, alone_path = selectors.breadcrumbs_for(DisclosureItem.objects.get(pk=item.pk))
        assert (domain, [(e.pk, e.name, e.level) for e in path]) == (
            alone_domain,
            [(e.pk, e.name, e.level) for e in alone_path],
        )
        assert domain is None or domain.name in ("社会救助", "征地补偿")


def test_a_single_version_is_not_listed_as_history(client, county, publish_item):
    page = client.get(f"/zwgk/xxgk/item/{publish_item().pk}/").content.decode()
    assert "历史版本" not in page


@pytest.mark.parametrize("page_cache", [True, False])
def test_list_page_counts_follow_publications_and_withdrawals(client, county, imported, settings, page_cache):
    """The lists' counts are remembered per content generation: never stale after a change."""
    settings.PAGE_CACHE = page_cache
    items = imported(21)
    assert "第 1 / 2 页" in client.get("/zwgk/xxgk/").content.decode()
    assert "第 1 / 2 页" in client.get(f"/zwgk/xxgk/org/{county.civil.pk}/").content.decode()
    imported(20)
    assert "第 1 / 3 页" in client.get("/zwgk/xxgk/").content.decode()
    assert "第 1 / 3 页" in client.get(f"/zwgk/xxgk/org/{county.civil.pk}/").content.decode()
    for item in items[:2]:
        services.withdraw(county.reviewer, item, reason="信息重复发布")
    assert "第 1 / 2 页" in client.get("/zwgk/xxgk/").content.decode()
    # Each filter is counted on its own.
    assert "第 1 / 2 页" in client.get(f"/zwgk/xxgk/?org={county.civil.pk}").content.decode()
    assert "第 1 / " not in client.get(f"/zwgk/xxgk/?org={county.east.pk}").content.decode()


def test_domain_page_lists_a_new_catalog_entry_at_once(client, county, settings):
    settings.PAGE_CACHE = False
    assert "临时救助" not in client.get(f"/zwgk/xxgk/domain/{county.domain.pk}/").content.decode()
    new = CatalogEntry.objects.create(name="临时救助", parent=county.domain, proactive=True)
    page = client.get(f"/zwgk/xxgk/domain/{county.domain.pk}/").content.decode()
    assert f'<a href="/zwgk/xxgk/entry/{new.pk}/">临时救助</a>' in page


def test_domain_entry_and_organisation_pages_show_their_place_and_refuse_other_addresses(client, county, imported):
    """Each list page's own object (compiled shapes, issue 10): its name, its way up, and 404 for what it is not."""
    imported(organization=county.village, title="村务公开")
    entry = client.get(f"/zwgk/xxgk/entry/{county.entry.pk}/").content.decode()
    for ancestor in county.entry.get_ancestors():
        assert f'href="/zwgk/xxgk/entry/{ancestor.pk}/"' in entry or f'href="/zwgk/xxgk/domain/{ancestor.pk}/"' in entry
    assert county.entry.name in entry and county.domain.name in entry
    village = client.get(f"/zwgk/xxgk/org/{county.village.pk}/").content.decode()
    assert f'href="/zwgk/xxgk/org/{county.village.parent.pk}/">{county.village.parent.name}</a>' in village
    assert "村务公开0" in village
    parent = client.get(f"/zwgk/xxgk/org/{county.village.parent.pk}/").content.decode()
    assert f'href="/zwgk/xxgk/org/{county.village.pk}/">{county.village.name}</a>' in parent  # its villages
    assert county.domain.name in client.get(f"/zwgk/xxgk/domain/{county.domain.pk}/").content.decode()
    for path in (
        f"/zwgk/xxgk/entry/{county.domain.pk}/",  # a domain is not an entry
        f"/zwgk/xxgk/domain/{county.entry.pk}/",  # nor an entry a domain
        "/zwgk/xxgk/org/999999/",
        "/zwgk/xxgk/entry/999999/",
        f"/zwgk/xxgk/org/{2**70}/",  # beyond any key
    ):
        assert client.get(path).status_code == 404, path
