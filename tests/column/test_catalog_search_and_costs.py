"""The catalog pages of the column, continued: search, language, no JavaScript, query counts, admin, items."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import services
from catalog.models import Adoption, AdoptionStatus, CatalogEntry, Channel

from .test_catalog_pages import breadcrumb_of, crumbs, entry_named, official_domains, social, text_of  # noqa: F401


def test_search_finds_entries_by_name_alias_content_and_body(client, demo):
    results = client.get("/zwgk/search/", {"q": "最低生活保障"}).content.decode()
    assert f'href="/zwgk/fdzdgknr/entry/{entry_named("社会救助", "最低生活保障").pk}/">最低生活保障</a>' in results
    ecology = CatalogEntry.objects.get(parent=None, name="环境保护")
    alias_results = client.get("/zwgk/search/", {"q": "生态环境"}).content.decode()
    assert f'<a href="/zwgk/fdzdgknr/domain/{ecology.pk}/">环境保护</a>' in alias_results
    assert "初审对象名单" not in text_of(client.get("/zwgk/search/", {"q": "生态环境"}))
    content_results = client.get("/zwgk/search/", {"q": "初审对象"}).content.decode()
    assert ">审核信息</a>" in content_results
    body_results = client.get("/zwgk/search/", {"q": "街道办事处"}).content.decode()
    assert ">审核信息</a>" in body_results


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\x00",
        "a\x00b",
        "%",
        "_",
        "100%",
        "'; DROP TABLE catalog_catalogentry; --",
        "<script>alert(1)</script>",
        "救" * 5000,
        "🙂",
        "\\",
        "\u202e社会救助",
    ],
)
def test_search_handles_odd_input_without_error(client, demo, query):
    response = client.get("/zwgk/search/", {"q": query})
    if "\x00" in query:
        # A NUL is refused before any view or database sees it (portal.security_middleware).
        assert response.status_code == 400 and "请求有误" in response.content.decode()
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "\x00" not in body
    echoed = re.search(r'id="site-search" type="search" name="q" value="([^"]*)"', body).group(1)
    assert len(html.unescape(echoed)) <= 100
    assert CatalogEntry.objects.filter(parent=None).count() == 26


def test_search_with_empty_query_asks_for_a_word(client, db):
    assert "请在页面顶部的搜索框输入要查找的内容" in text_of(client.get("/zwgk/search/"))


def test_search_says_when_nothing_matches(client, demo):
    assert "没有找到相符的目录事项" in text_of(client.get("/zwgk/search/", {"q": "不存在的事项名称"}))


def test_search_says_when_results_are_cut_off(client, standard_catalog):
    domain = CatalogEntry.objects.get(parent=None, name="就业")
    for number in range(55):
        CatalogEntry.objects.create(parent=domain, name=f"招聘信息{number:02d}")
    text = text_of(client.get("/zwgk/search/", {"q": "招聘信息"}))
    assert "仅显示前 50 项" in text
    assert text.count("招聘信息") >= 50


# --- language, no JavaScript -------------------------------------------------------------------------


def test_language_switcher_switches_to_english(client, demo):
    page = client.get("/zwgk/").content.decode()
    assert '<html lang="zh-hans">' in page
    link = re.search(r'<a lang="en" hreflang="en" href="([^"]+)">English</a>', page)
    assert link and link.group(1) == "/i18n/lang/en/?next=/zwgk/"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == "/zwgk/"
    english = client.get("/zwgk/").content.decode()
    assert '<html lang="en">' in english
    assert '<span lang="en" aria-current="true">English</span>' in english
    client.get("/i18n/lang/zh-hans/?next=/")
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_browser_language_never_switches_the_site(client, demo):
    """A Chinese government site is Chinese unless the visitor picks English."""
    page = client.get("/zwgk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page and "政府信息公开指南" in page
    assert "Government Information Disclosure Guide" not in page


def test_language_switch_sets_no_csrf_cookie_and_refuses_foreign_next(client, demo):
    response = client.get("/zwgk/")
    assert "csrftoken" not in response.cookies
    away = client.get("/i18n/lang/en/?next=https://evil.example/")
    assert away["Location"] == "/"
    unknown = client.get("/i18n/lang/xx/?next=/zwgk/")
    assert unknown.status_code == 302 and "django_language" not in unknown.cookies


def test_public_pages_need_no_javascript(client, demo):
    node = entry_named("社会救助", "最低生活保障", "审核信息")
    for url in [
        "/",
        "/zwgk/",
        "/zwgk/guide/",
        "/zwgk/rules/",
        "/zwgk/annual-reports/",
        "/zwgk/fdzdgknr/",
        f"/zwgk/fdzdgknr/domain/{social().pk}/",
        f"/zwgk/fdzdgknr/entry/{node.pk}/",
        f"/zwgk/fdzdgknr/org/{demo['河西乡'].pk}/",
        "/zwgk/search/?q=救助",
    ]:
        body = client.get(url).content.decode()
        # The one script is the static 朗读 enhancement (static/js/a11y.js), deferred; nothing inline.
        assert re.findall(r"<script\b[^>]*>.*?</script>", body, re.S) == [
            '<script src="/static/js/a11y.js" defer></script>'
        ], url
        assert " onclick=" not in body and " onchange=" not in body, url


# --- bounded queries ------------------------------------------------------------------------------------


def grow_catalog(admin, organization, domain, size, start=0):
    """Add ``size`` groups of two entries (one local) under ``domain``, adopted and partly overridden."""
    for number in range(start, start + size):
        group = CatalogEntry.objects.create(
            parent=domain,
            name=f"测试一级事项{number:03d}",
            level_county=True,
            level_township=True,
            sort_order=100 + number,
        )
        for child in range(2):
            CatalogEntry.objects.create(
                parent=group,
                name=f"测试二级事项{number:03d}-{child}",
                time_limit_text="20个工作日内",
                channels=[Channel.WEBSITE],
                proactive=True,
                level_township=True,
                organization=organization if child else None,
            )
    services.adopt(admin, organization, domain, reason="测试")
    for entry in domain.get_descendants().filter(organization=organization):
        Adoption.objects.get_or_create(
            organization=organization, entry=entry, defaults={"status": AdoptionStatus.ADOPTED}
        )
    Adoption.objects.filter(organization=organization, entry__in=domain.get_descendants()[::3]).update(
        time_limit_text="本地时限",
        responsible_body="本地主体",
        channels=[Channel.NOTICE_BOARD],
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_the_catalog(client, demo, django_assert_max_num_queries):
    admin = demo["示范县"].users.get(username="admin")
    hexi = demo["河西乡"]
    domain = CatalogEntry.objects.get(parent=None, name="就业")

    def urls():
        group = domain.get_children().order_by("lft").first()
        leaf = group.get_children().first()
        return [
            reverse("column:domain", args=[domain.pk]),
            reverse("column:entry", args=[group.pk]),
            reverse("column:entry", args=[leaf.pk]),
            reverse("column:organization", args=[hexi.pk]),
            reverse("column:statutory"),
            reverse("column:guide"),
            "/zwgk/search/?q=测试",
        ]

    shipped = domain.get_descendant_count()
    grow_catalog(admin, hexi, domain, 2)
    for other in (demo["城关镇"], demo["县民政局"]):
        services.adopt(admin, other, domain, reason="测试")
    small = {url: count_queries(client, url) for url in urls()}
    grow_catalog(admin, hexi, CatalogEntry.objects.get(pk=domain.pk), 60, start=2)
    domain.refresh_from_db()
    for other in (demo["城关镇"], demo["县民政局"]):
        services.adopt(admin, other, domain, reason="测试")
    assert domain.get_descendant_count() == shipped + 62 * 3
    large = {url: count_queries(client, url) for url in urls()}
    assert large == small
    for url in urls():
        with django_assert_max_num_queries(6):
            client.get(url)


# --- the admin ---------------------------------------------------------------------------------------------


def test_admin_catalog_and_organisation_pages_load_in_chinese_for_a_superuser(client, demo):
    admin = demo["示范县"].users.get(username="admin")
    client.force_login(admin)
    node = entry_named("社会救助", "最低生活保障", "审核信息")
    pages = {
        "/admin/": "政务公开管理后台",
        "/admin/catalog/catalogentry/": "目录事项",
        f"/admin/catalog/catalogentry/{node.pk}/change/": "公开内容（要素）",
        "/admin/catalog/catalogentry/add/": "上级事项",
        "/admin/portal/organization/": "机构",
        f"/admin/portal/organization/{demo['河西乡'].pk}/change/": "政务公开办公室（显示在公开指南中）",
        "/admin/catalog/adoption/": "本机构目录",
    }
    for url, label in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert '<html lang="zh-hans"' in body, url
        assert label in body, url
    tree = client.get("/admin/catalog/catalogentry/").content.decode()
    assert "draggable-admin.js" in tree or "tree-node" in tree


def test_catalog_pages_lead_to_the_published_items(client, demo):
    from disclosure.models import DisclosureItem

    item = DisclosureItem.objects.filter(state="published", catalog_entries__isnull=False).first()
    entry = item.catalog_entries.first()
    domain = entry.get_root()
    entry_page = client.get(f"/zwgk/fdzdgknr/entry/{entry.pk}/").content.decode()
    link = f'href="/zwgk/xxgk/entry/{entry.pk}/"'
    assert link in entry_page
    assert item.title in client.get(f"/zwgk/xxgk/entry/{entry.pk}/").content.decode()
    assert (
        f'href="/zwgk/xxgk/domain/{domain.pk}/"' in client.get(f"/zwgk/fdzdgknr/domain/{domain.pk}/").content.decode()
    )
    org = item.organization
    assert f'href="/zwgk/xxgk/org/{org.pk}/"' in client.get(f"/zwgk/fdzdgknr/org/{org.pk}/").content.decode()
