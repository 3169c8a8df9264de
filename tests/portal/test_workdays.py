"""Working days: fixed cases from the State Council schedules, properties, provisional years."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import services
from portal.models import CalendarDay, CalendarSource, DayKind, Role, ScheduleYear
from portal.workdays import (
    WorkingCalendar,
    add_working_days,
    explain_span,
    is_working_day,
    working_days_between,
)

D = dt.date
db_given = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


# --- fixed cases ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,n,expected,why",
    [
        (D(2026, 9, 25), 20, D(2026, 10, 29), "中秋 + 国庆 2026: 10-01..07 off, 10-10 Saturday worked"),
        (D(2026, 9, 18), 1, D(2026, 9, 20), "Sunday 2026-09-20 is a make-up workday"),
        (D(2026, 2, 10), 20, D(2026, 3, 16), "春节 2026: 02-15..23 off, 02-14 and 02-28 worked"),
        (D(2025, 12, 31), 1, D(2026, 1, 4), "元旦 2026: 01-01..03 off, Sunday 01-04 worked"),
        (D(2026, 4, 3), 1, D(2026, 4, 7), "清明 2026: 04-04..06 off"),
        (D(2026, 4, 30), 1, D(2026, 5, 6), "劳动节 2026: 05-01..05 off"),
        (D(2026, 5, 8), 1, D(2026, 5, 9), "Saturday 2026-05-09 is a make-up workday"),
        (D(2026, 6, 18), 1, D(2026, 6, 22), "端午 2026: 06-19..21 off"),
        (D(2026, 10, 9), 1, D(2026, 10, 10), "Saturday 2026-10-10 is a make-up workday"),
        (D(2025, 1, 24), 1, D(2025, 1, 26), "Sunday 2025-01-26 is a make-up workday"),
        (D(2025, 1, 27), 1, D(2025, 2, 5), "春节 2025: 01-28..02-04 off"),
        (D(2025, 2, 7), 1, D(2025, 2, 8), "Saturday 2025-02-08 is a make-up workday"),
        (D(2025, 4, 25), 1, D(2025, 4, 27), "Sunday 2025-04-27 is a make-up workday"),
        (D(2025, 4, 30), 1, D(2025, 5, 6), "劳动节 2025: 05-01..05 off"),
        (D(2025, 9, 26), 1, D(2025, 9, 28), "Sunday 2025-09-28 is a make-up workday"),
        (D(2025, 9, 30), 1, D(2025, 10, 9), "国庆 + 中秋 2025: 10-01..08 off"),
        (D(2025, 10, 10), 1, D(2025, 10, 11), "Saturday 2025-10-11 is a make-up workday"),
        # Counting back: 2026-09-25 is itself 中秋 (a day off), so the 20th working
        # day before 10-29 is the Thursday before it.
        (D(2026, 10, 29), -20, D(2026, 9, 24), "counting back over 国庆 and 中秋 2026"),
    ],
)
def test_fixed_deadlines(start, n, expected, why):
    result = add_working_days(start, n)
    assert result == expected, why
    assert result.provisional is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
    ],
)
def test_make_up_workdays_of_calendar_md_are_working_days(day):
    assert day.weekday() >= 5
    assert is_working_day(day)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 1),
        D(2026, 2, 16),
        D(2026, 2, 23),
        D(2026, 10, 7),
        D(2025, 10, 8),
        D(2025, 5, 5),
        D(2026, 9, 19),
        D(2026, 9, 26),
    ],
)
def test_days_off_and_plain_weekends_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.django_db
def test_working_days_between_is_the_inverse_of_a_known_deadline():
    assert working_days_between(D(2026, 9, 25), D(2026, 10, 29)) == 20
    assert working_days_between(D(2026, 10, 29), D(2026, 9, 25)) == -20
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2


@pytest.mark.django_db
def test_explanation_of_the_national_day_span():
    span = explain_span(D(2026, 9, 30), D(2026, 10, 10))
    assert span.working_days == 3  # 10-08, 10-09 and the Saturday 10-10
    assert [n.date for n in span.skipped] == [D(2026, 10, d) for d in range(1, 8)]
    assert all("国庆" in n.reason for n in span.skipped)
    assert [n.date for n in span.makeup_workdays] == [D(2026, 10, 10)]
    assert "调休" in span.makeup_workdays[0].reason
    assert not span.provisional


@pytest.mark.django_db
def test_plain_weekends_are_explained_as_weekends():
    span = explain_span(D(2026, 3, 6), D(2026, 3, 9))
    assert [(n.date, n.reason) for n in span.skipped] == [(D(2026, 3, 7), "周末"), (D(2026, 3, 8), "周末")]
    assert span.working_days == 1


@pytest.mark.django_db
def test_a_counted_date_survives_arithmetic_and_the_database():
    deadline = add_working_days(D(2026, 9, 25), 20)
    assert deadline + dt.timedelta(days=1) == D(2026, 10, 30)
    assert deadline - dt.timedelta(days=1) == D(2026, 10, 28)
    assert deadline - D(2026, 9, 25) == dt.timedelta(days=34)
    assert deadline.replace(day=1) == D(2026, 10, 1)
    assert CalendarDay.objects.filter(date__lte=deadline, date__gte=deadline.replace(day=1)).count() == 8
    CalendarDay.objects.create(date=deadline, kind=DayKind.DAY_OFF, name="测试", source=CalendarSource.LOCAL)
    assert CalendarDay.objects.get(date=D(2026, 10, 29)).name == "测试"


# --- properties ---------------------------------------------------------------------------------

dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2029, 12, 31))
counts = st.integers(min_value=1, max_value=260)


@pytest.fixture
def cal(db):
    return WorkingCalendar()


@db_given
@given(start=dates, n=counts)
def test_the_nth_working_day_is_a_working_day(cal, start, n):
    result = cal.add_working_days(start, n)
    assert result > start
    assert cal.is_working_day(result)


@db_given
@given(start=dates, n=counts)
def test_counting_the_span_gives_n_back(cal, start, n):
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n


@db_given
@given(start=dates, n=counts, extra=st.integers(min_value=1, max_value=30))
def test_more_working_days_end_later(cal, start, n, extra):
    assert cal.add_working_days(start, n) < cal.add_working_days(start, n + extra)


@db_given
@given(start=dates, n=counts)
def test_negative_counts_go_back_to_the_same_working_day(cal, start, n):
    while not cal.is_working_day(start):
        start += dt.timedelta(days=1)
    later = cal.add_working_days(start, n)
    assert cal.add_working_days(later, -n) == start
    earlier = cal.add_working_days(start, -n)
    assert earlier < start and cal.is_working_day(earlier)
    assert cal.working_days_between(start, earlier) == -n


@db_given
@given(start=dates, length=st.integers(min_value=0, max_value=400))
def test_an_explanation_accounts_for_every_day(cal, start, length):
    end = start + dt.timedelta(days=length)
    span = cal.explain(start, end)
    assert span.working_days + len(span.skipped) == length
    assert span.working_days == cal.working_days_between(start, end)
    assert all(note.reason for note in span.skipped)
    assert all(not cal.is_working_day(note.date) for note in span.skipped)
    listed = {note.date for note in span.makeup_workdays}
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() >= 5 and cal.is_working_day(day):
            assert day in listed
    assert all(note.reason for note in span.makeup_workdays)


@db_given
@given(start=st.dates(min_value=D(2027, 1, 1), max_value=D(2099, 12, 31)), n=counts)
def test_years_without_a_schedule_are_counted_provisionally_and_never_fail(cal, start, n):
    result = cal.add_working_days(start, n)
    assert result.provisional is True
    assert cal.is_working_day(result) and result.weekday() < 5
    assert cal.working_days_between(start, result).provisional is True
    assert cal.explain(start, result).provisional


# --- years without a schedule, and loading one ------------------------------------------------


@pytest.mark.django_db
def test_2027_has_no_schedule_yet_and_skips_only_statutory_days():
    assert not ScheduleYear.objects.filter(year=2027).exists()
    # 2027-10-01 is a Friday: the statutory 10-01..03 are skipped, and no 补假
    # Monday is guessed, so the next working day is Monday 10-04.
    result = add_working_days(D(2027, 9, 30), 1)
    assert result == D(2027, 10, 4)
    assert result.provisional is True
    span = explain_span(D(2027, 9, 30), D(2027, 10, 4))
    assert [n.date for n in span.skipped] == [D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]
    assert "国庆节" in span.skipped[0].reason and "未载入" in span.skipped[0].reason
    assert span.provisional_years == [2027]
    # Spring Festival 2027: eve 02-05 (Fri) and 02-06..08; 02-08 is a Monday.
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 9)
    # Weekdays are not turned into working weekends either.
    assert not is_working_day(D(2027, 9, 26))


@pytest.mark.django_db
def test_a_deadline_running_into_an_unloaded_year_is_provisional():
    result = add_working_days(D(2026, 12, 25), 10)
    assert result.year == 2027
    assert result.provisional is True
    assert working_days_between(D(2026, 12, 25), result).provisional is True
    assert add_working_days(D(2026, 11, 2), 10).provisional is False


@pytest.mark.django_db
def test_only_the_counted_days_make_a_result_provisional():
    assert not ScheduleYear.objects.filter(year=2003).exists()
    # Received on the last day of an unloaded year: that day itself is not counted.
    result = add_working_days(D(2003, 12, 31), 1)
    assert result.year == 2004 and result.provisional is False
    assert not explain_span(D(2003, 12, 31), result).provisional
    assert add_working_days(D(2027, 3, 1), 0).provisional is True
    assert add_working_days(D(2026, 3, 2), 0).provisional is False


NOTICE_2027_OFF = """\
2027-01-01 元旦
02-05~02-11 春节
2027-10-01~2027-10-07 国庆节
"""
NOTICE_2027_WORK = """\
2027-02-20 春节调休
09-26 国庆节调休
2027-10-09 国庆节调休
"""


@pytest.fixture
def county_admin(make_org, make_user):
    county = make_org("测试县人民政府")
    return make_user("county_admin", county, Role.ORG_ADMIN)


@pytest.mark.django_db
def test_loading_a_2027_schedule_ends_provisional_counting(county_admin):
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 4)
    services.load_year_schedule(
        county_admin, 2027, days_off=NOTICE_2027_OFF, workdays=NOTICE_2027_WORK, notice="国办发明电〔2026〕1号（测试）"
    )
    result = add_working_days(D(2027, 9, 30), 1)
    assert result == D(2027, 10, 8)
    assert result.provisional is False
    assert add_working_days(D(2027, 9, 24), 1) == D(2027, 9, 26)  # the entered Sunday
    assert add_working_days(D(2027, 10, 8), 1) == D(2027, 10, 9)  # the entered Saturday
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 12)
    span = explain_span(D(2027, 9, 30), D(2027, 10, 8))
    assert len(span.skipped) == 7 and not span.provisional
    assert span.skipped[0].reason == "国庆节"


@pytest.mark.django_db
def test_local_days_off_survive_reloading_the_schedule(county_admin):
    CalendarDay.objects.create(
        date=D(2027, 11, 15), kind=DayKind.DAY_OFF, name="本县纪念日（测试）", source=CalendarSource.LOCAL
    )
    assert add_working_days(D(2027, 11, 12), 1) == D(2027, 11, 16)
    for _ in range(2):
        services.load_year_schedule(county_admin, 2027, days_off=NOTICE_2027_OFF, workdays=NOTICE_2027_WORK)
    assert CalendarDay.objects.filter(date=D(2027, 11, 15), source=CalendarSource.LOCAL).exists()
    assert add_working_days(D(2027, 11, 12), 1) == D(2027, 11, 16)
    # A corrected notice replaces the official days and keeps the local one.
    services.load_year_schedule(county_admin, 2027, days_off="2027-10-01~2027-10-05 国庆节", workdays="")
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 6)
    assert not is_working_day(D(2027, 9, 26))
    assert not is_working_day(D(2027, 11, 15))
    assert ScheduleYear.objects.filter(year=2027).count() == 1


@pytest.mark.django_db
def test_package_years_can_be_replaced_by_an_administrator(county_admin):
    services.load_year_schedule(county_admin, 2026, days_off="2026-10-01~2026-10-03 国庆节", workdays="")
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 5)
    assert ScheduleYear.objects.get(year=2026).source == CalendarSource.ADMIN


# --- query count ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_twenty_working_days_cost_two_queries_per_year(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert add_working_days(D(2026, 9, 25), 20) == D(2026, 10, 29)
    with django_assert_max_num_queries(4):
        add_working_days(D(2025, 12, 20), 20)
    with django_assert_max_num_queries(4):
        explain_span(D(2025, 12, 20), D(2026, 1, 30))


def test_seed_calendar_command_adds_only_missing_years(db):
    import io

    from django.core.management import call_command

    from portal.models import CalendarDay, ScheduleYear

    ScheduleYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(date__year=2026).delete()
    assert add_working_days(dt.date(2026, 9, 25), 20) != dt.date(2026, 10, 29)
    out = io.StringIO()
    call_command("seed_calendar", stdout=out)
    assert "1 new year(s)" in out.getvalue()
    assert add_working_days(dt.date(2026, 9, 25), 20) == dt.date(2026, 10, 29)
    out = io.StringIO()
    call_command("seed_calendar", stdout=out)
    assert "0 new year(s)" in out.getvalue()
