"""Small catalog sheets built in tests, in the official layout and its real-world variants."""

import csv
import io

import openpyxl
from django.db.models import Q

from catalog import importer, spreadsheet
from catalog.models import CatalogEntry

TITLE = "XX县社会救助领域基层政务公开标准目录"
GROUP_ROW = [
    "序号",
    "公开事项",
    "",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "",
    "公开方式",
    "",
    "公开层级",
    "",
]
SUB_ROW = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]


def official(rows, title=TITLE, group=None, sub=None):
    """A title row, the two header rows and ``rows``, every row padded to the header's width."""
    group, sub = group or GROUP_ROW, sub or SUB_ROW
    width = len(group)
    table = ([[title] + [""] * (width - 1)] if title else []) + [group, sub] + [list(r) for r in rows]
    return [r + [""] * (width - len(r)) for r in table]


def xlsx_bytes(rows, merges=(), sheet_name="Sheet1"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig"):
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def parse(rows, merges=(), kind="xlsx"):
    data = xlsx_bytes(rows, merges) if kind == "xlsx" else csv_bytes(rows)
    grid = spreadsheet.read_xlsx(data) if kind == "xlsx" else spreadsheet.read_csv(data)
    return spreadsheet.parse(grid)


def run_import(rows, *, actor, organization=None, merges=(), kind="xlsx", file_name="目录.xlsx", dry_run=False):
    return importer.import_sheet(
        parse(rows, merges, kind), actor=actor, organization=organization, file_name=file_name, dry_run=dry_run
    )


def messages(report):
    return [str(p) for p in report.problems]


def entry(*path, organization=None):
    """The entry at domain → 一级 → 二级 …: standard ones, or ``organization``'s local ones."""
    node = CatalogEntry.objects.get(parent=None, name=path[0])
    for name in path[1:]:
        node = (
            CatalogEntry.objects.filter(parent=node, name=name)
            .filter(Q(organization__isnull=True) | Q(organization=organization))
            .get()
        )
    return node


def standard_snapshot():
    """Every standard entry in tree order with the official columns (sort order values left out)."""
    fields = ("level", "name", "code") + importer.ENTRY_COLUMNS
    rows = []
    for node in CatalogEntry.objects.standard().order_by("tree_id", "lft"):
        values = [getattr(node, f) for f in fields]
        values[fields.index("channels")] = sorted(node.channels)
        rows.append(tuple(str(v) for v in values) + (str(node.time_limit_days),))
    return rows


def xlsx_cells(data):
    """Every cell value of the first sheet and its merged ranges: what a reader of the file sees."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)], sorted(str(r) for r in sheet.merged_cells.ranges)
