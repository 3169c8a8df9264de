"""The answer deadline in working days across the 2026 Mid-Autumn and National Day holidays.

2026: 09-25..09-27 Mid-Autumn off, 10-01..10-07 National Day off, 09-20 (Sun) and 10-10 (Sat)
make-up workdays. Each expected date was counted by hand; the day received is not counted.
"""

import datetime as dt

import pytest
from django.urls import reverse

from corrections import services

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 6, 1), D(2026, 6, 8)),  # an ordinary week
        (D(2026, 9, 18), D(2026, 9, 24)),  # Sunday 09-20 is a make-up workday
        (D(2026, 9, 30), D(2026, 10, 13)),  # National Day, then Saturday 10-10 worked
        (D(2026, 10, 3), D(2026, 10, 13)),  # received on a holiday
    ],
)
def test_five_working_days_by_the_official_schedule(county, today, received, due):
    today(received)
    report = services.submit(page_url="/", kind="typo", description="错字")
    assert report.received_on == received and report.due_on == due


def test_the_number_of_working_days_is_configurable(county, today, settings):
    settings.CORRECTION_RESPONSE_WORKING_DAYS = 10
    today(D(2026, 9, 30))
    assert services.submit(page_url="/", kind="typo", description="错字").due_on == D(2026, 10, 20)


def test_the_queue_flags_overdue_reports_and_an_answer_after_the_deadline_is_late(client, county, today):
    today(D(2026, 9, 30))
    report = services.submit(page_url="/", kind="typo", description="错字")
    client.force_login(county.county_clerk)
    today(D(2026, 10, 13))
    assert "已逾期" not in client.get(reverse("corrections_staff:queue")).content.decode()
    today(D(2026, 10, 14))
    assert "已逾期" in client.get(reverse("corrections_staff:queue")).content.decode()
    report = services.fix(county.county_clerk, report, answer="已改")
    assert report.overdue_on(today.date())
