"""Queries the letters' pages share: the offices' queue, the public list, the statistics."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar

from . import clock
from .models import OPEN_STATES, Letter, LetterState, Rating

PER_PAGE = 20


def letters_for(user):
    """Letters of the user's organisation subtree (nothing without the view permission)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("letters.view_letter"):
        return Letter.objects.none()
    return Letter.objects.filter(organization__in=organization_scope(user))


@dataclass
class Row:
    letter: Letter
    colour: str
    colour_label: str
    days_left: int | None


SORTS = {"due": ["due_on", "pk"], "-received": ["-received_on", "-pk"], "received": ["received_on", "pk"]}


def queue(user, *, state="open", colour="", organization=None, kind="", query="", sort="due", on=None):
    """The offices' queue and its counts by colour, both in SQL over every matching letter."""
    on = on or clock.today()
    calendar = WorkingCalendar()
    soon = clock.due_soon_limit(on, calendar)
    qs = letters_for(user)
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in LetterState.values:
        qs = qs.filter(state=state)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(tracking_number__icontains=query) | Q(title__icontains=query) | Q(body__icontains=query))
    open_qs = qs.filter(state__in=OPEN_STATES)
    counts = open_qs.aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=on)),
        due_soon=Count("pk", filter=Q(due_on__gte=on, due_on__lte=soon)),
        on_track=Count("pk", filter=Q(due_on__gt=soon)),
    )
    if colour == clock.Colour.OVERDUE:
        qs = open_qs.filter(due_on__lt=on)
    elif colour == clock.Colour.DUE_SOON:
        qs = open_qs.filter(due_on__gte=on, due_on__lte=soon)
    elif colour == clock.Colour.ON_TRACK:
        qs = open_qs.filter(due_on__gt=soon)
    qs = qs.select_related("organization", "handler").order_by(*SORTS.get(sort, SORTS["due"]))
    return qs, counts, calendar


def rows(letters, calendar, on=None):
    on = on or clock.today()
    soon = clock.due_soon_limit(on, calendar)
    result = []
    for letter in letters:
        colour = clock.colour(letter, on, calendar, soon)
        result.append(Row(letter, colour, clock.colour_label(colour), clock.working_days_left(letter, on, calendar)))
    return result


def published(*, organization=None, kind="", year=None, query=""):
    qs = Letter.objects.published().select_related("organization")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(received_on__year=year)
    if query:
        qs = qs.filter(Q(public_title__icontains=query) | Q(public_body__icontains=query))
    return qs.order_by("-replied_on", "-pk")


# --- statistics -----------------------------------------------------------------


@dataclass
class StatRow:
    organization: str
    month: int | None
    received: int
    answered: int
    on_time: int
    average_days: float | None
    satisfied: int
    basic: int
    unsatisfied: int

    @property
    def rated(self):
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def satisfaction(self):
        """满意度: satisfied and basically satisfied among the rated answers, in per cent."""
        return round(100 * (self.satisfied + self.basic) / self.rated, 1) if self.rated else None

    @property
    def on_time_rate(self):
        return round(100 * self.on_time / self.answered, 1) if self.answered else None


STAT_HEADERS = (
    gettext_lazy("机构"),
    gettext_lazy("月份"),
    gettext_lazy("收信"),
    gettext_lazy("已答复"),
    gettext_lazy("按期答复"),
    gettext_lazy("按期答复率"),
    gettext_lazy("平均用时（工作日）"),
    gettext_lazy("满意"),
    gettext_lazy("基本满意"),
    gettext_lazy("不满意"),
    gettext_lazy("满意率"),
)


def statistics(year, organizations, organization=None):
    """Per organisation and month of receipt, then a total per organisation: one aggregate query."""
    qs = Letter.objects.filter(received_on__year=year, organization__in=organizations)
    if organization is not None:
        qs = qs.filter(organization=organization)
    answered = Q(state=LetterState.ANSWERED)
    data = (
        qs.annotate(month=ExtractMonth("received_on"))
        .values("organization", "organization__name", "organization__tree_id", "organization__lft", "month")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=answered & Q(replied_on__lte=F("due_on"))),
            average_days=Avg("days_taken", filter=answered),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basic=Count("pk", filter=Q(rating=Rating.BASIC)),
            unsatisfied=Count("pk", filter=Q(rating=Rating.UNSATISFIED)),
        )
        .order_by("organization__tree_id", "organization__lft", "month")
    )
    result, totals = [], {}
    for item in data:
        row = StatRow(
            item["organization__name"],
            item["month"],
            item["received"],
            item["answered"],
            item["on_time"],
            round(item["average_days"], 1) if item["average_days"] is not None else None,
            item["satisfied"],
            item["basic"],
            item["unsatisfied"],
        )
        result.append(row)
        total = totals.setdefault(item["organization"], [row.organization, 0, 0, 0, 0.0, 0, 0, 0])
        total[1] += row.received
        total[2] += row.answered
        total[3] += row.on_time
        total[4] += (item["average_days"] or 0) * row.answered
        total[5] += row.satisfied
        total[6] += row.basic
        total[7] += row.unsatisfied
    summary = [
        StatRow(name, None, rec, ans, ont, round(days / ans, 1) if ans else None, sat, bas, uns)
        for name, rec, ans, ont, days, sat, bas, uns in totals.values()
    ]
    return result, summary


def stat_cells(row):
    month = _("%(m)d月") % {"m": row.month} if row.month else _("全年")
    return [
        row.organization,
        month,
        row.received,
        row.answered,
        row.on_time,
        "" if row.on_time_rate is None else f"{row.on_time_rate}%",
        "" if row.average_days is None else row.average_days,
        row.satisfied,
        row.basic,
        row.unsatisfied,
        "" if row.satisfaction is None else f"{row.satisfaction}%",
    ]


CHARTS = ("monthly", "satisfaction")


def chart_tables(rows, summary):
    """The two charts' tables, from the statistics' own rows: the chart and its table cannot disagree.

    Drawn by :mod:`annual.charts` like the annual statistics pages (server-side SVG, no
    script); each is shown with this table beside it.
    """
    from annual.stats import Table

    months = {m: [0, 0] for m in range(1, 13)}
    for row in rows:
        months[row.month][0] += row.received
        months[row.month][1] += row.answered
    monthly = Table(
        "monthly",
        _("按收信月份的收信与答复"),
        [_("月份"), _("收信"), _("已答复")],
        [[_("%(m)d月") % {"m": m}, received, answered] for m, (received, answered) in months.items()],
    )
    counts = {
        Rating.SATISFIED: sum(r.satisfied for r in summary),
        Rating.BASIC: sum(r.basic for r in summary),
        Rating.UNSATISFIED: sum(r.unsatisfied for r in summary),
    }
    satisfaction = Table(
        "satisfaction",
        _("答复满意度评价"),
        [_("评价"), _("件数")],
        [[str(rating.label), n] for rating, n in counts.items()],
        chart="pie",
    )
    return [monthly, satisfaction]


# --- the links from a request to its letters ----------------------------------------


def request_link(request):
    """For ``requests_app.links``: the letter this request came from or became, or the 转为来信 step.

    The step's link is shown whenever the request was answered 不予处理 as 信访举报投诉类
    and not yet forwarded; the step's page checks who may take it.
    """
    from .forwarding import FORWARDABLE_OUTCOME

    links, forwarded = [], False
    for letter in Letter.objects.filter(Q(converted_request=request) | Q(from_request=request)).only(
        "pk", "tracking_number", "converted_request_id", "from_request_id"
    ):
        if letter.converted_request_id == request.pk:
            label = _("由来信 %(number)s 转来") % {"number": letter.tracking_number}
        else:
            label = _("已转为来信 %(number)s") % {"number": letter.tracking_number}
            forwarded = True
        links.append((label, reverse("letters_staff:detail", args=[letter.pk])))
    if request.outcome == FORWARDABLE_OUTCOME and request.replied_on is not None and not forwarded:
        links.append((_("转为来信"), reverse("letters_staff:forward_request", args=[request.pk])))
    return links
