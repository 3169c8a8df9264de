"""Round trips through the official layout, and what an organisation's import does to its catalog (issue 2, item 10)."""

import pytest

from catalog import services
from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry, Channel
from portal.models import AuditEntry, User

from .sheets import (
    REAL_ROWS,
    entry,
    export_bytes,
    import_bytes,
    messages,
    official,
    richer_catalog,
    run_import,
    standard_snapshot,
    wipe_organization_catalog,
    wipe_standard_entries,
    xlsx_cells,
)

# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_standard_catalog_round_trip_recreates_the_same_tree_and_columns(admin, kind):
    richer_catalog()
    before = standard_snapshot()
    exported = export_bytes(kind)

    wipe_standard_entries()
    assert CatalogEntry.objects.filter(level__gt=0).count() == 0

    report = import_bytes(exported, kind, actor=admin)
    assert messages(report) == []
    assert standard_snapshot() == before
    assert export_bytes(kind) == exported or kind == "xlsx"
    if kind == "xlsx":
        assert xlsx_cells(export_bytes(kind)) == xlsx_cells(exported)


def test_exported_sheet_looks_like_the_published_tables(admin):
    richer_catalog()
    cells, merges = xlsx_cells(export_bytes("xlsx", domain=entry("社会救助")))
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


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_organization_catalog_round_trip_through_the_services(hexi_catalog, kind):
    hexi = hexi_catalog
    clerk = User.objects.get(username="hx_clerk")
    exported = export_bytes(kind, organization=hexi)
    text = export_bytes("csv", organization=hexi).decode("utf-8-sig")
    assert "制定或获取信息之日起5个工作日内" in text  # the effective (overridden) wording
    assert "冬春生活救助名单（本地）" in text

    wipe_organization_catalog(hexi)
    report = import_bytes(exported, kind, actor=clerk, organization=hexi)
    assert messages(report) == []

    assert export_bytes("csv", organization=hexi).decode("utf-8-sig") == text
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
    exported = export_bytes("xlsx", organization=hexi)
    adjustments = Adjustment.objects.count()
    report = import_bytes(exported, "xlsx", actor=clerk, organization=hexi)
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
