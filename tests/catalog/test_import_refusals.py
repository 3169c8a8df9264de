"""Bad files and bad rows: a message naming row and column, nothing imported; who may import where."""

import pytest

from catalog.models import CatalogEntry
from portal.models import Role, User

from .sheets import (
    REAL_ROWS,
    counts,
    entry,
    messages,
    official,
    run_import,
)

# --------------------------------------------------------------------------- bad rows: a message, nothing imported


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
    before = counts()
    report = run_import(official([bad_row, good]), actor=admin)
    assert any(m.startswith(where) and what in m for m in messages(report)), messages(report)
    assert counts() == before
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
    before = counts()
    report = run_import(
        official([["1", "社会求助", "a", "b", "实时公开"]], title="", group=group, sub=sub),
        actor=User.objects.get(username="hx_clerk"),
        organization=hexi,
    )
    assert messages(report) == ["第 3 行 B 列“领域”：标准目录中没有“社会求助”领域（也不是某个领域的别名）。"]
    assert counts() == before


def test_standard_import_can_add_a_domain_beyond_the_26(admin):
    group = ["序号", "领域", "公开事项", "", "公开时限"]
    sub = ["", "", "一级事项", "二级事项", ""]
    report = run_import(
        official([["1", "其他领域（示例）", "a", "b", "实时公开"]], title="", group=group, sub=sub), actor=admin
    )
    assert messages(report) == [] and report.outcomes[0].kind == "new"
    assert entry("其他领域（示例）", "a", "b")


def test_dry_run_reports_but_writes_nothing(admin):
    before = counts()
    report = run_import(official([["1", "综合业务", "本县配套文件（示例）"]]), actor=admin, dry_run=True)
    assert messages(report) == [] and report.outcomes[0].kind == "new"
    assert counts() == before


# --------------------------------------------------------------------------- who may import where


def test_only_superusers_import_the_standard_catalog(demo):
    clerk = User.objects.get(username="clerk")
    before = counts()
    report = run_import(official([REAL_ROWS[0]]), actor=clerk)
    assert messages(report) == ["只有系统管理员可以导入标准目录；请选择要导入到哪个机构的目录。"]
    assert counts() == before


def test_a_township_clerk_cannot_import_into_another_township(demo):
    cg_clerk = User.objects.get(username="cg_clerk")
    before = counts()
    report = run_import(official([["1", "综合业务", "本地事项（示例）"]]), actor=cg_clerk, organization=demo["河西乡"])
    assert messages(report) == ["不能导入到“示范县河西乡人民政府”的目录：您只能处理本机构及下级机构的数据。"]
    assert counts() == before


def test_a_reviewer_cannot_import(demo, make_user):
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.has_role(Role.REVIEWER)
    report = run_import(official([REAL_ROWS[0]]), actor=reviewer, organization=demo["县民政局"])
    assert "您没有执行此操作的权限" in messages(report)[0]
