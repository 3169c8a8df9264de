"""State changes of the core: the calendar and organisations.

Each function checks permission, runs in a transaction and writes the audit log.
"""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import CalendarDay, CalendarSource, DayKind, ScheduleYear
from .permissions import ensure_perm


def seed_calendar_from_package(day_model=CalendarDay, year_model=ScheduleYear):
    """Load every year ``chinese-calendar`` knows, without touching admin-entered years.

    Returns the number of years seeded. Safe to run again: a year already
    loaded (by the package or an administrator) is left as it is. The data
    migration passes its historical models in.
    """
    from chinese_calendar import constants

    by_year = {}
    for date, name in constants.holidays.items():
        by_year.setdefault(date.year, []).append((date, DayKind.DAY_OFF, name))
    for date, name in constants.workdays.items():
        by_year.setdefault(date.year, []).append((date, DayKind.WORKDAY, name))
    chinese = {h.value: h.chinese for h in constants.Holiday}
    loaded = set(year_model.objects.values_list("year", flat=True))
    seeded = 0
    with transaction.atomic():
        for year, days in sorted(by_year.items()):
            if year in loaded:
                continue
            day_model.objects.bulk_create(
                [
                    day_model(
                        date=date,
                        kind=kind,
                        name=chinese.get(name, name) + ("调休" if kind == DayKind.WORKDAY else ""),
                        source=CalendarSource.PACKAGE,
                    )
                    for date, kind, name in days
                ],
                ignore_conflicts=True,
            )
            year_model.objects.create(year=year, source=CalendarSource.PACKAGE, notice="chinese-calendar")
            seeded += 1
    return seeded


_LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2})"
    r"(?:\s*(?:~|至|到|—|--)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}))?"
    r"\s+(?P<name>\S.*)$"
)


def parse_schedule_lines(year, text, field_label):
    """Parse "2027-10-01~2027-10-07 国庆节" lines (the year may be left out).

    Raises ValidationError naming the line that cannot be read.
    """
    result = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            raise ValidationError(
                _("%(field)s第%(line)d行“%(text)s”无法识别，应写成“2027-10-01~2027-10-07 国庆节”。"),
                params={"field": field_label, "line": number, "text": line},
            )

        def to_date(value):
            parts = [int(p) for p in value.split("-")]
            if len(parts) == 2:
                parts.insert(0, year)
            try:
                return dt.date(*parts)
            except ValueError as exc:
                raise ValidationError(
                    _("%(field)s第%(line)d行的日期“%(value)s”不存在。"),
                    params={"field": field_label, "line": number, "value": value},
                ) from exc

        start = to_date(match["start"])
        end = to_date(match["end"]) if match["end"] else start
        if end < start or start.year != year or end.year != year:
            raise ValidationError(
                _("%(field)s第%(line)d行的日期不在%(year)d年内或起止颠倒。"),
                params={"field": field_label, "line": number, "year": year},
            )
        day = start
        while day <= end:
            result.append((day, match["name"].strip()))
            day += dt.timedelta(days=1)
    return result


def parse_schedule(year, days_off, workdays):
    """Both lists of a yearly notice, checked against each other."""
    off = parse_schedule_lines(year, days_off, _("放假日期"))
    work = parse_schedule_lines(year, workdays, _("调休上班日期"))
    clash = {d for d, _n in off} & {d for d, _n in work}
    if clash:
        raise ValidationError(
            _("同一天不能既放假又上班：%(days)s"),
            params={"days": "、".join(str(d) for d in sorted(clash))},
        )
    if not off:
        raise ValidationError(_("请至少填写一个放假日期。"))
    return off, work


@transaction.atomic
def load_year_schedule(actor, year, *, days_off, workdays, notice="", source=CalendarSource.ADMIN):
    """Replace a year's official schedule with the one an administrator typed in.

    Local extra days off of that year are kept; the year stops being provisional.
    """
    ensure_perm(actor, "portal.add_scheduleyear")
    off, work = parse_schedule(year, days_off, workdays)
    CalendarDay.objects.filter(date__year=year).exclude(source=CalendarSource.LOCAL).delete()
    local = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, kind=DayKind.DAY_OFF, name=n, source=source) for d, n in off if d not in local]
        + [
            CalendarDay(date=d, kind=DayKind.WORKDAY, name=n, source=source)
            for d, n in work
            if d not in local
        ]
    )
    schedule, created = ScheduleYear.objects.update_or_create(
        year=year, defaults={"source": source, "notice": notice}
    )
    audit.record(
        actor, schedule, _("录入年度放假安排") if created else _("更新年度放假安排"),
        comment=_("放假%(off)d天，调休上班%(work)d天。%(notice)s")
        % {"off": len(off), "work": len(work), "notice": notice},
    )
    return schedule
