""":func:`adopt` and :func:`override` for many entries at once: importing an organisation's catalog.

Row by row, each adopted and reworded entry cost some seventeen queries (the
subtree, the ancestors, the locked adoptions, two inserts, the audit lines,
the override's lock and save): 34,000 for a 2,000-row file. :class:`AdoptionBatch`
reads the organisation's adoptions (locked) and the entries' trees once, decides
each row with the same rules (:func:`plan_adopt`, :func:`plan_override`, the same
``clean_*`` checks, raising the same errors at the same row) on the state the
earlier rows left in memory, and :meth:`AdoptionBatch.save` writes the new
adoptions, the changed ones, the adjustments and their audit lines in a few
bulk queries, in the order one-by-one calls would have written them.

While a batch holds unsaved work nothing else may write adoptions or
adjustments of the organisation (the importer saves it before adding local
entries or changing one, and calls :meth:`AdoptionBatch.forget` after them).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from django.db.models import Q
from django.utils import timezone

from portal import audit, pagecache

from ..models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry
from .adoption import ensure_adjustable, plan_adopt, plan_override
from .records import build_adjustment, build_line, check_entry, entries_change, status_label
from .rules import clean_effective_date, clean_override_values, clean_reason

BATCH = 500
# What adopt (status, reason) and override (the own wording) change in a stored adoption.
WRITTEN = ("status", "reason", "time_limit_text", "time_limit_days", "responsible_body", "channels", "updated_at")


class _Node:
    """An entry of the snapshot: what the subtree, the ancestors and the history need."""

    __slots__ = ("lft", "name", "parent_id", "pk", "rght")

    def __init__(self, pk, name, parent_id, lft, rght):
        self.pk, self.name, self.parent_id, self.lft, self.rght = pk, name, parent_id, lft, rght


class AdoptionBatch:
    """The adoptions of one organisation, decided in memory and written together."""

    def __init__(self, actor: Any, organization: Any) -> None:
        self.actor, self.organization = actor, organization
        self._adoptions: dict[int, Adoption] | None = None
        self._trees: dict[int, tuple[list[int], list[_Node]]] = {}  # tree id -> lfts, entries (standard, own) by lft
        self._nodes: dict[int, _Node] = {}
        self._new: list[Adoption] = []
        self._dirty: dict[int, Adoption] = {}  # stored adoptions to write, by id
        self._records: list[tuple[Adjustment, Adoption, str, str]] = []  # adjustment, audit target, states

    def __bool__(self) -> bool:
        return bool(self._new or self._dirty or self._records)

    # --- the state in memory

    def _all(self) -> dict[int, Adoption]:
        if self._adoptions is None:
            stored = Adoption.objects.select_for_update().filter(organization=self.organization)
            self._adoptions = {}
            for adoption in stored:
                adoption.organization = self.organization  # the audit line names it: no query per row
                self._adoptions[adoption.entry_id] = adoption
        return self._adoptions

    def adoption(self, entry: CatalogEntry) -> Adoption | None:
        """The organisation's adoption of ``entry`` as the batch has it (None: never decided)."""
        adoption = self._all().get(entry.pk)
        if adoption is not None:
            adoption.entry = entry  # the effective values read the entry: no query
        return adoption

    def _tree(self, entry: CatalogEntry) -> tuple[list[int], list[_Node]]:
        if entry.tree_id not in self._trees or entry.pk not in self._nodes:
            rows = (
                CatalogEntry.objects.filter(tree_id=entry.tree_id)
                .filter(Q(organization__isnull=True) | Q(organization=self.organization))
                .order_by("lft")
                .values_list("pk", "name", "parent_id", "lft", "rght")
            )
            nodes = [_Node(*row) for row in rows]
            self._trees[entry.tree_id] = ([node.lft for node in nodes], nodes)
            self._nodes.update((node.pk, node) for node in nodes)
        return self._trees[entry.tree_id]

    def forget(self) -> None:
        """Read adoptions and trees again: something outside the batch wrote them (local entries)."""
        if self:
            raise RuntimeError("AdoptionBatch.forget() with unsaved work")
        self._adoptions, self._trees, self._nodes = None, {}, {}

    # --- the verbs

    def adopt(self, entry: CatalogEntry, *, reason: str, effective_date: Any = None) -> int:
        """:func:`adopt`, written at :meth:`save`. Returns the number of entries whose status changed."""
        check_entry(self.actor, self.organization, entry)
        reason = clean_reason(reason)
        effective_date = clean_effective_date(effective_date)
        lfts, tree = self._tree(entry)
        node = self._nodes[entry.pk]
        # The subtree in tree order (lft within the entry's bounds), the ancestors from the domain down.
        nodes = tree[bisect_left(lfts, node.lft) : bisect_right(lfts, node.rght)]
        ancestors = []
        parent = self._nodes.get(node.parent_id)
        while parent is not None:
            ancestors.append(parent)
            parent = self._nodes.get(parent.parent_id)
        ancestors.reverse()
        existing = self._all()
        previous = existing[entry.pk].status if entry.pk in existing else ""
        changed, flipped, new = plan_adopt(nodes, ancestors, existing)
        if not changed:
            return 0
        for n in new:
            adoption = Adoption(
                organization=self.organization, entry_id=n.pk, status=AdoptionStatus.ADOPTED, reason=reason
            )
            existing[n.pk] = adoption
            self._new.append(adoption)
        for adoption in flipped:
            adoption.status, adoption.reason = AdoptionStatus.ADOPTED, reason
            if adoption.pk is not None:
                self._dirty[adoption.pk] = adoption
        adjustment = build_adjustment(
            self.actor,
            self.organization,
            entry,
            AdjustmentAction.ADOPT,
            reason,
            effective_date,
            {"entries": entries_change(changed)},
        )
        target = self.adoption(entry)
        self._records.append((adjustment, target, status_label(previous), AdoptionStatus.ADOPTED.label))
        return len(changed)

    def override(
        self, entry: CatalogEntry, *, reason: str, effective_date: Any = None, **values: Any
    ) -> Adjustment | None:
        """:func:`override`, written at :meth:`save`. Returns the (unsaved) adjustment, or None."""
        check_entry(self.actor, self.organization, entry)
        reason = clean_reason(reason)
        effective_date = clean_effective_date(effective_date)
        cleaned = clean_override_values(entry, values)
        adoption = self.adoption(entry)
        ensure_adjustable(adoption, entry)
        stored_changed, changes = plan_override(adoption, cleaned)
        if stored_changed and adoption.pk is not None:
            self._dirty[adoption.pk] = adoption
        if not changes:
            return None
        adjustment = build_adjustment(
            self.actor, self.organization, entry, AdjustmentAction.OVERRIDE, reason, effective_date, changes
        )
        self._records.append((adjustment, adoption, "", ""))
        return adjustment

    # --- writing

    def save(self) -> None:
        """Write what the batch decided (inside the caller's transaction)."""
        if not self:
            return
        Adoption.objects.bulk_create(self._new, batch_size=BATCH)
        if self._dirty:
            now = timezone.now()
            for adoption in self._dirty.values():
                adoption.updated_at = now
            Adoption.objects.bulk_update(list(self._dirty.values()), WRITTEN, batch_size=BATCH)
        # The audit lines name their adoption: built once the new ones have ids.
        lines = [
            build_line(self.actor, adjustment, audit_target=target, from_state=from_state, to_state=to_state)
            for adjustment, target, from_state, to_state in self._records
        ]
        Adjustment.objects.bulk_create([adjustment for adjustment, *_rest in self._records], batch_size=BATCH)
        audit.record_many(lines)
        pagecache.bump()  # bulk writes send no signal
        self._new, self._dirty, self._records = [], {}, []
