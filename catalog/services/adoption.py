"""纳入, 排除 and 本机构调整: an organisation's decisions about standard entries."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.actors import recorded_actor
from portal.models import Organization
from portal.permissions import ensure_org_access, ensure_perm

from ..models import (
    Adjustment,
    AdjustmentAction,
    Adoption,
    AdoptionStatus,
    CatalogEntry,
)
from .records import (
    Actor,
    adoption_of,
    check_entry,
    effective_values,
    entries_change,
    locked_adoptions,
    record,
    set_status,
    status_label,
    subtree,
)
from .rules import clean_effective_date, clean_override_values, clean_reason


def plan_adopt(
    nodes: list[Any], ancestors: list[Any], existing: dict[int, Adoption]
) -> tuple[list[tuple[Any, str]], list[Adoption], list[Any]]:
    """What adopting the first of ``nodes`` changes: ``(changed, flipped, new)``, nothing written.

    ``nodes`` are the entry and its subtree in tree order, ``ancestors`` its
    ancestors from the domain down, ``existing`` the organisation's adoptions by
    entry id. ``changed`` lists ``(node, previous status)`` for the history,
    ``flipped`` the adoptions to set to 纳入, ``new`` the nodes without one.
    Shared by :func:`adopt` and the import's batch, so both decide alike.
    """
    changed, flipped, new = [], [], []
    for node in nodes:
        adoption = existing.get(node.pk)
        if adoption is None:
            new.append(node)
            changed.append((node, ""))
        elif adoption.status != AdoptionStatus.ADOPTED:
            flipped.append(adoption)
            changed.append((node, adoption.status))
    for node in ancestors:
        adoption = existing.get(node.pk)
        if adoption is not None and adoption.status == AdoptionStatus.EXCLUDED:
            flipped.append(adoption)
            changed.append((node, adoption.status))
    return changed, flipped, new


def ensure_adjustable(adoption: Adoption | None, entry: CatalogEntry) -> None:
    """Only an adopted entry has the organisation's own wording: adopt (again) first."""
    if adoption is None:
        raise ValidationError(_("请先将“%(entry)s”纳入本机构目录，再调整。") % {"entry": entry})
    if adoption.status != AdoptionStatus.ADOPTED:
        raise ValidationError(_("“%(entry)s”已排除出本机构目录，请先重新纳入再调整。") % {"entry": entry})


def plan_override(adoption: Adoption, cleaned: dict[str, Any]) -> tuple[bool, dict[str, list[Any]]]:
    """Apply ``cleaned`` (:func:`clean_override_values`) to ``adoption`` in memory.

    Returns ``(stored_changed, changes)``: whether a stored field changed (the
    row needs saving) and the effective values that changed, ``{field: [before,
    after]}`` as the public saw them (empty: nothing to record).
    """
    before = effective_values(adoption)
    stored_changed = False
    for field, value in cleaned.items():
        if getattr(adoption, field) != value:
            setattr(adoption, field, value)
            stored_changed = True
    if not stored_changed:
        return False, {}
    after = effective_values(adoption)
    return True, {field: [before[field], after[field]] for field in before if before[field] != after[field]}


@transaction.atomic
def adopt(
    actor: Actor, organization: Organization, entry: CatalogEntry, *, reason: str, effective_date: Any = None
) -> int:
    """Put an entry and everything below it into the organisation's catalog.

    Ancestors the organisation had excluded come back too: an adopted entry
    under an excluded one would be a catalog that contradicts itself.
    Returns the number of entries whose status changed (0: already adopted).
    """
    check_entry(actor, organization, entry)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    nodes = list(subtree(organization, entry))
    ancestors = list(entry.get_ancestors())
    existing = locked_adoptions(organization, nodes + ancestors)
    previous = existing[entry.pk].status if entry.pk in existing else ""
    changed, flipped, new = plan_adopt(nodes, ancestors, existing)
    new = [
        Adoption(organization=organization, entry=node, status=AdoptionStatus.ADOPTED, reason=reason) for node in new
    ]
    if not changed:
        return 0
    Adoption.objects.bulk_create(new)
    set_status(flipped, AdoptionStatus.ADOPTED, reason)
    record(
        actor,
        organization,
        entry,
        AdjustmentAction.ADOPT,
        reason,
        effective_date,
        {"entries": entries_change(changed)},
        audit_target=adoption_of(organization, entry),
        from_state=status_label(previous),
        to_state=AdoptionStatus.ADOPTED.label,
    )
    return len(changed)


@transaction.atomic
def adopt_for_level(actor: Actor, organization: Organization, *, reason: str, effective_date: Any = None) -> int:
    """Compile an organisation's catalog from every standard entry of its government level.

    Entries the organisation already decided on (including exclusions) are
    left alone, so running it again after a revision of the standard catalog
    only brings in what is new. One adjustment is written per domain.
    """
    ensure_perm(actor, "catalog.change_adoption")
    ensure_org_access(actor, organization)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    level_field = "level_county" if organization.government_level == "county" else "level_township"
    decided = set(Adoption.objects.filter(organization=organization).values_list("entry_id", flat=True))
    entries = [
        e
        for e in CatalogEntry.objects.standard().filter(**{level_field: True}).order_by("tree_id", "lft")
        if e.pk not in decided
    ]
    if not entries:
        return 0
    Adoption.objects.bulk_create(
        [Adoption(organization=organization, entry=e, status=AdoptionStatus.ADOPTED, reason=reason) for e in entries]
    )
    domains = {d.tree_id: d for d in CatalogEntry.objects.domains().filter(tree_id__in={e.tree_id for e in entries})}
    for tree_id, domain in sorted(domains.items(), key=lambda item: (item[1].sort_order, item[1].name)):
        in_domain = [(e, "") for e in entries if e.tree_id == tree_id]
        Adjustment.objects.create(
            organization=organization,
            entry=domain,
            action=AdjustmentAction.ADOPT,
            reason=reason,
            effective_date=effective_date,
            changes={"level": organization.government_level, "entries": entries_change(in_domain)},
            actor=recorded_actor(actor),
        )
    audit.record(
        actor,
        organization,
        _("按本级标准目录编制目录"),
        comment=_("%(reason)s（共%(count)d项）") % {"reason": reason, "count": len(entries)},
    )
    return len(entries)


@transaction.atomic
def exclude(
    actor: Actor, organization: Organization, entry: CatalogEntry, *, reason: str, effective_date: Any = None
) -> int:
    """Leave an entry and everything below it out of the organisation's catalog (不适用).

    Returns the number of entries whose status changed (0: already excluded).
    """
    check_entry(actor, organization, entry)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    nodes = list(subtree(organization, entry))
    existing = locked_adoptions(organization, nodes)
    own = existing.get(entry.pk)
    previous = own.status if own else ""
    changed, flipped = [], []
    if own is None:
        Adoption.objects.create(organization=organization, entry=entry, status=AdoptionStatus.EXCLUDED, reason=reason)
        changed.append((entry, ""))
    elif own.status != AdoptionStatus.EXCLUDED:
        flipped.append(own)
        changed.append((entry, own.status))
    for node in nodes[1:]:
        adoption = existing.get(node.pk)
        if adoption is not None and adoption.status == AdoptionStatus.ADOPTED:
            flipped.append(adoption)
            changed.append((node, adoption.status))
    if not changed:
        return 0
    set_status(flipped, AdoptionStatus.EXCLUDED, reason)
    record(
        actor,
        organization,
        entry,
        AdjustmentAction.EXCLUDE,
        reason,
        effective_date,
        {"entries": entries_change(changed)},
        audit_target=adoption_of(organization, entry),
        from_state=status_label(previous),
        to_state=AdoptionStatus.EXCLUDED.label,
    )
    return len(changed)


@transaction.atomic
def override(
    actor: Actor,
    organization: Organization,
    entry: CatalogEntry,
    *,
    reason: str,
    effective_date: Any = None,
    **values: Any,
) -> Adjustment | None:
    """Set the organisation's own time limit, responsible body or channels for an adopted entry.

    The adjustment records each changed value as the public saw it before and
    after (effective values). Returns the adjustment, or None when nothing changed.
    """
    check_entry(actor, organization, entry)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    cleaned = clean_override_values(entry, values)
    adoption = Adoption.objects.select_for_update().filter(organization=organization, entry=entry).first()
    ensure_adjustable(adoption, entry)
    adoption.entry = entry
    stored_changed, changes = plan_override(adoption, cleaned)
    if not stored_changed:
        return None
    adoption.save()
    if not changes:
        return None
    return record(
        actor,
        organization,
        entry,
        AdjustmentAction.OVERRIDE,
        reason,
        effective_date,
        changes,
        audit_target=adoption,
    )


@dataclass
class ManyOutcome:
    """What :func:`adjust_many` did: entries whose status changed, targets already so, refusals."""

    changed: int = 0
    unchanged: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)


def adjust_many(
    actor: Actor,
    verb: str,
    targets: Iterable[tuple[Organization, CatalogEntry, str]],
    *,
    reason: str,
    effective_date: Any = None,
) -> ManyOutcome:
    """纳入 (``verb="adopt"``) or 排除 (``"exclude"``) each ``(organisation, entry, label)``: all or none.

    One refused target (another organisation's local entry, say) rolls the
    whole batch back, and every refusal is named by its label, so the clerk
    fixes the selection once instead of finding a half-applied one.
    """
    service = {"adopt": adopt, "exclude": exclude}[verb]
    outcome = ManyOutcome()
    with transaction.atomic():
        for organization, entry, label in targets:
            try:
                count = service(actor, organization, entry, reason=reason, effective_date=effective_date)
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                outcome.errors.append(f"{label}：{'；'.join(messages)}")
                continue
            if count:
                outcome.changed += count
            else:
                outcome.unchanged.append(label)
        if outcome.errors:
            transaction.set_rollback(True)
            outcome.changed, outcome.unchanged = 0, []
    return outcome
