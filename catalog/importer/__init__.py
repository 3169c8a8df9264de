"""Moving a catalog between the database and the official spreadsheet layout.

:func:`import_sheet` applies the rows :mod:`catalog.spreadsheet` read to one of
two targets, all or nothing:

- the standard catalog (superusers only): each row creates or updates the
  standard entry its path (领域 → 一级事项 → 二级事项 …) names;
- an organisation's own catalog: a row naming a standard entry adopts it
  (the rules of ``services.adopt``), and where its 公开时限 / 公开主体 / 公开渠道
  differ from the standard wording they become the organisation's own (those of
  ``services.override``), all rows decided in memory and written in bulk
  (``services.AdoptionBatch``);
  a row the standard catalog does not have becomes a local entry
  (``services.add_local_entry``). Every change therefore carries the reason
  "导入目录文件 <file>", a dated adjustment and an audit-log line.

Nothing is ever excluded or deleted by an import: an entry missing from the
file stays as it was. Every problem is collected with the row and column it
comes from; if there is any, the whole import is rolled back.

:func:`export_table` builds the rows of the same layout from the database,
with an organisation's own (effective) wording when exporting its catalog.

The package: :mod:`.common` (report, columns, domains), :mod:`.base` (the frame of
one import), :mod:`.standard` and :mod:`.organization` (the two targets),
:mod:`.exporter`. Callers import from ``catalog.importer``.
"""

from django.db import transaction

from portal import pagecache

from .common import (
    _REASON_MAX,
    ENTRY_COLUMNS,
    FLAGS,
    OVERRIDDEN,
    SYSTEM,
    TEXT_COLUMNS,
    ImportReport,
    RowOutcome,
    default_reason,
    summary_counts,
)
from .exporter import export_table
from .organization import OrganizationImporter
from .standard import StandardImporter

__all__ = [
    "ENTRY_COLUMNS",
    "FLAGS",
    "OVERRIDDEN",
    "SYSTEM",
    "TEXT_COLUMNS",
    "ImportReport",
    "RowOutcome",
    "default_reason",
    "export_table",
    "import_sheet",
    "summary_counts",
]


def import_sheet(sheet, *, actor, organization=None, file_name="", reason=None, dry_run=False, progress=None):
    """Apply a parsed sheet to the standard catalog or ``organization``'s catalog, all or nothing.

    With ``dry_run`` everything is done and then rolled back, so the preview
    shows exactly what confirming will do.
    """
    reason = (reason or default_reason(file_name))[:_REASON_MAX]
    importer = StandardImporter if organization is None else OrganizationImporter
    with transaction.atomic(), pagecache.deferred():
        report = importer(sheet, actor=actor, organization=organization, reason=reason, progress=progress).run()
        report.dry_run = dry_run
        if dry_run or report.problems:
            transaction.set_rollback(True)
    return report
