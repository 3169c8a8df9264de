"""Every change to an organisation's catalog (local adaptation, 因地制宜).

Each verb checks the user may act for the organisation, records an
:class:`Adjustment` with its date and reason, writes the audit log and runs in
a transaction. Views, the admin and the importer call these, nothing else
writes adoptions.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.permissions import ensure_org_access, ensure_perm

from .models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry, validate_channels

OVERRIDABLE = ("time_limit_text", "time_limit_days", "responsible_body", "channels")


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写调整理由。"))
    return reason


def _record(actor, organization, entry, action, reason, effective_date, changes=None):
    adjustment = Adjustment.objects.create(
        organization=organization, entry=entry, action=action, reason=reason,
        effective_date=effective_date or timezone.localdate(), changes=changes or {},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor, entry, adjustment.get_action_display(),
        comment=_("%(org)s：%(reason)s") % {"org": organization, "reason": reason},
    )
    return adjustment


def _check(actor, organization, entry):
    ensure_perm(actor, "catalog.change_adoption")
    ensure_org_access(actor, organization)
    if entry.is_local and entry.organization_id != organization.pk:
        raise ValidationError(_("“%(entry)s”是其他机构的本地事项。") % {"entry": entry})


@transaction.atomic
def adopt(actor, organization, entry, *, reason, effective_date=None):
    """Put an entry (and so every entry below it) into the organisation's catalog."""
    _check(actor, organization, entry)
    reason = _require_reason(reason)
    adopted = []
    for node in entry.get_descendants(include_self=True).filter(organization__isnull=True):
        adoption, created = Adoption.objects.get_or_create(
            organization=organization, entry=node, defaults={"status": AdoptionStatus.ADOPTED, "reason": reason}
        )
        if not created and adoption.status != AdoptionStatus.ADOPTED:
            adoption.status, adoption.reason = AdoptionStatus.ADOPTED, reason
            adoption.save(update_fields=["status", "reason", "updated_at"])
        elif not created:
            continue
        adopted.append(node)
    if adopted:
        _record(actor, organization, entry, AdjustmentAction.ADOPT, reason, effective_date,
                {"entries": [n.pk for n in adopted]})
    return len(adopted)


@transaction.atomic
def adopt_for_level(actor, organization, *, reason, effective_date=None):
    """Adopt every standard entry marked for the organisation's government level."""
    level_field = "level_county" if organization.government_level == "county" else "level_township"
    count = 0
    for entry in CatalogEntry.objects.standard().filter(**{level_field: True}).order_by("tree_id", "lft"):
        _check(actor, organization, entry)
        _, created = Adoption.objects.get_or_create(
            organization=organization, entry=entry,
            defaults={"status": AdoptionStatus.ADOPTED, "reason": reason},
        )
        count += created
    if count:
        domain = CatalogEntry.objects.domains().order_by("sort_order").first()
        _record(actor, organization, domain, AdjustmentAction.ADOPT, _require_reason(reason), effective_date,
                {"level": organization.government_level, "count": count})
    return count


@transaction.atomic
def exclude(actor, organization, entry, *, reason, effective_date=None):
    """Leave an entry out of the organisation's catalog, saying why (不适用)."""
    _check(actor, organization, entry)
    reason = _require_reason(reason)
    adoption, _created = Adoption.objects.select_for_update().get_or_create(
        organization=organization, entry=entry, defaults={"status": AdoptionStatus.EXCLUDED, "reason": reason}
    )
    previous = adoption.status
    adoption.status, adoption.reason = AdoptionStatus.EXCLUDED, reason
    adoption.save()
    _record(actor, organization, entry, AdjustmentAction.EXCLUDE, reason, effective_date,
            {"status": [previous, AdoptionStatus.EXCLUDED]})
    return adoption


@transaction.atomic
def override(actor, organization, entry, *, reason, effective_date=None, **values):
    """Set the organisation's own time limit, responsible body or channels for an entry."""
    _check(actor, organization, entry)
    reason = _require_reason(reason)
    unknown = set(values) - set(OVERRIDABLE)
    if unknown:
        raise ValidationError(_("不能调整这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    if values.get("channels") is not None:
        validate_channels(values["channels"])
    if "time_limit_text" in values and "time_limit_days" not in values:
        from .timelimits import parse_time_limit_days

        values["time_limit_days"] = parse_time_limit_days(values["time_limit_text"])
    try:
        adoption = Adoption.objects.select_for_update().get(organization=organization, entry=entry)
    except Adoption.DoesNotExist:
        raise ValidationError(_("请先将“%(entry)s”纳入本机构目录，再调整。") % {"entry": entry}) from None
    changes = {}
    for field, value in values.items():
        old = getattr(adoption, field)
        if old != value:
            changes[field] = [old, value]
            setattr(adoption, field, value)
    if not changes:
        return adoption
    adoption.save()
    _record(actor, organization, entry, AdjustmentAction.OVERRIDE, reason, effective_date, changes)
    return adoption


@transaction.atomic
def add_local_entry(actor, organization, parent, *, name, reason, effective_date=None, **fields):
    """Add an entry of the organisation's own under a standard domain or entry."""
    ensure_perm(actor, "catalog.add_catalogentry")
    _check(actor, organization, parent)
    reason = _require_reason(reason)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写事项名称。"))
    if CatalogEntry.objects.filter(parent=parent, name=name, organization__in=[None, organization]).exists():
        raise ValidationError(_("“%(parent)s”下已有“%(name)s”。") % {"parent": parent, "name": name})
    entry = CatalogEntry(parent=parent, name=name, organization=organization, **fields)
    entry.full_clean()
    entry.save()
    Adoption.objects.create(organization=organization, entry=entry, status=AdoptionStatus.ADOPTED, reason=reason)
    _record(actor, organization, entry, AdjustmentAction.ADD_LOCAL, reason, effective_date, {"name": name})
    return entry


def history(organization):
    return Adjustment.objects.filter(organization=organization).select_related("entry", "actor")


