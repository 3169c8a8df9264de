"""Importing into the standard catalog (superusers): each row creates or updates the entry its path names."""

from django.utils.translation import gettext as _

from .. import services
from ..models import CatalogEntry
from ..timelimits import parse_time_limit_days
from .base import BaseImporter
from .common import ENTRY_COLUMNS, TEXT_COLUMNS, _derive_levels, _key, _same


class StandardImporter(BaseImporter):
    def import_row(self, row, domain):
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

    def finish(self):
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
