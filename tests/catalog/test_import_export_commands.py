"""``import_catalog`` and ``export_catalog``: the same rules as the admin, for large files and scripts."""

import io

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from catalog.models import Adjustment, Adoption, CatalogEntry
from portal.models import User

from .sheets import csv_bytes, entry, official, xlsx_bytes


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _exit_code(monkeypatch, *argv):
    """Run the command the way ``manage.py`` does, returning the process exit code."""
    # run_from_argv closes the database connections at the end, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    command = load_command_class(get_commands()[argv[0]], argv[0])
    try:
        command.run_from_argv(["manage.py", *argv])
    except SystemExit as exc:
        return exc.code
    return 0


ROWS = [
    ["1", "综合业务", "本县配套文件（示例）", "", "", "实时公开", "县民政局", "■政府网站", "√", "", "√", "", "√", ""],
    ["2", "", "本县实施细则（示例）", "", "", "制定之日起\n5个工作日内", "县民政局", "", "√", "", "√", "", "√", ""],
    [
        "3",
        "临时救助",
        "审核审批信息",
        "",
        "",
        "制定或获取信息之日起10个工作日内",
        "河西乡人民政府",
        "",
        "√",
        "",
        "√",
        "",
        "",
        "√",
    ],
]


def test_import_into_an_organisation_with_a_progress_bar(demo, tmp_path):
    path = tmp_path / "河西乡目录.xlsx"
    path.write_bytes(xlsx_bytes(official(ROWS)))
    out, err = _run("import_catalog", str(path), "--org", demo["河西乡"].code, "--user", "hx_clerk")
    assert "3/3" in err and "100%" in err  # tqdm's bar on stderr
    assert "导入完成" in out and "新增 2 项" in out and "更新 1 项" in out
    local = entry("社会救助", "综合业务", "本县实施细则（示例）", organization=demo["河西乡"])
    assert local.time_limit_days == 5
    assert Adjustment.objects.filter(organization=demo["河西乡"], reason="导入目录文件 河西乡目录.xlsx").count() == 3


def test_organisation_by_short_name_and_standard_catalog_by_default(demo, tmp_path):
    path = tmp_path / "目录.csv"
    path.write_bytes(csv_bytes(official(ROWS[:1])))
    out, _err = _run("import_catalog", str(path), "--no-progress")
    assert "标准目录：新增 1 项" in out
    assert entry("社会救助", "综合业务", "本县配套文件（示例）").organization is None
    out, _err = _run("import_catalog", str(path), "--org", "县民政局", "--no-progress")
    assert "示范县民政局：新增 1 项" in out
    assert Adoption.objects.filter(organization=demo["县民政局"], entry__name="本县配套文件（示例）").exists()


def test_bad_file_exits_non_zero_with_every_problem_and_imports_nothing(demo, tmp_path, capsys, monkeypatch):
    rows = [ROWS[0], ["2", "临时救助", "审核审批信息", "", "", "", "", "■电报"], ["3", "", "", "", "", "", "", "", "x"]]
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(xlsx_bytes(official(rows)))
    before = (CatalogEntry.objects.count(), Adoption.objects.count(), Adjustment.objects.count())

    code = _exit_code(monkeypatch, "import_catalog", str(path), "--org", "河西乡", "--no-progress")
    err = capsys.readouterr().err
    assert code == 1
    assert "第 5 行 H 列“公开渠道和载体”：无法识别的公开渠道“电报”" in err
    assert "第 6 行 B 列“公开事项〔一级事项〕”：缺少事项名称。" in err
    assert "没有导入任何数据" in err
    assert (CatalogEntry.objects.count(), Adoption.objects.count(), Adjustment.objects.count()) == before


def test_a_township_clerk_cannot_import_into_another_township(demo, tmp_path):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(xlsx_bytes(official(ROWS)))
    with pytest.raises(CommandError, match="没有导入任何数据"):
        _run("import_catalog", str(path), "--org", "河西乡", "--user", "cg_clerk", "--no-progress")
    assert not Adoption.objects.filter(organization=demo["河西乡"], entry__name="本县配套文件（示例）").exists()


def test_unknown_organisation_and_missing_file_are_clear_errors(demo, tmp_path):
    with pytest.raises(CommandError, match="没有找到机构“不存在乡”"):
        _run("import_catalog", str(tmp_path / "x.xlsx"), "--org", "不存在乡")
    with pytest.raises(CommandError, match="文件不存在"):
        _run("import_catalog", str(tmp_path / "x.xlsx"))
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(CommandError, match="只支持 .xlsx 和 .csv"):
        _run("import_catalog", str(tmp_path / "x.txt"))
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="无法读取 Excel 文件"):
        _run("import_catalog", str(tmp_path / "broken.xlsx"))


def test_dry_run_writes_nothing(demo, tmp_path):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(xlsx_bytes(official(ROWS)))
    before = CatalogEntry.objects.count()
    out, _err = _run("import_catalog", str(path), "--org", "河西乡", "--dry-run", "--no-progress")
    assert "检查通过（未写入）" in out and "新增 2 项" in out
    assert CatalogEntry.objects.count() == before


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_then_import_through_the_commands(demo, tmp_path, kind):
    hexi = demo["河西乡"]
    first = tmp_path / f"河西乡.{kind}"
    out, _err = _run("export_catalog", str(first), "--org", hexi.code)
    assert "已导出" in out
    for model in (Adjustment, Adoption):
        model.objects.filter(organization=hexi).delete()
    CatalogEntry.objects.filter(organization=hexi).delete()
    CatalogEntry._tree_manager.rebuild()

    _run("import_catalog", str(first), "--org", "河西乡", "--user", "hx_clerk", "--no-progress")
    second = tmp_path / f"again.{kind}"
    _run("export_catalog", str(second), "--org", "河西乡", "--format", kind)
    if kind == "csv":
        assert second.read_bytes() == first.read_bytes()
    assert entry("社会救助", "临时救助", "冬春生活救助名单（本地）", organization=hexi)
    assert User.objects.get(username="hx_clerk").pk in set(
        Adjustment.objects.filter(organization=hexi).values_list("actor", flat=True)
    )


def test_export_one_domain_to_stdout(standard_catalog):
    out, _err = _run("export_catalog", "-", "--domain", "社会救助")
    lines = out.splitlines()
    assert lines[0].startswith("社会救助领域基层政务公开标准目录")
    assert lines[1].startswith("序号,领域,公开事项,,公开内容（要素）")
    assert len(lines) == 3 + 4  # title, two header rows, the four shipped rows
    with pytest.raises(CommandError, match="没有找到领域"):
        _run("export_catalog", "-", "--domain", "不存在")
