"""Anonymous public pages come from the shared cache and are never stale after a change (issue 10)."""

from catalog.models import CatalogEntry
from disclosure import services

PAGES = ["/", "/zwgk/xxgk/", "/zwgk/xxgk/feed/rss/", "/sitemap-items.xml"]


def test_a_publication_shows_on_the_next_anonymous_request(client, county, publish_item, make_item):
    first = publish_item(title="第一条已公开信息")
    for url in PAGES:
        assert f"/zwgk/xxgk/item/{first.pk}/" in client.get(url).content.decode(), url
    # The pages are now cached; publishing another item must show at once on all of them.
    second = publish_item(title="第二条刚刚公开的信息")
    for url in PAGES:
        assert f"/zwgk/xxgk/item/{second.pk}/" in client.get(url).content.decode(), url
    assert client.get(f"/zwgk/xxgk/item/{second.pk}/").status_code == 200
    services.withdraw(county.reviewer, first, reason="测试撤回")
    assert client.get(f"/zwgk/xxgk/item/{first.pk}/").status_code == 410
    assert "第一条已公开信息" not in client.get("/zwgk/xxgk/").content.decode()


def test_a_cached_page_is_served_without_running_the_view(client, county, publish_item, django_assert_max_num_queries):
    publish_item(title="缓存中的信息")
    client.get("/zwgk/xxgk/")
    with django_assert_max_num_queries(0):
        again = client.get("/zwgk/xxgk/")
    assert "缓存中的信息" in again.content.decode()


def test_a_catalog_change_reaches_the_cached_catalog_pages(client, county):
    url = f"/zwgk/fdzdgknr/domain/{county.domain.pk}/"
    assert "办事指南" in client.get(url).content.decode()
    entry = CatalogEntry.objects.get(pk=county.entry.pk)
    entry.name = "办事指南（修订）"
    entry.save()
    assert "办事指南（修订）" in client.get(url).content.decode()


def test_anonymous_pages_set_no_cookie_and_can_be_revalidated(client, county, publish_item):
    item = publish_item()
    for url in PAGES + [f"/zwgk/xxgk/item/{item.pk}/", "/zwgk/", "/zwgk/fdzdgknr/", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "public" in response["Cache-Control"] and response["ETag"] and response["Last-Modified"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url


def test_logged_in_visitors_are_never_served_or_stored_from_the_cache(client, county, publish_item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish_item(title="所有人可见的信息")
    client.force_login(county.clerk)
    staff_page = client.get("/zwgk/xxgk/")
    assert "no-store" in staff_page["Cache-Control"] and "private" in staff_page["Cache-Control"]
    assert "ETag" not in staff_page
    client.logout()
    with CaptureQueriesContext(connection) as first:
        anonymous = client.get("/zwgk/xxgk/")
    assert len(first) > 0  # rendered afresh: the staff member's response was not stored
    assert "所有人可见的信息" in anonymous.content.decode() and "public" in anonymous["Cache-Control"]
    client.force_login(county.clerk)
    with CaptureQueriesContext(connection) as staff_again:
        client.get("/zwgk/xxgk/")
    assert len(staff_again) > 0  # and staff are never served the anonymous copy


def test_each_language_and_display_mode_gets_its_own_cached_page(client, county, publish_item):
    """One visitor's 高对比度 or English must never be served to the next visitor."""
    publish_item(title="缓存与显示模式")
    assert 'class="mode-contrast' not in client.get("/zwgk/xxgk/").content.decode()
    client.cookies["zwgk_display"] = "contrast"
    assert "mode-contrast" in client.get("/zwgk/xxgk/").content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="en"' in client.get("/zwgk/xxgk/").content.decode()
    del client.cookies["zwgk_display"], client.cookies["django_language"]
    plain = client.get("/zwgk/xxgk/").content.decode()
    assert "mode-contrast" not in plain and '<html lang="zh-hans"' in plain


def test_what_a_process_remembers_follows_the_generation_and_only_the_newest_is_kept(db):
    """``pagecache.remember`` keeps its values in the process too (issue 10): never past a bump."""
    from portal import pagecache

    computed = []

    def compute():
        computed.append(1)
        return [len(computed)]

    assert pagecache.remember("a-list", compute) == [1]
    pagecache.cache.delete(f"pc:{pagecache.generation()}:a-list")  # the shared copy gone: this process still has it
    assert pagecache.remember("a-list", compute) == [1] and len(computed) == 1
    pagecache.bump()
    assert pagecache.remember("a-list", compute) == [2]
    assert len(pagecache._remembered._values) == 1, "an old generation's values are still held"


def test_uncached_pages_read_the_generation_once_a_second_and_see_another_servers_change(
    client, county, publish_item, settings, monkeypatch
):
    """With the page cache off, a page still keys what it remembers by the generation: read once a second."""
    from django.test import Client

    from portal import pagecache
    from portal.models import Organization

    settings.PAGE_CACHE = False
    settings.PORTAL_SITE_NAME = ""  # the site's name is the root organisation's (remembered per generation)
    publish_item(title="较早的信息")
    reads = []
    real_get = type(pagecache.caches["pages"]).get
    monkeypatch.setattr(
        type(pagecache.caches["pages"]),
        "get",
        lambda self, key, *a, **k: (reads.append(key), real_get(self, key, *a, **k))[1],
    )
    for _ in range(3):
        assert f"{county.gov.name} 版权所有" in client.get("/zwgk/xxgk/").content.decode()
    assert reads.count(pagecache.GENERATION_KEY) <= 1
    # Another server renames the county and publishes: the rows are in the shared database and
    # the shared generation moves, but this process bumped nothing. The list's rows show the
    # new item at once (rows are never remembered); the remembered site name changes within
    # the second.
    bumps = pagecache._bumps
    Organization.objects.filter(pk=county.gov.pk).update(name="测试县人民政府新名")
    publish_item(title="别的服务器刚公开的信息")
    monkeypatch.setattr(pagecache, "_bumps", bumps)
    page = client.get("/zwgk/xxgk/").content.decode()
    assert "别的服务器刚公开的信息" in page and f"{county.gov.name} 版权所有" in page
    # Staff read the generation on every request: they see the change at once.
    staff = Client()
    staff.force_login(county.clerk)
    assert "测试县人民政府新名 版权所有" in staff.get("/zwgk/xxgk/").content.decode()
    later = pagecache.time.monotonic() + 1.5
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    assert "测试县人民政府新名 版权所有" in client.get("/zwgk/xxgk/").content.decode()
