"""Drafting: a new item and changes to a draft (or a returned item) before it is submitted.

The 公开属性 is decided here, at the source (源头认定), and the links are checked before the
item is saved: a draft may not point at another organisation's local catalog entry, nor
interpret a document that is not public yet and not its own organisation's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry
from portal import workdays
from portal.actors import recorded_actor
from portal.models import Organization

from ..models import DisclosureAttribute, DisclosureItem, ItemKind, ItemState
from .numbering import _refresh_due_date
from .workflow import WORKFLOW, Version

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

if TYPE_CHECKING:
    from portal.models import User


def _require_text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _author(actor):
    return recorded_actor(actor)


def _check_links(
    item: DisclosureItem,
    organization: Organization,
    catalog_entries: Iterable[CatalogEntry],
    interprets: Iterable[DisclosureItem],
) -> None:
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


def _refuse_unknown(fields: dict) -> None:
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def create_draft(
    actor: User,
    organization: Organization,
    *,
    title: str,
    body: str,
    catalog_entries: Iterable[CatalogEntry] = (),
    disclosure_attribute: str = DisclosureAttribute.PROACTIVE,
    source_note: str = "",
    interprets: Iterable[DisclosureItem] = (),
    **fields: Any,
) -> DisclosureItem:
    """Start a new item as a draft (also used by the requests app to turn a reply into one, Art 44)."""
    item = DisclosureItem(organization=organization)
    WORKFLOW.check(actor, item, "create")
    _refuse_unknown(fields)
    item = DisclosureItem(
        organization=organization,
        title=_require_text(title, _("请填写标题。")),
        body=body or "",
        disclosure_attribute=disclosure_attribute or "",
        source_note=source_note or "",
        created_by=_author(actor),
        **fields,
    )
    if not item.formed_on:
        item.formed_on = workdays.today()
    catalog_entries, interprets = list(catalog_entries), list(interprets)
    _check_links(item, organization, catalog_entries, interprets)
    item.full_clean(exclude=["search_vector", "body_text"])
    WORKFLOW.perform(actor, item, "create", comment=source_note or "")
    item.catalog_entries.set(catalog_entries)
    item.interprets.set(interprets)
    _refresh_due_date(item, catalog_entries)
    return item


@transaction.atomic
def update_draft(
    actor: User,
    item: DisclosureItem,
    *,
    catalog_entries: Iterable[CatalogEntry] | None = None,
    interprets: Iterable[DisclosureItem] | None = None,
    expected_version: Version = None,
    **fields: Any,
) -> DisclosureItem:
    """Change a draft or returned item; a published one is changed through :func:`begin_revision`."""
    item = WORKFLOW.begin(actor, item, "edit", expected_version=expected_version)
    _refuse_unknown(fields)
    for name, value in fields.items():
        setattr(item, name, value)
    _require_text(item.title, _("请填写标题。"))
    entries = list(catalog_entries) if catalog_entries is not None else list(item.catalog_entries.all())
    policies = list(interprets) if interprets is not None else list(item.interprets.all())
    _check_links(item, item.organization, entries, policies)
    item.full_clean(exclude=["search_vector", "body_text"])
    WORKFLOW.perform(actor, item, "edit", comment=", ".join(sorted(fields)))
    if catalog_entries is not None:
        item.catalog_entries.set(entries)
    if interprets is not None:
        item.interprets.set(policies)
    _refresh_due_date(item, entries)
    return item
