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
from .permissions import ensure_perm, ensure_portal_wide


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
    # The package's short Chinese names ("清明", "中秋") become the names the notices use.
    full = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
    chinese = {h.value: full.get(h.chinese, h.chinese) for h in constants.Holiday}
    loaded = set(year_model.objects.values_list("year", flat=True))
    seeded = []
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
            seeded.append(year)
    if seeded and day_model is CalendarDay:
        from .signals import calendar_changed

        calendar_changed.send(sender=CalendarDay, years=seeded)
    return len(seeded)


_DATE = r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_DATE_PARTS = re.compile(r"^(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?:(?P<m>\d{1,2})\s*[-/.月]\s*)?(?P<d>\d{1,2})\s*日?$")
_LINE = re.compile(
    rf"^(?P<start>{_DATE})"
    rf"(?:\s*(?:~|～|至|到|——|—|–|－|--)\s*(?P<end>{_DATE}|\d{{1,2}}\s*日))?"
    r"\s*(?P<name>[^\s\d~～至到—–\-－/.].*)$"
)
NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length


def _to_date(value, year, month=None):
    parts = _DATE_PARTS.match(value.strip())
    y = int(parts["y"]) if parts["y"] else year
    m = int(parts["m"]) if parts["m"] else month
    return dt.date(y, m, int(parts["d"]))


def parse_schedule_lines(year, text, field_label, example=None):
    """Parse "2027-10-01~2027-10-07 国庆节" lines (the year may be left out).

    "10月1日至7日 国庆节" and "2027/10/1 国庆节" are read too, since that is
    how the notice and Chinese input methods write them. Returns a list of
    (date, name, line number); raises ValidationError naming every line that
    cannot be used.
    """
    result = []
    errors = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = {
            "field": field_label,
            "line": number,
            "text": line,
            "year": year,
            "example": (example or "{year}-10-01~{year}-10-07 国庆节").format(year=year),
        }
        match = _LINE.match(line)
        if not match:
            errors.append(
                ValidationError(
                    _("%(field)s第%(line)d行“%(text)s”无法识别，应写成“%(example)s”。"),
                    params=where,
                )
            )
            continue
        name = match["name"].strip()
        if len(name) > NAME_MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("%(field)s第%(line)d行的名称超过%(max)d个字。"),
                    params={**where, "max": NAME_MAX_LENGTH},
                )
            )
            continue
        try:
            start = _to_date(match["start"], year)
            end = _to_date(match["end"], year, start.month) if match["end"] else start
        except ValueError:
            errors.append(
                ValidationError(
                    _("%(field)s第%(line)d行“%(text)s”中的日期不存在。"),
                    params=where,
                )
            )
            continue
        if start.year != year or end.year != year:
            errors.append(
                ValidationError(
                    _("%(field)s第%(line)d行“%(text)s”的日期不在%(year)d年内。"),
                    params=where,
                )
            )
            continue
        if end < start:
            errors.append(
                ValidationError(
                    _("%(field)s第%(line)d行“%(text)s”的起止日期颠倒。"),
                    params=where,
                )
            )
            continue
        day = start
        while day <= end:
            result.append((day, name, number))
            day += dt.timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return result


def _merge_days(days):
    """One (date, name, line) per date: a date listed twice keeps both names ("国庆节、中秋节")."""
    merged = {}
    for day, name, line in days:
        if day in merged:
            old_name, old_line = merged[day]
            if name not in old_name.split("、"):
                name = f"{old_name}、{name}"[:NAME_MAX_LENGTH]
            else:
                name = old_name
            merged[day] = (name, old_line)
        else:
            merged[day] = (name, line)
    return [(day, name, line) for day, (name, line) in sorted(merged.items())]


WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def parse_schedule(year, days_off, workdays):
    """Both lists of a yearly notice, checked against each other.

    Returns two lists of (date, name, line number). A make-up workday must be a
    Saturday or Sunday (a weekday is a working day anyway, so one there is a
    typo), and no date may be both a day off and a working day.
    """
    off_label, work_label = _("放假日期"), _("调休上班日期")
    errors = []
    try:
        off = _merge_days(parse_schedule_lines(year, days_off, off_label))
    except ValidationError as exc:
        errors.extend(exc.error_list)
        off = []
    try:
        # A make-up workday is one date: its example must not show the holiday's date range.
        work = _merge_days(parse_schedule_lines(year, workdays, work_label, example="{year}-09-26 国庆节调休"))
    except ValidationError as exc:
        errors.extend(exc.error_list)
        work = []
    for day, _name, line in work:
        if day.weekday() < 5:
            errors.append(
                ValidationError(
                    _("%(field)s第%(line)d行：%(date)s是%(weekday)s，本来就是工作日；调休上班日应为星期六或星期日。"),
                    params={
                        "field": work_label,
                        "line": line,
                        "date": day.isoformat(),
                        "weekday": WEEKDAY_NAMES[day.weekday()],
                    },
                )
            )
    off_lines = {day: line for day, _name, line in off}
    for day, _name, line in work:
        if day in off_lines:
            errors.append(
                ValidationError(
                    _(
                        "%(date)s既在%(off_field)s第%(off_line)d行，又在%(work_field)s第%(work_line)d行："
                        "同一天不能既放假又上班。"
                    ),
                    params={
                        "date": day.isoformat(),
                        "off_field": off_label,
                        "off_line": off_lines[day],
                        "work_field": work_label,
                        "work_line": line,
                    },
                )
            )
    if not off and not errors:
        errors.append(ValidationError(_("请至少填写一个放假日期。")))
    if errors:
        raise ValidationError(errors)
    return off, work


@transaction.atomic
def load_year_schedule(actor, year, *, days_off, workdays, notice="", source=CalendarSource.ADMIN):
    """Replace a year's official schedule with the one an administrator typed in.

    Local extra days off of that year are kept; the year stops being provisional.
    """
    ensure_perm(actor, "portal.add_scheduleyear")
    ensure_portal_wide(actor)
    off, work = parse_schedule(year, days_off, workdays)
    CalendarDay.objects.filter(date__year=year).exclude(source=CalendarSource.LOCAL).delete()
    local = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, kind=DayKind.DAY_OFF, name=n, source=source) for d, n, _l in off if d not in local]
        + [CalendarDay(date=d, kind=DayKind.WORKDAY, name=n, source=source) for d, n, _l in work if d not in local]
    )
    schedule, created = ScheduleYear.objects.update_or_create(year=year, defaults={"source": source, "notice": notice})
    audit.record(
        actor,
        schedule,
        _("录入年度放假安排") if created else _("更新年度放假安排"),
        comment=_("放假%(off)d天，调休上班%(work)d天。%(notice)s")
        % {"off": len(off), "work": len(work), "notice": notice},
    )
    return schedule
