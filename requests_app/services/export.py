"""The register (登记台账) as a spreadsheet, and the audit entry that it left the system.

The register holds applicants' personal data; who exported it, and how many rows, is
written to the audit log (等保 2.0 安全审计), and formulas are neutralised so a cell cannot
run in the recipient's spreadsheet program.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from portal.exports import safe_row
from portal.permissions import ensure_perm

from .. import selectors
from .workflow import WORKFLOW

EXPORT = "requests_app.export_register"

_WIDTHS = (14, 14, 20, 10, 12, 10, 10, 12, 20, 14, 24, 40, 8, 10, 8, 12, 8, 12, 24, 12, 10)


def export_register(actor, *, year: int | None = None) -> bytes:
    """The xlsx of the actor's subtree (of one receipt year if given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ensure_perm(actor, EXPORT)
    requests = selectors.register_requests(actor, year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("登记台账")
    sheet.append([str(c) for c in selectors.REGISTER_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for row in selectors.register_rows(actor, requests):
        sheet.append(safe_row(row))
        count += 1
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    if actor.organization_id:
        WORKFLOW.record(actor, actor.organization, "export_register", comment=_("%(n)d条") % {"n": count})
    return buffer.getvalue()
