"""The history read back, and the revisions of the standard catalog told to every adopter."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portal.models import Organization

from ..models import (
    Adjustment,
    AdjustmentAction,
    Adoption,
    AdoptionStatus,
    CatalogEntry,
    Channel,
    FiveDisclosures,
)
from .records import Actor, record
from .rules import clean_effective_date, clean_reason


@transaction.atomic
def record_standard_revision(
    actor: Actor, entry: CatalogEntry, changes: dict[str, list[Any]], *, reason: str, effective_date: Any = None
) -> int:
    """Tell every organisation that adopted ``entry`` that its standard wording was revised.

    ``changes`` maps each revised field to ``[before, after]`` (standard values).
    The standard entry itself is already saved by the caller (the importer).
    An organisation that words a field its own way keeps its wording — the
    revision never silently overwrites it — and its history says so
    (``kept_own``), so whoever maintains its catalog can decide whether to
    follow the ministry. Returns the number of organisations told.
    """
    if not changes:
        return 0
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    adoptions = list(Adoption.objects.filter(entry=entry, status=AdoptionStatus.ADOPTED).select_related("organization"))
    for adoption in adoptions:
        own = [f for f in ("time_limit_text", "responsible_body") if f in changes and getattr(adoption, f)]
        if "channels" in changes and adoption.channels is not None:
            own.append("channels")
        recorded = {field: list(pair) for field, pair in changes.items()}
        if own:
            recorded["kept_own"] = own
        record(
            actor,
            adoption.organization,
            entry,
            AdjustmentAction.STANDARD,
            reason,
            effective_date,
            recorded,
            audit_target=adoption,
        )
    return len(adoptions)


# --- reading the history back ----------------------------------------------------------------


def history(organization: Organization, entry: CatalogEntry | None = None) -> QuerySet[Adjustment]:
    """An organisation's adjustments, newest first; with ``entry``, those touching it or its ancestors."""
    qs = Adjustment.objects.filter(organization=organization)
    if entry is not None:
        qs = qs.filter(entry__in=entry.get_ancestors(include_self=True))
    return qs.select_related("entry", "actor", "organization").order_by("-effective_date", "-created_at", "-id")


def _field_label(field):
    return str(CatalogEntry._meta.get_field(field).verbose_name)


def _value_text(field, value):
    if value in (None, "", []):
        return _("（空）")
    if field == "channels":
        labels = dict(Channel.choices)
        return "、".join(str(labels.get(code, code)) for code in value)
    if field == "five_disclosures":
        return str(dict(FiveDisclosures.choices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def describe_changes(adjustment: Adjustment) -> list[str]:
    """An adjustment's changes as lines a reader understands ("公开时限：A → B")."""
    changes = adjustment.changes or {}
    lines = []
    entries = changes.get("entries") or []
    if entries:
        names = "、".join(e.get("name", "") for e in entries[:10])
        more = _("等%(count)d项") % {"count": len(entries)} if len(entries) > 10 else ""
        lines.append(_("涉及事项：%(names)s%(more)s") % {"names": names, "more": more})
    if adjustment.action == AdjustmentAction.ADD_LOCAL and "name" in changes:
        lines.append(
            _("在“%(parent)s”下增加“%(name)s”") % {"parent": changes.get("parent", ""), "name": changes["name"]}
        )
    for field, pair in changes.items():
        if field in ("entries", "level", "kept_own") or not isinstance(pair, list) or len(pair) != 2:
            continue
        label = _("上级事项") if field == "parent" else _field_label(field)
        lines.append(f"{label}：{_value_text(field, pair[0])} → {_value_text(field, pair[1])}")
    kept = changes.get("kept_own") or []
    if kept:
        lines.append(
            _("本机构对%(fields)s有自己的表述，继续沿用，未被标准目录覆盖")
            % {"fields": "、".join(_field_label(f) for f in kept)}
        )
    return lines
