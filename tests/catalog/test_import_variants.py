"""The variants real catalog tables contain: titles, codes, line feeds, ticks, headers, aliases, encodings."""

import pytest

from catalog import importer, spreadsheet
from catalog.models import CatalogEntry, Channel

from .sheets import (
    GROUP_ROW,
    REAL_ROWS,
    SUB_ROW,
    csv_bytes,
    entry,
    messages,
    official,
    run_import,
)

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
