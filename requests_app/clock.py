"""The statutory reply clock, derived from a request's segments.

Nothing here is stored: the due date is recomputed from the dated segments
(:class:`~requests_app.models.ClockSegment`) and the working-day calendar each
time, so it always agrees with the calendar an administrator may have
corrected, and every day of it can be explained.

Rules (Regulations Art 30–34, Civil Code Art 201/203):

* 20 working days from the receipt date, the receipt day itself not counted;
* a 补正 (supplement) pauses the clock and the 20 days start again from the
  day the supplemented application is received (a segment with
  ``restarts_clock``);
* consultation of a third party or another agency and the time between a fee
  notice and payment do not count (paused segments);
* an approved extension adds at most 20 working days, once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import workdays
from portal.workdays import CountedDate, SpanExplanation, WorkdayCount, WorkingCalendar

REPLY_WORKING_DAYS = 20  # Art 33
MAX_EXTENSION_DAYS = 20  # Art 33
SUPPLEMENT_NOTICE_WORKING_DAYS = 7  # Art 30
THIRD_PARTY_WORKING_DAYS = 15  # Art 32
FEE_PAYMENT_WORKING_DAYS = 20  # unconfirmed, see requests.md
DUE_SOON_WORKING_DAYS = 5


def today() -> dt.date:
    """The date every step and deadline is measured against (:func:`portal.workdays.today`); tests replace it."""
    return workdays.today()


class Colour:
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    NONE = "none"

    LABELS = {
        ON_TRACK: gettext_lazy("正常"),
        DUE_SOON: gettext_lazy("5个工作日内到期"),
        OVERDUE: gettext_lazy("已超期"),
        PAUSED: gettext_lazy("暂停计时"),
        NONE: "",
    }


@dataclass
class ExplanationLine:
    """One line of "why is the due date this day", for staff and applicant alike.

    ``internal`` lines (naming a consulted party) are left out of the public page.
    """

    label: str
    text: str
    details: list[str] = field(default_factory=list)
    internal_details: list[str] = field(default_factory=list)


@dataclass
class ClockResult:
    started: bool = False
    receipt_date: dt.date | None = None
    clock_start: dt.date | None = None
    allowed: int = REPLY_WORKING_DAYS
    extension_days: int = 0
    used: int = 0
    due_date: CountedDate | None = None
    original_due_date: CountedDate | None = None
    paused: bool = False
    pause_reason: str = ""
    pause_since: dt.date | None = None
    pause_deadline: dt.date | None = None
    projected: bool = False
    provisional: bool = False
    provisional_years: list[int] = field(default_factory=list)
    concluded_on: dt.date | None = None
    lines: list[ExplanationLine] = field(default_factory=list)
    _calendar: WorkingCalendar | None = None

    def working_days_left(self, on: dt.date | None = None) -> int | None:
        """Working days from ``on`` to the due date; negative once overdue."""
        if self.due_date is None:
            return None
        on = on or today()
        return self._calendar.working_days_between(on, self.due_date)

    def colour(self, on: dt.date | None = None) -> str:
        if self.due_date is None or self.concluded_on is not None:
            return Colour.NONE
        on = on or today()
        if on > self.due_date:
            return Colour.OVERDUE
        left = self.working_days_left(on)
        if left <= DUE_SOON_WORKING_DAYS:
            return Colour.DUE_SOON
        return Colour.PAUSED if self.paused else Colour.ON_TRACK

    def colour_label(self, on: dt.date | None = None) -> str:
        return str(Colour.LABELS[self.colour(on)])

    @property
    def pause_reason_label(self) -> str:
        from .models import PauseReason

        return str(PauseReason(self.pause_reason).label) if self.pause_reason else ""

    @property
    def replied_in_time(self) -> bool | None:
        if self.concluded_on is None or self.due_date is None:
            return None
        return self.concluded_on <= self.due_date


def _ranges(notes):
    """Group consecutive skipped days with the same reason: "10-01至10-07 国庆节"."""
    groups = []
    for note in notes:
        if groups and groups[-1][2] == note.reason and (note.date - groups[-1][1]).days == 1:
            groups[-1][1] = note.date
        else:
            groups.append([note.date, note.date, note.reason])
    result = []
    for start, end, reason in groups:
        if start == end:
            result.append(f"{start:%m-%d} {reason}")
        else:
            result.append(f"{start:%m-%d}至{end:%m-%d} {reason}")
    return result


def _explain_span(calendar, start, end):
    span = calendar.explain(start, end)
    details = []
    holidays = [n for n in span.skipped if n.reason != _("周末")]
    weekends = [n for n in span.skipped if n.reason == _("周末")]
    if holidays:
        details.append(_("跳过节假日：%(days)s") % {"days": "；".join(_ranges(holidays))})
    if weekends:
        details.append(_("跳过周末%(n)d天") % {"n": len(weekends)})
    if span.makeup_workdays:
        details.append(
            _("调休上班日照常计入：%(days)s")
            % {"days": "；".join(f"{n.date:%m-%d} {n.reason}" for n in span.makeup_workdays)}
        )
    for year in span.provisional_years:
        details.append(_("%(year)d年放假安排尚未载入，该年按周一至周五扣除法定节日暂行推算") % {"year": year})
    return span, details


def _span_facts(calendar, start, end):
    """What the clock needs of the span (start, end] without its explanation: working days, provisional years.

    The same numbers as :func:`_explain_span`, without a reason text (a
    gettext call) for every skipped day: the workbench shows 50 due dates, not
    their explanations.
    """
    if end < start:
        start, end = end, start
    first = (start + dt.timedelta(days=1)).year if end > start else start.year
    years = [y for y in range(first, end.year + 1 if end > start else first + 1) if not calendar.is_scheduled(y)]
    return SpanExplanation(start=start, end=end, working_days=int(calendar.working_days_between(start, end))), years


def compute(
    request,
    *,
    calendar: WorkingCalendar | None = None,
    on: dt.date | None = None,
    segments=None,
    explain: bool = True,
) -> ClockResult:
    """The clock of ``request`` as of ``on`` (today by default).

    ``explain=False`` leaves the day-by-day details out of ``lines`` (the
    skipped holidays and weekends of each span); dates, days and colours are the same.
    """
    from .models import ExtensionStatus, PauseReason, SegmentKind

    calendar = calendar or WorkingCalendar()
    on = on or today()
    if segments is None:
        segments = sorted(request.segments.all(), key=lambda s: (s.starts_on, s.pk or 0))
    extension = request.extension_days if request.extension_status == ExtensionStatus.APPROVED else 0
    result = ClockResult(
        receipt_date=request.receipt_date,
        extension_days=extension,
        _calendar=calendar,
        concluded_on=request.concluded_on,
    )
    result.allowed = REPLY_WORKING_DAYS + extension
    if not segments:
        return result
    result.started = True
    years = set()

    crossed = crossed_original = False
    used = 0
    for seg in segments:
        if seg.kind == SegmentKind.RUNNING:
            if seg.restarts_clock or result.clock_start is None:
                used = 0
                crossed = crossed_original = False
                result.clock_start = seg.starts_on
                if seg.restarts_clock:
                    result.lines.append(
                        ExplanationLine(
                            _("收到补正"),
                            _("%(date)s 收到补正后的申请（当日不计入），答复期限重新起算") % {"date": seg.starts_on},
                        )
                    )
                else:
                    result.lines.append(
                        ExplanationLine(
                            _("收到申请"),
                            _("%(date)s（当日不计入）") % {"date": seg.starts_on},
                        )
                    )
            if not crossed:
                candidate = calendar.add_working_days(seg.starts_on, result.allowed - used)
                result.due_date = candidate
                crossed = seg.ends_on is not None and candidate <= seg.ends_on
            if not crossed_original:
                candidate = calendar.add_working_days(seg.starts_on, REPLY_WORKING_DAYS - used)
                result.original_due_date = candidate
                crossed_original = seg.ends_on is not None and candidate <= seg.ends_on
            shown_end = seg.ends_on or result.due_date
            if shown_end < seg.starts_on:
                shown_end = seg.starts_on
            if explain:
                span, details = _explain_span(calendar, seg.starts_on, shown_end)
                years.update(span.provisional_years)
            else:
                span, provisional_years = _span_facts(calendar, seg.starts_on, shown_end)
                details = []
                years.update(provisional_years)
            if seg.ends_on is not None:
                used += span.working_days
                text = _("%(start)s 至 %(end)s，计入%(n)d个工作日") % {
                    "start": seg.starts_on,
                    "end": seg.ends_on,
                    "n": span.working_days,
                }
            else:
                text = _("自 %(start)s 起计时，至 %(end)s 为第%(n)d个工作日") % {
                    "start": seg.starts_on,
                    "end": shown_end,
                    "n": used + span.working_days,
                }
            result.lines.append(ExplanationLine(_("计时"), text, details))
        else:
            label = _("暂停计时（%(reason)s）") % {"reason": seg.get_reason_display()}
            if seg.ends_on is not None:
                text = _("%(start)s 至 %(end)s，不计入答复期限") % {"start": seg.starts_on, "end": seg.ends_on}
            else:
                text = _("自 %(start)s 起暂停") % {"start": seg.starts_on}
            details = []
            if seg.deadline:
                if seg.reason == PauseReason.THIRD_PARTY:
                    details.append(_("第三方答复期限：%(date)s（15个工作日）") % {"date": seg.deadline})
                elif seg.reason == PauseReason.SUPPLEMENT:
                    details.append(_("补正期限：%(date)s") % {"date": seg.deadline})
                elif seg.reason == PauseReason.FEE:
                    details.append(_("缴费期限：%(date)s") % {"date": seg.deadline})
            internal = [_("被征求意见方：%(party)s") % {"party": seg.party}] if seg.party else []
            result.lines.append(ExplanationLine(label, text, details, internal))
    result.used = used

    last = segments[-1]
    if last.kind == SegmentKind.PAUSED and not crossed:
        result.paused = last.ends_on is None
        if result.paused:
            result.pause_reason = last.reason
            result.pause_since = last.starts_on
            result.pause_deadline = last.deadline
        resume_from = last.ends_on or max(on, last.starts_on)
        remaining = result.allowed if last.reason == PauseReason.SUPPLEMENT else result.allowed - used
        result.due_date = calendar.add_working_days(resume_from, max(remaining, 0))
        result.projected = result.paused
        if result.paused:
            if explain:
                span, details = _explain_span(calendar, resume_from, result.due_date)
                years.update(span.provisional_years)
            else:
                details = []
                years.update(_span_facts(calendar, resume_from, result.due_date)[1])
            if last.reason == PauseReason.SUPPLEMENT:
                text = _("补正后重新计算20个工作日；若今天收到补正，答复期限为 %(date)s") % {"date": result.due_date}
            else:
                text = _("尚余%(n)d个工作日；若今天恢复计时，答复期限为 %(date)s") % {
                    "n": remaining,
                    "date": result.due_date,
                }
            result.lines.append(ExplanationLine(_("恢复后"), text, details))
    if extension:
        result.lines.append(
            ExplanationLine(
                _("延期"),
                _("经批准延长%(n)d个工作日（原答复期限 %(original)s）")
                % {"n": extension, "original": result.original_due_date},
            )
        )
    if result.due_date is not None:
        provisional = bool(years) or getattr(result.due_date, "provisional", False)
        if provisional:
            years.update(y for y in (result.due_date.year,) if not calendar.is_scheduled(y))
        result.provisional = provisional
        result.provisional_years = sorted(years)
        result.due_date = CountedDate(result.due_date, provisional)
        label = _("答复期限（推算）") if result.projected else _("答复期限")
        result.lines.append(
            ExplanationLine(
                label,
                _("%(date)s（共%(n)d个工作日）") % {"date": result.due_date, "n": result.allowed},
                [_("含暂未载入放假安排的年份，日期为暂行推算，以当年公布的放假安排为准")] if provisional else [],
            )
        )
    return result


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingCalendar | None = None) -> int:
    return (calendar or WorkingCalendar()).working_days_between(start, end)


def add_working_days(start: dt.date, n: int, calendar: WorkingCalendar | None = None) -> dt.date:
    return (calendar or WorkingCalendar()).add_working_days(start, n)


__all__ = ["ClockResult", "Colour", "compute", "today", "WorkdayCount"]
