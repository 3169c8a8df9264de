"""The report as a spreadsheet (the official table layout, one sheet per table) and as a PDF.

The spreadsheet repeats the page's labels cell for cell, merged the way the
official template merges them, so an office can paste it into its own
document; the PDF is the page's body set in Noto CJK by WeasyPrint, as the
notices of information requests are.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal import pdf as portal_pdf
from portal.exports import safe_cell

from . import presentation


def _number(value):
    if isinstance(value, str):
        try:
            amount = Decimal(value)
        except ArithmeticError:
            return value
        return int(amount) if amount == amount.to_integral_value() else float(amount)
    return value


def workbook(report):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    ctx = presentation.context(report)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    bold = Font(bold=True)

    def put(ws, row, col, value, *, head=False, merge_to=None):
        cell = ws.cell(row=row, column=col, value=safe_cell(_number(value)))
        cell.border = border
        cell.alignment = centre if head or not isinstance(cell.value, str) else wrap
        if head:
            cell.font = bold
        if merge_to:
            end_row, end_col = merge_to
            for r in range(row, end_row + 1):
                for c in range(col, end_col + 1):
                    ws.cell(row=r, column=c).border = border
            ws.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)
        return cell

    wb = Workbook()
    ws = wb.active
    ws.title = _("正文")
    ws.column_dimensions["A"].width = 100
    ws.cell(row=1, column=1, value=safe_cell(report.title)).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=_("统计范围：") + str(report.get_scope_display()))
    line = 4
    for number, key in ((1, "overview"), (2, None), (3, None), (4, None), (5, "problems_text"), (6, "other_matters")):
        ws.cell(row=line, column=1, value=ctx["sections"][number]).font = bold
        line += 1
        if key is None:
            ws.cell(
                row=line,
                column=1,
                value=_("见工作表“%(sheet)s”") % {"sheet": _("表%(n)s") % {"n": "二三四"[number - 2]}},
            )
            line += 2
            continue
        for paragraph in ctx[key]:
            ws.cell(row=line, column=1, value=safe_cell(paragraph)).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
            line += 1
        line += 1

    # 表二
    ws = wb.create_sheet(_("表二"))
    ws.cell(row=1, column=1, value=ctx["sections"][2]).font = bold
    ws.column_dimensions["A"].width = 22
    for col in "BCD":
        ws.column_dimensions[col].width = 16
    r = 2
    for block in ctx["t2_blocks"]:
        put(ws, r, 1, block.heading, head=True, merge_to=(r, 4))
        r += 1
        put(ws, r, 1, ctx["t2_item_content"], head=True)
        if len(block.columns) == 1:
            put(ws, r, 2, block.columns[0], head=True, merge_to=(r, 4))
        else:
            for i, col in enumerate(block.columns):
                put(ws, r, 2 + i, col, head=True)
        r += 1
        for label, values in block.rows:
            put(ws, r, 1, label)
            if len(values) == 1:
                put(ws, r, 2, values[0], merge_to=(r, 4))
            else:
                for i, value in enumerate(values):
                    put(ws, r, 2 + i, value)
            r += 1

    # 表三
    ws = wb.create_sheet(_("表三"))
    ws.cell(row=1, column=1, value=ctx["sections"][3]).font = bold
    ws.column_dimensions["A"].width = 60
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 11
    put(ws, 2, 1, ctx["t3_note"], head=True, merge_to=(4, 1))
    put(ws, 2, 2, ctx["t3_applicants"], head=True, merge_to=(2, 8))
    put(ws, 3, 2, ctx["t3_natural"], head=True, merge_to=(4, 2))
    put(ws, 3, 3, ctx["t3_legal_persons"], head=True, merge_to=(3, 7))
    put(ws, 3, 8, ctx["t3_total"], head=True, merge_to=(4, 8))
    for i, label in enumerate(ctx["t3_legal_kinds"]):
        put(ws, 4, 3 + i, label, head=True)
    r = 5
    for row in ctx["t3_rows"]:
        indent = {"group": 1, "sub": 3, "total": 1}.get(row.kind, 0)
        cell = put(ws, r, 1, row.label)
        cell.alignment = Alignment(wrap_text=True, vertical="center", indent=indent)
        if row.values is None:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        else:
            for i, value in enumerate(row.values):
                put(ws, r, 2 + i, value)
        r += 1

    # 表四
    ws = wb.create_sheet(_("表四"))
    ws.cell(row=1, column=1, value=ctx["sections"][4]).font = bold
    put(ws, 2, 1, ctx["t4_reconsideration"], head=True, merge_to=(3, 5))
    put(ws, 2, 6, ctx["t4_litigation"], head=True, merge_to=(2, 15))
    for i, (_key, label, _values) in enumerate(ctx["t4_groups"][1:]):
        put(ws, 3, 6 + 5 * i, label, head=True, merge_to=(3, 10 + 5 * i))
    col = 1
    for _key, _label, values in ctx["t4_groups"]:
        for i, value in enumerate(values):
            put(ws, 4, col + i, ctx["t4_columns"][i], head=True)
            put(ws, 5, col + i, value)
        col += 5
    for c in range(1, 16):
        ws.column_dimensions[ws.cell(row=4, column=c).column_letter].width = 10

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf_unavailable_reason():
    return portal_pdf.unavailable_reason()


def _stylesheet():
    from django.contrib.staticfiles import finders

    with open(finders.find("annual/report_pdf.css"), encoding="utf-8") as handle:
        return handle.read()


def pdf_source(report):
    """(HTML, stylesheet) of the report's PDF: everything its bytes depend on."""
    return render_to_string("annual/report_pdf.html", presentation.context(report)), _stylesheet()


def pdf(report, source=None):
    """The report as an A4 PDF; raises RuntimeError naming the missing Debian package."""
    html, stylesheet = source or pdf_source(report)
    return portal_pdf.render(html, stylesheet)


def stored(report, suffix):
    """An open file of a published report's PDF or spreadsheet in the default store.

    A published report keeps saying what it said on the day it was published
    (its figures are frozen), so each download is rendered once and then
    streamed from the store by any server. The name is a digest of the
    rendered page, so a re-published report gets new files.
    """
    from portal import storage

    source = pdf_source(report)
    key = f"{suffix}\n{source[0]}\n/* css */\n{source[1]}"
    build = (lambda: pdf(report, source)) if suffix == "pdf" else (lambda: workbook(report))
    return storage.rendered(storage.DEFAULT, f"reports/annual/{report.pk}", key, suffix, build)


def filename(report, suffix):
    return f"annual-report-{report.year}-{report.organization.code}-{report.scope}.{suffix}"
