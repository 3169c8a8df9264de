"""A draft's files: stored under generated names after checking what they really are.

Adding or removing a file is a step of the item's workflow that keeps its state: it needs the
draft to be editable, bumps the item's version and is audited like any other change.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.actors import recorded_actor

from .. import filetypes
from ..models import Attachment, DisclosureItem
from .workflow import WORKFLOW, Version

if TYPE_CHECKING:
    from portal.models import User


def max_attachment_bytes() -> int:
    return int(getattr(settings, "DISCLOSURE_MAX_ATTACHMENT_MB", 50)) * 1024 * 1024


def _checked_type(uploaded_file, name: str) -> str:
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
    return file_type


@transaction.atomic
def add_attachment(
    actor: User,
    item: DisclosureItem,
    uploaded_file,
    *,
    original_name: str | None = None,
    expected_version: Version = None,
) -> Attachment:
    """Store an uploaded file under a generated name after checking what it really is."""
    item = WORKFLOW.begin(actor, item, "attach", expected_version=expected_version)
    name = (original_name or getattr(uploaded_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = name.strip()[:255] or _("附件")
    file_type = _checked_type(uploaded_file, name)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    attachment = Attachment(
        item=item,
        original_name=name,
        file_type=file_type,
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
        uploaded_by=recorded_actor(actor),
        sort_order=item.attachments.filter(retired=False).count() + 1,
    )
    attachment.stored_extension = filetypes.stored_extension(file_type, name)
    attachment.file.save("upload", uploaded_file, save=False)
    attachment.save()
    WORKFLOW.perform(actor, item, "attach", comment=name)
    return attachment


@transaction.atomic
def remove_attachment(actor: User, attachment: Attachment, *, expected_version: Version = None) -> None:
    """Detach a file from a draft; the stored file stays while any version refers to it."""
    item = WORKFLOW.begin(actor, attachment.item_id, "detach", expected_version=expected_version)
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
            stored, stored_name = attachment.file.storage, attachment.file.name
            transaction.on_commit(lambda: stored.delete(stored_name))
    WORKFLOW.perform(actor, item, "detach", comment=name)
