"""The staff pages' lists: always inside the user's organisation subtree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet

from catalog.models import Adoption, AdoptionStatus
from catalog.selectors import ancestors_map
from portal import workdays
from portal.models import Organization, User
from portal.permissions import organization_scope

from ..models import DisclosureItem, ItemKind, ItemState


def staff_items(user: User) -> QuerySet[DisclosureItem]:
    """Items of the user's organisation subtree, for the staff pages."""
    scope = organization_scope(user)
    return (
        DisclosureItem.objects.filter(organization__in=scope)
        .select_related("organization", "created_by", "revision_of")
        .defer("body", "body_text", "search_vector")
    )


def review_queue(user: User) -> QuerySet[DisclosureItem]:
    return staff_items(user).filter(state__in=(ItemState.SUBMITTED, ItemState.SCHEDULED)).order_by("submitted_at", "id")


def late_items(user: User) -> QuerySet[DisclosureItem]:
    today = workdays.today()
    return (
        staff_items(user)
        .filter(
            due_date__lt=today,
            state__in=(ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED),
        )
        .order_by("due_date")
    )


def reassessment_list(user: User, today: dt.date | None = None) -> list[DisclosureItem]:
    """Withheld items of the subtree; those not reviewed for a year come first, marked due."""
    today = today or workdays.today()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    items = list(staff_items(user).filter(state=ItemState.WITHHELD).prefetch_related("reassessments"))
    for item in items:
        last = item.last_reassessed_on or item.withheld_on
        item.review_from = last
        item.reassessment_due = last is None or last <= year_ago
    items.sort(key=lambda i: (not i.reassessment_due, i.review_from or today))
    return items


@dataclass
class CoverageRow:
    adoption: Adoption
    path: list
    latest: DisclosureItem | None
    pending_late: int
    status: str  # "ok", "missing", "late"


def coverage(organization: Organization) -> list[CoverageRow]:
    """Every proactive entry of the organisation's catalog with its latest published item.

    An entry is flagged *missing* when nothing was published for it and
    *late* when its latest item was published after its due date or an item
    for it is still unpublished past its due date.
    """
    adoptions = list(
        Adoption.objects.filter(organization=organization, status=AdoptionStatus.ADOPTED, entry__proactive=True)
        .select_related("entry")
        .order_by("entry__tree_id", "entry__lft")
    )
    # Only the deepest adopted entries: a group is covered through its children.
    leaves = []
    for index, adoption in enumerate(adoptions):
        nxt = adoptions[index + 1].entry if index + 1 < len(adoptions) else None
        entry = adoption.entry
        if nxt is not None and nxt.tree_id == entry.tree_id and entry.lft < nxt.lft < entry.rght:
            continue
        leaves.append(adoption)
    entry_ids = [a.entry_id for a in leaves]
    through = DisclosureItem.catalog_entries.through
    links = (
        through.objects.filter(catalogentry_id__in=entry_ids, disclosureitem__organization=organization)
        .exclude(disclosureitem__revision_of__isnull=False)
        .select_related("disclosureitem")
        .order_by(F("disclosureitem__published_at").desc(nulls_last=True))
    )
    latest, pending = {}, {}
    today = workdays.today()
    for link in links:
        item = link.disclosureitem
        if item.state == ItemState.PUBLISHED:
            latest.setdefault(link.catalogentry_id, item)
        elif (
            item.state in (ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED)
            and item.due_date
            and item.due_date < today
        ):
            pending[link.catalogentry_id] = pending.get(link.catalogentry_id, 0) + 1
    paths = ancestors_map([a.entry for a in leaves])
    rows = []
    for adoption in leaves:
        item = latest.get(adoption.entry_id)
        late = pending.get(adoption.entry_id, 0)
        if item is None:
            status = "missing"
        elif item.is_late or late:
            status = "late"
        else:
            status = "ok"
        rows.append(CoverageRow(adoption, paths.get(adoption.entry_id, []), item, late, status))
    return rows


def interpretable_policies(user: User) -> QuerySet[DisclosureItem]:
    return (
        staff_items(user)
        .filter(kind=ItemKind.DOCUMENT)
        .exclude(state__in=(ItemState.WITHDRAWN, ItemState.MERGED, ItemState.WITHHELD))
        .filter(revision_of__isnull=True)
    )
