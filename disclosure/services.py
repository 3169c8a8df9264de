"""The lifecycle of a disclosure item, in one place.

draft 草稿 → submitted 待审核 → published 已发布 (or scheduled 定时发布 first),
or returned 退回 with a comment and back to submitted; a withheld item is
filed (不予公开) instead and re-assessed every year. A published item is
revised through a revision draft that runs the same review and is merged
into it when published (the earlier version kept), expires or is repealed
with a date, or is withdrawn leaving a tombstone.

Every function checks the actor's permission and organisation, runs in a
transaction, locks the item row, writes the audit log and raises
ValidationError with a Chinese message (changing nothing) when the
transition is impossible. Nothing else writes ``state``.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Adoption
from portal import audit
from portal.permissions import ensure_org_access, ensure_perm
from portal.workdays import WorkingCalendar

from . import filetypes
from .models import (
    EDITABLE_STATES,
    OPEN_STATES,
    Attachment,
    DisclosureAttribute,
    DisclosureItem,
    IndexCounter,
    ItemKind,
    ItemState,
    ItemVersion,
    Reassessment,
    ReassessmentDecision,
    Validity,
)

ART26_WORKING_DAYS = 20

CONTENT_FIELDS = (
    "kind",
    "title",
    "body",
    "subject",
    "document_number",
    "written_on",
    "formed_on",
    "document_type",
    "disclosure_rule",
    "five_disclosures",
    "disclosure_attribute",
    "attribute_reason",
    "keywords",
    "source_note",
    "interpretation_form",
    "video_url",
    "effective_on",
    "revision_note",
)


# ---------------------------------------------------------------- helpers


def _state_label(state):
    return ItemState(state).label if state else ""


def _lock(item):
    return DisclosureItem.objects.select_for_update().select_related("organization").get(pk=item.pk)


def _refuse(item, action):
    raise ValidationError(
        _("“%(title)s”当前状态为“%(state)s”，不能%(action)s。"),
        params={"title": item.title, "state": _state_label(item.state), "action": action},
        code="invalid_transition",
    )


def _require_state(item, states, action):
    if item.state not in states:
        _refuse(item, action)


def _move(actor, item, to_state, verb, comment="", **fields):
    from_state = item.state
    item.state = to_state
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    audit.record(
        actor, item, verb, from_state=_state_label(from_state), to_state=_state_label(to_state), comment=comment
    )
    return item


def _require_text(value, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def time_limit_days(item, entries=None):
    """Art 26's 20 working days, or the shortest limit of the item's catalog entries."""
    entries = list(item.catalog_entries.all()) if entries is None else list(entries)
    limits = [ART26_WORKING_DAYS]
    if entries:
        adoptions = {
            a.entry_id: a for a in Adoption.objects.filter(organization_id=item.organization_id, entry__in=entries)
        }
        for entry in entries:
            adoption = adoptions.get(entry.pk)
            days = adoption.effective_time_limit_days if adoption else entry.time_limit_days
            if days:
                limits.append(days)
    return min(limits)


def compute_due_date(item, entries=None, calendar=None):
    """The day by which the item must be public; None when Art 26 does not apply."""
    if item.disclosure_attribute in (DisclosureAttribute.ON_REQUEST, DisclosureAttribute.WITHHELD):
        return None
    if item.formed_on is None:
        return None
    calendar = calendar or WorkingCalendar()
    return calendar.add_working_days(item.formed_on, time_limit_days(item, entries))


def _refresh_due_date(item, entries=None):
    due = compute_due_date(item, entries)
    if due is not None:
        due = dt.date(due.year, due.month, due.day)
    if item.due_date != due:
        DisclosureItem.objects.filter(pk=item.pk).update(due_date=due)
        item.due_date = due


def _check_links(item, organization, catalog_entries, interprets):
    for entry in catalog_entries:
        if entry.is_domain:
            raise ValidationError(_("请选择具体的目录事项，而不是领域“%(name)s”。") % {"name": entry.name})
        if entry.organization_id and entry.organization_id != organization.pk:
            raise ValidationError(_("“%(name)s”是其他机构的本地事项。") % {"name": entry.name})
    for policy in interprets:
        if policy.pk == item.pk:
            raise ValidationError(_("政策解读不能解读它自己。"))
        if policy.kind != ItemKind.DOCUMENT:
            raise ValidationError(_("“%(title)s”不是政策文件，不能作为解读对象。") % {"title": policy.title})
        if policy.state != ItemState.PUBLISHED and policy.organization_id != organization.pk:
            # An unpublished document of another office is not public: linking to it would
            # show its title on the interpretation's page.
            raise ValidationError(
                _("“%(title)s”是其他机构尚未发布的文件，不能作为解读对象。") % {"title": policy.title}
            )


# ---------------------------------------------------------------- drafting


@transaction.atomic
def create_draft(
    actor,
    organization,
    *,
    title,
    body,
    catalog_entries=(),
    disclosure_attribute=DisclosureAttribute.PROACTIVE,
    source_note="",
    interprets=(),
    **fields,
):
    """Start a new item as a draft (also used by the requests app to turn a reply into one, Art 44)."""
    ensure_perm(actor, "disclosure.add_disclosureitem")
    ensure_org_access(actor, organization)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    item = DisclosureItem(
        organization=organization,
        title=_require_text(title, _("请填写标题。")),
        body=body or "",
        disclosure_attribute=disclosure_attribute or "",
        source_note=source_note or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    if not item.formed_on:
        item.formed_on = timezone.localdate()
    catalog_entries, interprets = list(catalog_entries), list(interprets)
    _check_links(item, organization, catalog_entries, interprets)
    item.full_clean(exclude=["search_vector", "body_text"])
    item.save()
    item.catalog_entries.set(catalog_entries)
    item.interprets.set(interprets)
    _refresh_due_date(item, catalog_entries)
    audit.record(actor, item, _("新建草稿"), to_state=_state_label(item.state), comment=source_note or "")
    return item


@transaction.atomic
def update_draft(actor, item, *, catalog_entries=None, interprets=None, **fields):
    """Change a draft or returned item; a published one is changed through :func:`begin_revision`."""
    ensure_perm(actor, "disclosure.change_disclosureitem")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, EDITABLE_STATES, _("修改"))
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(item, name, value)
    _require_text(item.title, _("请填写标题。"))
    entries = list(catalog_entries) if catalog_entries is not None else list(item.catalog_entries.all())
    policies = list(interprets) if interprets is not None else list(item.interprets.all())
    _check_links(item, item.organization, entries, policies)
    item.full_clean(exclude=["search_vector", "body_text"])
    item.save()
    if catalog_entries is not None:
        item.catalog_entries.set(entries)
    if interprets is not None:
        item.interprets.set(policies)
    _refresh_due_date(item, entries)
    audit.record(actor, item, _("修改"), comment=", ".join(sorted(fields)))
    return item


# ---------------------------------------------------------------- attachments


def max_attachment_bytes():
    return int(getattr(settings, "DISCLOSURE_MAX_ATTACHMENT_MB", 50)) * 1024 * 1024


@transaction.atomic
def add_attachment(actor, item, uploaded_file, *, original_name=None):
    """Store an uploaded file under a generated name after checking what it really is."""
    ensure_perm(actor, "disclosure.add_attachment")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, EDITABLE_STATES, _("上传附件"))
    name = (original_name or getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = name.strip()[:255] or _("附件")
    limit = max_attachment_bytes()
    size = uploaded_file.size
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > limit:
        raise ValidationError(
            _("文件“%(name)s”大小为%(size).1fMB，超过了%(limit)dMB的上限。")
            % {"name": name, "size": size / 1024 / 1024, "limit": limit // 1024 // 1024}
        )
    file_type = filetypes.detect(uploaded_file)
    if file_type is None:
        raise ValidationError(
            _("无法识别文件“%(name)s”的内容。只接受PDF、OFD、Word、Excel、WPS、图片（PNG/JPEG/GIF/WebP）和ZIP文件。")
            % {"name": name}
        )
    ext = filetypes.extension_of(name)
    if ext and ext not in filetypes.TYPES[file_type].extensions:
        raise ValidationError(
            _("文件“%(name)s”的扩展名与内容不符：内容是%(kind)s。请检查文件后重新上传。")
            % {"name": name, "kind": file_type.label}
        )
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    attachment = Attachment(
        item=item,
        original_name=name,
        file_type=file_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        sort_order=item.attachments.filter(retired=False).count() + 1,
    )
    attachment.stored_extension = filetypes.stored_extension(file_type, name)
    attachment.file.save("upload", uploaded_file, save=False)
    attachment.save()
    audit.record(actor, item, _("上传附件"), comment=name)
    return attachment


@transaction.atomic
def remove_attachment(actor, attachment):
    """Detach a file from a draft; the stored file stays while any version refers to it."""
    ensure_perm(actor, "disclosure.delete_attachment")
    item = _lock(attachment.item)
    ensure_org_access(actor, item.organization)
    _require_state(item, EDITABLE_STATES, _("删除附件"))
    name = attachment.original_name
    shared = Attachment.objects.filter(file=attachment.file.name).exclude(pk=attachment.pk).exists()
    in_version = attachment.versions.exists()
    if in_version:
        attachment.retired = True
        attachment.save(update_fields=["retired"])
    else:
        attachment.delete()
        if not shared:
            # Only once the row is gone for good: a rolled-back removal must not lose the file.
            stored, name = attachment.file.storage, attachment.file.name
            transaction.on_commit(lambda: stored.delete(name))
    audit.record(actor, item, _("删除附件"), comment=name)


# ---------------------------------------------------------------- review


@transaction.atomic
def submit(actor, item):
    """Hand a draft to the reviewers; the disclosure attribute must be decided by now."""
    ensure_perm(actor, "disclosure.change_disclosureitem")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, EDITABLE_STATES, _("提交审核"))
    if not item.disclosure_attribute:
        raise ValidationError(_("提交审核前请确定公开属性（主动公开、依申请公开或不予公开）。"))
    if item.disclosure_attribute != DisclosureAttribute.PROACTIVE and not item.attribute_reason.strip():
        raise ValidationError(
            _("公开属性为“%(attr)s”时，须填写不予主动公开的理由和法律依据。")
            % {"attr": item.get_disclosure_attribute_display()}
        )
    if not item.body_text and not item.attachments.filter(retired=False).exists():
        raise ValidationError(_("正文和附件不能都为空。"))
    if item.kind == ItemKind.INTERPRETATION and not item.interprets.exists():
        raise ValidationError(_("政策解读须关联至少一个所解读的政策文件。"))
    return _move(
        actor,
        item,
        ItemState.SUBMITTED,
        _("提交审核"),
        submitted_at=timezone.now(),
        review_comment="",
        confidentiality_signed_by=None,
        confidentiality_signed_at=None,
        confidentiality_note="",
    )


@transaction.atomic
def sign_off_confidentiality(actor, item, *, note=""):
    """保密审查: a named reviewer of the item's own organisation signs it off."""
    ensure_perm(actor, "disclosure.sign_off_confidentiality")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    if actor.organization_id != item.organization_id:
        raise PermissionDenied(_("保密审查须由%(org)s的审核员签发。") % {"org": item.organization})
    _require_state(item, (ItemState.SUBMITTED,), _("保密审查签发"))
    if item.confidentiality_signed_at:
        raise ValidationError(_("“%(title)s”已经通过保密审查。") % {"title": item.title})
    item.confidentiality_signed_by = actor
    item.confidentiality_signed_at = timezone.now()
    item.confidentiality_note = (note or "").strip()[:300]
    item.save()
    audit.record(actor, item, _("保密审查签发"), comment=item.confidentiality_note or _("经审查，不涉及国家秘密。"))
    return item


@transaction.atomic
def return_item(actor, item, *, comment):
    """Send a submitted (or scheduled) item back to the clerk with the reason."""
    ensure_perm(actor, "disclosure.review_item")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, (ItemState.SUBMITTED, ItemState.SCHEDULED), _("退回"))
    comment = _require_text(comment, _("退回时请填写退回意见。"))
    return _move(
        actor,
        item,
        ItemState.RETURNED,
        _("退回"),
        comment,
        review_comment=comment,
        scheduled_for=None,
        confidentiality_signed_by=None,
        confidentiality_signed_at=None,
        confidentiality_note="",
    )


@transaction.atomic
def file_withheld(actor, item, *, comment=""):
    """Confirm a submitted item is not to be disclosed; it is then re-assessed every year."""
    ensure_perm(actor, "disclosure.review_item")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, (ItemState.SUBMITTED,), _("确认不予公开"))
    if item.disclosure_attribute != DisclosureAttribute.WITHHELD:
        raise ValidationError(_("只有公开属性为“不予公开”的信息才能确认不予公开。"))
    return _move(
        actor,
        item,
        ItemState.WITHHELD,
        _("确认不予公开"),
        comment or item.attribute_reason,
        withheld_on=timezone.localdate(),
    )


def review_warnings(item):
    """What a reviewer should know before publishing; warnings, not refusals."""
    warnings = []
    if item.kind == ItemKind.DOCUMENT:
        needs = [e for e in item.catalog_entries.all() if e.requires_interpretation]
        if needs:
            policies = [item.pk] + ([item.revision_of_id] if item.revision_of_id else [])
            has = (
                DisclosureItem.objects.filter(interprets__in=policies)
                .exclude(state__in=(ItemState.WITHDRAWN, ItemState.MERGED))
                .exists()
            )
            if not has:
                warnings.append(
                    _("“%(entry)s”要求政策文件与解读同步发布，但本文件尚无政策解读。") % {"entry": needs[0].name}
                )
    if item.disclosure_attribute == DisclosureAttribute.PROACTIVE and not item.catalog_entries.exists():
        warnings.append(_("未关联目录事项，公开情况统计中将无法计入。"))
    if item.is_late:
        warnings.append(_("已超过应公开日期（%(due)s）。") % {"due": item.due_date})
    return warnings


# ---------------------------------------------------------------- publication


def allocate_index_number(organization, year):
    """Take the next serial of the organisation's year under a row lock: gapless, never reused.

    Must run inside the publishing transaction, so a failed publication
    gives its serial back by rolling back.
    """
    try:
        with transaction.atomic():
            IndexCounter.objects.get_or_create(organization=organization, year=year)
    except IntegrityError:
        pass  # another transaction created it first; lock it below
    counter = IndexCounter.objects.select_for_update().get(organization=organization, year=year)
    while True:
        counter.last_serial += 1
        number = organization.format_index_number(year, counter.last_serial)
        # An imported item may already hold a number of this shape: skip it, never reuse.
        if not DisclosureItem.objects.filter(organization=organization, index_number=number).exists():
            break
    counter.save(update_fields=["last_serial"])
    return number


def _metadata(item):
    return {
        "index_number": item.index_number,
        "subject": item.subject,
        "organization": item.organization.name,
        "written_on": item.written_on.isoformat() if item.written_on else "",
        "document_number": item.document_number,
        "published_at": item.published_at.isoformat() if item.published_at else "",
        "validity": item.validity,
        "effective_on": item.effective_on.isoformat() if item.effective_on else "",
        "publication_mode": str(item.publication_mode),
        "keywords": item.keywords,
        "document_type": item.document_type,
        "catalog_entries": [e.name for e in item.catalog_entries.all()],
    }


def _snapshot(actor, item, when, change_note=""):
    version = ItemVersion.objects.create(
        item=item,
        number=item.version_number,
        title=item.title,
        body=item.body,
        metadata=_metadata(item),
        change_note=change_note,
        published_at=when,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.attachments.set(item.attachments.filter(retired=False))
    return version


def _publish_now(actor, item, when, verb):
    """Make the (locked, submitted or scheduled) item public at ``when``."""
    if item.revision_of_id:
        return _merge_revision(actor, item, when)
    if not item.index_number:
        item.index_number = allocate_index_number(item.organization, timezone.localtime(when).year)
    item.version_number += 1
    _move(actor, item, ItemState.PUBLISHED, verb, item.index_number, published_at=when, scheduled_for=None)
    _snapshot(actor, item, when)
    _notify_subscribers(item)
    return item


def _merge_revision(actor, revision, when):
    original = _lock(revision.revision_of)
    if original.state != ItemState.PUBLISHED:
        raise ValidationError(
            _("原信息“%(title)s”当前状态为“%(state)s”，修订不能发布。")
            % {"title": original.title, "state": _state_label(original.state)}
        )
    for name in CONTENT_FIELDS:
        if name != "disclosure_attribute":
            setattr(original, name, getattr(revision, name))
    entries = list(revision.catalog_entries.all())
    original.catalog_entries.set(entries)
    original.interprets.set(revision.interprets.all())
    original.attachments.filter(retired=False).update(retired=True)
    revision.attachments.filter(retired=False).update(item=original)
    original.version_number += 1
    original.last_revised_at = when
    original.due_date = revision.due_date
    original.save()
    audit.record(actor, original, _("修订发布"), comment=revision.revision_note)
    _snapshot(actor, original, when, change_note=revision.revision_note)
    _move(
        actor,
        revision,
        ItemState.MERGED,
        _("修订已并入原信息"),
        original.index_number,
        published_at=when,
        scheduled_for=None,
    )
    _notify_subscribers(original)
    return original


@transaction.atomic
def publish(actor, item, *, publish_at=None):
    """Publish a signed-off item now, or schedule it for ``publish_at`` in the future.

    Returns the item that is public afterwards (for a revision, the original).
    """
    ensure_perm(actor, "disclosure.publish_item")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, (ItemState.SUBMITTED,), _("发布"))
    if item.disclosure_attribute == DisclosureAttribute.WITHHELD:
        raise ValidationError(_("公开属性为“不予公开”的信息不能发布。"))
    if not item.confidentiality_signed_at:
        raise ValidationError(_("“%(title)s”尚未通过保密审查，不能发布。") % {"title": item.title})
    now = timezone.now()
    if publish_at is not None and publish_at > now:
        return _move(
            actor,
            item,
            ItemState.SCHEDULED,
            _("定时发布"),
            _("定于%(when)s发布") % {"when": timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M")},
            scheduled_for=publish_at,
        )
    return _publish_now(actor, item, now, _("发布"))


def publish_due(now=None):
    """Publish every scheduled item whose time has come (the ``publish_scheduled`` command)."""
    now = now or timezone.now()
    published = []
    for pk in DisclosureItem.objects.filter(state=ItemState.SCHEDULED, scheduled_for__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            item = DisclosureItem.objects.select_for_update().select_related("organization").get(pk=pk)
            if item.state != ItemState.SCHEDULED:
                continue
            published.append(_publish_now(None, item, item.scheduled_for, _("定时发布生效")))
    return published


@transaction.atomic
def begin_revision(actor, item, *, note):
    """Open a revision draft of a published item; the public page is unchanged until it is published."""
    ensure_perm(actor, "disclosure.change_disclosureitem")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    if item.revision_of_id:
        _refuse(item, _("修订"))
    _require_state(item, (ItemState.PUBLISHED,), _("修订"))
    note = _require_text(note, _("请填写修订说明。"))
    if item.revisions.filter(state__in=OPEN_STATES).exists():
        raise ValidationError(_("“%(title)s”已有一份正在办理的修订。") % {"title": item.title})
    revision = DisclosureItem(
        organization=item.organization,
        revision_of=item,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for name in CONTENT_FIELDS:
        setattr(revision, name, getattr(item, name))
    revision.revision_note = note
    revision.formed_on = timezone.localdate()
    revision.save()
    revision.catalog_entries.set(item.catalog_entries.all())
    revision.interprets.set(item.interprets.all())
    for attachment in item.attachments.filter(retired=False):
        Attachment.objects.create(
            item=revision,
            file=attachment.file.name,
            original_name=attachment.original_name,
            file_type=attachment.file_type,
            size=attachment.size,
            sha256=attachment.sha256,
            sort_order=attachment.sort_order,
            uploaded_by=attachment.uploaded_by,
        )
    _refresh_due_date(revision)
    audit.record(actor, revision, _("新建修订草稿"), to_state=_state_label(revision.state), comment=note)
    audit.record(actor, item, _("开始修订"), comment=note)
    return revision


# ---------------------------------------------------------------- after publication


@transaction.atomic
def change_validity(actor, item, validity, *, on_date, note=""):
    """Mark a published item 失效 or 废止 with its date; it stays public with a banner."""
    ensure_perm(actor, "disclosure.publish_item")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    validity = Validity(validity)
    action = _("标注为%(v)s") % {"v": validity.label}
    _require_state(item, (ItemState.PUBLISHED,), action)
    if item.revision_of_id:
        _refuse(item, action)
    allowed = {Validity.EXPIRED: (Validity.VALID,), Validity.REPEALED: (Validity.VALID, Validity.EXPIRED)}
    if validity not in allowed or item.validity not in allowed[validity]:
        raise ValidationError(
            _("“%(title)s”目前为“%(current)s”，不能%(action)s。")
            % {"title": item.title, "current": item.get_validity_display(), "action": action}
        )
    if on_date is None:
        raise ValidationError(_("请填写%(v)s日期。") % {"v": validity.label})
    before = item.get_validity_display()
    item.validity = validity
    if validity == Validity.EXPIRED:
        item.expired_on = on_date
    else:
        item.repealed_on = on_date
    item.validity_note = (note or "").strip()[:300]
    item.save()
    audit.record(
        actor,
        item,
        action,
        from_state=before,
        to_state=validity.label,
        comment=f"{on_date:%Y-%m-%d} {item.validity_note}".strip(),
    )
    return item


@transaction.atomic
def withdraw(actor, item, *, reason):
    """撤回: the item leaves the lists and its files stop being served; its page becomes a tombstone."""
    ensure_perm(actor, "disclosure.publish_item")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, (ItemState.PUBLISHED,), _("撤回"))
    if item.revision_of_id:
        _refuse(item, _("撤回"))
    reason = _require_text(reason, _("撤回时请填写撤回原因（将向公众显示）。"))[:300]
    return _move(
        actor, item, ItemState.WITHDRAWN, _("撤回"), reason, withdrawn_at=timezone.now(), withdrawal_reason=reason
    )


@transaction.atomic
def reassess(actor, item, decision, *, reason):
    """Record the yearly review of a withheld item; releasing sends it back to review for publication."""
    ensure_perm(actor, "disclosure.reassess_item")
    item = _lock(item)
    ensure_org_access(actor, item.organization)
    _require_state(item, (ItemState.WITHHELD,), _("年度复核"))
    decision = ReassessmentDecision(decision)
    reason = _require_text(reason, _("请填写复核理由。"))
    Reassessment.objects.create(
        item=item,
        decision=decision,
        reason=reason,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    today = timezone.localdate()
    if decision == ReassessmentDecision.KEEP:
        item.last_reassessed_on = today
        item.save()
        audit.record(actor, item, _("年度复核：继续不予公开"), comment=reason)
        return item
    item.disclosure_attribute = DisclosureAttribute.PROACTIVE
    item.attribute_reason = ""
    item.formed_on = today
    _move(
        actor,
        item,
        ItemState.SUBMITTED,
        _("年度复核：转为主动公开"),
        reason,
        last_reassessed_on=today,
        submitted_at=timezone.now(),
        confidentiality_signed_by=None,
        confidentiality_signed_at=None,
    )
    _refresh_due_date(item)
    return item


# ---------------------------------------------------------------- subscriptions


def _notify_subscribers(item):
    """Record the subscribers' notices in the publication's transaction; the outbox sends them after commit."""
    from . import subscriptions

    subscriptions.notify_published(item.pk)


# ---------------------------------------------------------------- migration from an old site


def _serial_in_number(organization, number):
    """(year, serial) when ``number`` has the organisation's pattern, else None."""
    import re
    import string

    regex = ""
    for literal, field_name, _spec, _conv in string.Formatter().parse(organization.index_pattern):
        regex += re.escape(literal)
        if field_name == "code":
            regex += re.escape(organization.code)
        elif field_name == "year":
            regex += r"(?P<year>\d{4})"
        elif field_name == "serial":
            regex += r"(?P<serial>\d+)"
    match = re.fullmatch(regex, number)
    if not match or "serial" not in match.groupdict():
        return None
    year = int(match["year"]) if match.groupdict().get("year") else None
    return year, int(match["serial"])


@transaction.atomic
def import_published(actor, item, *, catalog_entries=()):
    """Bring an item already published on an old site in as published, keeping its 索引号.

    Its number is never handed out again: the organisation's counter for
    that year moves past it.
    """
    ensure_perm(actor, "disclosure.add_disclosureitem")
    ensure_perm(actor, "disclosure.publish_item")
    ensure_org_access(actor, item.organization)
    if item.pk:
        raise ValidationError(_("导入只能新增历史信息，不能覆盖已有信息。"))
    _require_text(item.title, _("请填写标题。"))
    when = item.published_at or timezone.now()
    item.published_at = when
    item.disclosure_attribute = item.disclosure_attribute or DisclosureAttribute.PROACTIVE
    item.index_number = (item.index_number or "").strip()
    if item.index_number:
        if DisclosureItem.objects.filter(organization=item.organization, index_number=item.index_number).exists():
            raise ValidationError(_("索引号“%(n)s”在本机构已被使用。") % {"n": item.index_number})
        parsed = _serial_in_number(item.organization, item.index_number)
        if parsed and parsed[0]:
            try:
                with transaction.atomic():
                    IndexCounter.objects.get_or_create(organization=item.organization, year=parsed[0])
            except IntegrityError:
                pass
            counter = IndexCounter.objects.select_for_update().get(organization=item.organization, year=parsed[0])
            if parsed[1] > counter.last_serial:
                counter.last_serial = parsed[1]
                counter.save(update_fields=["last_serial"])
    else:
        item.index_number = allocate_index_number(item.organization, timezone.localtime(when).year)
    item.state = ItemState.PUBLISHED
    item.version_number = 1
    item.confidentiality_note = _("历史信息迁移导入（已在原网站发布）")
    item.created_by = actor if getattr(actor, "is_authenticated", False) else None
    item.formed_on = item.formed_on or timezone.localdate(when)
    item.save()
    if catalog_entries:
        item.catalog_entries.set(catalog_entries)
    _snapshot(actor, item, when)
    audit.record(actor, item, _("迁移导入"), to_state=_state_label(item.state), comment=item.index_number)
    return item
