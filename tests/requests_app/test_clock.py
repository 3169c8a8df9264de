"""The reply clock against hand-counted cases across the 2026 Mid-Autumn and National Day holidays.

2026 around the holidays (State Council schedule): 09-25..09-27 Mid-Autumn off,
10-01..10-07 National Day off, 09-20 (Sun) and 10-10 (Sat) make-up workdays.
Each expected date below was counted by hand from that schedule.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.models import ScheduleYear
from requests_app import services
from requests_app.models import PauseReason

D = dt.date


def due(req):
    req.refresh_from_db()
    req.__dict__.pop("clock", None)
    return req.clock.due_date


def test_twenty_working_days_across_national_day(intake, today):
    today(D(2026, 9, 25))
    req, _code = intake(D(2026, 9, 25))
    assert due(req) == D(2026, 10, 29)
    explanation = " ".join(f"{line.text} {' '.join(line.details)}" for line in req.clock.lines)
    assert "10-01至10-07 国庆节" in explanation
    assert "10-10" in explanation and "调休" in explanation
    assert "2026-09-25（当日不计入）" in explanation
    assert not req.clock.provisional


def test_receipt_on_a_holiday_counts_from_the_next_working_day(intake, today):
    today(D(2026, 10, 3))
    req, _code = intake(D(2026, 10, 3))
    # 10-08 is the first working day counted, 10-10 (Saturday) is a make-up workday.
    assert due(req) == D(2026, 11, 3)


def test_third_party_consultation_pauses_the_clock(in_handling, county, today):
    today(D(2026, 9, 25))
    req = in_handling(D(2026, 9, 25))
    today(D(2026, 9, 30))
    services.start_consultation(county.officer, req, reason=PauseReason.THIRD_PARTY, party="某公司")
    req.refresh_from_db()
    pause = req.segments.get(ends_on__isnull=True)
    assert pause.deadline == D(2026, 10, 27)  # 15 working days after the letter
    assert req.clock.paused
    today(D(2026, 10, 15))
    services.end_consultation(county.officer, req)
    # 3 days used (09-28..09-30); 17 remain from 10-15.
    assert due(req) == D(2026, 11, 9)
    labels = [line.label for line in req.clock.lines]
    assert "暂停计时（征求第三方意见）" in labels


def test_extension_adds_twenty_working_days(in_handling, county, today):
    today(D(2026, 9, 25))
    req = in_handling(D(2026, 9, 25))
    today(D(2026, 10, 20))
    services.request_extension(county.officer, req, days=20, reason="数量较大")
    services.approve_extension(county.reviewer, req)
    assert due(req) == D(2026, 11, 26)
    assert req.clock.original_due_date == D(2026, 10, 29)
    assert req.notices.filter(kind="extension").exists()


def test_pause_then_extension(in_handling, county, today):
    today(D(2026, 9, 25))
    req = in_handling(D(2026, 9, 25))
    today(D(2026, 9, 30))
    services.start_consultation(county.officer, req, reason=PauseReason.OTHER_AGENCY, party="县财政局")
    today(D(2026, 10, 15))
    services.end_consultation(county.officer, req)
    today(D(2026, 11, 2))
    services.request_extension(county.officer, req, days=20, reason="需要汇总")
    services.approve_extension(county.reviewer, req)
    assert due(req) == D(2026, 12, 7)


def test_supplement_restarts_the_clock(intake, county, today):
    today(D(2026, 9, 25))
    req, _code = intake(D(2026, 9, 25))
    services.begin_review(county.officer, req)
    today(D(2026, 9, 29))
    services.request_supplement(county.officer, req, items="请写明文号")
    today(D(2026, 10, 9))
    services.supplement(req, text="文号为测政〔2026〕1号")
    assert due(req) == D(2026, 11, 5)
    assert req.status == "under_review"


def test_supplement_notice_only_within_seven_working_days(intake, county, today):
    today(D(2026, 9, 25))
    req, _code = intake(D(2026, 9, 25))
    today(D(2026, 10, 13))  # the 7th working day after 09-25 is 10-12
    with pytest.raises(ValidationError, match="7个工作日"):
        services.request_supplement(county.officer, req, items="请写明文号")
    assert services.supplement_notice_deadline(req) == D(2026, 10, 12)


def test_a_pause_after_the_deadline_does_not_revive_it(in_handling, county, today):
    today(D(2026, 9, 25))
    req = in_handling(D(2026, 9, 25))
    today(D(2026, 11, 2))
    services.start_consultation(county.officer, req, reason=PauseReason.OTHER_AGENCY, party="县财政局")
    assert due(req) == D(2026, 10, 29)
    assert req.clock.colour(D(2026, 11, 2)) == "overdue"


def test_deadline_in_a_year_without_schedule_is_provisional_and_says_so(intake, today):
    ScheduleYear.objects.filter(year=2027).delete()
    today(D(2026, 12, 15))
    req, _code = intake(D(2026, 12, 15))
    result = due(req)
    # 2027-01-01 is the statutory New Year holiday; no make-up days are known.
    assert result == D(2027, 1, 13)
    assert req.clock.provisional and result.provisional
    assert 2027 in req.clock.provisional_years
    assert any("2027年放假安排尚未载入" in d for line in req.clock.lines for d in line.details)


def test_loading_the_schedule_removes_the_provisional_mark(intake, today):
    from portal.models import CalendarSource

    ScheduleYear.objects.filter(year=2027).delete()
    today(D(2026, 12, 15))
    req, _code = intake(D(2026, 12, 15))
    assert due(req).provisional
    ScheduleYear.objects.create(year=2027, source=CalendarSource.ADMIN, notice="测试")
    assert not due(req).provisional


def test_working_days_left_and_colour(in_handling, today):
    today(D(2026, 9, 25))
    req = in_handling(D(2026, 9, 25))
    state = req.clock
    assert state.working_days_left(D(2026, 10, 22)) == 5
    assert state.colour(D(2026, 10, 22)) == "due_soon"
    assert state.colour(D(2026, 10, 21)) == "on_track"
    assert state.colour(D(2026, 10, 29)) == "due_soon"
    assert state.colour(D(2026, 10, 30)) == "overdue"
    assert state.working_days_left(D(2026, 11, 2)) == -2
