"""The shipped sample file, the readers and writers against openpyxl, and what an import or export costs."""

import io

import openpyxl

from catalog import importer, spreadsheet
from catalog.models import CatalogEntry
from portal.models import User

from .sheets import (
    REAL_ROWS,
    import_bytes,
    messages,
    official,
    parse,
    xlsx_bytes,
    xlsx_cells,
)

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
    report = import_bytes(shipped, "xlsx", actor=User.objects.get(username="clerk"), organization=civil)
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
