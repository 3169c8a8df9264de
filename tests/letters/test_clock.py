"""Letter deadlines against hand-counted dates across the 2026 Mid-Autumn and National Day holidays.

2026 (State Council schedule, in the seeded calendar): 09-25..09-27 Mid-Autumn off,
10-01..10-07 National Day off; 09-20 (Sun) and 10-10 (Sat) are make-up workdays.
"""

import datetime as dt

from letters import services
from letters.models import ReplyDeadline

D = dt.date


def test_ten_working_days_skip_national_day_and_count_the_makeup_saturday(county, today, write):
    today(D(2026, 9, 28))
    letter, _code = write(county.civil)
    # 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12 .. 10-16.
    assert letter.due_on == D(2026, 10, 16)


def test_a_letter_written_on_a_holiday_counts_from_the_first_working_day(county, today, write):
    today(D(2026, 10, 3))
    letter, _code = write(county.civil)
    # 10-08, 10-09, 10-10, 10-12 .. 10-16, 10-19, 10-20.
    assert letter.due_on == D(2026, 10, 20)


def test_the_makeup_sunday_before_mid_autumn_counts(county, today, write):
    today(D(2026, 9, 18))  # Friday
    ReplyDeadline.objects.create(organization=county.civil, kind="consult", working_days=3)
    letter, _code = write(county.civil)
    # 09-20 (make-up Sunday), 09-21, 09-22.
    assert letter.due_on == D(2026, 9, 22)


def test_deadline_per_organisation_and_kind_with_fallbacks(county, today, write):
    today(D(2026, 6, 1))
    ReplyDeadline.objects.create(organization=county.civil, kind="", working_days=5)
    ReplyDeadline.objects.create(organization=county.civil, kind="complain", working_days=15)
    consult, _ = write(county.civil, kind="consult")
    complaint, _ = write(county.civil, kind="complain")
    elsewhere, _ = write(county.east, kind="consult")
    assert consult.allowed_days == 5 and consult.due_on == D(2026, 6, 8)
    # 06-19 (Friday) is the Dragon Boat Festival.
    assert complaint.allowed_days == 15 and complaint.due_on == D(2026, 6, 23)
    assert elsewhere.allowed_days == 10 and elsewhere.due_on == D(2026, 6, 15)


def test_transfer_starts_the_receiving_organisations_clock(county, today, write):
    today(D(2026, 9, 24))
    ReplyDeadline.objects.create(organization=county.east, kind="", working_days=3)
    letter, _code = write(county.civil)
    today(D(2026, 9, 30))
    letter = services.transfer(county.officer, letter, to_organization=county.east, reason="属地事项")
    assert letter.organization == county.east
    assert letter.clock_start == D(2026, 9, 30) and letter.allowed_days == 3
    assert letter.due_on == D(2026, 10, 10)  # 10-08, 10-09, 10-10 (make-up Saturday)
    assert letter.received_on == D(2026, 9, 24)  # the writer's date stays


def test_extension_once_with_approval_adds_working_days(county, today, write):
    today(D(2026, 9, 28))
    letter, _code = write(county.civil)
    letter = services.accept(county.officer, letter)
    letter = services.request_extension(county.officer, letter, days=3, reason="需现场核实")
    assert letter.due_on == D(2026, 10, 16)  # unchanged until approved
    assert "request_extension" not in services.available_steps(county.officer, letter)
    assert "approve_extension" not in services.available_steps(county.officer, letter)
    assert "approve_extension" in services.available_steps(county.reviewer, letter)
    letter = services.approve_extension(county.reviewer, letter)
    assert letter.due_on == D(2026, 10, 21)
    assert "request_extension" not in services.available_steps(county.officer, letter)


def test_days_taken_counts_working_days_from_the_letter(county, today, write):
    today(D(2026, 9, 30))
    letter, _code = write(county.civil)
    letter = services.accept(county.officer, letter)
    today(D(2026, 10, 9))
    letter = services.reply(county.officer, letter, text="答复")
    assert letter.days_taken == 2  # 10-08, 10-09
    assert letter.on_time


def test_refresh_follows_a_corrected_calendar(county, today, write):
    from portal.models import CalendarDay, DayKind

    today(D(2026, 6, 1))
    letter, _code = write(county.civil)
    assert letter.due_on == D(2026, 6, 15)
    CalendarDay.objects.update_or_create(
        date=D(2026, 6, 3), defaults={"kind": DayKind.DAY_OFF, "name": "临时", "source": "manual"}
    )
    assert services.refresh_deadlines() == 1
    letter.refresh_from_db()
    assert letter.due_on == D(2026, 6, 16)
