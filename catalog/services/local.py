"""An organisation's own entries (本地事项): adding, changing, moving them, one by one or in a batch."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal import audit, pagecache
from portal.models import Organization
from portal.permissions import ensure_org_access, ensure_perm

from ..models import (
    Adjustment,
    AdjustmentAction,
    Adoption,
    AdoptionStatus,
    CatalogEntry,
)
from ..timelimits import parse_time_limit_days
from ..treeinsert import insert_nodes
from .records import Actor, check_entry, entries_change, locked_adoptions, record, set_status
from .rules import clean_effective_date, clean_local_fields, clean_name, clean_reason, ensure_free_name


def _reopen_ancestors(organization, entry, reason):
    """Adopt again the ancestors of ``entry`` the organisation had excluded."""
    ancestors = list(entry.get_ancestors(include_self=True))
    excluded = [a for a in locked_adoptions(organization, ancestors).values() if a.status == AdoptionStatus.EXCLUDED]
    set_status(excluded, AdoptionStatus.ADOPTED, reason)
    names = {n.pk: n for n in ancestors}
    return [(names[a.entry_id], a.status) for a in excluded]


def _check_local_parent(actor, organization, parent):
    if parent is None:
        raise ValidationError({"parent": _("本地事项必须挂在某个领域或事项之下。")})
    check_entry(actor, organization, parent)


@transaction.atomic
def add_local_entry(
    actor: Actor,
    organization: Organization,
    parent: CatalogEntry | None,
    *,
    name: str,
    reason: str,
    effective_date: Any = None,
    **fields: Any,
) -> CatalogEntry:
    """Add an entry of the organisation's own under a standard domain or entry (or one of its own)."""
    batch = LocalEntries(actor, organization)
    entry = batch.add(parent, name=name, reason=reason, effective_date=effective_date, **fields)
    batch.save()
    return entry


class LocalEntries:
    """:func:`add_local_entry` for many entries at once (an import): checked one by one, written together.

    :meth:`add` applies every rule ``add_local_entry`` applies and raises the same
    errors, returning the entry unsaved (its parent may be an earlier entry of the
    batch); :meth:`save` writes the entries, their adoptions, the reopened
    ancestors, the adjustments and audit lines in a few queries, in the order
    one-by-one calls would have written them. Call :meth:`save` inside a transaction.
    """

    def __init__(self, actor: Actor, organization: Organization) -> None:
        self.actor, self.organization = actor, organization
        self.entries = []  # (entry, reason, effective date)
        self._names = {}  # parent (saved pk or pending instance id) -> names an organisation sees below it

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _taken(self, parent):
        key = parent.pk if parent.pk is not None else ("new", id(parent))
        if key not in self._names:
            names = set()
            if parent.pk is not None:  # what ensure_free_name asks, once per parent
                names.update(
                    CatalogEntry.objects.filter(parent=parent)
                    .filter(Q(organization__isnull=True) | Q(organization=self.organization))
                    .values_list("name", flat=True)
                )
            self._names[key] = names
        return self._names[key]

    def add(
        self, parent: CatalogEntry, *, name: str, reason: str, effective_date: Any = None, **fields: Any
    ) -> CatalogEntry:
        organization = self.organization
        ensure_perm(self.actor, "catalog.add_catalogentry")
        _check_local_parent(self.actor, organization, parent)
        reason = clean_reason(reason)
        effective_date = clean_effective_date(effective_date)
        name = clean_name(name)
        fields = clean_local_fields(fields)
        taken = self._taken(parent)
        if name in taken:
            raise ValidationError({"name": _("“%(parent)s”下已有“%(name)s”。") % {"parent": parent, "name": name}})
        entry = CatalogEntry(parent=parent, name=name, organization=organization, **fields)
        if "time_limit_days" not in fields:
            entry.time_limit_days = parse_time_limit_days(entry.time_limit_text)
        # The parent and organisation are instances in hand, and the sibling names were checked
        # above (more strictly than the unique constraint): full_clean's per-row queries add nothing.
        entry.full_clean(exclude=["parent", "organization"], validate_constraints=False)
        taken.add(name)
        self.entries.append((entry, reason, effective_date))
        return entry

    def save(self) -> list[CatalogEntry]:
        if not self.entries:
            return []
        organization, actor = self.organization, self.actor
        entries = [entry for entry, _reason, _date in self.entries]
        pending = {id(entry) for entry in entries}
        # The ancestors (with themselves) of the parents that already exist, read before the tree moves.
        outer = list({entry.parent.pk: entry.parent for entry in entries if id(entry.parent) not in pending}.values())
        ancestors = {}
        if outer:
            # The caller's instances may predate earlier inserts: their positions as stored now.
            stored = {
                pk: rest
                for pk, *rest in CatalogEntry.objects.filter(pk__in=[p.pk for p in outer]).values_list(
                    "pk", "tree_id", "lft", "rght", "level"
                )
            }
            for parent in outer:
                parent.tree_id, parent.lft, parent.rght, parent.level = stored[parent.pk]
            query = Q()
            for parent in outer:
                query |= Q(tree_id=parent.tree_id, lft__lte=parent.lft, rght__gte=parent.rght)
            candidates = list(CatalogEntry.objects.filter(query).order_by("tree_id", "lft"))
            for parent in outer:
                ancestors[parent.pk] = [
                    n
                    for n in candidates
                    if n.tree_id == parent.tree_id and n.lft <= parent.lft and n.rght >= parent.rght
                ]
        locked = locked_adoptions(organization, [n for nodes in ancestors.values() for n in nodes])
        insert_nodes(entries)
        Adoption.objects.bulk_create(
            [
                Adoption(organization=organization, entry=entry, status=AdoptionStatus.ADOPTED, reason=reason)
                for entry, reason, _date in self.entries
            ],
            batch_size=500,
        )
        adjustments, lines, reopened_all = [], [], set()
        for entry, reason, effective_date in self.entries:
            reopened = []
            if id(entry.parent) not in pending:
                excluded = [
                    locked[n.pk]
                    for n in ancestors[entry.parent.pk]
                    if n.pk in locked and locked[n.pk].status == AdoptionStatus.EXCLUDED and n.pk not in reopened_all
                ]
                if excluded:
                    set_status(excluded, AdoptionStatus.ADOPTED, reason)
                    names = {n.pk: n for n in ancestors[entry.parent.pk]}
                    reopened = [(names[a.entry_id], a.status) for a in excluded]
                    reopened_all.update(a.entry_id for a in excluded)
            changes = {"name": entry.name, "parent": entry.parent.name}
            if reopened:
                changes["entries"] = entries_change(reopened)
            adjustment, line = record(
                actor,
                organization,
                entry,
                AdjustmentAction.ADD_LOCAL,
                reason,
                effective_date,
                changes,
                audit_target=entry,
                to_state=AdoptionStatus.ADOPTED.label,
                save=False,
            )
            adjustments.append(adjustment)
            lines.append(line)
        Adjustment.objects.bulk_create(adjustments, batch_size=500)
        audit.record_many(lines)
        pagecache.bump()  # bulk writes send no signal
        self.entries = []
        self._names = {}
        return entries


@transaction.atomic
def change_local_entry(
    actor: Actor, entry: CatalogEntry, *, reason: str, effective_date: Any = None, **fields: Any
) -> Adjustment | None:
    """Change the columns (or name, or place) of an organisation's own entry, as a dated adjustment.

    Returns the adjustment, or None when nothing changed.
    """
    ensure_perm(actor, "catalog.change_catalogentry")
    # The caller's instance may already carry the new values (a bound admin form): read the stored one.
    locked = (
        CatalogEntry.objects.select_for_update(of=("self",)).select_related("organization", "parent").get(pk=entry.pk)
    )
    if not locked.is_local:
        raise ValidationError(_("“%(entry)s”是标准目录事项，不能作为本地事项修改。") % {"entry": locked})
    organization = locked.organization
    ensure_org_access(actor, organization)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    name = clean_name(fields.pop("name")) if "name" in fields else None
    parent = fields.pop("parent", None)
    moving = parent is not None and parent.pk != locked.parent_id
    fields = clean_local_fields(fields)
    if moving:
        _check_local_parent(actor, organization, parent)
        if parent.is_descendant_of(locked, include_self=True):
            raise ValidationError({"parent": _("不能把事项移到它自己或它的下级之下。")})
    target_parent = parent if moving else locked.parent
    if name is not None or moving:
        ensure_free_name(target_parent, name or locked.name, organization, exclude_pk=locked.pk)
    if ("time_limit_text" in fields and "time_limit_days" not in fields) or (
        "time_limit_days" in fields and fields["time_limit_days"] is None
    ):
        fields["time_limit_days"] = parse_time_limit_days(fields.get("time_limit_text", locked.time_limit_text))
    changes = {}
    if name is not None and name != locked.name:
        changes["name"] = [locked.name, name]
        locked.name = name
    if moving:
        changes["parent"] = [locked.parent.name, parent.name]
        locked.parent = parent
    for field, value in fields.items():
        old = getattr(locked, field)
        if old != value:
            changes[field] = [old, value]
            setattr(locked, field, value)
    if not changes:
        return None
    locked.full_clean()
    locked.save()
    if moving:
        _reopen_ancestors(organization, parent, reason)
    entry.refresh_from_db()
    return record(
        actor,
        organization,
        locked,
        AdjustmentAction.OVERRIDE,
        reason,
        effective_date,
        changes,
        audit_target=locked,
    )
