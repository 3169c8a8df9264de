"""Search by 索引号 and 文号, exact matches first, facet counts (issue 12) — on SQLite and PostgreSQL."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from disclosure import selectors, services
from disclosure.models import DisclosureItem, DocumentType
from disclosure.text import document_number_key
from tests.disclosure.plans import query_plan

BRACKETS = [("〔", "〕"), ("[", "]"), ("【", "】"), ("﹝", "﹞"), ("［", "］"), ("(", ")"), ("（", "）"), ("〖", "〗")]


# ---------------------------------------------------------------- the normaliser


@pytest.mark.parametrize(
    "typed",
    [
        "示民发〔2026〕3号",
        "示民发[2026]3号",
        "示民发【2026】3号",
        "示民发﹝2026﹞3号",
        "示民发（2026）3号",
        "示民发(2026)3号",
        "示民发〔2026〕03号",
        "示民发【2026】第3号",
        "示民发[2026]第003号",
        " 示民发 [2026] 3 号 ",
        "示民发［２０２６］３号",
    ],
)
def test_every_way_of_writing_a_document_number_gives_one_key(typed):
    assert document_number_key(typed) == "示民发〔2026〕3号"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "[]",
        "〔〕",
        "【】",
        "()",
        "示民发",
        "示民发〔2026〕号",
        "示民发〔26〕3号",
        "示民发〔2026〕0号",
        "示民发〔1800〕3号",
        "〔2026〕3号",
        "低保",
        "x" * 300,
        "\x00",
        "示民发〔2026〕3号 通知",
    ],
)
def test_what_is_not_a_document_number_has_no_key(typed):
    assert document_number_key(typed) == ""


@given(
    issuer=st.text(alphabet="示民府办发政字函财教卫自然资告ABCabc", min_size=1, max_size=8),
    year=st.integers(1949, 2100),
    serial=st.integers(1, 999_999),
    brackets=st.sampled_from(BRACKETS),
    di=st.booleans(),
    zeros=st.integers(0, 3),
    spaced=st.booleans(),
)
def test_bracket_variants_zeros_and_di_all_normalise_to_the_same_key(issuer, year, serial, brackets, di, zeros, spaced):
    digits = "0" * zeros + str(serial)
    if len(digits) > 6:
        digits = str(serial)
    sep = " " if spaced else ""
    typed = f"{issuer}{sep}{brackets[0]}{year}{brackets[1]}{sep}{'第' if di else ''}{digits}{sep}号"
    assert document_number_key(typed) == f"{issuer.lower()}〔{year}〕{serial}号"
    assert document_number_key(typed) == document_number_key(f"{issuer}〔{year}〕{serial}号")


# ---------------------------------------------------------------- the stored key


@pytest.fixture
def imported(county):
    """Published items with chosen publication dates (import skips the review steps)."""

    def make(title="示例信息", when=None, organization=None, entries=None, **fields):
        when = timezone.make_aware(when or dt.datetime(2026, 3, 1, 9))
        item = DisclosureItem(
            organization=organization or county.civil, title=title, body="<p>正文</p>", published_at=when, **fields
        )
        return services.import_published(
            county.admin, item, catalog_entries=[county.entry] if entries is None else entries
        )

    return make


def test_the_key_is_kept_on_every_save(county, make_item):
    item = make_item(document_number="示民发[2026]第03号")
    item.refresh_from_db()
    assert (item.document_number, item.document_number_key) == ("示民发〔2026〕3号", "示民发〔2026〕3号")
    item.document_number = ""
    item.save(update_fields=["document_number"])
    item.refresh_from_db()
    assert item.document_number_key == ""


def test_the_migration_fills_the_key_of_existing_items(imported):
    item = imported(document_number="示民发〔2026〕3号")
    DisclosureItem.objects.filter(pk=item.pk).update(document_number_key="")  # a row from before the field
    migration = importlib.import_module("disclosure.migrations.0005_search_lookup_keys")
    migration.fill_keys(apps, None)
    item.refresh_from_db()
    assert item.document_number_key == "示民发〔2026〕3号"


@pytest.mark.django_db(transaction=False)
def test_the_exact_lookups_are_served_by_an_index(imported):
    imported(document_number="示民发〔2026〕3号")
    for field, index in (
        ("document_number_key", "disclosure_docnumber_key"),
        ("index_number", "disclosure_index_number"),
    ):
        sql, params = (
            DisclosureItem.objects.filter(**{f"{field}__in": ["示民发〔2026〕3号"]})
            .values("pk")
            .query.sql_with_params()
        )
        assert index in query_plan(sql, params)


# ---------------------------------------------------------------- finding and ranking


@pytest.fixture
def policy(imported, county):
    """An older policy with a 文号 whose title does not repeat it, and newer items that quote the number."""
    item = imported(
        title="关于做好困难群众基本生活保障工作的通知",
        when=dt.datetime(2025, 1, 5, 9),
        document_number="示民发〔2026〕3号",
        document_type=DocumentType.NORMATIVE,
    )
    for i in range(3):
        imported(
            title=f"示民发〔2026〕3号解读之{i}：示民发〔2026〕3号文件问答",
            when=dt.datetime(2026, 3, 1 + i, 9),
            keywords="示民发〔2026〕3号",
        )
    return item


@pytest.mark.parametrize(
    "typed",
    [
        "示民发[2026]3号",
        "示民发〔2026〕03号",
        "示民发【2026】第3号",
        "示民发﹝2026﹞3号",
        "示民发（2026）3号",
        "示民发〔2026〕3号",
    ],
)
def test_a_document_number_in_any_form_finds_its_item_first(client, settings, policy, typed):
    settings.PAGE_CACHE = False
    response = client.get("/zwgk/xxgk/search/", {"q": typed})
    assert response.status_code == 200
    shown = list(response.context["page_obj"].object_list)
    assert shown[0] == policy, [i.title for i in shown]
    assert response.content.decode().count("索引号或文号相符") == 1  # the badge marks the exact match only
    if typed == "示民发〔2026〕3号":
        assert len(shown) == 4  # the items quoting the number follow it


def test_an_index_number_finds_its_item_first(client, settings, policy):
    settings.PAGE_CACHE = False
    assert policy.index_number
    for typed in (policy.index_number, policy.index_number.lower(), f"  {policy.index_number} "):
        shown = list(client.get("/zwgk/xxgk/search/", {"q": typed}).context["page_obj"].object_list)
        assert shown and shown[0] == policy


def test_an_exact_match_older_than_the_ranked_candidates_is_still_first(
    client, settings, monkeypatch, policy, imported
):
    settings.PAGE_CACHE = False
    monkeypatch.setattr(selectors.site_search, "SEARCH_CANDIDATES", 2)
    response = client.get("/zwgk/xxgk/search/", {"q": "示民发〔2026〕3号"})
    shown = list(response.context["page_obj"].object_list)
    assert shown[0] == policy
    assert "找到 4 条" in response.content.decode()


def test_an_exact_number_respects_the_filters(client, settings, policy, county):
    settings.PAGE_CACHE = False
    response = client.get("/zwgk/xxgk/search/", {"q": policy.index_number, "org": county.east.pk})
    assert list(response.context["page_obj"].object_list) == []


def test_a_withdrawn_item_is_not_found_by_its_number(policy, county):
    services.withdraw(county.reviewer, policy, reason="内容有误")
    assert policy not in selectors.search_items(policy.index_number)
    assert policy not in selectors.search_items("示民发[2026]3号")


@pytest.mark.parametrize(
    "typed",
    [
        "x" * 5000,
        "低保\x07\x1b",
        "低保\u202e\ufeff",
        "[]",
        "〔〕",
        "【】",
        "()",
        "（）",
        "﹝﹞",
        "[",
        "第号",
        "/",
        "-",
        "\t\n",
        "示民发[2026]",
    ],
)
def test_bad_input_gives_a_normal_page(client, settings, policy, typed):
    settings.PAGE_CACHE = False
    response = client.get("/zwgk/xxgk/search/", {"q": typed})
    assert response.status_code == 200
    assert "搜索政务公开内容" in response.content.decode()
    assert not re.search(r"[\x00-\x1f\u202e\ufeff]", response.context["query"])
    assert len(response.context["query"]) <= 100


def test_a_nul_gets_the_sites_chinese_bad_request_page(client, policy):
    response = client.get("/zwgk/xxgk/search/", {"q": "\x00低保"})  # portal.security_middleware, for every page
    assert response.status_code == 400 and 'lang="zh-hans"' in response.content.decode()


def test_control_characters_are_dropped_from_the_query(client, settings, policy):
    settings.PAGE_CACHE = False
    response = client.get("/zwgk/xxgk/search/", {"q": "\x07示民发[2026]3号\x1b"})
    assert response.context["query"] == "示民发[2026]3号"
    assert list(response.context["page_obj"].object_list)[0] == policy


# ---------------------------------------------------------------- facets


def _facet(response, name):
    return {v["name"]: v for facet in response.context["facets"] if facet["name"] == name for v in facet["values"]}


def test_facets_count_the_results_and_link_to_the_filter(client, settings, county, imported):
    settings.PAGE_CACHE = False
    imported(title="低保资金发放情况（一）", when=dt.datetime(2025, 6, 1, 9))
    imported(title="低保资金发放情况（二）", when=dt.datetime(2026, 2, 1, 9), document_type=DocumentType.NORMATIVE)
    imported(
        title="低保对象名单公示", when=dt.datetime(2026, 2, 3, 9), organization=county.east, entries=[county.land_entry]
    )
    imported(title="义务教育招生", when=dt.datetime(2026, 2, 4, 9))
    response = client.get("/zwgk/xxgk/search/", {"q": "低保"})
    page = response.content.decode()
    years = _facet(response, "年份")
    assert {y: v["count"] for y, v in years.items()} == {"2026": 2, "2025": 1}
    assert {o: v["count"] for o, v in _facet(response, "机构").items()} == {
        "测试县民政局": 2,
        "测试县东乡人民政府": 1,
    }
    assert {d: v["count"] for d, v in _facet(response, "领域").items()} == {"社会救助": 2, "征地补偿": 1}
    assert _facet(response, "文件类型")[DocumentType.NORMATIVE.label]["count"] == 1
    assert "按最新的" not in page  # every match counted
    # Every value is a plain link that applies its filter and keeps the query.
    link = years["2025"]["url"]
    assert f'href="{link.replace("&", "&amp;")}"' in page
    filtered = client.get("/zwgk/xxgk/search/" + link)
    assert [i.title for i in filtered.context["page_obj"].object_list] == ["低保资金发放情况（一）"]
    assert filtered.context["filters"].year == 2025
    assert 'aria-current="true"' in filtered.content.decode()
    domain = client.get("/zwgk/xxgk/search/" + _facet(response, "领域")["征地补偿"]["url"])
    assert [i.title for i in domain.context["page_obj"].object_list] == ["低保对象名单公示"]


def test_facets_of_many_results_count_only_the_newest_and_say_so(client, settings, monkeypatch, imported):
    settings.PAGE_CACHE = False
    monkeypatch.setattr(selectors.site_search, "SEARCH_CANDIDATES", 3)
    for day in range(1, 6):
        imported(title=f"低保资金发放情况{day}", when=dt.datetime(2026 if day > 2 else 2025, 3, day, 9))
    response = client.get("/zwgk/xxgk/search/", {"q": "低保"})
    page = response.content.decode()
    assert "找到 5 条" in page
    assert "以下分类数量按最新的 3 条结果统计" in page
    assert {y: v["count"] for y, v in _facet(response, "年份").items()} == {"2026": 3}


@pytest.mark.parametrize("q", ["示民发[2026]3号", "低保", "11990101D00000021R/2026-00001"])
def test_the_search_page_with_facets_costs_at_most_ten_queries(client, settings, monkeypatch, imported, q):
    settings.PAGE_CACHE = False
    monkeypatch.setattr(
        selectors.site_search, "SEARCH_CANDIDATES", 5
    )  # more matches than candidates: the count query runs too
    for day in range(1, 9):
        imported(
            title=f"低保资金发放情况{day}", when=dt.datetime(2026, 3, day, 9), document_number=f"示民发〔2026〕{day}号"
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/zwgk/xxgk/search/", {"q": q})
    assert response.status_code == 200
    assert len(queries) <= 10, [re.sub(r"\s+", " ", x["sql"])[:120] for x in queries.captured_queries]
