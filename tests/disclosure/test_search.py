"""Search in Chinese, on whichever database the suite runs (SQLite and PostgreSQL both must pass)."""

import pytest
from django.db import connection

from disclosure import search, selectors, services
from disclosure.models import DisclosureItem

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="tsvector search needs PostgreSQL")


@pytest.fixture
def corpus(county, publish_item):
    return {
        "dibao": publish_item(
            title="关于调整城乡居民最低生活保障标准的通知", body="<p>全县城乡低保对象的保障标准自2026年1月起提高。</p>"
        ),
        "zhengdi": publish_item(
            title="2026年第一批次土地征收公告", body="<p>征地补偿安置方案已经批准，区片综合地价每亩4.6万元。</p>"
        ),
        "other": publish_item(title="义务教育招生入学政策", body="<p>适龄儿童按学区入学。</p>"),
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ("低保", {"dibao"}),
        ("征地", {"zhengdi"}),
        ("入学", {"other"}),
        ("最低生活保障", {"dibao"}),
        ("征地 补偿", {"zhengdi"}),
        ("保障标准", {"dibao"}),
        ("火星", set()),
    ],
)
def test_two_character_and_longer_queries_find_the_text(corpus, query, expected):
    found = {k for k, item in corpus.items() if item in selectors.search_items(query)}
    assert found == expected


def test_unpublished_items_are_not_found(county, make_item, corpus):
    draft = make_item(title="低保草稿")
    assert draft not in selectors.search_items("低保")


def test_search_page_highlights_and_also_offers_catalog_entries(client, corpus, county):
    page = client.get("/zwgk/xxgk/search/?q=低保").content.decode()
    assert "<mark>低保</mark>" in page
    assert corpus["dibao"].title in page
    page = client.get("/zwgk/xxgk/search/?q=办事指南").content.decode()
    assert "相关公开事项" in page and f"/zwgk/xxgk/entry/{county.entry.pk}/" in page


def test_search_is_filterable(client, corpus, county):
    response = client.get(f"/zwgk/xxgk/search/?q=低保&org={county.east.pk}")
    assert list(response.context["page_obj"].object_list) == []


def test_every_page_has_the_search_box_pointing_to_search(client, corpus):
    for url in ("/", "/zwgk/", f"/zwgk/xxgk/item/{corpus['dibao'].pk}/"):
        assert 'action="/zwgk/xxgk/search/"' in client.get(url).content.decode()


def test_odd_queries_do_not_fail(client, corpus):
    for q in ("'", "&|!", "\\", "a:*", "((", "。", "x" * 300):
        assert client.get("/zwgk/xxgk/search/", {"q": q}).status_code == 200


def test_tokens_contain_words_and_character_pairs():
    tokens = list(search.tokens("城乡低保标准"))
    assert "低保" in tokens and "城乡" in tokens and "保标" in tokens


def test_query_literal_quotes_lexemes():
    assert search.build_query("低保") == "'低保'"
    assert search.build_query("it's") == "'it':* & 's':*"  # punctuation never reaches the tsquery
    assert search._quote("a'b\\c") == "'a''b\\\\c'"


@pg_only
def test_vector_is_kept_current_on_every_save(corpus, county):
    item = corpus["other"]
    assert item not in selectors.search_items("学区划分")
    revision = services.begin_revision(county.clerk, item, note="补充学区")
    services.update_draft(county.clerk, revision, body="<p>学区划分见附表。</p>")
    services.submit(county.clerk, revision)
    services.sign_off_confidentiality(county.reviewer, revision)
    services.publish(county.reviewer, revision)
    assert item in selectors.search_items("学区划分")


@pg_only
def test_title_matches_rank_first(county, publish_item):
    body_hit = publish_item(title="年度工作总结", body="<p>本年度低保工作稳步推进。</p>")
    title_hit = publish_item(title="低保资金发放情况", body="<p>按月发放。</p>")
    results = list(selectors.search_items("低保"))
    assert results.index(title_hit) < results.index(body_hit)


@pg_only
def test_gin_index_exists(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'disclosure_item_search_gin'")
        row = cursor.fetchone()
    assert row and "gin" in row[0].lower()
    column = DisclosureItem._meta.get_field("search_vector")
    assert column.db_type(connection) == "tsvector"
