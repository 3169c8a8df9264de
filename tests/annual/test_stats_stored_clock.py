"""The statistics judge replies by the stored clock (issue 10): the same numbers as the clock itself.

``annual.stats.reply_times`` no longer derives every reply's clock in Python;
it reads the due date :mod:`requests_app.clockstore` keeps on each request.
These tests build replies on every path the clock knows (quick, late, paused
for a third party, extended, and rows whose clock was never stored), compare
with the clock computed request by request, and check that a corrected
holiday reaches the stored date of a reply already concluded.
"""

import datetime as dt

from django.core.cache import cache

from annual import stats
from portal.models import CalendarDay, DayKind
from portal.workdays import add_working_days, working_days_between
from requests_app import clock, clockstore
from requests_app import services as rq
from requests_app.models import Outcome, Request

D = dt.date


def _reply(county, req, on, **kwargs):
    rq.begin_review(county.officer, req)
    rq.reply(county.officer, req, outcome=Outcome.DISCLOSED, decision="公开", on=on, **kwargs)
    return Request.objects.get(pk=req.pk)


def _expected(requests):
    """(on time, late, days) as the clock computes it for each reply, request by request."""
    on_time = late = 0
    days = []
    for req in requests:
        req = Request.objects.get(pk=req.pk)
        due = clock.compute(req, on=req.replied_on).due_date
        if due is None or req.replied_on <= due:
            on_time += 1
        else:
            late += 1
        days.append(working_days_between(req.receipt_date, req.replied_on))
    return on_time, late, sorted(days)


def test_reply_times_are_what_the_clock_says_for_every_kind_of_reply(county, intake, today):
    quick = _reply(county, intake(D(2025, 3, 3)), D(2025, 3, 5))
    late = _reply(county, intake(D(2025, 3, 3)), D(2025, 4, 30))

    consulted = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, consulted)
    rq.accept(county.officer, consulted, handler=county.officer)
    rq.start_consultation(county.officer, consulted, reason="third_party", party="某公司（虚构）", on=D(2025, 3, 5))
    rq.end_consultation(county.officer, consulted, on=D(2025, 3, 26))
    rq.reply(
        county.officer,
        consulted,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        decision="不予公开",
        legal_basis="条例",
        on=D(2025, 4, 10),
    )

    extended = intake(D(2025, 3, 3))
    rq.begin_review(county.officer, extended)
    rq.accept(county.officer, extended, handler=county.officer)
    rq.request_extension(county.officer, extended, days=15, reason="数量较大", on=D(2025, 3, 20))
    rq.approve_extension(county.reviewer, extended, on=D(2025, 3, 21))
    rq.reply(
        county.officer, extended, outcome=Outcome.DISCLOSED, decision="公开", on=add_working_days(D(2025, 3, 3), 30)
    )

    # Rows written around the services (an import, an old database): no stored clock; one of them late.
    unstored_quick = _reply(county, intake(D(2025, 5, 6)), D(2025, 5, 8))
    unstored_late = _reply(county, intake(D(2025, 5, 6)), D(2025, 7, 1))
    Request.objects.filter(pk__in=[unstored_quick.pk, unstored_late.pk]).update(
        clock_due_on=None, clock_computed_on=None, clock_paused=False
    )
    replies = [quick, late, consulted, extended, unstored_quick, unstored_late]

    expected = _expected(replies)
    assert expected[:2] == (4, 2)  # the late ones are late, the pause and the extension are not
    assert stats.reply_times(stats.Filters(None, 2025)) == expected
    assert stats.reply_times(stats.Filters(county.civil, 2025)) == expected
    assert stats.reply_times(stats.Filters(county.east, 2025)) == (0, 0, [])


def test_the_statistics_page_keeps_its_query_count_with_many_replies(client, county, intake, today, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Each request reads the generation again: otherwise one read less than a second ago is
    # trusted after ``cache.clear()``, and the page's chrome comes from this process's
    # fragments in one of the two requests only (whether it does depends on the host's speed).
    settings.PAGE_CACHE_FRONT_SECONDS = 0

    for day in (3, 4, 5):
        _reply(county, intake(D(2025, 3, day)), D(2025, 3, day + 7))
    client.get("/zwgk/annual-reports/statistics/", {"year": 2024})  # what any first request loads
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/zwgk/annual-reports/statistics/", {"year": 2025}).status_code == 200
    for day in range(10, 28):
        _reply(county, intake(D(2025, 3, day)), D(2025, 4, day))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        body = client.get("/zwgk/annual-reports/statistics/", {"year": 2025}).content.decode()
    assert len(many) == len(few)  # the bench counts 10 on PostgreSQL with Redis (no cache queries)
    assert "按期答复" in body


def test_a_corrected_holiday_reaches_a_reply_already_concluded(
    county, intake, today, django_capture_on_commit_callbacks
):
    receipt = D(2025, 3, 3)
    due = add_working_days(receipt, clock.REPLY_WORKING_DAYS)
    on_the_day = _reply(county, intake(receipt), due)
    long_before = _reply(county, intake(D(2024, 3, 4)), D(2024, 3, 8))
    filters = stats.Filters(None, 2025)
    assert stats.reply_times(filters)[:2] == (1, 0)

    saturday = next(
        receipt + dt.timedelta(days=n) for n in range(1, 30) if (receipt + dt.timedelta(days=n)).weekday() == 5
    )
    assert saturday < due
    assert set(clockstore.concluded_touched_by([(saturday, saturday)])) == {on_the_day}
    assert long_before not in set(clockstore.concluded_touched_by([(saturday, saturday)]))
    with django_capture_on_commit_callbacks(execute=True):
        # The administrator records a make-up working day the schedule had missed: the period ends a day sooner.
        CalendarDay.objects.create(date=saturday, kind=DayKind.WORKDAY, name="调休上班（测试）", source="local")

    stored = Request.objects.get(pk=on_the_day.pk)
    assert stored.clock_due_on == clock.compute(stored, on=stored.replied_on).due_date < due
    cache.delete(stats.reply_times_key(filters))
    assert stats.reply_times(filters)[:2] == (0, 1)  # replied on the old due date: now one day late
