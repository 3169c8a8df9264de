"""Writing the layout: the two header rows, merged cells, column widths, as .xlsx or CSV."""

import csv
import io

from portal.exports import safe_cell, safe_row

from .header import MAX_LEVELS, level_header

# --------------------------------------------------------------------------- writing

# Sub-columns and the group above them; any other header spans both header rows.
GROUP_OF = {
    **{level_header(d): "公开事项" for d in range(1, MAX_LEVELS + 1)},
    "全社会": "公开对象",
    "特定群体": "公开对象",
    "主动": "公开方式",
    "依申请": "公开方式",
    "县级": "公开层级",
    "乡级": "公开层级",
}


def header_rows(headers):
    """The two header rows and the ranges to merge: [(row, first col, last row, last col)] 0-based."""
    top, bottom, merges = [], [], []
    col = 0
    while col < len(headers):
        group = GROUP_OF.get(headers[col])
        if group is None:
            top.append(headers[col])
            bottom.append("")
            merges.append((0, col, 1, col))
            col += 1
            continue
        end = col
        while end + 1 < len(headers) and GROUP_OF.get(headers[end + 1]) == group:
            end += 1
        top.extend([group] + [""] * (end - col))
        bottom.extend(headers[col : end + 1])
        if end > col:
            merges.append((0, col, 0, end))
        col = end + 1
    return top, bottom, merges


def _down_merges(headers, rows):
    """Vertical merges for 领域 and the upper levels of 公开事项 over consecutive equal rows."""
    mergeable = [i for i, h in enumerate(headers) if h == "领域" or (h in GROUP_OF and GROUP_OF[h] == "公开事项")]
    level_cols = [i for i, h in enumerate(headers) if h in GROUP_OF and GROUP_OF[h] == "公开事项"]
    if level_cols:
        mergeable.remove(level_cols[-1])  # the deepest level names each row's own entry
    merges = []
    for position, col in enumerate(mergeable):
        above = mergeable[:position]
        start = 0
        for r in range(1, len(rows) + 1):
            same = (
                r < len(rows)
                and rows[r][col]
                and rows[r][col] == rows[start][col]
                and all(rows[r][a] == rows[start][a] for a in above)
            )
            if not same:
                if r - 1 > start:
                    merges.append((start, col, r - 1, col))
                start = r
    return merges


_WIDTHS = {
    "序号": 6,
    "领域": 12,
    "公开内容（要素）": 36,
    "公开依据": 36,
    "公开时限": 22,
    "公开主体": 20,
    "公开渠道和载体": 30,
    "五公开类别": 10,
}


def write_xlsx(title, headers, rows):
    """An .xlsx in the published look: title row, two merged header rows, upper levels merged down."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = (title or "目录")[:31].translate(str.maketrans("[]:*?/\\", "〔〕：＊？／＼"))
    width = len(headers)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)

    sheet.append([safe_cell(title)] + [None] * (width - 1))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = center
    sheet.row_dimensions[1].height = 32

    top, bottom, merges = header_rows(headers)
    sheet.append(top)
    sheet.append(bottom)
    for r in (2, 3):
        for c in range(1, width + 1):
            cell = sheet.cell(r, c)
            cell.font = Font(bold=True)
            cell.alignment = center
            cell.border = border
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)

    for values in rows:
        sheet.append(safe_row(values))
    tick_cols = {i for i, h in enumerate(headers) if GROUP_OF.get(h) in ("公开对象", "公开方式", "公开层级")}
    for r in range(4, 4 + len(rows)):
        for c in range(width):
            cell = sheet.cell(r, c + 1)
            cell.border = border
            cell.alignment = center if c in tick_cols or headers[c] == "序号" else wrap
    for r0, c0, r1, c1 in _down_merges(headers, rows):
        sheet.merge_cells(start_row=r0 + 4, start_column=c0 + 1, end_row=r1 + 4, end_column=c1 + 1)

    for i, header in enumerate(headers, start=1):
        wide = _WIDTHS.get(header, 14 if GROUP_OF.get(header) == "公开事项" else 7)
        sheet.column_dimensions[get_column_letter(i)].width = wide
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(title, headers, rows):
    """The same layout as CSV (UTF-8 with BOM so Excel shows the Chinese): merged cells leave blanks."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(title)] + [""] * (len(headers) - 1))
    top, bottom, _merges = header_rows(headers)
    writer.writerow(top)
    writer.writerow(bottom)
    for values in rows:
        writer.writerow(safe_row("" if v is None else v for v in values))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
