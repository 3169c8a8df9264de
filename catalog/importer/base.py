"""The import's frame: reading the rows in order, permissions, domains, collecting problems."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from portal import audit, pagecache
from portal.permissions import ensure_org_access, ensure_perm

from ..models import CatalogEntry
from ..spreadsheet import Problem
from ..treeinsert import insert_nodes
from .common import ENTRY_COLUMNS, ImportReport, RowOutcome, _Domains


class BaseImporter:
    """One import, all or nothing: the rows in order, every problem collected with its row and column."""

    def __init__(self, sheet, *, actor, organization, reason, progress):
        self.sheet = sheet
        self.actor = actor
        self.organization = organization
        self.reason = reason
        self.progress = progress
        self.report = ImportReport(ignored=list(sheet.ignored))
        self.domains = _Domains()
        self.title_domain = (
            self.domains.within(sheet.title)
            or self.domains.exact(sheet.sheet_name)
            or self.domains.within(sheet.sheet_name)
        )
        self.children = {}
        standard = CatalogEntry.objects.standard().exclude(parent=None)
        local = CatalogEntry.objects.filter(organization=organization) if organization else []
        for entry in [*standard, *local]:
            self.children[(entry.parent_id, entry.name)] = entry
        # New entries are written in bulk (see flush): the standard ones and their audit lines
        # here, an organisation's own through services.LocalEntries.
        self.pending = []
        self.audit_lines = []  # (entry, verb, comment), written once the entries have ids
        self.created_groups = []  # groups this import created only as parents: their flags follow their children
        self.order = (CatalogEntry.objects.aggregate(m=Max("sort_order"))["m"] or 0) + 1

    def audit(self, entry, verb, comment):
        self.audit_lines.append((entry, verb, comment))

    def flush(self):
        """Write what is waiting: new standard entries and audit lines (subclasses add their own)."""
        if self.pending:
            insert_nodes(self.pending)
            self.pending = []
            pagecache.bump()  # bulk writes send no signal
        if self.audit_lines:
            audit.record_many(
                audit.build(self.actor, entry, verb, comment=comment) for entry, verb, comment in self.audit_lines
            )
            self.audit_lines = []

    def problem(self, row, message, column=None):
        self.report.problems.append(Problem(str(message), row.number if row else None, column))

    # ----------------------------------------------------------------- shared

    def check_permission(self):
        if self.organization is None:
            if not getattr(self.actor, "is_superuser", False):
                self.problem(None, _("只有系统管理员可以导入标准目录；请选择要导入到哪个机构的目录。"))
                return False
            return True
        try:
            ensure_perm(self.actor, "catalog.change_adoption")
            ensure_org_access(self.actor, self.organization)
        except PermissionDenied as exc:
            self.problem(None, _("不能导入到“%(org)s”的目录：%(error)s") % {"org": self.organization, "error": exc})
            return False
        return True

    def refused(self, row, exc):
        """A service said no: report it at the column the complaint is about."""
        name_column = self.sheet.name_column(row.depth)
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for key, errors in exc.message_dict.items():
                column = (self.sheet.column(key) if key in ENTRY_COLUMNS else None) or name_column
                for message in errors:
                    self.problem(row, message, column)
        else:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            self.problem(row, "；".join(messages), name_column)

    def domain_for(self, row):
        column = self.sheet.column("domain")
        if row.domain:
            found = self.domains.exact(row.domain)
            if found is None and self.organization is None:
                return self.new_domain(row)
            if found is None:
                self.problem(
                    row, _("标准目录中没有“%(name)s”领域（也不是某个领域的别名）。") % {"name": row.domain}, column
                )
            return found
        found = self.domains.exact(row.section) or self.title_domain
        if found is None:
            self.problem(
                row, _("无法确定所属领域：表格没有“领域”列，分节行、标题和工作表名称中也没有领域名称。"), column
            )
        return found

    def new_domain(self, row):
        domain = CatalogEntry.objects.create(name=row.domain, code=row.domain_code, sort_order=self.order)
        self.order += 1
        self.audit(domain, _("导入新增"), self.reason)
        self.domains.add(domain)
        return domain

    def outcome(self, row, kind, entry, domain, summary, notes=(), effective=None, new_parents=0):
        effective = effective or {
            "time_limit_text": entry.time_limit_text,
            "responsible_body": entry.responsible_body,
            "channels": entry.channels,
        }
        self.report.outcomes.append(RowOutcome(row, kind, entry, domain, summary, list(notes), effective, new_parents))

    def run(self):
        if self.sheet.problems:
            self.report.problems.extend(self.sheet.problems)
            return self.report
        if not self.check_permission():
            return self.report
        for row in self.sheet.rows:
            domain = self.domain_for(row)
            if domain is not None:
                try:
                    self.import_row(row, domain)
                except (ValidationError, PermissionDenied) as exc:
                    self.refused(row, exc)
            if self.progress:
                self.progress(1)
        self.flush()
        if not self.report.problems:
            self.finish()
        return self.report

    def import_row(self, row, domain):
        raise NotImplementedError

    def finish(self):
        """What follows a clean import of every row."""
