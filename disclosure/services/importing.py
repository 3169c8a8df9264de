"""Migration from an old site: items already published elsewhere come in as published.

They keep their 索引号 (citizens and other sites cite it), and the number is never handed out
again: the organisation's counter for that year moves past it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry
from portal.permissions import ensure_perm

from ..models import DisclosureAttribute, DisclosureItem
from .drafting import _author, _require_text
from .numbering import allocate_index_number, reserve_imported_number
from .publication import _snapshot
from .workflow import ADD, WORKFLOW

if TYPE_CHECKING:
    from portal.models import User


@transaction.atomic
def import_published(
    actor: User, item: DisclosureItem, *, catalog_entries: Iterable[CatalogEntry] = ()
) -> DisclosureItem:
    """Bring an item already published on an old site in as published, keeping its 索引号."""
    ensure_perm(actor, ADD)
    WORKFLOW.check(actor, item, "migrate_import")
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
        reserve_imported_number(item.organization, item.index_number)
    else:
        item.index_number = allocate_index_number(item.organization, timezone.localtime(when).year)
    item.version_number = 1
    item.confidentiality_note = _("历史信息迁移导入（已在原网站发布）")
    item.created_by = _author(actor)
    item.formed_on = item.formed_on or timezone.localdate(when)
    WORKFLOW.perform(actor, item, "migrate_import", comment=item.index_number)
    if catalog_entries:
        item.catalog_entries.set(catalog_entries)
    _snapshot(actor, item, when)
    return item
