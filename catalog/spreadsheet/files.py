"""Reading a file: .xlsx (merged cells filled in) or CSV (UTF-8 or GBK) into a grid of text."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

# --------------------------------------------------------------------------- reading a file


class SpreadsheetError(Exception):
    """The file cannot be read at all (not a spreadsheet, unknown encoding)."""


@dataclass
class Grid:
    """The cells of one sheet as text, merged ranges already filled with their value."""

    rows: list
    name: str = ""


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_xlsx(data):
    """The first sheet of an .xlsx file, merged cells filled from their top-left cell."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise SpreadsheetError(
            _("无法读取 Excel 文件（%(error)s），请确认文件是 .xlsx 格式。") % {"error": exc}
        ) from exc
    sheet = book.worksheets[0]
    width, height = sheet.max_column, sheet.max_row
    rows = [
        [_cell_text(v) for v in row]
        for row in sheet.iter_rows(min_row=1, max_row=height, min_col=1, max_col=width, values_only=True)
    ]
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, height)):
            for c in range(merged.min_col - 1, min(merged.max_col, width)):
                rows[r][c] = value
    return Grid(rows=rows, name=sheet.title or "")


def read_csv(data):
    """A CSV file in UTF-8 (with or without BOM) or GBK, as Chinese Excel saves it."""
    if isinstance(data, str):
        text = data
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise SpreadsheetError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。"))
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise SpreadsheetError(_("无法读取 CSV 文件（%(error)s）。") % {"error": exc}) from exc
    width = max((len(r) for r in rows), default=0)
    return Grid(rows=[r + [""] * (width - len(r)) for r in rows])
