"""Import and export of the catalog in the official two-row header layout (issue 2, item 10)."""

import io

import openpyxl
import pytest

from catalog import importer, services, spreadsheet
from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry, Channel
from portal.models import AuditEntry, Role, User

from .sheets import (
    GROUP_ROW,
    SUB_ROW,
    csv_bytes,
    entry,
    messages,
    official,
    parse,
    run_import,
    standard_snapshot,
    xlsx_bytes,
    xlsx_cells,
)

REAL_ROWS = [
    [
        "1",
        "综合业务",
        "政策法规文件",
        "《社会救助暂行办法》；各地配套政策法规文件",
        "",
        "制定或获取信息之日起10个工作日内",
        "县民政局、乡镇政府（街道办事处）",
        "■政府网站 □政府公报",
        "√",
        "",
        "√",
        "",
        "√",
        "√",
    ],
    [
        "2",
        "最低生活保障",
        "办事指南",
        "办理事项、办理条件",
        "",
        "制定或获取信息之日起10个工作日内",
        "县民政局、乡镇政府（街道办事处）",
        "■政府网站",
        "√",
        "",
        "√",
        "",
        "√",
        "√",
    ],
]


@pytest.fixture
def admin(standard_catalog, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-for-tests")


def _export(kind, organization=None, domain=None):
    title, headers, rows = importer.export_table(organization=organization, domain=domain)
    writer = spreadsheet.write_xlsx if kind == "xlsx" else spreadsheet.write_csv
    return writer(title, headers, rows)


def _import_bytes(data, kind, **kwargs):
    grid = spreadsheet.read_xlsx(data) if kind == "xlsx" else spreadsheet.read_csv(data)
    return importer.import_sheet(spreadsheet.parse(grid), file_name=f"目录.{kind}", **kwargs)


def _wipe_standard_entries():
    """Everything below the domains, leaves first (the parent link protects against cascades)."""
    while CatalogEntry.objects.filter(level__gt=0).exists():
        deepest = CatalogEntry.objects.filter(level__gt=0).order_by("-level").first().level
        for node in CatalogEntry.objects.filter(level=deepest):
            CatalogEntry.objects.filter(pk=node.pk).delete()
    CatalogEntry._tree_manager.rebuild()


def _richer_catalog():
    """The shipped 社会救助 rows plus a third level, codes, channels and flags the shipped rows lack."""
    relief = entry("社会救助", "临时救助", "审核审批信息")
    relief.code = "120004001"
    relief.channels = [Channel.WEBSITE, Channel.NOTICE_BOARD]
    relief.audience_specific, relief.on_request = True, True
    relief.legal_basis = "《社会救助暂行办法》\n《临时救助办法》（示例）"
    relief.five_disclosures = "result"
    relief.save()
    group = entry("社会救助", "临时救助")
    group.code = "120004000"
    group.save()
    third = CatalogEntry.objects.create(
        parent=relief,
        name="救助金额（示例三级）",
        content_elements="示例：三级事项",
        time_limit_text="实时公开",
        proactive=True,
        level_county=True,
        sort_order=1,
    )
    return third


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_standard_catalog_round_trip_recreates_the_same_tree_and_columns(admin, kind):
    _richer_catalog()
    before = standard_snapshot()
    exported = _export(kind)

    _wipe_standard_entries()
    assert CatalogEntry.objects.filter(level__gt=0).count() == 0

    report = _import_bytes(exported, kind, actor=admin)
    assert messages(report) == []
    assert standard_snapshot() == before
    assert _export(kind) == exported or kind == "xlsx"
    if kind == "xlsx":
        assert xlsx_cells(_export(kind)) == xlsx_cells(exported)


def test_exported_sheet_looks_like_the_published_tables(admin):
    _richer_catalog()
    cells, merges = xlsx_cells(_export("xlsx", domain=entry("社会救助")))
    assert cells[0][0] == "社会救助领域基层政务公开标准目录"
    assert cells[1][:5] == ["序号", "领域", "公开事项", None, None]
    assert cells[2][2:5] == ["一级事项", "二级事项", "三级事项"]
    assert "公开对象" in cells[1] and cells[2][cells[1].index("公开对象") :][:2] == ["全社会", "特定群体"]
    # Group headers merged across their sub-columns, single headers down both header rows.
    assert "C2:E2" in merges and "A2:A3" in merges
    # 领域 merged down its rows, ticks as √, channels over the whole vocabulary.
    assert any(m.startswith("B4:") for m in merges)
    # The 二级 entry with a 三级 below it has its own row (it says more than its child), then the child's.
    own = next(i for i, r in enumerate(cells) if r[3] == "审核审批信息120004001")
    row, child = cells[own], cells[own + 1]
    assert row[2] == "临时救助120004000" and row[4] is None and child[4] == "救助金额（示例三级）"
    assert row[9].startswith("■政府网站 □政府公报") and "■社区/企事业单位/村公示栏（电子屏）" in row[9]
    assert row[10:16] == ["√"] * 6
    assert row[-1] == "结果公开"
    assert f"D{own + 1}:D{own + 2}" in merges  # the 二级 name merged over its own row and its child's


@pytest.fixture
def hexi_catalog(demo):
    """河西乡's demo catalog plus one adjustment of its own."""
    hexi = demo["河西乡"]
    admin = User.objects.get(username="admin")
    services.override(
        admin,
        hexi,
        entry("社会救助", "最低生活保障", "审核信息"),
        reason="本乡张榜",
        time_limit_text="制定或获取信息之日起5个工作日内",
        channels=[Channel.NOTICE_BOARD],
    )
    return hexi


def _wipe_organization_catalog(org):
    Adjustment.objects.filter(organization=org).delete()
    Adoption.objects.filter(organization=org).delete()
    for node in CatalogEntry.objects.filter(organization=org).order_by("-level"):
        CatalogEntry.objects.filter(pk=node.pk).delete()
    CatalogEntry._tree_manager.rebuild()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_organization_catalog_round_trip_through_the_services(hexi_catalog, kind):
    hexi = hexi_catalog
    clerk = User.objects.get(username="hx_clerk")
    exported = _export(kind, organization=hexi)
    text = _export("csv", organization=hexi).decode("utf-8-sig")
    assert "制定或获取信息之日起5个工作日内" in text  # the effective (overridden) wording
    assert "冬春生活救助名单（本地）" in text

    _wipe_organization_catalog(hexi)
    report = _import_bytes(exported, kind, actor=clerk, organization=hexi)
    assert messages(report) == []

    assert _export("csv", organization=hexi).decode("utf-8-sig") == text
    local = entry("社会救助", "临时救助", "冬春生活救助名单（本地）", organization=hexi)
    assert local.organization == hexi and local.channels == [Channel.WEBSITE, Channel.NOTICE_BOARD]
    checked = Adoption.objects.get(organization=hexi, entry=entry("社会救助", "最低生活保障", "审核信息"))
    assert checked.time_limit_text == "制定或获取信息之日起5个工作日内" and checked.time_limit_days == 5
    # History and audit log written by the services, with the file as the reason and the clerk as actor.
    actions = set(Adjustment.objects.filter(organization=hexi).values_list("action", flat=True))
    assert actions == {AdjustmentAction.ADOPT, AdjustmentAction.OVERRIDE, AdjustmentAction.ADD_LOCAL}
    assert set(Adjustment.objects.filter(organization=hexi).values_list("reason", flat=True)) == {
        f"导入目录文件 目录.{kind}"
    }
    assert set(Adjustment.objects.filter(organization=hexi).values_list("actor__username", flat=True)) == {"hx_clerk"}
    assert AuditEntry.objects.filter(object_id=str(local.pk), comment__contains="导入目录文件").exists()


def test_importing_the_same_file_again_changes_nothing(hexi_catalog):
    hexi = hexi_catalog
    clerk = User.objects.get(username="hx_clerk")
    exported = _export("xlsx", organization=hexi)
    adjustments = Adjustment.objects.count()
    report = _import_bytes(exported, "xlsx", actor=clerk, organization=hexi)
    assert messages(report) == [] and {o.kind for o in report.outcomes} == {"skip"}
    assert Adjustment.objects.count() == adjustments


def test_org_import_records_differences_as_the_organisations_own_wording(hexi_catalog):
    hexi = hexi_catalog
    clerk = User.objects.get(username="hx_clerk")
    rows = [
        [
            "1",
            "最低生活保障",
            "办事指南",
            "x",
            "",
            "制定或获取信息之日起\n7个工作日内",
            "河西乡人民政府",
            "■政府网站 ■便民服务站",
            "√",
            "",
            "√",
            "",
            "",
            "√",
        ],
        [
            "2",
            "最低生活保障",
            "审核信息",
            "",
            "",
            "制定或获取信息之日起10个工作日内，公示7个工作日",
            "乡镇政府（街道办事处）",
            "",
            "√",
            "",
            "√",
            "",
            "",
            "√",
        ],
    ]
    report = run_import(official(rows), actor=clerk, organization=hexi)
    assert messages(report) == []
    guide = Adoption.objects.get(organization=hexi, entry=entry("社会救助", "最低生活保障", "办事指南"))
    assert guide.effective_time_limit_text == "制定或获取信息之日起7个工作日内"
    assert guide.responsible_body == "河西乡人民政府"
    assert guide.channels == [Channel.WEBSITE, Channel.SERVICE_STATION]
    # The second row states the standard wording: the organisation's earlier adjustment is withdrawn.
    checked = Adoption.objects.get(organization=hexi, entry=entry("社会救助", "最低生活保障", "审核信息"))
    assert checked.time_limit_text == "" and checked.channels is None
    # Columns an organisation cannot change stay as the standard catalog has them, and the preview says so.
    assert entry("社会救助", "最低生活保障", "办事指南").content_elements.startswith("办理事项")
    assert any("以标准目录为准" in n for n in report.outcomes[0].notes)


def test_org_import_changes_the_organisations_own_entry_through_the_service(demo):
    hexi = demo["河西乡"]
    rows = [
        [
            "1",
            "临时救助",
            "冬春生活救助名单（本地）",
            "救助对象名单；救助金额；发放时间",
            "",
            "实时公开",
            "河西乡人民政府",
            "■社区/企事业单位/村公示栏（电子屏）",
            "√",
            "",
            "√",
            "",
            "",
            "√",
        ]
    ]
    report = run_import(official(rows), actor=User.objects.get(username="hx_clerk"), organization=hexi)
    assert messages(report) == [] and report.outcomes[0].kind == "update"
    local = entry("社会救助", "临时救助", "冬春生活救助名单（本地）", organization=hexi)
    assert local.content_elements.endswith("发放时间") and local.time_limit_text == "实时公开"
    assert local.channels == [Channel.NOTICE_BOARD]
    change = Adjustment.objects.filter(organization=hexi, entry=local, action=AdjustmentAction.OVERRIDE).get()
    assert set(change.changes) >= {"content_elements", "time_limit_text", "channels"}


def test_org_import_readopts_an_excluded_entry_it_lists(demo):
    hexi = demo["河西乡"]
    admin = User.objects.get(username="admin")
    target = entry("社会救助", "最低生活保障", "办事指南")
    services.exclude(admin, hexi, target, reason="测试")
    report = run_import(official([REAL_ROWS[1]]), actor=admin, organization=hexi)
    assert messages(report) == [] and report.outcomes[0].kind == "new"
    assert Adoption.objects.get(organization=hexi, entry=target).status == AdoptionStatus.ADOPTED


# --------------------------------------------------------------------------- variants real tables contain


def test_title_row_names_the_domain_when_there_is_no_domain_column(admin):
    report = run_import(
        official([["1", "综合业务", "本县配套文件（示例）", "", "", "实时公开", "县民政局"]]), actor=admin
    )
    assert messages(report) == []
    assert entry("社会救助", "综合业务", "本县配套文件（示例）").time_limit_text == "实时公开"


def test_codes_on_every_level_are_split_from_the_names(admin):
    group = ["序号", "领域", "公开事项", "", "公开时限", "公开主体"]
    sub = ["", "", "一级事项", "二级事项", "", ""]
    rows = [["1", "社会救助120000000", "最低生活保障120002000", "审核信息120002003", "实时公开", "乡镇政府"]]
    report = run_import(official(rows, title="", group=group, sub=sub), actor=admin)
    assert messages(report) == []
    checked = entry("社会救助", "最低生活保障", "审核信息")
    assert checked.code == "120002003" and checked.parent.code == "120002000"
    assert checked.parent.parent.code == "120000000"
    assert report.outcomes[0].kind == "update"  # an existing entry, not a new "审核信息120002003"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_line_feeds_inside_words_are_undone(admin, kind):
    rows = [
        [
            "1",
            "综合\n业务",
            "政策\n法规\n文件",
            "",
            "",
            "制定或获取信息之日起\n10个工作日内",
            "县民政局、乡镇政府\n（街道办事处）",
            "■政府\n网站",
            "√",
            "",
            "√",
            "",
            "√",
            "√",
        ]
    ]
    before = CatalogEntry.objects.count()
    report = run_import(official(rows), actor=admin, kind=kind)
    assert messages(report) == []
    assert CatalogEntry.objects.count() == before  # matched the existing 政策法规文件
    policy = entry("社会救助", "综合业务", "政策法规文件")
    assert policy.channels == [Channel.WEBSITE]
    assert policy.responsible_body == "县民政局、乡镇政府（街道办事处）"


@pytest.mark.parametrize("tick", ["√", "■", "●", "是", "✔"])
def test_every_tick_style_counts_and_blank_does_not(admin, tick):
    rows = [["1", "临时救助", "审核审批信息", "", "", "", "", "", "", tick, tick, "", "", tick]]
    report = run_import(official(rows), actor=admin)
    assert messages(report) == []
    checked = entry("社会救助", "临时救助", "审核审批信息")
    assert (checked.audience_public, checked.audience_specific) == (False, True)
    assert (checked.proactive, checked.on_request) == (True, False)
    assert (checked.level_county, checked.level_township) == (False, True)


def test_variant_sub_column_headers(admin):
    sub = [
        "",
        "一级事项",
        "二级事项",
        "",
        "",
        "",
        "",
        "",
        "全社会",
        "特定群众",
        "主动",
        "依申请公开",
        "县级",
        "乡、村级",
    ]
    rows = [["1", "临时救助", "审核审批信息", "", "", "", "", "", "", "√", "", "√", "", "√"]]
    report = run_import(official(rows, sub=sub), actor=admin)
    assert messages(report) == []
    checked = entry("社会救助", "临时救助", "审核审批信息")
    assert checked.audience_specific and checked.on_request and not checked.proactive
    assert checked.level_township and not checked.level_county


@pytest.mark.parametrize(
    "levels, ticks, expected",
    [
        (["县级", "镇级/村级"], ["", "√"], (False, True)),
        (["县级", "镇级", "村级"], ["√", "", "√"], (True, True)),
        (["市级", "县级", "乡级"], ["√", "√", ""], (True, False)),
    ],
)
def test_government_level_variants(admin, levels, ticks, expected):
    group = GROUP_ROW[:12] + ["公开层级"] + [""] * (len(levels) - 1)
    sub = SUB_ROW[:12] + levels
    rows = [["1", "临时救助", "审核审批信息", "", "", "", "", "", "√", "", "√", ""] + ticks]
    report = run_import(official(rows, group=group, sub=sub), actor=admin)
    assert messages(report) == []
    checked = entry("社会救助", "临时救助", "审核审批信息")
    assert (checked.level_county, checked.level_township) == expected


def test_missing_level_column_leaves_existing_entries_and_derives_new_ones_from_the_body(admin):
    group, sub = GROUP_ROW[:12], SUB_ROW[:12]
    rows = [
        ["1", "临时救助", "审核审批信息", "", "", "", "", "", "√", "", "√", ""],
        ["2", "临时救助", "冬季救助（示例）", "", "", "", "河西乡人民政府", "", "√", "", "√", ""],
    ]
    report = run_import(official(rows, group=group, sub=sub), actor=admin)
    assert messages(report) == []
    old = entry("社会救助", "临时救助", "审核审批信息")
    assert old.level_county and old.level_township  # as the shipped catalog had it
    new = entry("社会救助", "临时救助", "冬季救助（示例）")
    assert (new.level_county, new.level_township) == (False, True)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_merged_or_blank_upper_levels_and_domains_are_filled_down(admin, kind):
    group = ["序号", "领域", "公开事项", "", "公开时限", "公开主体"]
    sub = ["", "", "一级事项", "二级事项", "", ""]
    rows = [
        ["1", "养老服务", "养老机构（示例）", "机构名单（示例）", "实时公开", "县民政局"],
        ["2", "", "", "收费标准（示例）", "实时公开", "县民政局"],
        ["3", "", "", "补贴发放（示例）", "实时公开", "县民政局"],
    ]
    table = official(rows, title="", group=group, sub=sub)
    report = run_import(table, actor=admin, kind=kind, merges=["B3:B5", "C3:C5"] if kind == "xlsx" else ())
    assert messages(report) == []
    group_entry = entry("养老服务", "养老机构（示例）")
    assert [c.name for c in group_entry.get_children()] == ["机构名单（示例）", "收费标准（示例）", "补贴发放（示例）"]
    # A group created only as a parent follows its children's flags, as the shipped groups do.
    assert group_entry.level_county


@pytest.mark.parametrize("alias, domain", [("生态环境", "环境保护"), ("乡村振兴", "扶贫"), ("卫生健康", "医疗卫生")])
def test_domain_aliases(admin, alias, domain):
    group = ["序号", "领域", "公开事项", "", "公开时限"]
    sub = ["", "", "一级事项", "二级事项", ""]
    before = CatalogEntry.objects.domains().count()
    report = run_import(
        official([["1", alias, "示例事项", "示例子项", "实时公开"]], title="", group=group, sub=sub), actor=admin
    )
    assert messages(report) == []
    assert CatalogEntry.objects.domains().count() == before
    assert entry(domain, "示例事项", "示例子项").time_limit_text == "实时公开"


def test_alias_in_the_title_names_the_domain(admin):
    report = run_import(
        official([["1", "环评审批（示例）", "受理信息（示例）"]], title="示例县生态环境领域基层政务公开标准目录"),
        actor=admin,
    )
    assert messages(report) == []
    assert entry("环境保护", "环评审批（示例）", "受理信息（示例）")


def test_section_rows_name_the_domain(admin):
    rows = [
        ["一、社会救助"] + ["一、社会救助"] * 13,
        REAL_ROWS[0],
        ["二、养老服务"],
        ["1", "养老机构（示例）", "机构名单（示例）"],
    ]
    report = run_import(official(rows, title="示例县政务公开标准目录"), actor=admin)
    assert messages(report) == []
    assert entry("养老服务", "养老机构（示例）", "机构名单（示例）")


def test_flat_one_row_header_and_text_columns(admin):
    header = ["序号", "一级事项", "二级事项", "公开时限", "公开对象", "公开方式", "公开层级"]
    rows = [
        ["XX县社会救助领域目录"] + [""] * 6,
        header,
        ["1", "临时救助", "审核审批信息", "", "特定群众", "依申请公开", "乡、村级"],
    ]
    report = run_import(rows, actor=admin)
    assert messages(report) == []
    checked = entry("社会救助", "临时救助", "审核审批信息")
    assert checked.audience_specific and not checked.audience_public
    assert checked.on_request and not checked.proactive
    assert checked.level_township and not checked.level_county


def test_gbk_csv_from_chinese_excel(admin):
    data = csv_bytes(official([["1", "综合业务", "本县配套文件（示例）", "", "", "实时公开"]]), encoding="gb18030")
    report = importer.import_sheet(spreadsheet.parse(spreadsheet.read_csv(data)), actor=admin)
    assert messages(report) == []
    assert entry("社会救助", "综合业务", "本县配套文件（示例）")


def test_channel_lists_without_boxes_and_with_variants():
    assert spreadsheet.parse_channels("政府网站、两微一端；公开查阅点") == [
        Channel.WEBSITE,
        Channel.SOCIAL,
        Channel.READING_POINT,
    ]
    assert spreadsheet.parse_channels("■社区/企事业单位/村公示栏(电子屏) □精准推送 ■其他（乡镇公众号）") == [
        Channel.NOTICE_BOARD,
        Channel.OTHER,
    ]
    assert spreadsheet.parse_channels(spreadsheet.format_channels(Channel.values)) == list(Channel.values)


# --------------------------------------------------------------------------- bad rows: a message, nothing imported


def _counts():
    return (
        CatalogEntry.objects.count(),
        Adoption.objects.count(),
        Adjustment.objects.count(),
        AuditEntry.objects.count(),
    )


BAD = [
    (
        ["1", "临时救助", "审核审批信息", "", "", "", "", "", "x"],
        "第 4 行 I 列“公开对象〔全社会〕”",
        "无法识别的勾选标记“x”",
    ),
    (
        ["1", "临时救助", "审核审批信息", "", "", "", "", "■政府网站 ■微博"],
        "第 4 行 H 列“公开渠道和载体”",
        "无法识别的公开渠道“微博”",
    ),
    (["1", "", "", "有内容没名称"], "第 4 行 B 列“公开事项〔一级事项〕”", "缺少事项名称"),
    (["1", "", "孤立的二级事项"], "第 4 行 B 列“公开事项〔一级事项〕”", "上方也没有可沿用的事项"),
    (["1", "临时救助", "120002003"], "第 4 行 C 列“公开事项〔二级事项〕”", "只有编码没有事项名称"),
    (["1", "临时救助", "审核审批信息", "", "", "超长" * 200], "第 4 行 F 列“公开时限”", "超过 300 个字"),
]


@pytest.mark.parametrize("bad_row, where, what", BAD)
def test_a_bad_row_names_row_and_column_and_nothing_is_imported(admin, bad_row, where, what):
    good = ["2", "综合业务", "本县配套文件（示例）", "", "", "实时公开"]
    before = _counts()
    report = run_import(official([bad_row, good]), actor=admin)
    assert any(m.startswith(where) and what in m for m in messages(report)), messages(report)
    assert _counts() == before
    assert not CatalogEntry.objects.filter(name="本县配套文件（示例）").exists()


def test_duplicate_rows_are_refused(admin):
    report = run_import(official([REAL_ROWS[0], REAL_ROWS[0]]), actor=admin)
    assert messages(report) == [
        "第 5 行 C 列“公开事项〔二级事项〕”：与第 4 行是同一事项“综合业务／政策法规文件”，同一事项只能出现一次。"
    ]


def test_a_sheet_without_the_header_is_refused(admin):
    report = run_import([["名称", "说明"], ["a", "b"]], actor=admin)
    assert "没有找到表头" in messages(report)[0]


def test_unknown_domain_without_title_is_refused(admin):
    group = ["序号", "公开事项", "", "公开时限"]
    sub = ["", "一级事项", "二级事项", ""]
    report = run_import(official([["1", "a", "b", "实时公开"]], title="本县目录", group=group, sub=sub), actor=admin)
    assert messages(report) == [
        "第 4 行：无法确定所属领域：表格没有“领域”列，分节行、标题和工作表名称中也没有领域名称。"
    ]


def test_org_import_refuses_a_domain_the_standard_catalog_lacks(demo):
    hexi = demo["河西乡"]
    group = ["序号", "领域", "公开事项", "", "公开时限"]
    sub = ["", "", "一级事项", "二级事项", ""]
    before = _counts()
    report = run_import(
        official([["1", "社会求助", "a", "b", "实时公开"]], title="", group=group, sub=sub),
        actor=User.objects.get(username="hx_clerk"),
        organization=hexi,
    )
    assert messages(report) == ["第 3 行 B 列“领域”：标准目录中没有“社会求助”领域（也不是某个领域的别名）。"]
    assert _counts() == before


def test_standard_import_can_add_a_domain_beyond_the_26(admin):
    group = ["序号", "领域", "公开事项", "", "公开时限"]
    sub = ["", "", "一级事项", "二级事项", ""]
    report = run_import(
        official([["1", "其他领域（示例）", "a", "b", "实时公开"]], title="", group=group, sub=sub), actor=admin
    )
    assert messages(report) == [] and report.outcomes[0].kind == "new"
    assert entry("其他领域（示例）", "a", "b")


def test_dry_run_reports_but_writes_nothing(admin):
    before = _counts()
    report = run_import(official([["1", "综合业务", "本县配套文件（示例）"]]), actor=admin, dry_run=True)
    assert messages(report) == [] and report.outcomes[0].kind == "new"
    assert _counts() == before


# --------------------------------------------------------------------------- who may import where


def test_only_superusers_import_the_standard_catalog(demo):
    clerk = User.objects.get(username="clerk")
    before = _counts()
    report = run_import(official([REAL_ROWS[0]]), actor=clerk)
    assert messages(report) == ["只有系统管理员可以导入标准目录；请选择要导入到哪个机构的目录。"]
    assert _counts() == before


def test_a_township_clerk_cannot_import_into_another_township(demo):
    cg_clerk = User.objects.get(username="cg_clerk")
    before = _counts()
    report = run_import(official([["1", "综合业务", "本地事项（示例）"]]), actor=cg_clerk, organization=demo["河西乡"])
    assert messages(report) == ["不能导入到“示范县河西乡人民政府”的目录：您只能处理本机构及下级机构的数据。"]
    assert _counts() == before


def test_a_reviewer_cannot_import(demo, make_user):
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.has_role(Role.REVIEWER)
    report = run_import(official([REAL_ROWS[0]]), actor=reviewer, organization=demo["县民政局"])
    assert "您没有执行此操作的权限" in messages(report)[0]


# --------------------------------------------------------------------------- the sample file


def test_the_sample_file_matches_its_builder_and_imports_into_a_department(demo):
    import importlib.util

    from django.conf import settings

    builder = settings.BASE_DIR / "fixtures" / "catalog" / "samples" / "build_samples.py"
    spec = importlib.util.spec_from_file_location("build_samples", builder)
    build_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_samples)
    path = build_samples.SAMPLE
    with open(path, "rb") as handle:
        shipped = handle.read()
    assert xlsx_cells(shipped) == xlsx_cells(build_samples.build())
    civil = demo["县民政局"]
    report = _import_bytes(shipped, "xlsx", actor=User.objects.get(username="clerk"), organization=civil)
    assert messages(report) == []
    kinds = {o.row.names[-1]: o.kind for o in report.outcomes}
    assert kinds["政策法规文件"] in ("skip", "update")
    local = [o for o in report.outcomes if o.entry.organization_id == civil.pk]
    assert local and all("示例" in o.entry.name for o in local)
    # Codes were split from the names and the real rows matched the standard entries.
    assert not CatalogEntry.objects.filter(name__regex=r"\d{6,}$").exists()


def test_openpyxl_reads_what_we_write():
    data = spreadsheet.write_xlsx("标题", ["序号", "领域", "一级事项", "二级事项"], [[1, "社会救助", "a", "b"]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "标题" and sheet["C2"].value == "公开事项" and sheet["D4"].value == "b"


def test_grid_readers_fill_merged_cells():
    data = xlsx_bytes([["a", "", ""], ["b", "c", ""]], merges=["A1:C1"])
    assert spreadsheet.read_xlsx(data).rows[0] == ["a", "a", "a"]
    assert parse(official([REAL_ROWS[0]])).rows[0].names == ["综合业务", "政策法规文件"]


# --------------------------------------------------------------------------- cost


def test_export_costs_a_fixed_number_of_queries(hexi_catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        title, headers, rows = importer.export_table(organization=hexi_catalog)
    assert len(rows) > 5


def test_import_cost_grows_linearly_with_the_rows(demo, django_assert_max_num_queries):
    hexi = demo["河西乡"]
    clerk = User.objects.get(username="hx_clerk")
    rows = [[str(i), "临时救助", f"本地事项{i}（示例）", "", "", "实时公开", "河西乡人民政府"] for i in range(1, 21)]
    sheet = parse(official(rows))
    with django_assert_max_num_queries(20 * 20 + 30):
        report = importer.import_sheet(sheet, actor=clerk, organization=hexi)
    assert messages(report) == [] and report.count("new") == 20
