"""Disclosure statistics: the tables behind the public statistics page and the staff dashboard.

Each table is computed by its own function from grouped queries, so a chart
or a CSV asks only for the table it shows. Reply times need the statutory
clock (pauses do not count): its due date is stored on each request
(:mod:`requests_app.clockstore`), so whether a reply was on time is SQL; the
working days from receipt to reply are counted once per distinct pair of days
with one shared calendar. Counts are ``COUNT(*)``, which PostgreSQL answers
from the date indexes alone (``COUNT(id)`` would read every row).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry
from disclosure.models import DisclosureItem
from portal.inputs import id_param, int_param
from portal.models import Organization
from portal.workdays import WorkingCalendar
from requests_app import clock
from requests_app.models import OUTCOME_GROUPS, ClockSegment, Request

from .models import REPORTING_KINDS
from .selectors import year_bounds


def month_label(m):
    return _("%(m)d月") % {"m": m}


DAY_BUCKETS = [(0, 5), (6, 10), (11, 15), (16, 20), (21, 40), (41, None)]


@dataclass
class Filters:
    organization: Organization | None
    year: int

    def querystring(self):
        parts = [f"year={self.year}"]
        if self.organization is not None:
            parts.append(f"org={self.organization.pk}")
        return "&".join(parts)


def parse_filters(params, organizations, default=None):
    """Organisation (within ``organizations``, else ``default``) and year from the query string.

    Bad values fall back; staff pass their own organisation as ``default`` so
    "no filter" never means more than their subtree.
    """
    this_year = clock.today().year
    year = int_param(params, "year", this_year, minimum=2008, maximum=this_year)
    organization = None
    org = id_param(params, "org")
    if org is not None:
        organization = organizations.filter(pk=org).first()
    return Filters(organization or default, year)


@dataclass
class Table:
    name: str
    title: str
    headers: list
    rows: list = field(default_factory=list)
    chart: str = "bar"  # bar, hbar, pie
    note: str = ""

    @property
    def has_data(self):
        return any(isinstance(v, (int, float)) and v for row in self.rows for v in row[1:])


def _org_q(filters, prefix="organization"):
    org = filters.organization
    if org is None:
        return Q()
    return Q(**{f"{prefix}__tree_id": org.tree_id, f"{prefix}__lft__gte": org.lft, f"{prefix}__rght__lte": org.rght})


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def concluded_counts(filters):
    """{(month, outcome): n} of the requests concluded in the year: the monthly and outcome tables share it."""
    start, end = year_bounds(filters.year)
    return {
        (m, outcome): n
        for m, outcome, n in Request.objects.filter(
            _org_q(filters), receipt_date__isnull=False, concluded_on__gte=start, concluded_on__lte=end
        )
        .annotate(m=ExtractMonth("concluded_on"))
        .values("m", "outcome")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("m", "outcome", "n")
    }


def monthly(filters, counts=None):
    start, end = year_bounds(filters.year)
    received = dict(
        Request.objects.filter(_org_q(filters), receipt_date__gte=start, receipt_date__lte=end)
        .annotate(m=ExtractMonth("receipt_date"))
        .values("m")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("m", "n")
    )
    concluded = {}
    for (m, _outcome), n in (concluded_counts(filters) if counts is None else counts).items():
        concluded[m] = concluded.get(m, 0) + n
    rows = [[month_label(m), received.get(m, 0), concluded.get(m, 0)] for m in range(1, 13)]
    return Table("monthly", _("每月收到和办结的政府信息公开申请"), [_("月份"), _("收到申请"), _("办结")], rows)


def outcomes(filters, by_month=None):
    counts = {}
    for (_m, outcome), n in (concluded_counts(filters) if by_month is None else by_month).items():
        counts[outcome] = counts.get(outcome, 0) + n
    rows = []
    for code, label, members in OUTCOME_GROUPS:
        n = sum(counts.get(o.value, 0) for o in members)
        if code == "6":
            n += counts.get("", 0)
        rows.append([str(label), n])
    total = sum(r[1] for r in rows)
    for row in rows:
        row.append(f"{row[1] / total:.1%}" if total else "—")
    return Table("outcomes", _("办理结果"), [_("办理结果"), _("件数"), _("占比")], rows, chart="pie")


def _replies(filters):
    """The replies of the year (received, then concluded in the year by a reply)."""
    start, end = year_bounds(filters.year)
    return Request.objects.filter(
        _org_q(filters),
        receipt_date__isnull=False,
        replied_on__isnull=False,
        concluded_on__gte=start,
        concluded_on__lte=end,
    )


REPLY_TIMES_CACHE_SECONDS = 300


class _DayIndex:
    """Working days counted once over a span of dates: (start, end] becomes one subtraction."""

    def __init__(self, calendar, first, last):
        self.first = first
        self.cumulative = [0]
        day = first
        while day < last:
            day += dt.timedelta(days=1)
            self.cumulative.append(self.cumulative[-1] + calendar.is_working_day(day))

    def between(self, start, end):
        return self.cumulative[(end - self.first).days] - self.cumulative[(start - self.first).days]


def reply_times_key(filters):
    return f"annual-reply-times:{filters.organization.pk if filters.organization else 'all'}:{filters.year}"


def reply_times(filters):
    """(on time, late, working days from receipt to reply for each reply), kept for a few minutes.

    On time means replied by the due date of the statutory clock, which
    :mod:`requests_app.clockstore` keeps on every request row (recomputed on
    every step, segment and calendar change): so one grouped query per
    (receipt day, reply day) answers it for a county's tens of thousands of
    replies. A request whose clock was never stored (rows loaded around the
    services) gets its clock derived here from its segments, as before. The
    page, its charts and its CSV files ask for the same numbers in separate
    requests, hence the short cache.
    """
    key = reply_times_key(filters)
    cached = cache.get(key)
    if cached is not None:
        return cached
    replies = _replies(filters)
    stored = Q(clock_computed_on__isnull=False)
    pairs = list(
        replies.values("receipt_date", "replied_on")
        .annotate(
            n=Count("*"),
            late=Count("pk", filter=stored & Q(clock_due_on__lt=F("replied_on"))),
            unstored=Count("pk", filter=~stored),
        )
        .order_by()
        .values_list("receipt_date", "replied_on", "n", "late", "unstored")
    )
    calendar = WorkingCalendar()
    on_time = late = 0
    days = []
    if pairs:
        index = _DayIndex(calendar, min(p[0] for p in pairs), max(p[1] for p in pairs))
    for receipt, replied, n, n_late, unstored in pairs:
        days.extend([max(index.between(receipt, replied), 0) if replied >= receipt else 0] * n)
        on_time += n - n_late - unstored
        late += n_late
    if any(p[4] for p in pairs):
        unstored_rows = replies.filter(~stored).prefetch_related(
            Prefetch("segments", queryset=ClockSegment.objects.order_by("starts_on", "id"))
        )
        for req in unstored_rows.iterator(chunk_size=500):
            due = clock.compute(req, calendar=calendar, on=req.replied_on, segments=list(req.segments.all())).due_date
            if due is None or req.replied_on <= due:
                on_time += 1
            else:
                late += 1
    days.sort()
    result = (on_time, late, days)
    cache.set(key, result, REPLY_TIMES_CACHE_SECONDS)
    return result


def percentile(values, share):
    """Nearest-rank percentile: the smallest value at or above ``share`` of the values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def timeliness(filters, times=None):
    on_time, late, days = times or reply_times(filters)
    total = on_time + late
    average = f"{sum(days) / len(days):.1f}" if days else "—"
    p90 = percentile(days, 0.9)
    rows = [
        [_("作出答复"), total],
        [_("按期答复"), on_time],
        [_("逾期答复"), late],
        [_("按期答复率"), f"{on_time / total:.1%}" if total else "—"],
        [_("平均答复用时（工作日）"), average],
        [_("90%的答复在以下工作日内作出"), p90 if p90 is not None else "—"],
    ]
    return Table(
        "timeliness",
        _("答复是否按期"),
        [_("项目"), _("数值")],
        rows,
        chart="pie",
        note=_(
            "按期：在法定答复期限（含依法延长、扣除补正和征求意见等不计算在内的期间）内答复。"
            "用时：自收到申请之日至答复之日的工作日数。"
        ),
    )


def reply_days(filters, times=None):
    _on_time, _late, days = times or reply_times(filters)
    rows = []
    for low, high in DAY_BUCKETS:
        label = (
            _("%(a)d—%(b)d个工作日") % {"a": low, "b": high}
            if high is not None
            else _("%(a)d个工作日以上") % {"a": low - 1}
        )
        rows.append([label, sum(1 for d in days if d >= low and (high is None or d <= high))])
    return Table("reply_days", _("答复用时分布"), [_("用时"), _("件数")], rows)


def items_monthly(filters):
    start, end = year_bounds(filters.year)
    counts = dict(
        DisclosureItem.objects.public()
        .filter(_org_q(filters), published_at__gte=_aware(start), published_at__lt=_aware(end + dt.timedelta(days=1)))
        .annotate(m=ExtractMonth("published_at"))
        .values("m")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("m", "n")
    )
    rows = [[month_label(m), counts.get(m, 0)] for m in range(1, 13)]
    return Table("items_monthly", _("每月主动公开政府信息"), [_("月份"), _("发布条数")], rows)


def items_by_domain(filters):
    start, end = year_bounds(filters.year)
    through = DisclosureItem.catalog_entries.through
    items = DisclosureItem.objects.public().filter(
        _org_q(filters), published_at__gte=_aware(start), published_at__lt=_aware(end + dt.timedelta(days=1))
    )
    counts = dict(
        through.objects.filter(disclosureitem__in=items)
        .values("catalogentry__tree_id")
        .annotate(n=Count("disclosureitem", distinct=True))
        .order_by()
        .values_list("catalogentry__tree_id", "n")
    )
    domains = CatalogEntry.objects.filter(parent__isnull=True, tree_id__in=list(counts)).order_by("tree_id")
    rows = sorted(([d.name, counts[d.tree_id]] for d in domains), key=lambda r: -r[1])
    return Table(
        "items_domains",
        _("各领域主动公开政府信息"),
        [_("领域"), _("发布条数")],
        rows,
        chart="hbar",
        note=_("一条信息对应多个领域的，在每个领域各计一次。"),
    )


def coverage(filters, organizations):
    """Per organisation: its catalog's proactive entries, how many have a published item, how many are late."""
    from disclosure.selectors import coverage as entry_coverage

    orgs = organizations.filter(kind__in=REPORTING_KINDS)
    if filters.organization is not None:
        org = filters.organization
        orgs = orgs.filter(tree_id=org.tree_id, lft__gte=org.lft, rght__lte=org.rght)
    rows = []
    for org in orgs.order_by("tree_id", "lft"):
        entries = entry_coverage(org)
        if not entries:
            continue
        covered = sum(1 for e in entries if e.status != "missing")
        late = sum(1 for e in entries if e.status == "late")
        rows.append([org.display_name, len(entries), covered, late, f"{covered / len(entries):.0%}"])
    return Table(
        "coverage",
        _("各机构目录覆盖情况"),
        [_("机构"), _("应主动公开事项"), _("已有公开信息"), _("其中逾期"), _("覆盖率")],
        rows,
        chart="hbar",
        note=_("按各机构目录中需要主动公开的末级事项统计，截至今日。"),
    )


PUBLIC_TABLES = ["monthly", "outcomes", "timeliness", "reply_days", "items_monthly", "items_domains"]
STAFF_TABLES = PUBLIC_TABLES + ["coverage"]
BUILDERS = {
    "monthly": monthly,
    "outcomes": outcomes,
    "timeliness": timeliness,
    "reply_days": reply_days,
    "items_monthly": items_monthly,
    "items_domains": items_by_domain,
}


def build(names, filters, organizations):
    """The named tables, sharing the reply times and the concluded counts between the tables that need them."""
    times = reply_times(filters) if {"timeliness", "reply_days"} & set(names) else None
    counts = concluded_counts(filters) if {"monthly", "outcomes"} & set(names) else None
    result = []
    for name in names:
        if name == "coverage":
            result.append(coverage(filters, organizations))
        elif name in ("timeliness", "reply_days"):
            result.append(BUILDERS[name](filters, times))
        elif name in ("monthly", "outcomes"):
            result.append(BUILDERS[name](filters, counts))
        else:
            result.append(BUILDERS[name](filters))
    return result
