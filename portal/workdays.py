"""Counting Chinese working days (工作日).

A working day is Monday-Friday that is not a day off, plus every make-up
workday (调休). The exceptions live in the database (:class:`CalendarDay`),
seeded from ``chinese-calendar`` and extended by administrators each November
when the State Council publishes the next year's schedule. For a year with no
schedule loaded we count weekdays minus the statutory holidays from the
``holidays`` package and mark every result *provisional*, so a deadline is
never wrong silently and never fails.

Periods follow the Civil Code: the triggering day is not counted (Art 201)
and a period ends on a working day (Art 203), which is what "the N-th working
day after" gives by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarDay, DayKind, ScheduleYear


class CountedDate(dt.date):
    """A date that also says whether it was counted provisionally.

    Arithmetic and ``replace`` keep the flag: a date derived from a
    provisional deadline is no surer than the deadline.
    """

    provisional: bool = False

    def __new__(cls, date_or_year, *args, provisional=False):
        if isinstance(date_or_year, dt.date):
            if args:
                (provisional,) = args
            obj = super().__new__(cls, date_or_year.year, date_or_year.month, date_or_year.day)
        else:
            # date's own arithmetic and pickling call type(self)(year, month, day)
            obj = super().__new__(cls, date_or_year, *args)
        obj.provisional = bool(provisional)
        return obj

    def _keep(self, value):
        if isinstance(value, dt.date):
            return CountedDate(value, self.provisional)
        return value

    def __add__(self, other):
        return self._keep(super().__add__(other))

    __radd__ = __add__

    def __sub__(self, other):
        return self._keep(super().__sub__(other))

    def replace(self, *args, **kwargs):
        return self._keep(super().replace(*args, **kwargs))

    def __reduce__(self):
        return (CountedDate, (dt.date(self.year, self.month, self.day), self.provisional))

    def __repr__(self):
        flag = ", provisional=True" if self.provisional else ""
        return f"CountedDate({self.year}, {self.month}, {self.day}{flag})"


class WorkdayCount(int):
    """A number of working days that also says whether it was counted provisionally."""

    provisional: bool = False

    def __new__(cls, value, provisional=False):
        obj = super().__new__(cls, value)
        obj.provisional = provisional
        return obj


@dataclass(frozen=True)
class DayNote:
    date: dt.date
    reason: str


@dataclass
class SpanExplanation:
    """Why a span has the working days it has: what was skipped and what was added."""

    start: dt.date
    end: dt.date
    working_days: int
    skipped: list[DayNote] = field(default_factory=list)
    makeup_workdays: list[DayNote] = field(default_factory=list)
    provisional_years: list[int] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


# The days of 《全国年节及纪念日放假办法》 as the ``holidays`` package names them.
STATUTORY_NAMES = {"元旦", "农历除夕", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Statutory holidays of a year without a loaded schedule, from ``holidays``.

    Only the statutory days themselves are kept: substitute days the package
    guesses (补假) and any joined rest days (休息日（由…调休）) are dropped, because
    only the State Council's schedule says which days are joined to a holiday.
    """
    import holidays

    days = holidays.China(years=year, language="zh_CN")
    result = {}
    for date, names in days.items():
        kept = [n.strip() for n in names.split(";") if n.strip() in STATUTORY_NAMES]
        if kept:
            result[date] = "、".join(kept)
    return result


class WorkingCalendar:
    """A read-through view of the stored calendar, loaded a year at a time.

    Create one per request or per batch (a queue of 100 requests) so the
    database is asked once per year touched, not once per date.
    """

    def __init__(self) -> None:
        self._years = {}

    def _year(self, year):
        if year not in self._years:
            days = {d.date: d for d in CalendarDay.objects.filter(date__year=year).only("date", "kind", "name")}
            scheduled = ScheduleYear.objects.filter(year=year).exists()
            self._years[year] = (days, scheduled)
        return self._years[year]

    def is_scheduled(self, year: int) -> bool:
        return self._year(year)[1]

    def day_note(self, date: dt.date) -> tuple[bool, str]:
        """Return (is_working, reason) for one date."""
        days, scheduled = self._year(date.year)
        stored = days.get(date)
        if stored is not None:
            return stored.kind == DayKind.WORKDAY, stored.name
        if date.weekday() >= 5:
            return False, _("周末")
        if not scheduled:
            name = statutory_holidays(date.year).get(date)
            if name:
                return False, _("%(name)s（法定节假日，当年放假安排未载入，暂按法定节日推算）") % {"name": name}
        return True, ""

    def is_working_day(self, date: dt.date) -> bool:
        """Whether ``date`` counts; the fast path of :meth:`day_note` (no reason text, no gettext)."""
        days, scheduled = self._year(date.year)
        stored = days.get(date)
        if stored is not None:
            return stored.kind == DayKind.WORKDAY
        if date.weekday() >= 5:
            return False
        return scheduled or date not in statutory_holidays(date.year)

    def add_working_days(self, start: dt.date, n: int) -> CountedDate:
        """The n-th working day after ``start`` (before it when n is negative)."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = start
        # Only the days looked at count: the start day itself is not counted (Art 201).
        provisional = n == 0 and not self.is_scheduled(start.year)
        while remaining:
            current += dt.timedelta(days=step)
            provisional = provisional or not self.is_scheduled(current.year)
            if self.is_working_day(current):
                remaining -= 1
        return CountedDate(current, provisional)

    def explain(self, start: dt.date, end: dt.date) -> SpanExplanation:
        """Explain the span (start, end]: the start day itself is not counted."""
        if end < start:
            start, end = end, start
        result = SpanExplanation(start=start, end=end, working_days=0)
        years = set()
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            years.add(current.year)
            working, reason = self.day_note(current)
            if working:
                result.working_days += 1
                if current.weekday() >= 5:
                    result.makeup_workdays.append(DayNote(current, reason))
            else:
                result.skipped.append(DayNote(current, reason))
        if not years:
            years.add(start.year)
        result.provisional_years = sorted(y for y in years if not self.is_scheduled(y))
        return result

    def working_days_between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days in (start, end]; negative when end is before start.

        Counts without building the day-by-day explanation (:meth:`explain`
        gives that): the workbench asks this for every open request.
        """
        sign = -1 if end < start else 1
        if end < start:
            start, end = end, start
        count = 0
        years = set()
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            years.add(current.year)
            if self.is_working_day(current):
                count += 1
        if not years:
            years.add(start.year)
        provisional = any(not self.is_scheduled(y) for y in years)
        return WorkdayCount(sign * count, provisional)


def today() -> dt.date:
    """The local date (settings.TIME_ZONE) every deadline and date of record counts from.

    One definition for every app; the requests clock's ``today()`` reads it and is the place
    tests pin the date.
    """
    return timezone.localdate()


def is_working_day(date: dt.date) -> bool:
    return WorkingCalendar().is_working_day(date)


def add_working_days(start: dt.date, n: int) -> CountedDate:
    return WorkingCalendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> WorkdayCount:
    return WorkingCalendar().working_days_between(start, end)


def explain_span(start: dt.date, end: dt.date) -> SpanExplanation:
    return WorkingCalendar().explain(start, end)
