"""Every change to an organisation's catalog (local adaptation, 因地制宜).

54号 asks each organisation to keep its own catalog current and to be able to
say, for every entry it left out or worded differently, when and why. So each
verb here checks the user may act for the organisation, writes one dated
:class:`Adjustment` with its reason (the history the public and supervisors
read), writes the audit log and runs in a transaction. Views, the admin and
the importer call these; nothing else writes adoptions or local entries.

The ``clean_*`` helpers are the same rules the verbs apply, exposed so forms
can show a mistake next to the field instead of after the fact.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, pagecache
from portal.permissions import ensure_org_access, ensure_perm

from .models import (
    Adjustment,
    AdjustmentAction,
    Adoption,
    AdoptionStatus,
    CatalogEntry,
    Channel,
    FiveDisclosures,
    validate_channels,
)
from .timelimits import parse_time_limit_days
from .treeinsert import insert_nodes

# What an organisation may word its own way for a standard entry.
OVERRIDABLE = ("time_limit_text", "time_limit_days", "responsible_body", "channels")
# The columns an organisation fills in for an entry of its own.
LOCAL_FIELDS = (
    "code",
    "sort_order",
    "content_elements",
    "legal_basis",
    "time_limit_text",
    "time_limit_days",
    "responsible_body",
    "channels",
    "audience_public",
    "audience_specific",
    "proactive",
    "on_request",
    "level_county",
    "level_township",
    "five_disclosures",
    "requires_interpretation",
)
MAX_DAYS = 999
REASON_MAX_LENGTH = Adjustment._meta.get_field("reason").max_length


# --- the rules, shared with the forms ---------------------------------------------------------


def clean_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写调整理由。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("调整理由不能超过%(max)d个字（现有%(count)d个）。")
                % {"max": REASON_MAX_LENGTH, "count": len(reason)}
            }
        )
    return reason


def clean_effective_date(value):
    """The day the adjustment took effect: today unless given; never in the future.

    The change is applied the moment it is saved, so a future date would make
    the history claim the catalog was different from what the public saw.
    """
    today = timezone.localdate()
    if value in (None, ""):
        return today
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                {"effective_date": _("调整日期“%(value)s”无法识别，应写成 2026-03-01。") % {"value": value}}
            ) from None
    if not isinstance(value, dt.date):
        raise ValidationError({"effective_date": _("调整日期无法识别。")})
    if value > today:
        raise ValidationError(
            {
                "effective_date": _("调整日期不能晚于今天（%(today)s）：调整保存后立即生效。")
                % {"today": today.isoformat()}
            }
        )
    return value


def clean_channels(values):
    """Channels as codes of the fixed vocabulary, in its order, each once."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    values = list(values)
    try:
        validate_channels(values)
    except ValidationError as exc:
        raise ValidationError({"channels": exc.messages}) from None
    wanted = set(values)
    return [code for code in Channel.values if code in wanted]


def _clean_text(field, value, model=Adoption):
    value = (value or "").strip()
    model_field = model._meta.get_field(field)
    if model_field.max_length and len(value) > model_field.max_length:
        raise ValidationError(
            {
                field: _("%(field)s不能超过%(max)d个字（现有%(count)d个）。")
                % {"field": model_field.verbose_name, "max": model_field.max_length, "count": len(value)}
            }
        )
    return value


def _clean_days(value, field="time_limit_days"):
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("公开时限的工作日数应为整数。")}) from None
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError({field: _("公开时限的工作日数应在0到%(max)d之间。") % {"max": MAX_DAYS}})
    return days


def clean_override_values(entry, values):
    """The organisation's own wording, as stored: blank where it says what the standard says.

    Storing "same as the standard" as blank means the organisation keeps
    following the standard catalog when that is revised.
    """
    unknown = set(values) - set(OVERRIDABLE)
    if unknown:
        raise ValidationError(_("不能调整这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    cleaned = {}
    if "time_limit_text" in values:
        text = _clean_text("time_limit_text", values["time_limit_text"])
        cleaned["time_limit_text"] = "" if text == entry.time_limit_text else text
        if "time_limit_days" not in values:
            cleaned["time_limit_days"] = (
                parse_time_limit_days(cleaned["time_limit_text"]) if cleaned["time_limit_text"] else None
            )
    if "time_limit_days" in values:
        cleaned["time_limit_days"] = _clean_days(values["time_limit_days"])
    if "responsible_body" in values:
        body = _clean_text("responsible_body", values["responsible_body"])
        cleaned["responsible_body"] = "" if body == entry.responsible_body else body
    if "channels" in values:
        channels = clean_channels(values["channels"])
        standard = clean_channels(entry.channels or [])
        if channels is None or channels == standard:
            cleaned["channels"] = None
        elif not channels:
            raise ValidationError({"channels": _("请至少勾选一个公开渠道和载体；与标准目录相同时沿用标准目录。")})
        else:
            cleaned["channels"] = channels
    return cleaned


def clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写事项名称。")})
    return name


def ensure_free_name(parent, name, organization, exclude_pk=None):
    """No two siblings an organisation sees may share a name (its own or a standard one)."""
    clash = CatalogEntry.objects.filter(parent=parent, name=name).filter(
        Q(organization__isnull=True) | Q(organization=organization)
    )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("“%(parent)s”下已有“%(name)s”。") % {"parent": parent, "name": name}})


# --- helpers -----------------------------------------------------------------------------------


def _check(actor, organization, entry):
    ensure_perm(actor, "catalog.change_adoption")
    ensure_org_access(actor, organization)
    if entry.is_local and entry.organization_id != organization.pk:
        raise ValidationError(_("“%(entry)s”是其他机构的本地事项。") % {"entry": entry})


def _status_label(status):
    return AdoptionStatus(status).label if status else _("未纳入")


def _record(
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
    adjustment = Adjustment(
        organization=organization,
        entry=entry,
        action=action,
        reason=reason,
        effective_date=effective_date,
        changes=changes,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if save:
        adjustment.save(force_insert=True)
    count = len(changes.get("entries", [])) if isinstance(changes, dict) else 0
    comment = _("%(org)s：%(reason)s") % {"org": organization, "reason": reason}
    if count > 1:
        comment += _("（共%(count)d项）") % {"count": count}
    line = audit.build(
        actor,
        audit_target,
        AdjustmentAction(action).label,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
    if not save:
        return adjustment, line
    line.save(force_insert=True)
    return adjustment


def _subtree(organization, entry):
    """The entry and everything below it that this organisation can have: standard and its own."""
    return (
        entry.get_descendants(include_self=True)
        .filter(Q(organization__isnull=True) | Q(organization=organization))
        .order_by("tree_id", "lft")
    )


def _locked_adoptions(organization, entries):
    return {
        a.entry_id: a
        for a in Adoption.objects.select_for_update().filter(
            organization=organization, entry__in=[e.pk for e in entries]
        )
    }


def _adoption(organization, entry):
    return Adoption.objects.select_related("organization", "entry").get(organization=organization, entry=entry)


def _set_status(adoptions, status, reason):
    if adoptions:
        Adoption.objects.filter(pk__in=[a.pk for a in adoptions]).update(
            status=status, reason=reason, updated_at=timezone.now()
        )


def _entries_change(changed):
    return [{"id": node.pk, "name": node.name, "from": previous or None} for node, previous in changed]


# --- the verbs -------------------------------------------------------------------------------


@transaction.atomic
def adopt(actor, organization, entry, *, reason, effective_date=None):
    """Put an entry and everything below it into the organisation's catalog.

    Ancestors the organisation had excluded come back too: an adopted entry
    under an excluded one would be a catalog that contradicts itself.
    Returns the number of entries whose status changed (0: already adopted).
    """
    _check(actor, organization, entry)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    nodes = list(_subtree(organization, entry))
    ancestors = list(entry.get_ancestors())
    existing = _locked_adoptions(organization, nodes + ancestors)
    previous = existing[entry.pk].status if entry.pk in existing else ""
    changed, flipped, new = [], [], []
    for node in nodes:
        adoption = existing.get(node.pk)
        if adoption is None:
            new.append(Adoption(organization=organization, entry=node, status=AdoptionStatus.ADOPTED, reason=reason))
            changed.append((node, ""))
        elif adoption.status != AdoptionStatus.ADOPTED:
            flipped.append(adoption)
            changed.append((node, adoption.status))
    for node in ancestors:
        adoption = existing.get(node.pk)
        if adoption is not None and adoption.status == AdoptionStatus.EXCLUDED:
            flipped.append(adoption)
            changed.append((node, adoption.status))
    if not changed:
        return 0
    Adoption.objects.bulk_create(new)
    _set_status(flipped, AdoptionStatus.ADOPTED, reason)
    _record(
        actor,
        organization,
        entry,
        AdjustmentAction.ADOPT,
        reason,
        effective_date,
        {"entries": _entries_change(changed)},
        audit_target=_adoption(organization, entry),
        from_state=_status_label(previous),
        to_state=AdoptionStatus.ADOPTED.label,
    )
    return len(changed)


@transaction.atomic
def adopt_for_level(actor, organization, *, reason, effective_date=None):
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
            changes={"level": organization.government_level, "entries": _entries_change(in_domain)},
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
    audit.record(
        actor,
        organization,
        _("按本级标准目录编制目录"),
        comment=_("%(reason)s（共%(count)d项）") % {"reason": reason, "count": len(entries)},
    )
    return len(entries)


@transaction.atomic
def exclude(actor, organization, entry, *, reason, effective_date=None):
    """Leave an entry and everything below it out of the organisation's catalog (不适用).

    Returns the number of entries whose status changed (0: already excluded).
    """
    _check(actor, organization, entry)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    nodes = list(_subtree(organization, entry))
    existing = _locked_adoptions(organization, nodes)
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
    _set_status(flipped, AdoptionStatus.EXCLUDED, reason)
    _record(
        actor,
        organization,
        entry,
        AdjustmentAction.EXCLUDE,
        reason,
        effective_date,
        {"entries": _entries_change(changed)},
        audit_target=_adoption(organization, entry),
        from_state=_status_label(previous),
        to_state=AdoptionStatus.EXCLUDED.label,
    )
    return len(changed)


def _effective_values(adoption):
    return {
        "time_limit_text": adoption.effective_time_limit_text,
        "time_limit_days": adoption.effective_time_limit_days,
        "responsible_body": adoption.effective_responsible_body,
        "channels": list(adoption.effective_channels or []),
    }


@transaction.atomic
def override(actor, organization, entry, *, reason, effective_date=None, **values):
    """Set the organisation's own time limit, responsible body or channels for an adopted entry.

    The adjustment records each changed value as the public saw it before and
    after (effective values). Returns the adjustment, or None when nothing changed.
    """
    _check(actor, organization, entry)
    reason = clean_reason(reason)
    effective_date = clean_effective_date(effective_date)
    cleaned = clean_override_values(entry, values)
    try:
        adoption = Adoption.objects.select_for_update().get(organization=organization, entry=entry)
    except Adoption.DoesNotExist:
        raise ValidationError(_("请先将“%(entry)s”纳入本机构目录，再调整。") % {"entry": entry}) from None
    if adoption.status != AdoptionStatus.ADOPTED:
        raise ValidationError(_("“%(entry)s”已排除出本机构目录，请先重新纳入再调整。") % {"entry": entry})
    adoption.entry = entry
    before = _effective_values(adoption)
    stored_changed = False
    for field, value in cleaned.items():
        if getattr(adoption, field) != value:
            setattr(adoption, field, value)
            stored_changed = True
    if not stored_changed:
        return None
    adoption.save()
    after = _effective_values(adoption)
    changes = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
    if not changes:
        return None
    return _record(
        actor,
        organization,
        entry,
        AdjustmentAction.OVERRIDE,
        reason,
        effective_date,
        changes,
        audit_target=adoption,
    )


def _reopen_ancestors(organization, entry, reason):
    """Adopt again the ancestors of ``entry`` the organisation had excluded."""
    ancestors = list(entry.get_ancestors(include_self=True))
    excluded = [a for a in _locked_adoptions(organization, ancestors).values() if a.status == AdoptionStatus.EXCLUDED]
    _set_status(excluded, AdoptionStatus.ADOPTED, reason)
    names = {n.pk: n for n in ancestors}
    return [(names[a.entry_id], a.status) for a in excluded]


def clean_local_fields(fields):
    unknown = set(fields) - set(LOCAL_FIELDS)
    if unknown:
        raise ValidationError(_("不能填写这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    fields = dict(fields)
    if "channels" in fields:
        fields["channels"] = clean_channels(fields["channels"]) or []
    if "time_limit_days" in fields:
        fields["time_limit_days"] = _clean_days(fields["time_limit_days"])
    if "five_disclosures" in fields and fields["five_disclosures"] not in ("", None, *FiveDisclosures.values):
        raise ValidationError(
            {"five_disclosures": _("未知的五公开类别：%(value)s") % {"value": fields["five_disclosures"]}}
        )
    return fields


def _check_local_parent(actor, organization, parent):
    if parent is None:
        raise ValidationError({"parent": _("本地事项必须挂在某个领域或事项之下。")})
    _check(actor, organization, parent)


@transaction.atomic
def add_local_entry(actor, organization, parent, *, name, reason, effective_date=None, **fields):
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

    def __init__(self, actor, organization):
        self.actor, self.organization = actor, organization
        self.entries = []  # (entry, reason, effective date)
        self._names = {}  # parent (saved pk or pending instance id) -> names an organisation sees below it

    def __bool__(self):
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

    def add(self, parent, *, name, reason, effective_date=None, **fields):
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

    def save(self):
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
        locked = _locked_adoptions(organization, [n for nodes in ancestors.values() for n in nodes])
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
                    _set_status(excluded, AdoptionStatus.ADOPTED, reason)
                    names = {n.pk: n for n in ancestors[entry.parent.pk]}
                    reopened = [(names[a.entry_id], a.status) for a in excluded]
                    reopened_all.update(a.entry_id for a in excluded)
            changes = {"name": entry.name, "parent": entry.parent.name}
            if reopened:
                changes["entries"] = _entries_change(reopened)
            adjustment, line = _record(
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
def change_local_entry(actor, entry, *, reason, effective_date=None, **fields):
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
    return _record(
        actor,
        organization,
        locked,
        AdjustmentAction.OVERRIDE,
        reason,
        effective_date,
        changes,
        audit_target=locked,
    )


@transaction.atomic
def record_standard_revision(actor, entry, changes, *, reason, effective_date=None):
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
        _record(
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


def history(organization, entry=None):
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


def describe_changes(adjustment):
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
