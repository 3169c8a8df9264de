"""Moving a catalog between the database and the official spreadsheet layout.

:func:`import_sheet` applies the rows :mod:`catalog.spreadsheet` read to one of
two targets, all or nothing:

- the standard catalog (superusers only): each row creates or updates the
  standard entry its path (领域 → 一级事项 → 二级事项 …) names;
- an organisation's own catalog: a row naming a standard entry adopts it
  (``services.adopt``), and where its 公开时限 / 公开主体 / 公开渠道 differ from
  the standard wording they become the organisation's own (``services.override``);
  a row the standard catalog does not have becomes a local entry
  (``services.add_local_entry``). Every change therefore carries the reason
  "导入目录文件 <file>", a dated adjustment and an audit-log line.

Nothing is ever excluded or deleted by an import: an entry missing from the
file stays as it was. Every problem is collected with the row and column it
comes from; if there is any, the whole import is rolled back.

:func:`export_table` builds the rows of the same layout from the database,
with an organisation's own (effective) wording when exporting its catalog.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from portal import audit, pagecache
from portal.permissions import ensure_org_access, ensure_perm

from . import services
from .models import Adoption, AdoptionStatus, CatalogEntry, FiveDisclosures
from .spreadsheet import TICK, Problem, format_channels, level_header, with_code
from .timelimits import parse_time_limit_days
from .treeinsert import insert_nodes

OVERRIDDEN = ("time_limit_text", "responsible_body", "channels")
TEXT_COLUMNS = ("content_elements", "legal_basis", "time_limit_text", "responsible_body")
FLAGS = ("audience_public", "audience_specific", "proactive", "on_request", "level_county", "level_township")
ENTRY_COLUMNS = TEXT_COLUMNS + ("channels",) + FLAGS + ("five_disclosures",)
_REASON_MAX = 300


class _System:
    """The actor of imports no person started: the shipped standard catalog (``load_standard_catalog``).

    It may import the standard catalog (as a superuser may); the audit log
    records such changes without a user.
    """

    is_superuser = True
    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self):
        return _("系统（载入标准目录）")


SYSTEM = _System()


def summary_counts(new_rows, new_parents, updated, skipped):
    """The banner's line: new entries counted with the parents created for them (not rows)."""
    if new_parents:
        text = _("新增 %(new)d 项（其中上级事项 %(parents)d 项），更新 %(update)d 项，无变化 %(skip)d 项。")
    else:
        text = _("新增 %(new)d 项，更新 %(update)d 项，无变化 %(skip)d 项。")
    return text % {"new": new_rows + new_parents, "parents": new_parents, "update": updated, "skip": skipped}


def default_reason(file_name):
    reason = _("导入目录文件 %(name)s") % {"name": file_name or _("（未命名）")}
    return reason[:_REASON_MAX]


@dataclass
class RowOutcome:
    """What importing one row did (or, in a dry run, would do)."""

    row: object
    kind: str  # "new", "update" or "skip", as django-import-export names them
    entry: CatalogEntry
    domain: CatalogEntry
    summary: str
    notes: list = field(default_factory=list)
    effective: dict = field(default_factory=dict)
    new_parents: int = 0  # entries this row created above its own (一级事项 for a new 二级事项)


@dataclass
class ImportReport:
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.problems

    def count(self, kind):
        return sum(1 for o in self.outcomes if o.kind == kind)

    @property
    def new_parents(self):
        """Entries created only as the parents of new rows: new entries too, though no row of their own."""
        return sum(o.new_parents for o in self.outcomes)


# --------------------------------------------------------------------------- domains


class _Domains:
    """The domains with their aliases, looked up by exact name or inside a title."""

    def __init__(self):
        self.names = {}
        for domain in CatalogEntry.objects.domains().standard().order_by("sort_order", "name"):
            for name in [domain.name, *domain.alias_list]:
                self.names.setdefault(name.strip(), domain)

    def exact(self, text):
        text = (text or "").strip()
        if not text:
            return None
        return self.names.get(text) or self.names.get(text.removesuffix("领域"))

    def within(self, text):
        """The domain a title names ("XX县社会救助领域基层政务公开标准目录"), longest name first."""
        for name in sorted(self.names, key=len, reverse=True):
            if name and name in (text or ""):
                return self.names[name]
        return None

    def add(self, domain):
        self.names[domain.name] = domain


def _derive_levels(values):
    """公开层级 when the file has no such column: read from the responsible body, as the shipped catalog is."""
    body = values.get("responsible_body", "")
    return {
        "level_county": "县" in body,
        "level_township": any(word in body for word in ("乡", "镇", "街道")),
    }


def _field_label(name):
    try:
        return str(CatalogEntry._meta.get_field(name).verbose_name)
    except Exception:  # "name", "parent" and other keys of an adjustment
        return {"name": _("名称"), "parent": _("上级事项")}.get(name, name)


def _key(node):
    """A node's key in the importer's maps: its id, or the instance itself until it is saved."""
    return node.pk if node.pk is not None else ("new", id(node))


def _same(field_name, a, b):
    if field_name == "channels":
        return set(a or []) == set(b or [])
    if field_name in FLAGS:
        return bool(a) == bool(b)
    return (a or "") == (b or "")


# --------------------------------------------------------------------------- import


class _Importer:
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
        self.local = services.LocalEntries(actor, organization) if organization is not None else None
        self.adoptions = {}
        if organization is not None:
            self.adoptions = {a.entry_id: a for a in Adoption.objects.filter(organization=organization)}
        self.tree_changed = False  # local entries were inserted: cached tree positions are stale
        self.created_groups = []  # groups this import created only as parents: their flags follow their children
        self.order = (CatalogEntry.objects.aggregate(m=Max("sort_order"))["m"] or 0) + 1

    def audit(self, entry, verb, comment):
        self.audit_lines.append((entry, verb, comment))

    def flush(self):
        """Write what is waiting: new standard entries, local entries, audit lines."""
        if self.pending:
            insert_nodes(self.pending)
            self.pending = []
            pagecache.bump()  # bulk writes send no signal
        if self.local:
            self.local.save()
            self.tree_changed = True  # cached tree positions are stale
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
                    if self.organization is None:
                        self.standard_row(row, domain)
                    else:
                        self.organization_row(row, domain)
                except (ValidationError, PermissionDenied) as exc:
                    self.refused(row, exc)
            if self.progress:
                self.progress(1)
        self.flush()
        if self.organization is None and not self.report.problems:
            self.derive_group_flags()
        return self.report

    # ----------------------------------------------------------------- the standard catalog

    def standard_row(self, row, domain):
        notes = []
        if row.domain_code and domain.code != row.domain_code:
            domain.code = row.domain_code
            domain.save(update_fields=["code"])
            self.audit(domain, _("导入修改"), _("%(reason)s：编码") % {"reason": self.reason})
        node, created, parents = domain, False, 0
        for depth, (name, code) in enumerate(zip(row.names, row.codes), start=1):
            last = depth == row.depth
            child = self.children.get((_key(node), name))
            if child is None:
                child = CatalogEntry(parent=node, name=name, code=code, sort_order=self.order)
                self.order += 1
                if last:
                    self.fill_new(child, row.values)
                # The parent is an instance in hand; a standard entry (no organisation) cannot
                # break the unique constraint (NULL), and its siblings' names are in self.children.
                child.full_clean(exclude=["parent"], validate_constraints=False)
                self.pending.append(child)
                self.audit(child, _("导入新增"), self.reason)
                self.children[(_key(node), name)] = child
                if not last:
                    self.created_groups.append(child)
                if last:
                    created = True
                else:
                    parents += 1
                    notes.append(_("新增上级事项“%(name)s”") % {"name": name})
            elif code and child.code != code:
                child.code = code
                if child.pk is not None:  # a new one is written with its code
                    child.save(update_fields=["code"])
                self.audit(child, _("导入修改"), _("%(reason)s：编码") % {"reason": self.reason})
                if last:
                    notes.append(_("编码改为 %(code)s") % {"code": code})
            node = child
        if created:
            self.outcome(row, "new", node, domain, _("新增标准事项"), notes, new_parents=parents)
            return
        changed = self.update_existing(node, row.values)
        if changed:
            labels = "、".join(str(CatalogEntry._meta.get_field(f).verbose_name) for f in changed)
            self.outcome(
                row, "update", node, domain, _("修改：%(fields)s") % {"fields": labels}, notes, new_parents=parents
            )
        else:
            self.outcome(
                row,
                "update" if notes else "skip",
                node,
                domain,
                _("无变化") if not notes else "",
                notes,
                new_parents=parents,
            )

    def fill_new(self, entry, values):
        for name in ENTRY_COLUMNS:
            if name in values:
                setattr(entry, name, values[name])
        if "level_county" not in values and "level_township" not in values:
            for name, value in _derive_levels(values).items():
                setattr(entry, name, value)

    def update_existing(self, entry, values):
        changed = [
            name for name in ENTRY_COLUMNS if name in values and not _same(name, getattr(entry, name), values[name])
        ]
        if not changed:
            return []
        before = {name: getattr(entry, name) for name in changed}
        for name in changed:
            setattr(entry, name, values[name])
        update_fields = list(changed)
        if "time_limit_text" in changed:
            entry.time_limit_days = parse_time_limit_days(entry.time_limit_text)
            update_fields.append("time_limit_days")
        entry.full_clean()
        if entry.pk is not None:  # a new one (an earlier row's group) is written with its values
            entry.save(update_fields=update_fields)
        labels = "、".join(str(CatalogEntry._meta.get_field(f).verbose_name) for f in changed)
        self.audit(entry, _("导入修改"), _("%(reason)s：%(fields)s") % {"reason": self.reason, "fields": labels})
        if entry.pk is None:  # written later in bulk: nobody has adopted it yet
            return changed
        # Every organisation that adopted the entry sees the revision in its history; its own wording stays.
        services.record_standard_revision(
            self.actor,
            entry,
            {name: [before[name], getattr(entry, name)] for name in changed},
            reason=self.reason,
        )
        return changed

    def derive_group_flags(self):
        """Groups an import created follow their children (as the shipped catalog's groups do)."""
        for entry in self.created_groups:
            entry.refresh_from_db()
            children = list(entry.get_children().filter(organization__isnull=True))
            if not children or any(getattr(entry, f) for f in TEXT_COLUMNS):
                continue
            derived = {
                "level_county": any(c.level_county for c in children),
                "level_township": any(c.level_township for c in children),
                "proactive": any(c.proactive for c in children),
            }
            if any(getattr(entry, f) != v for f, v in derived.items()):
                for f, v in derived.items():
                    setattr(entry, f, v)
                entry.save(update_fields=list(derived))

    # ----------------------------------------------------------------- an organisation's catalog

    def organization_row(self, row, domain):
        org = self.organization
        node, matched, notes = domain, 0, []
        for name in row.names:
            child = self.children.get((_key(node), name))
            if child is None or (child.organization_id not in (None, org.pk)):
                break
            node, matched = child, matched + 1
        if matched < row.depth:
            self.add_local(row, domain, node, matched)
            return
        self.flush()  # what follows reads the tree and the adoptions
        entry = node
        kind, summary = "skip", _("已在本机构目录中，无变化")
        adoption = self.adoptions.get(entry.pk)
        if adoption is None or adoption.status != AdoptionStatus.ADOPTED:
            if self.tree_changed:
                entry.refresh_from_db()  # local entries added above may have moved it in the tree
            count = services.adopt(self.actor, org, entry, reason=self.reason)
            if count:
                kind, summary = "new", _("纳入本机构目录")
                adoption = None
            if count > 1:
                notes.append(_("连同上下级事项共纳入 %(n)d 项") % {"n": count})
        code = row.codes[-1]
        if entry.organization_id is None:
            # The organisation's own wording where it differs; the service stores "same as the standard" as blank.
            values = {name: row.values[name] for name in OVERRIDDEN if name in row.values}
            changed = services.override(self.actor, org, entry, reason=self.reason, **values) if values else None
            kept = [
                name
                for name in ENTRY_COLUMNS
                if name not in OVERRIDDEN
                and name in row.values
                and not _same(name, getattr(entry, name), row.values[name])
            ]
            if kept:
                labels = "、".join(str(CatalogEntry._meta.get_field(f).verbose_name) for f in kept)
                notes.append(_("%(fields)s与文件不同，以标准目录为准") % {"fields": labels})
            if code and code != entry.code:
                notes.append(_("编码与标准目录不同，以标准目录为准"))
        else:
            # One of the organisation's own entries: the file's columns are its columns.
            values = {
                name: row.values[name]
                for name in ENTRY_COLUMNS
                if name in row.values and not _same(name, getattr(entry, name), row.values[name])
            }
            if code and code != entry.code:
                values["code"] = code
            changed = services.change_local_entry(self.actor, entry, reason=self.reason, **values) if values else None
        if changed is not None:
            labels = "、".join(_field_label(f) for f in changed.changes if f not in ("entries", "time_limit_days"))
            summary = (summary + "；" if kind == "new" else "") + _("调整：%(fields)s") % {"fields": labels}
            kind = "new" if kind == "new" else "update"
            adoption = None
        if adoption is None:
            adoption = Adoption.objects.get(organization=org, entry=entry)
            self.adoptions[entry.pk] = adoption
        adoption.entry = entry
        self.outcome(
            row,
            kind,
            entry,
            domain,
            summary,
            notes,
            {
                "time_limit_text": adoption.effective_time_limit_text,
                "responsible_body": adoption.effective_responsible_body,
                "channels": adoption.effective_channels,
            },
        )

    def add_local(self, row, domain, parent, matched):
        values = row.values
        flags = {f: values[f] for f in FLAGS if f in values}
        if "level_county" not in values and "level_township" not in values:
            flags.update(_derive_levels(values))
        entry = None
        for depth in range(matched, row.depth):
            name, code = row.names[depth], row.codes[depth]
            last = depth == row.depth - 1
            fields = {"code": code}
            if last:
                fields.update({f: values[f] for f in ENTRY_COLUMNS if f in values and f not in FLAGS})
                fields.update(flags)
            else:
                fields.update({f: flags[f] for f in ("level_county", "level_township", "proactive") if f in flags})
            entry = self.local.add(parent, name=name, reason=self.reason, **fields)
            self.children[(_key(parent), name)] = entry
            parent = entry
        notes = []
        if row.depth - matched > 1:
            notes.append(_("同时新增本地上级事项 %(n)d 项") % {"n": row.depth - matched - 1})
        self.outcome(row, "new", entry, domain, _("新增本地事项"), notes, new_parents=row.depth - matched - 1)


def import_sheet(sheet, *, actor, organization=None, file_name="", reason=None, dry_run=False, progress=None):
    """Apply a parsed sheet to the standard catalog or ``organization``'s catalog, all or nothing.

    With ``dry_run`` everything is done and then rolled back, so the preview
    shows exactly what confirming will do.
    """
    reason = (reason or default_reason(file_name))[:_REASON_MAX]
    with transaction.atomic(), pagecache.deferred():
        report = _Importer(sheet, actor=actor, organization=organization, reason=reason, progress=progress).run()
        report.dry_run = dry_run
        if dry_run or report.problems:
            transaction.set_rollback(True)
    return report


# --------------------------------------------------------------------------- export


def _has_own_row(node, children):
    """Whether a group needs a row of its own: it says something its children do not."""
    if any(getattr(node, f) for f in TEXT_COLUMNS) or node.channels or node.five_disclosures:
        return True
    if node.audience_public or node.audience_specific or node.on_request:
        return True
    derived = (
        any(c.level_county for c in children),
        any(c.level_township for c in children),
        any(c.proactive for c in children),
    )
    return (node.level_county, node.level_township, node.proactive) != derived


def _title(organization, domains):
    domain = f"{domains[0].name}领域" if len(domains) == 1 else ""
    if organization is None:
        return _("%(domain)s基层政务公开标准目录") % {"domain": domain}
    return _("%(org)s%(domain)s政务公开事项目录") % {"org": organization.name, "domain": domain}


def export_table(organization=None, domain=None):
    """(title, headers, rows) of the standard catalog or ``organization``'s catalog in the official layout."""
    from . import selectors

    domains = [domain] if domain is not None else list(selectors.domains())
    tree_ids = [d.tree_id for d in domains]
    nodes = CatalogEntry.objects.filter(tree_id__in=tree_ids)
    if organization is None:
        nodes = nodes.filter(organization__isnull=True)
        adoptions = None
    else:
        nodes = nodes.filter(organization__isnull=True) | nodes.filter(organization=organization)
        adoptions = {
            a.entry_id: a
            for a in Adoption.objects.filter(
                organization=organization,
                status=AdoptionStatus.ADOPTED,
                entry__tree_id__in=tree_ids,
            )
        }
    by_tree = {}
    for node in nodes.order_by("tree_id", "lft"):
        by_tree.setdefault(node.tree_id, []).append(node)

    records = []  # (domain, path, entry, adoption)
    for domain_node in domains:
        tree = by_tree.get(domain_node.tree_id, [])
        children = {}
        for node in tree:
            children.setdefault(node.parent_id, []).append(node)
        path = []
        for node in tree:
            if node.parent_id is None:
                continue
            path = path[: node.level - 1] + [node]
            if adoptions is None:
                kids = children.get(node.pk, [])
                if kids and not _has_own_row(node, kids):
                    continue
                records.append((domain_node, list(path), node, None))
            else:
                # Only the entries an item is published for: an adopted group is the first half
                # of its children's 公开事项 cell, and one whose children are all left out lists nothing.
                adoption = adoptions.get(node.pk)
                if adoption is None or children.get(node.pk):
                    continue
                adoption.entry = node  # the effective values read the entry: no query per row
                records.append((domain_node, list(path), node, adoption))

    depth = max([2] + [len(path) for _d, path, _e, _a in records])
    has_five = any(entry.five_disclosures for _d, _p, entry, _a in records)
    headers = (
        [_("序号"), _("领域")]
        + [level_header(d) for d in range(1, depth + 1)]
        + [
            _("公开内容（要素）"),
            _("公开依据"),
            _("公开时限"),
            _("公开主体"),
            _("公开渠道和载体"),
            _("全社会"),
            _("特定群体"),
            _("主动"),
            _("依申请"),
            _("县级"),
            _("乡级"),
        ]
        + ([_("五公开类别")] if has_five else [])
    )
    five_labels = dict(FiveDisclosures.choices)
    rows = []
    for number, (domain_node, path, entry, adoption) in enumerate(records, start=1):
        names = [with_code(n.name, n.code) for n in path] + [""] * (depth - len(path))
        time_limit = adoption.effective_time_limit_text if adoption else entry.time_limit_text
        body = adoption.effective_responsible_body if adoption else entry.responsible_body
        channels = adoption.effective_channels if adoption else entry.channels
        ticks = [TICK if getattr(entry, f) else "" for f in FLAGS]
        row = [
            number,
            with_code(domain_node.name, domain_node.code),
            *names,
            entry.content_elements,
            entry.legal_basis,
            time_limit,
            body,
            format_channels(channels),
            *ticks,
        ]
        if has_five:
            row.append(str(five_labels.get(entry.five_disclosures, "")))
        rows.append(row)
    return _title(organization, domains), [str(h) for h in headers], rows
