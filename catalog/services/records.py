"""What every verb writes: the dated adjustment and its audit line, and the adoption helpers they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.actors import recorded_actor
from portal.models import AuditEntry, Organization
from portal.permissions import ensure_org_access, ensure_perm

from ..models import (
    Adjustment,
    AdjustmentAction,
    Adoption,
    AdoptionStatus,
    CatalogEntry,
)

# Who acts: a user, or the importer's SYSTEM when the shipped standard catalog is loaded.
Actor = Any


def check_entry(actor: Actor, organization: Organization, entry: CatalogEntry) -> None:
    ensure_perm(actor, "catalog.change_adoption")
    ensure_org_access(actor, organization)
    if entry.is_local and entry.organization_id != organization.pk:
        raise ValidationError(_("“%(entry)s”是其他机构的本地事项。") % {"entry": entry})


def status_label(status: str) -> str:
    return AdoptionStatus(status).label if status else _("未纳入")


def build_adjustment(
    actor: Actor,
    organization: Organization,
    entry: CatalogEntry,
    action: str,
    reason: str,
    effective_date: dt.date,
    changes: dict[str, Any],
) -> Adjustment:
    """The dated adjustment, unsaved."""
    return Adjustment(
        organization=organization,
        entry=entry,
        action=action,
        reason=reason,
        effective_date=effective_date,
        changes=changes,
        actor=recorded_actor(actor),
    )


def build_line(
    actor: Actor, adjustment: Adjustment, *, audit_target: Any, from_state: str = "", to_state: str = ""
) -> AuditEntry:
    """The audit line of ``adjustment``, unsaved; ``audit_target`` must already have its id."""
    changes = adjustment.changes
    count = len(changes.get("entries", [])) if isinstance(changes, dict) else 0
    comment = _("%(org)s：%(reason)s") % {"org": adjustment.organization, "reason": adjustment.reason}
    if count > 1:
        comment += _("（共%(count)d项）") % {"count": count}
    return audit.build(
        actor,
        audit_target,
        AdjustmentAction(adjustment.action).label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def record(
    actor,
    organization,
    entry,
    action,
    reason,
    effective_date,
    changes,
    *,
    audit_target,
    from_state="",
    to_state="",
    save=True,
):
    """The dated adjustment and its audit line; with ``save=False`` both unsaved (a bulk write)."""
    adjustment = build_adjustment(actor, organization, entry, action, reason, effective_date, changes)
    if save:
        adjustment.save(force_insert=True)
    line = build_line(actor, adjustment, audit_target=audit_target, from_state=from_state, to_state=to_state)
    if not save:
        return adjustment, line
    line.save(force_insert=True)
    return adjustment


def subtree(organization, entry):
    """The entry and everything below it that this organisation can have: standard and its own."""
    return (
        entry.get_descendants(include_self=True)
        .filter(Q(organization__isnull=True) | Q(organization=organization))
        .order_by("tree_id", "lft")
    )


def locked_adoptions(organization, entries):
    return {
        a.entry_id: a
        for a in Adoption.objects.select_for_update().filter(
            organization=organization, entry__in=[e.pk for e in entries]
        )
    }


def adoption_of(organization, entry):
    return Adoption.objects.select_related("organization", "entry").get(organization=organization, entry=entry)


def set_status(adoptions, status, reason):
    if adoptions:
        Adoption.objects.filter(pk__in=[a.pk for a in adoptions]).update(
            status=status, reason=reason, updated_at=timezone.now()
        )


def entries_change(changed: Iterable[tuple[Any, str]]) -> list[dict[str, Any]]:
    return [{"id": node.pk, "name": node.name, "from": previous or None} for node, previous in changed]


def effective_values(adoption: Adoption) -> dict[str, Any]:
    return {
        "time_limit_text": adoption.effective_time_limit_text,
        "time_limit_days": adoption.effective_time_limit_days,
        "responsible_body": adoption.effective_responsible_body,
        "channels": list(adoption.effective_channels or []),
    }
