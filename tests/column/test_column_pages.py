"""The column landing /zwgk/, the 制度 sub-column and the 政策文件库, as a citizen reads them (issue 12).

The fixtures are the disclosure tests' small county (tests/column/conftest.py).
"""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from column import views
from disclosure import services
from disclosure.models import DisclosureItem, DocumentType, InterpretationForm, ItemKind, Validity
from portal.models import Organization

BAD_VALUES = {
    "org": "abc",
    "year": "99999",
    "type": "x'--",
    "validity": "<b>",
    "kind": "zz",
    "domain": "-1",
    "page": "0x1",
}


def text_of(response):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def listed(response):
    """Titles of the page's list rows, in order."""
    body = response.content.decode()
    return [
        html.unescape(t) for t in re.findall(r'<a class="item-title" href="/zwgk/xxgk/item/\d+/">([^<]+)</a>', body)
    ]


@pytest.fixture
def imported(county):
    """Items brought in as already published (fast: no review), one hour apart, newest last."""

    def make(title, organization=None, published=dt.date(2026, 3, 1), **fields):
        item = DisclosureItem(
            organization=organization or county.civil,
            title=title,
            body="<p>正文</p>",
            published_at=timezone.make_aware(dt.datetime.combine(published, dt.time(9))),
            **fields,
        )
        return services.import_published(county.admin, item, catalog_entries=[county.entry])

    return make


# --- URLs ----------------------------------------------------------------------------------------


def test_the_column_pages_keep_their_addresses_and_answer_with_the_column_views():
    for name, path, view in [
        ("column:index", "/zwgk/", views.index),
        ("column:rules", "/zwgk/rules/", views.rules),
        ("column:policies", "/zwgk/xxgk/policies/", views.policies),
        ("column:guide", "/zwgk/guide/", views.guide),
        ("column:statutory", "/zwgk/fdzdgknr/", views.statutory),
        ("home", "/", views.home),
    ]:
        assert reverse(name) == path
        assert resolve(path).func is view, name


# --- 制度 ----------------------------------------------------------------------------------------


def test_the_rules_column_lists_only_published_items_marked_as_disclosure_rules(
    client, county, imported, make_item, publish_item
):
    imported(
        "测试县政府信息公开工作规范",
        organization=county.gov,
        disclosure_rule=True,
        document_type=DocumentType.NORMATIVE,
        document_number="测政发〔2025〕5号",
    )
    publish_item(title="测试县民政局政府信息公开保密审查制度", disclosure_rule=True)
    imported("测试县民政局关于低保标准的通知", document_type=DocumentType.NORMATIVE)  # a policy, not a rule
    make_item(title="尚未发布的依申请公开办理制度", disclosure_rule=True)  # a draft: not public
    response = client.get("/zwgk/rules/")
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(["测试县政府信息公开工作规范", "测试县民政局政府信息公开保密审查制度"])
    assert "测政发〔2025〕5号" in text_of(response)
    assert "暂无已发布的制度文件" not in text_of(response)


def test_the_rules_column_filters_and_pages_like_every_item_list(client, county, imported, settings):
    settings.PAGE_CACHE = False
    for i in range(23):
        imported(f"民政局公开制度{i:02d}", published=dt.date(2026, 3, 1) + dt.timedelta(days=i), disclosure_rule=True)
    imported(
        "城关镇公开制度",
        organization=county.east,
        published=dt.date(2025, 5, 1),
        disclosure_rule=True,
        document_type=DocumentType.OTHER,
    )
    first = client.get("/zwgk/rules/")
    assert len(listed(first)) == 20 and listed(first)[0] == "民政局公开制度22"
    assert 'rel="next"' in first.content.decode()
    assert len(listed(client.get("/zwgk/rules/?page=2"))) == 4
    assert listed(client.get(f"/zwgk/rules/?org={county.east.pk}")) == ["城关镇公开制度"]
    assert listed(client.get("/zwgk/rules/?year=2025")) == ["城关镇公开制度"]
    assert "暂无符合条件的制度文件" in text_of(client.get("/zwgk/rules/?validity=repealed"))


def test_bad_filter_values_on_the_rules_column_give_the_whole_list(client, county, imported):
    imported("测试县政府信息公开工作规范", disclosure_rule=True)
    response = client.get("/zwgk/rules/", BAD_VALUES)
    assert response.status_code == 200 and listed(response) == ["测试县政府信息公开工作规范"]


def test_marking_a_rule_leaves_annual_table_two_as_it_was(county, imported):
    from annual.models import ReportScope
    from annual.selectors import table2

    doc = imported(
        "测试县政府信息公开工作规范",
        organization=county.gov,
        document_type=DocumentType.NORMATIVE,
        written_on=dt.date(2025, 4, 10),
        published=dt.date(2025, 4, 15),
    )
    before = table2(county.gov, ReportScope.SUBTREE, 2025)
    assert before[DocumentType.NORMATIVE]["issued"] == 1
    DisclosureItem.objects.filter(pk=doc.pk).update(disclosure_rule=True)
    imported(
        "另一项公开制度（其他文件）",
        organization=county.gov,
        disclosure_rule=True,
        written_on=dt.date(2025, 6, 1),
        published=dt.date(2025, 6, 2),
    )
    assert table2(county.gov, ReportScope.SUBTREE, 2025) == before


def test_a_clerk_marks_a_rule_in_the_item_form_and_the_reviewer_sees_the_mark(client, county, make_item):
    client.force_login(county.clerk)
    page = client.get(reverse("disclosure_staff:create")).content.decode()
    assert 'name="disclosure_rule"' in page
    rule = make_item(title="测试县民政局依申请公开办理制度", disclosure_rule=True)
    plain = make_item(title="测试县民政局低保通知")
    client.force_login(county.reviewer)
    assert "政府信息公开制度" in text_of(client.get(reverse("disclosure_staff:item", args=[rule.pk])))
    assert "政府信息公开制度" not in text_of(client.get(reverse("disclosure_staff:item", args=[plain.pk])))


def test_a_revision_keeps_the_rule_mark(county, publish_item):
    item = publish_item(title="测试县民政局政府信息公开工作制度", disclosure_rule=True)
    revision = services.begin_revision(county.clerk, item, note="修订")
    services.update_draft(county.clerk, revision, body="<p>修订后的制度。</p>")
    services.submit(county.clerk, revision)
    services.sign_off_confidentiality(county.reviewer, revision)
    services.publish(county.reviewer, revision)
    item.refresh_from_db()
    assert item.disclosure_rule and item.body == "<p>修订后的制度。</p>"


# --- 政策文件库 ----------------------------------------------------------------------------------


@pytest.fixture
def library(county, imported):
    docs = {
        "normative": imported(
            "关于调整低保标准的通知",
            document_type=DocumentType.NORMATIVE,
            document_number="测民发〔2026〕3号",
            written_on=dt.date(2026, 1, 5),
            published=dt.date(2026, 1, 8),
        ),
        "regulation": imported(
            "测试县城市管理办法",
            organization=county.gov,
            document_type=DocumentType.REGULATION,
            document_number="测政规〔2024〕1号",
            written_on=dt.date(2024, 12, 20),
            published=dt.date(2025, 1, 3),
        ),
        "numbered": imported(
            "关于征地补偿安置方案的公告",
            organization=county.east,
            document_number="测城告〔2025〕2号",
            published=dt.date(2025, 3, 3),
        ),
        "repealed": imported(
            "低保审核审批操作规程（2019年版）",
            document_type=DocumentType.NORMATIVE,
            document_number="测民发〔2019〕12号",
            written_on=dt.date(2019, 6, 3),
            published=dt.date(2019, 6, 10),
        ),
        "guide": imported("城乡低保办事指南"),  # 其他文件 without a 文号: not a policy document
    }
    services.change_validity(
        county.reviewer, docs["repealed"], Validity.REPEALED, on_date=dt.date(2026, 1, 1), note="被新规程取代"
    )
    interpretation = imported(
        "《关于调整低保标准的通知》政策解读",
        kind=ItemKind.INTERPRETATION,
        interpretation_form=InterpretationForm.QA,
        published=dt.date(2026, 1, 9),
    )
    interpretation.interprets.add(docs["normative"])
    docs["interpretation"] = interpretation
    return docs


def test_the_policy_library_lists_policy_documents_with_their_metadata(client, library):
    response = client.get("/zwgk/xxgk/policies/")
    assert response.status_code == 200
    assert listed(response) == [
        "关于调整低保标准的通知",
        "关于征地补偿安置方案的公告",
        "测试县城市管理办法",
        "低保审核审批操作规程（2019年版）",
    ]
    body = response.content.decode()
    row = re.search(
        r"<li>\s*<a class=\"item-title\"[^>]*>关于调整低保标准的通知</a>(.*?)</li>\s*(<li>|</ul>)", body, flags=re.S
    ).group(1)
    row_text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)))
    for expected in (
        "文号 测民发〔2026〕3号",
        "发文机关 测试县民政局",
        "成文日期 2026-01-05",
        "发布日期 2026-01-08",
        "有效性 有效",
        "文件类型 行政规范性文件",
    ):
        assert expected in row_text, expected
    # Linked to its interpretation, which is not itself listed as a document.
    assert f'href="/zwgk/xxgk/item/{library["interpretation"].pk}/">《关于调整低保标准的通知》政策解读</a>' in row
    assert "城乡低保办事指南" not in body
    assert "有效性 废止" in text_of(response)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"type": "regulation"}, ["测试县城市管理办法"]),
        ({"type": "other"}, ["关于征地补偿安置方案的公告"]),
        ({"validity": "repealed"}, ["低保审核审批操作规程（2019年版）"]),
        # The year is the 成文日期's (the publication date's where there is none), as table 二 counts.
        ({"year": "2024"}, ["测试县城市管理办法"]),
        ({"year": "2025"}, ["关于征地补偿安置方案的公告"]),
        ({"year": "2026", "validity": "valid"}, ["关于调整低保标准的通知"]),
    ],
)
def test_the_policy_library_filters(client, library, query, expected):
    assert listed(client.get("/zwgk/xxgk/policies/", query)) == expected


def test_the_issuer_filter_is_the_issuing_body_itself(client, county, library):
    # 发文机关 = the organisation that issued it, not everything below it.
    assert listed(client.get("/zwgk/xxgk/policies/", {"org": county.gov.pk})) == ["测试县城市管理办法"]
    assert listed(client.get("/zwgk/xxgk/policies/", {"org": county.east.pk})) == ["关于征地补偿安置方案的公告"]
    assert "暂无符合条件的政策文件" in text_of(client.get("/zwgk/xxgk/policies/", {"org": county.village.pk}))


def test_the_policy_filters_offer_issuers_and_years_that_have_documents(client, county, library):
    body = client.get("/zwgk/xxgk/policies/").content.decode()
    issuers = re.search(r'<select name="org">(.*?)</select>', body, flags=re.S).group(1)
    in_tree_order = [
        o.name
        for o in Organization.objects.order_by("tree_id", "lft")
        if o.pk in (county.gov.pk, county.civil.pk, county.east.pk)
    ]
    assert re.findall(r">([^<]+)</option>", issuers)[1:] == in_tree_order  # no 河西乡, no 柳树村: nothing issued
    years = re.search(r'<select name="year">(.*?)</select>', body, flags=re.S).group(1)
    assert re.findall(r'value="(\d+)"', years) == ["2026", "2025", "2024", "2019"]


def test_bad_policy_filter_values_give_the_whole_library(client, library):
    response = client.get("/zwgk/xxgk/policies/", BAD_VALUES)
    assert response.status_code == 200 and len(listed(response)) == 4


def test_the_policy_library_pages_with_bounded_queries(client, county, imported, settings):
    settings.PAGE_CACHE = False
    for i in range(25):
        doc = imported(
            f"规范性文件{i:02d}",
            document_type=DocumentType.NORMATIVE,
            document_number=f"测民发〔2026〕{i + 1}号",
            published=dt.date(2026, 1, 1) + dt.timedelta(days=i),
        )
        reading = imported(
            f"规范性文件{i:02d}的解读",
            kind=ItemKind.INTERPRETATION,
            published=dt.date(2026, 1, 1) + dt.timedelta(days=i),
        )
        reading.interprets.add(doc)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/zwgk/xxgk/policies/")
    assert len(queries) <= 10, [q["sql"][:120] for q in queries.captured_queries]
    assert len(listed(first)) == 20 and "共 25 件" in text_of(first)
    assert "规范性文件24的解读" in first.content.decode()
    last = client.get("/zwgk/xxgk/policies/?page=2")
    assert listed(last) == [f"规范性文件{i:02d}" for i in range(4, -1, -1)]


def test_the_empty_library_says_so(client, db):
    assert "暂无已发布的政策文件" in text_of(client.get("/zwgk/xxgk/policies/"))


# --- the landing ---------------------------------------------------------------------------------


def test_the_landing_shows_subcolumns_latest_items_policies_interpretations_contact_and_apply(
    client, county, library, imported
):
    county.gov.office_phone = "0000-5559999"
    county.gov.office_address = "测试县测试路1号"
    county.gov.save()
    imported("测试县政府信息公开工作规范", organization=county.gov, disclosure_rule=True, published=dt.date(2026, 2, 1))
    response = client.get("/zwgk/")
    assert response.status_code == 200
    body = response.content.decode()
    nav = re.search(r'<nav class="column-nav"[^>]*>(.*?)</nav>', body, flags=re.S).group(1)
    assert re.findall(r">([^<]+)</a>", nav) == [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政策文件库",
        "政府信息公开年报",
    ]
    subcolumns = re.search(r'<ol class="subcolumns">(.*?)</ol>', body, flags=re.S).group(1)
    assert 'href="/zwgk/guide/#apply"' in subcolumns and 'href="/zwgk/xxgk/org/"' in subcolumns
    assert "测试县政府信息公开工作规范" in subcolumns  # the 制度 sub-column's own newest rules
    panels = {
        h: html.unescape(t)
        for h, t in re.findall(
            r'<section class="column-panel[^"]*">\s*<h2>([^<]+)</h2>(.*?)</section>', body, flags=re.S
        )
    }
    assert "测试县政府信息公开工作规范" in panels["最新公开"]
    assert "测民发〔2026〕3号" in panels["最新政策文件"] and "城乡低保办事指南" not in panels["最新政策文件"]
    assert "《关于调整低保标准的通知》政策解读" in panels["政策解读"]
    assert "《关于调整低保标准的通知》政策解读" not in panels["最新政策文件"]
    assert 'href="/ysqgk/"' in panels["依申请公开"]
    assert "0000-5559999" in panels["联系我们"] and "测试县测试路1号" in panels["联系我们"]


def test_the_landing_is_cheap_uncached_and_served_from_the_page_cache(
    client, county, library, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/zwgk/").status_code == 200
    assert len(queries) <= 10, [q["sql"][:120] for q in queries.captured_queries]
    settings.PAGE_CACHE = True
    client.get("/zwgk/")
    with django_assert_max_num_queries(0):
        again = client.get("/zwgk/")
    assert "关于调整低保标准的通知" in again.content.decode()


def test_a_new_rule_shows_on_the_cached_landing_and_rules_page_at_once(client, county, publish_item):
    assert "暂无已发布的制度文件" in text_of(client.get("/zwgk/"))
    client.get("/zwgk/rules/")
    publish_item(title="测试县民政局政府信息公开工作制度", disclosure_rule=True)
    assert "测试县民政局政府信息公开工作制度" in text_of(client.get("/zwgk/"))
    assert listed(client.get("/zwgk/rules/")) == ["测试县民政局政府信息公开工作制度"]


def test_the_empty_landing_still_renders(client, db):
    text = text_of(client.get("/zwgk/"))
    assert "暂无已发布的政府信息" in text and "暂无已发布的政策文件" in text and "暂无已发布的政策解读" in text


def test_the_sitemap_lists_the_column_pages_and_the_policy_library(client, db):
    body = client.get("/sitemap-pages.xml").content.decode()
    for path in ("/zwgk/</loc>", "/zwgk/rules/</loc>", "/zwgk/xxgk/policies/</loc>"):
        assert path in body, path
