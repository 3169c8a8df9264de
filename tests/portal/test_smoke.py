import datetime as dt

from portal.workdays import add_working_days


def test_national_day_2026_deadline(db):
    assert add_working_days(dt.date(2026, 9, 25), 20) == dt.date(2026, 10, 29)
