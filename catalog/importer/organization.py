"""Importing into an organisation's catalog: adopting and rewording standard entries, adding its own."""

from django.utils.translation import gettext as _

from .. import services
from ..models import AdoptionStatus, CatalogEntry
from .base import BaseImporter
from .common import ENTRY_COLUMNS, FLAGS, OVERRIDDEN, _derive_levels, _field_label, _key, _same


class OrganizationImporter(BaseImporter):
    """Rows naming standard entries adopt and reword them; the others become the organisation's own.

    Both are decided in memory and written together (``services.AdoptionBatch``,
    ``services.LocalEntries``); at most one of the two holds unsaved work at a
    time, so the history keeps the file's order.
    """

    def __init__(self, sheet, **kwargs):
        super().__init__(sheet, **kwargs)
        self.local = services.LocalEntries(self.actor, self.organization)
        self.batch = services.AdoptionBatch(self.actor, self.organization)

    def flush(self):
        self.flush_local()
        self.batch.save()
        super().flush()

    def flush_local(self):
        """Write the pending local entries; the adoption batch then reads what they changed."""
        if self.local:
            self.local.save()
            self.batch.forget()

    def import_row(self, row, domain):
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
        self.flush_local()  # what follows reads the tree and the adoptions
        batch, entry = self.batch, node
        kind, summary = "skip", _("已在本机构目录中，无变化")
        adoption = batch.adoption(entry)
        if adoption is None or adoption.status != AdoptionStatus.ADOPTED:
            count = batch.adopt(entry, reason=self.reason)
            if count:
                kind, summary = "new", _("纳入本机构目录")
            if count > 1:
                notes.append(_("连同上下级事项共纳入 %(n)d 项") % {"n": count})
        code = row.codes[-1]
        if entry.organization_id is None:
            # The organisation's own wording where it differs; the service stores "same as the standard" as blank.
            values = {name: row.values[name] for name in OVERRIDDEN if name in row.values}
            changed = batch.override(entry, reason=self.reason, **values) if values else None
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
            changed = None
            if values:
                batch.save()  # the change is written now: the adoptions decided before it go first
                changed = services.change_local_entry(self.actor, entry, reason=self.reason, **values)
        if changed is not None:
            labels = "、".join(_field_label(f) for f in changed.changes if f not in ("entries", "time_limit_days"))
            summary = (summary + "；" if kind == "new" else "") + _("调整：%(fields)s") % {"fields": labels}
            kind = "new" if kind == "new" else "update"
        adoption = batch.adoption(entry)
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
        self.batch.save()  # the local entries read the adoptions (excluded parents) and follow in the history
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
