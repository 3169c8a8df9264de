"""What a citizen sees in the disclosure column (政府信息公开专栏), read through the test client."""

import csv
import html
import re

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from annual import views as annual_views
from catalog import services
from catalog.models import Adoption, AdoptionStatus, CatalogEntry, Channel
from portal.models import Organization, OrganizationKind

DOMAINS_CSV = settings.BASE_DIR / "fixtures" / "catalog" / "domains.csv"


def official_domains():
    with open(DOMAINS_CSV, encoding="utf-8-sig", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["order"]))


def text_of(response):
    """The page's visible text in document order, tags removed and entities decoded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def breadcrumb_of(response):
    body = response.content.decode()
    match = re.search(r'<nav class="breadcrumb[^"]*"[^>]*>(.*?)</nav>', body, flags=re.S)
    assert match, "page has no breadcrumb"
    return match.group(1)


def crumbs(response):
    """The breadcrumb as [(text, href or None)], the 当前位置 label left out."""
    result = []
    for _tag, _cls, href, label in re.findall(
        r'<(a|span)\b([^>]*?)(?:\shref="([^"]*)")?[^>]*>(.*?)</\1>', breadcrumb_of(response)
    ):
        label = html.unescape(re.sub(r"<[^>]+>", "", label)).strip()
        if label.startswith("当前位置"):
            continue
        result.append((label, href or None))
    return result


def social():
    return CatalogEntry.objects.get(parent=None, name="社会救助")


def entry_named(domain_name, *names):
    node = CatalogEntry.objects.get(parent=None, name=domain_name)
    for name in names:
        node = node.get_children().get(name=name)
    return node


# --- home and column -------------------------------------------------------------------------


def test_home_shows_site_name_column_entry_search_and_request_entry(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    root = Organization.objects.get(parent=None)
    assert f"<h1>{root.name}</h1>" in body
    assert re.search(r'<a class="home-entry" href="/zwgk/">\s*<strong>政务公开</strong>', body)
    search = re.search(
        r'<form class="search-form" role="search" action="([^"]+)" method="get">(.*?)</form>', body, flags=re.S
    )
    assert search and 'type="search" name="q"' in search.group(2)
    assert client.get(search.group(1), {"q": "社会救助"}).status_code == 200
    assert re.search(r'href="/zwgk/guide/#apply">\s*<strong>依申请公开</strong>', body)


def test_column_shows_the_four_subcolumns_in_the_official_order(client, demo):
    response = client.get(reverse("column:index"))
    body = response.content.decode()
    subcolumns = re.search(r'<ol class="subcolumns">(.*?)</ol>', body, flags=re.S).group(1)
    titles = re.findall(r'<h2><a href="([^"]+)">([^<]+)</a></h2>', subcolumns)
    assert [title for _href, title in titles] == [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
    ]
    for href, _title in titles:
        assert client.get(href).status_code == 200


def test_rules_and_annual_reports_say_there_is_nothing_yet(client, db):
    assert "暂无已发布的制度文件" in text_of(client.get(reverse("column:rules")))
    # The column's 年报 link is the annual app's own list (no placeholder of the column shadows it).
    assert resolve(reverse("annual:list")).func is annual_views.report_list
    assert "暂无已发布的年度报告" in text_of(client.get(reverse("annual:list")))


# --- the 26 domains --------------------------------------------------------------------------


def test_statutory_page_lists_the_26_domains_in_official_order_with_aliases(client, standard_catalog):
    body = client.get(reverse("column:statutory")).content.decode()
    grid = re.search(r'<ul class="domain-grid">(.*?)</ul>', body, flags=re.S).group(1)
    shown = re.findall(
        r'<a href="/zwgk/fdzdgknr/domain/\d+/">([^<]+)(?:<span class="alias">（([^）]*)）</span>)?</a>', grid
    )
    expected = official_domains()
    assert len(shown) == 26
    assert [name for name, _alias in shown] == [row["name"] for row in expected]
    assert [alias for _name, alias in shown] == [row["aliases"].replace(";", "、") for row in expected]
    assert ("环境保护", "生态环境") in shown and ("扶贫", "乡村振兴") in shown


def test_home_page_shows_the_same_26_domains(client, standard_catalog):
    text = text_of(client.get("/"))
    positions = [text.index(row["name"]) for row in official_domains()]
    assert positions == sorted(positions)


def test_domain_page_shows_the_tree_in_catalog_order(client, demo):
    response = client.get(reverse("column:domain", args=[social().pk]))
    text = text_of(response)
    order = ["综合业务", "政策法规文件", "最低生活保障", "办事指南", "审核信息", "临时救助", "审核审批信息"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert "领域指引发布部门：民政部" in text
    # Each leaf shows its time limit under the name.
    assert "制定或获取信息之日起10个工作日内，公示7个工作日" in text


def test_domain_page_labels_local_entries_with_their_organisation(client, demo):
    text = text_of(client.get(reverse("column:domain", args=[social().pk])))
    assert "冬春生活救助名单（本地） 河西乡本地事项" in text


def test_alias_is_shown_on_the_domain_page(client, standard_catalog):
    domain = CatalogEntry.objects.get(parent=None, name="环境保护")
    assert "又称 生态环境" in text_of(client.get(reverse("column:domain", args=[domain.pk])))


def test_example_entries_are_labelled_wherever_they_show(client, demo):
    # Examples exist only in a domain whose guideline rows do not ship.
    example = CatalogEntry.objects.filter(is_example=True, children__isnull=True).order_by("tree_id", "lft").first()
    if example is None:
        pytest.skip("every domain with demo examples ships its standard rows")
    finance = example.get_root()
    domain_page = client.get(reverse("column:domain", args=[finance.pk])).content.decode()
    assert "并非官方领域指引原文" in domain_page
    link = (
        f'<a href="/zwgk/fdzdgknr/entry/{example.pk}/">{example.name}</a> <span class="badge badge-example">示例</span>'
    )
    assert link in domain_page
    entry_page = text_of(client.get(reverse("column:entry", args=[example.pk])))
    assert "此事项为演示用示例数据，并非官方领域指引原文" in entry_page
    hexi = Organization.objects.get(short_name="河西乡")
    org_page = client.get(reverse("column:organization", args=[hexi.pk])).content.decode()
    assert link in org_page
    search_page = client.get(reverse("column:search"), {"q": "示例"}).content.decode()
    assert 'badge-example">示例</span>' in search_page


def test_real_rows_are_not_labelled_as_examples(client, demo):
    for node in social().get_descendants().filter(organization=None):
        assert "badge-example" not in client.get(reverse("column:entry", args=[node.pk])).content.decode()


# --- an entry --------------------------------------------------------------------------------

CATALOG_COLUMNS = [
    "领域",
    "一级事项",
    "二级事项",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "公开方式",
    "公开层级",
]


def field_rows(response):
    body = response.content.decode()
    table = re.search(r'<table class="data fields">(.*?)</table>', body, flags=re.S).group(1)
    return {
        label: html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value))).strip()
        for label, value in re.findall(r'<th scope="row">([^<]+)</th><td>(.*?)</td></tr>', table, flags=re.S)
    }


def test_entry_page_shows_every_column_of_the_catalog_table(client, demo):
    node = entry_named("社会救助", "最低生活保障", "审核信息")
    rows = field_rows(client.get(reverse("column:entry", args=[node.pk])))
    assert list(rows)[: len(CATALOG_COLUMNS)] == CATALOG_COLUMNS
    assert rows["领域"] == "社会救助"
    assert rows["一级事项"] == "最低生活保障"
    assert rows["二级事项"] == "审核信息"
    assert rows["公开内容（要素）"] == node.content_elements
    assert rows["公开时限"].startswith(node.time_limit_text)
    assert f"{node.time_limit_days}个工作日" in rows["公开时限"]
    assert rows["公开主体"] == node.responsible_body
    assert rows["公开依据"] == "—"
    # Ticks as published tables write them: ■ ticked, □ not.
    assert rows["公开对象"] == "■ 全社会 □ 特定群体"
    assert rows["公开方式"] == "■ 主动 □ 依申请"
    assert rows["公开层级"] == "□ 县级 ■ 乡级"


def test_entry_page_ticks_channels_from_the_fixed_vocabulary(client, demo):
    node = next(e for e in CatalogEntry.objects.filter(is_example=True) if e.channels)
    assert 0 < len(node.channels) < len(Channel.choices)
    rows = field_rows(client.get(reverse("column:entry", args=[node.pk])))
    for value, label in Channel.choices:
        mark = "■" if value in node.channels else "□"
        assert f"{mark} {label}" in rows["公开渠道和载体"]


def test_entry_page_shows_deeper_levels_and_codes(client, standard_catalog):
    group = entry_named("社会救助", "最低生活保障")
    leaf = group.get_children().get(name="审核信息")
    third = CatalogEntry.objects.create(parent=leaf, name="初审名单", code="120002003001")
    rows = field_rows(client.get(reverse("column:entry", args=[third.pk])))
    assert rows["一级事项"] == "最低生活保障"
    assert rows["二级事项"] == "审核信息"
    assert rows["三级事项"] == "初审名单 120002003001"
    parent_page = text_of(client.get(reverse("column:entry", args=[leaf.pk])))
    assert "下级事项 初审名单" in parent_page


def test_local_entry_page_says_which_organisation_added_it(client, demo):
    local = CatalogEntry.objects.get(name="冬春生活救助名单（本地）")
    text = text_of(client.get(reverse("column:entry", args=[local.pk])))
    assert "河西乡本地事项" in text
    assert f"此事项是{local.organization.name}根据本地实际增加的本地事项" in text


def test_entry_page_lists_the_organisations_carrying_it_with_their_own_wording(client, demo):
    admin = demo["示范县"].users.get(username="admin")
    node = entry_named("社会救助", "临时救助", "审核审批信息")
    hexi, chengguan = demo["河西乡"], demo["城关镇"]
    services.override(admin, hexi, node, reason="本乡每月集中公示", time_limit_text="每月5日前公开上月名单")
    services.exclude(admin, chengguan, node, reason="本镇临时救助由县局直接办理")
    text = text_of(client.get(reverse("column:entry", args=[node.pk])))
    carried = re.search(r"已纳入本级目录的机构：(.*?) 机构的本地调整", text).group(1)
    assert "河西乡" in carried and "城关镇" not in carried
    assert f"{hexi.name} 每月5日前公开上月名单" in text
    assert f"{chengguan.name} ：本镇临时救助由县局直接办理" in text


# --- an organisation's own catalog -------------------------------------------------------------


def test_organisation_page_shows_effective_values_of_its_adoptions(client, demo):
    admin = demo["示范县"].users.get(username="admin")
    hexi = demo["河西乡"]
    node = entry_named("社会救助", "最低生活保障", "审核信息")
    services.override(
        admin,
        hexi,
        node,
        reason="本乡另定",
        time_limit_text="制定或获取信息之日起5个工作日内",
        responsible_body="河西乡社会事务办公室",
        channels=[Channel.NOTICE_BOARD],
    )
    page = text_of(client.get(reverse("column:organization", args=[hexi.pk])))
    row = re.search(r"最低生活保障 › 审核信息(.*?)(?:最低生活保障|临时救助) ›", page).group(1)
    assert "制定或获取信息之日起5个工作日内 本机构调整" in row
    assert f"标准目录：{node.time_limit_text}" in row
    assert "河西乡社会事务办公室 本机构调整" in row
    assert "社区/企事业单位/村公示栏（电子屏） 本机构调整" in row
    # Another township still sees the standard wording.
    other = text_of(client.get(reverse("column:organization", args=[demo["城关镇"].pk])))
    other_row = re.search(r"最低生活保障 › 审核信息(.*?)(?:最低生活保障|临时救助) ›", other).group(1)
    assert node.time_limit_text in other_row and "本机构调整" not in other_row


def test_organisation_page_lists_local_entries_and_exclusions_of_that_organisation_only(client, demo):
    hexi, chengguan = demo["河西乡"], demo["城关镇"]
    hexi_page = text_of(client.get(reverse("column:organization", args=[hexi.pk])))
    assert "冬春生活救助名单（本地） 河西乡本地事项" in hexi_page
    excluded = Adoption.objects.get(organization=hexi, status=AdoptionStatus.EXCLUDED)
    assert "不适用的标准目录事项" in hexi_page
    badge = " 示例" if excluded.entry.is_example else ""  # examples exist only where no rows ship
    assert f"{excluded.entry.name}{badge} 理由：{excluded.reason}" in hexi_page
    chengguan_page = text_of(client.get(reverse("column:organization", args=[chengguan.pk])))
    assert "冬春生活救助名单" not in chengguan_page
    assert "不适用的标准目录事项" not in chengguan_page


def test_organisation_page_groups_rows_by_domain_without_empty_group_rows(client, demo):
    hexi = demo["河西乡"]
    body = client.get(reverse("column:organization", args=[hexi.pk])).content.decode()
    headings = re.findall(r'<h2><a href="/zwgk/fdzdgknr/domain/\d+/">([^<]+)</a></h2>', body)
    assert headings == [d.name for d in CatalogEntry.objects.domains().order_by("tree_id") if d.name in headings]
    assert "社会救助" in headings
    # 一级事项 appear only as the first half of their children's rows.
    rows = re.findall(r'<td data-label="公开事项">(.*?)</td>', body, flags=re.S)
    assert not any(re.fullmatch(r'\s*<a href="[^"]+">临时救助</a>\s*', row) for row in rows)
    adopted_leaves = Adoption.objects.filter(
        organization=hexi,
        status=AdoptionStatus.ADOPTED,
        entry__children__isnull=True,
        entry__level__gt=0,
    ).count()
    assert len(rows) == adopted_leaves


def test_organisation_without_a_catalog_says_so(client, demo):
    village = Organization.objects.filter(kind=OrganizationKind.VILLAGE).first()
    assert "该机构尚未编制本级目录" in text_of(client.get(reverse("column:organization", args=[village.pk])))


def test_statutory_page_browses_by_organisation_with_villages_under_their_township(client, demo):
    body = client.get(reverse("column:statutory")).content.decode()
    tree = body[body.index('<ul class="tree org-tree">') :]
    hexi, village = demo["河西乡"], demo["柳树村"]
    nested = re.search(
        rf'href="/zwgk/fdzdgknr/org/{hexi.pk}/">{hexi.name}</a>\s*<ul>.*?href="/zwgk/fdzdgknr/org/{village.pk}/"',
        tree,
        flags=re.S,
    )
    assert nested
    for org in Organization.objects.all():
        assert f'href="/zwgk/fdzdgknr/org/{org.pk}/"' in tree


# --- the guide ---------------------------------------------------------------------------------


def test_guide_shows_each_office_from_the_organisations_data(client, demo):
    civil = demo["县民政局"]
    civil.office_phone = "0000-5551234"
    civil.office_hours = "周一至周五 9:00—17:00"
    civil.save()
    text = text_of(client.get(reverse("column:guide")))
    for org in Organization.objects.exclude(kind__in=[OrganizationKind.VILLAGE, OrganizationKind.COMMUNITY]):
        section = text[text.index(org.name) :]
        assert section.index(org.office_address) < section.index("本机构政务公开事项目录")
        for value in (org.office_phone, org.office_hours, org.office_email):
            assert value in section[: section.index("本机构政务公开事项目录")]
    assert "0000-5551234" in text and "周一至周五 9:00—17:00" in text


def test_guide_says_when_an_office_has_no_contact_data(client, make_org):
    make_org(name="空白县人民政府")
    text = text_of(client.get(reverse("column:guide")))
    assert "空白县人民政府 该机构尚未登记受理地址和联系方式" in text


def test_guide_has_the_sections_citizens_look_for(client, demo):
    body = client.get(reverse("column:guide")).content.decode()
    for anchor, title in [
        ("proactive", "一、主动公开"),
        ("apply", "二、依申请公开"),
        ("offices", "三、受理机构"),
        ("remedy", "四、监督和救济"),
    ]:
        assert f'<h2 id="{anchor}">{title}</h2>' in body
        assert f'<a href="#{anchor}">{title}</a>' in body


# --- breadcrumbs, 404, search ----------------------------------------------------------------------


def test_every_column_page_has_a_breadcrumb_ending_at_the_page(client, demo):
    node = entry_named("社会救助", "最低生活保障", "审核信息")
    group = node.parent
    hexi = demo["河西乡"]
    column = ("政务公开", "/zwgk/")
    statutory = ("法定主动公开内容", "/zwgk/fdzdgknr/")
    home = ("首页", "/")
    expected = {
        "/": [home],
        "/zwgk/": [home, ("政务公开", None)],
        "/zwgk/guide/": [home, column, ("政府信息公开指南", None)],
        "/zwgk/rules/": [home, column, ("政府信息公开制度", None)],
        "/zwgk/annual-reports/": [home, column, ("政府信息公开年报", None)],
        "/zwgk/fdzdgknr/": [home, column, ("法定主动公开内容", None)],
        f"/zwgk/fdzdgknr/domain/{social().pk}/": [home, column, statutory, ("社会救助", None)],
        f"/zwgk/fdzdgknr/entry/{node.pk}/": [
            home,
            column,
            statutory,
            ("社会救助", f"/zwgk/fdzdgknr/domain/{social().pk}/"),
            ("最低生活保障", f"/zwgk/fdzdgknr/entry/{group.pk}/"),
            ("审核信息", None),
        ],
        f"/zwgk/fdzdgknr/org/{hexi.pk}/": [home, column, statutory, (hexi.name, None)],
        "/zwgk/search/?q=救助": [home, ("搜索", None)],
    }
    for url, trail in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "当前位置：" in breadcrumb_of(response), url
        assert crumbs(response) == trail, url


@pytest.mark.parametrize("name", ["column:domain", "column:entry", "column:organization"])
@pytest.mark.parametrize("pk", [999999, 2**31, 10**30])
def test_unknown_ids_are_a_chinese_404(client, demo, name, pk):
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 404
    assert "页面不存在" in text_of(response)


def test_an_entry_that_is_not_a_domain_is_not_a_domain_page(client, demo):
    leaf = entry_named("社会救助", "最低生活保障")
    assert client.get(reverse("column:domain", args=[leaf.pk])).status_code == 404


def test_a_domain_asked_for_as_an_entry_goes_to_its_domain_page(client, demo):
    response = client.get(reverse("column:entry", args=[social().pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("column:domain", args=[social().pk])
