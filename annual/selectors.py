"""The aggregate queries behind the report: a fixed handful per report, however many rows.

Every count is a conditional ``Count`` grouped in the database (table 三: by
applicant category × outcome in one query), so a county with 50,000
requests costs the same number of queries as one with ten.

How a year is counted (annual-report.md):

* 一 received: receipt date in the year;
* 二 carried over: received before the year, not concluded before it;
* 三 concluded: of those two, concluded (replied, closed, withdrawn) by the
  year's end, by outcome — a withdrawal is under （六）3 其他;
* 四 carried forward: of those two, still open at the year's end.

三 and 四 split exactly the requests of 一 and 二, so the table balances by
construction. An online application the office never confirmed has no
receipt date (Art 31) and is in no row, even if its applicant withdrew it.
A concluded request without an outcome is counted under （六）3 其他.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from disclosure.models import DisclosureItem, DocumentType, ItemKind, ItemState, Validity
from portal.models import Organization
from requests_app.models import ApplicantCategory, Outcome, Request

from . import tables
from .models import CaseResult, ProactiveFigures, ReportScope, ReviewCase


def scope_q(organization, scope, prefix="organization"):
    """Rows belonging to the organisation, or to it and every organisation below it."""
    if scope == ReportScope.SUBTREE:
        return Q(
            **{
                f"{prefix}__tree_id": organization.tree_id,
                f"{prefix}__lft__gte": organization.lft,
                f"{prefix}__rght__lte": organization.rght,
            }
        )
    return Q(**{prefix: organization})


def year_bounds(year):
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _aware_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- table 三 ------------------------------------------------------------------------------------


def table3(organization, scope, year):
    """Table 三 for the scope and year: one grouped query."""
    start, end = year_bounds(year)
    received = Q(receipt_date__gte=start, receipt_date__lte=end)
    carried = Q(receipt_date__lt=start) & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
    concluded = Q(concluded_on__isnull=False, concluded_on__lte=end)
    still_open = Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)
    rows = (
        Request.objects.filter(scope_q(organization, scope))
        .filter(received | carried)
        .values("applicant_category", "outcome")
        .annotate(
            received=Count("pk", filter=received),
            carried=Count("pk", filter=carried),
            concluded=Count("pk", filter=concluded),
            still_open=Count("pk", filter=still_open),
        )
        .order_by()
    )
    categories = set(ApplicantCategory.values)
    outcomes = set(Outcome.values)
    counts = {"received": {}, "carried_over": {}, "carried_forward": {}}
    concluded_counts = {}
    for row in rows:
        cat = (
            row["applicant_category"]
            if row["applicant_category"] in categories
            else ApplicantCategory.OTHER_ORGANIZATION.value
        )
        for key, field in (("received", "received"), ("carried_over", "carried"), ("carried_forward", "still_open")):
            counts[key][cat] = counts[key].get(cat, 0) + row[field]
        if row["concluded"]:
            outcome = row["outcome"] if row["outcome"] in outcomes else Outcome.OTHER.value
            bucket = concluded_counts.setdefault(outcome, {})
            bucket[cat] = bucket.get(cat, 0) + row["concluded"]
    return tables.build_table3(counts["received"], counts["carried_over"], concluded_counts, counts["carried_forward"])


# --- table 二 ------------------------------------------------------------------------------------


def table2(organization, scope, year):
    """Table 二: 规章 and 行政规范性文件 from published items (one query), the rest as staff entered it.

    Issued in the year: 成文日期 in the year (the publication date where it has
    none). Repealed in the year: marked 废止 with a date in the year. In force:
    issued by the year's end and neither repealed nor expired by then.
    """
    start, end = year_bounds(year)
    next_start = _aware_start(end + dt.timedelta(days=1))
    issued_in_year = Q(written_on__gte=start, written_on__lte=end) | Q(
        written_on__isnull=True, published_at__gte=_aware_start(start), published_at__lt=next_start
    )
    issued_by_end = Q(written_on__lte=end) | Q(written_on__isnull=True, published_at__lt=next_start)
    repealed_in_year = Q(validity=Validity.REPEALED, repealed_on__gte=start, repealed_on__lte=end)
    in_force = issued_by_end & ~Q(repealed_on__lte=end) & ~Q(expired_on__lte=end)
    rows = (
        DisclosureItem.objects.filter(scope_q(organization, scope))
        .filter(
            kind=ItemKind.DOCUMENT,
            state=ItemState.PUBLISHED,
            revision_of__isnull=True,
            document_type__in=[DocumentType.REGULATION, DocumentType.NORMATIVE],
        )
        .values("document_type")
        .annotate(
            issued=Count("pk", filter=issued_in_year),
            repealed=Count("pk", filter=repealed_in_year),
            in_force=Count("pk", filter=in_force),
        )
        .order_by()
    )
    table = {key: {"issued": 0, "repealed": 0, "in_force": 0} for key, _l in tables.T2_DOCUMENT_ROWS}
    for row in rows:
        table[row["document_type"]] = {
            "issued": row["issued"],
            "repealed": row["repealed"],
            "in_force": row["in_force"],
        }
    figures = ProactiveFigures.objects.filter(scope_q(organization, scope), year=year).aggregate(
        licensing=Sum("licensing_decisions"),
        penalty=Sum("penalty_decisions"),
        enforcement=Sum("enforcement_decisions"),
        fees=Sum("fees_amount"),
        n=Count("pk"),
    )
    table["licensing"] = figures["licensing"] or 0
    table["penalty"] = figures["penalty"] or 0
    table["enforcement"] = figures["enforcement"] or 0
    table["fees_wan"] = tables.format_wan(figures["fees"] or Decimal(0))
    table["figures_entered"] = figures["n"]
    return table


# --- table 四 ------------------------------------------------------------------------------------


def table4(organization, scope, year):
    """Table 四: cases filed in the year, and earlier cases concluded in it, by result at the year's end.

    A case still undecided on 31 December is 尚未审结 even if it was decided
    later; a case filed earlier and still pending is not counted again.
    """
    start, end = year_bounds(year)
    counted = Q(filed_on__gte=start, filed_on__lte=end) | Q(
        filed_on__lt=start, concluded_on__gte=start, concluded_on__lte=end
    )
    decided = Q(concluded_on__isnull=False, concluded_on__lte=end)
    rows = (
        ReviewCase.objects.filter(scope_q(organization, scope))
        .filter(counted)
        .values("kind")
        .annotate(
            upheld=Count("pk", filter=decided & Q(result=CaseResult.UPHELD)),
            corrected=Count("pk", filter=decided & Q(result=CaseResult.CORRECTED)),
            other=Count("pk", filter=decided & Q(result=CaseResult.OTHER)),
            total=Count("pk"),
        )
        .order_by()
    )
    table = tables.empty_table4()
    for row in rows:
        if row["kind"] not in table:
            continue
        cells = table[row["kind"]]
        cells.update(upheld=row["upheld"], corrected=row["corrected"], other=row["other"], total=row["total"])
        cells["pending"] = row["total"] - row["upheld"] - row["corrected"] - row["other"]
    return table


# --- fees (section 六) ---------------------------------------------------------------------------


def fees(organization, scope, year):
    """Information-processing fees: notices issued and fees paid in the year (one query)."""
    start, end = year_bounds(year)
    paid = Q(fee_paid_on__gte=start, fee_paid_on__lte=end)
    result = Request.objects.filter(scope_q(organization, scope)).aggregate(
        notices=Count("pk", filter=Q(fee_notice_on__gte=start, fee_notice_on__lte=end)),
        paid=Count("pk", filter=paid),
        amount=Sum("fee_amount", filter=paid),
    )
    return {
        "notices": result["notices"],
        "paid": result["paid"],
        "amount": str((result["amount"] or Decimal(0)).quantize(Decimal("0.01"))),
    }


def report_data(organization, scope, year):
    """Everything a report's numbers are made of, as plain JSON-ready values."""
    data = {
        "format": 1,
        "table2": table2(organization, scope, year),
        "table3": table3(organization, scope, year),
        "table4": table4(organization, scope, year),
        "fees": fees(organization, scope, year),
    }
    if scope == ReportScope.SUBTREE:
        data["organizations"] = Organization.objects.filter(
            tree_id=organization.tree_id, lft__gte=organization.lft, rght__lte=organization.rght
        ).count()
    return data
