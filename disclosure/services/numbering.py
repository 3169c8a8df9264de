"""索引号 and 应公开日期: the two numbers an item gets from its organisation and the calendar.

A 索引号 is gapless per organisation and year and never reused (a withdrawn item keeps its
number), so it is taken under a row lock inside the publishing transaction: a publication that
fails gives its serial back by rolling back. The due date is Art 26's 20 working days from the
day the information was formed, or the shorter limit of the item's catalog entries.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable

from catalog.models import Adoption, CatalogEntry
from portal import sequences
from portal.models import Organization
from portal.workdays import WorkingCalendar

from ..models import DisclosureAttribute, DisclosureItem, IndexCounter

ART26_WORKING_DAYS = 20


def time_limit_days(item: DisclosureItem, entries: Iterable[CatalogEntry] | None = None) -> int:
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


def compute_due_date(
    item: DisclosureItem,
    entries: Iterable[CatalogEntry] | None = None,
    calendar: WorkingCalendar | None = None,
) -> dt.date | None:
    """The day by which the item must be public; None when Art 26 does not apply."""
    if item.disclosure_attribute in (DisclosureAttribute.ON_REQUEST, DisclosureAttribute.WITHHELD):
        return None
    if item.formed_on is None:
        return None
    calendar = calendar or WorkingCalendar()
    return calendar.add_working_days(item.formed_on, time_limit_days(item, entries))


def _refresh_due_date(item: DisclosureItem, entries: Iterable[CatalogEntry] | None = None) -> None:
    """Store the due date; a derived column, so it is no step and bumps no version."""
    due = compute_due_date(item, entries)
    if due is not None:
        due = dt.date(due.year, due.month, due.day)
    if item.due_date != due:
        DisclosureItem.objects.filter(pk=item.pk).update(due_date=due)
        item.due_date = due


def _locked_counter(organization: Organization, year: int) -> IndexCounter:
    return sequences.locked_counter(IndexCounter, organization=organization, year=year)


def allocate_index_number(organization: Organization, year: int) -> str:
    """Take the next serial of the organisation's year under a row lock: gapless, never reused.

    Must run inside the publishing transaction, so a failed publication
    gives its serial back by rolling back.
    """
    counter = _locked_counter(organization, year)
    while True:
        counter.last_serial += 1
        number = organization.format_index_number(year, counter.last_serial)
        # An imported item may already hold a number of this shape: skip it, never reuse.
        if not DisclosureItem.objects.filter(organization=organization, index_number=number).exists():
            break
    counter.save(update_fields=["last_serial"])
    return number


def _serial_in_number(organization: Organization, number: str) -> tuple[int | None, int] | None:
    """(year, serial) when ``number`` has the organisation's pattern, else None."""
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


def reserve_imported_number(organization: Organization, number: str) -> None:
    """Move the year's counter past an imported 索引号 of the organisation's own pattern."""
    parsed = _serial_in_number(organization, number)
    if not parsed or not parsed[0]:
        return
    counter = _locked_counter(organization, parsed[0])
    if parsed[1] > counter.last_serial:
        counter.last_serial = parsed[1]
        counter.save(update_fields=["last_serial"])
