"""Publication: now or scheduled, and revisions that merge into the item they revise.

Publishing takes the 索引号, keeps what was published as an :class:`ItemVersion` (courts and
citizens rely on old versions) and records the subscribers' notices in the same transaction,
so a publication that fails announces nothing. A published item is changed only through a
revision draft, which runs the same review; publishing the revision merges it into the
original (the number and the address stay, the earlier version is kept).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import workdays

from ..models import Attachment, DisclosureItem, ItemState, ItemVersion
from .drafting import CONTENT_FIELDS, _author, _require_text
from .numbering import _refresh_due_date, allocate_index_number
from .workflow import WORKFLOW, Version

if TYPE_CHECKING:
    from portal.models import User


def _metadata(item: DisclosureItem) -> dict:
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


def _snapshot(actor: User | None, item: DisclosureItem, when: dt.datetime, change_note: str = "") -> ItemVersion:
    version = ItemVersion.objects.create(
        item=item,
        number=item.version_number,
        title=item.title,
        body=item.body,
        metadata=_metadata(item),
        change_note=change_note,
        published_at=when,
        published_by=_author(actor),
    )
    version.attachments.set(item.attachments.filter(retired=False))
    return version


def _notify_subscribers(item: DisclosureItem) -> None:
    """Record the subscribers' notices in the publication's transaction; the outbox sends them after commit."""
    from .. import subscriptions

    subscriptions.notify_published(item.pk)


def _publish_now(actor: User | None, item: DisclosureItem, when: dt.datetime, verb: str) -> DisclosureItem:
    """Make the (locked, submitted or scheduled) item public at ``when`` through step ``verb``."""
    if item.revision_of_id:
        return _merge_revision(actor, item, when)
    if not item.index_number:
        item.index_number = allocate_index_number(item.organization, timezone.localtime(when).year)
    item.version_number += 1
    item.published_at = when
    item.scheduled_for = None
    WORKFLOW.perform(actor, item, verb, comment=item.index_number)
    _snapshot(actor, item, when)
    _notify_subscribers(item)
    return item


def _merge_revision(actor: User | None, revision: DisclosureItem, when: dt.datetime) -> DisclosureItem:
    original = WORKFLOW.lock(revision.revision_of_id)
    if original.state != ItemState.PUBLISHED:
        raise ValidationError(
            _("原信息“%(title)s”当前状态为“%(state)s”，修订不能发布。")
            % {"title": original.title, "state": original.get_state_display()}
        )
    for name in CONTENT_FIELDS:
        if name != "disclosure_attribute":
            setattr(original, name, getattr(revision, name))
    original.catalog_entries.set(revision.catalog_entries.all())
    original.interprets.set(revision.interprets.all())
    original.attachments.filter(retired=False).update(retired=True)
    revision.attachments.filter(retired=False).update(item=original)
    original.version_number += 1
    original.last_revised_at = when
    original.due_date = revision.due_date
    WORKFLOW.perform(actor, original, "publish_revision", comment=revision.revision_note)
    _snapshot(actor, original, when, change_note=revision.revision_note)
    revision.published_at = when
    revision.scheduled_for = None
    WORKFLOW.perform(actor, revision, "merge_revision", comment=original.index_number)
    _notify_subscribers(original)
    return original


@transaction.atomic
def publish(
    actor: User, item: DisclosureItem, *, publish_at: dt.datetime | None = None, expected_version: Version = None
) -> DisclosureItem:
    """Publish a signed-off item now, or schedule it for ``publish_at`` in the future.

    Returns the item that is public afterwards (for a revision, the original).
    """
    now = timezone.now()
    verb = "schedule" if publish_at is not None and publish_at > now else "publish"
    item = WORKFLOW.begin(actor, item, verb, expected_version=expected_version)
    if verb == "schedule":
        item.scheduled_for = publish_at
        when = timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M")
        return WORKFLOW.perform(actor, item, verb, comment=_("定于%(when)s发布") % {"when": when})
    return _publish_now(actor, item, now, verb)


def publish_due(now: dt.datetime | None = None) -> list[DisclosureItem]:
    """Publish every scheduled item whose time has come (the ``publish_scheduled`` command)."""
    now = now or timezone.now()
    published = []
    due = DisclosureItem.objects.filter(state=ItemState.SCHEDULED, scheduled_for__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            item = WORKFLOW.lock(pk)
            if item.state != ItemState.SCHEDULED:
                continue  # returned or published by hand since the list was read
            published.append(_publish_now(None, item, item.scheduled_for, "publish_scheduled"))
    return published


@transaction.atomic
def begin_revision(actor: User, item: DisclosureItem, *, note: str, expected_version: Version = None) -> DisclosureItem:
    """Open a revision draft of a published item; the public page is unchanged until it is published."""
    item = WORKFLOW.begin(actor, item, "begin_revision", expected_version=expected_version)
    note = _require_text(note, _("请填写修订说明。"))
    revision = DisclosureItem(organization=item.organization, revision_of=item, created_by=_author(actor))
    for name in CONTENT_FIELDS:
        setattr(revision, name, getattr(item, name))
    revision.revision_note = note
    revision.formed_on = workdays.today()
    WORKFLOW.perform(actor, revision, "create_revision", comment=note)
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
    WORKFLOW.perform(actor, item, "begin_revision", comment=note)
    return revision
