"""Small catalog sheets built in tests, in the official layout and its real-world variants."""

import csv
import io

import openpyxl
from django.db.models import Q

from catalog import importer, spreadsheet
from catalog.models import Adjustment, Adoption, CatalogEntry, Channel
from portal.models import AuditEntry

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


# --- the rows and helpers the import/export tests share

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


def export_bytes(kind, organization=None, domain=None):
    title, headers, rows = importer.export_table(organization=organization, domain=domain)
    writer = spreadsheet.write_xlsx if kind == "xlsx" else spreadsheet.write_csv
    return writer(title, headers, rows)


def import_bytes(data, kind, **kwargs):
    grid = spreadsheet.read_xlsx(data) if kind == "xlsx" else spreadsheet.read_csv(data)
    return importer.import_sheet(spreadsheet.parse(grid), file_name=f"目录.{kind}", **kwargs)


def wipe_standard_entries():
    """Everything below the domains, leaves first (the parent link protects against cascades)."""
    while CatalogEntry.objects.filter(level__gt=0).exists():
        deepest = CatalogEntry.objects.filter(level__gt=0).order_by("-level").first().level
        for node in CatalogEntry.objects.filter(level=deepest):
            CatalogEntry.objects.filter(pk=node.pk).delete()
    CatalogEntry._tree_manager.rebuild()


def richer_catalog():
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


def counts():
    return (
        CatalogEntry.objects.count(),
        Adoption.objects.count(),
        Adjustment.objects.count(),
        AuditEntry.objects.count(),
    )


def wipe_organization_catalog(org):
    Adjustment.objects.filter(organization=org).delete()
    Adoption.objects.filter(organization=org).delete()
    for node in CatalogEntry.objects.filter(organization=org).order_by("-level"):
        CatalogEntry.objects.filter(pk=node.pk).delete()
    CatalogEntry._tree_manager.rebuild()
