"""The due date stored beside the clock segments stays what the clock computes (issue 10).

The workbench filters, counts and sorts in SQL on the stored date; these
tests change what the clock depends on — a segment, the request, the
calendar, the day — and check the stored value follows.
"""

import datetime as dt
import re

from django.urls import reverse

from portal.models import CalendarDay, DayKind
from requests_app import clock, clockstore, selectors, services
from requests_app.models import PauseReason, Request

D = dt.date


def stored(req):
    return Request.objects.values_list("clock_due_on", "clock_paused").get(pk=req.pk)


def computed(req, on=None):
    state = clock.compute(Request.objects.get(pk=req.pk), on=on)
    return (
        dt.date(state.due_date.year, state.due_date.month, state.due_date.day) if state.due_date else None,
        state.paused,
    )


def test_every_step_stores_the_clock_it_computes(in_handling, county, today):
    today(D(2026, 9, 1))
    req = in_handling(D(2026, 8, 20))
    assert stored(req) == computed(req) and stored(req)[0] is not None
    services.start_consultation(
        county.officer, req, reason=PauseReason.THIRD_PARTY, party="某公司（虚构）", on=D(2026, 8, 25)
    )
    assert stored(req) == computed(req) and stored(req)[1] is True
    before = stored(req)[0]
    today(D(2026, 9, 8))
    services.end_consultation(county.officer, req, on=D(2026, 9, 8))
    assert stored(req) == computed(req) and stored(req)[1] is False
    assert stored(req)[0] > before  # the pause pushed the due date out
    services.request_extension(county.officer, req, days=10, reason="信息量大", on=D(2026, 9, 8))
    services.approve_extension(county.reviewer, req, on=D(2026, 9, 8))
    assert stored(req) == computed(req)


def test_a_calendar_change_moves_every_open_due_date(in_handling, today, django_capture_on_commit_callbacks):
    today(D(2026, 9, 1))
    req = in_handling(D(2026, 9, 1))
    due = stored(req)[0]
    with django_capture_on_commit_callbacks(execute=True):
        # An administrator declares a local day off inside the reply period.
        CalendarDay.objects.create(date=D(2026, 9, 10), kind=DayKind.DAY_OFF, name="本地放假（测试）", source="local")
    assert stored(req) == computed(req)
    assert stored(req)[0] > due


def test_a_rolled_back_calendar_change_does_not_stop_later_ones(in_handling, today, django_capture_on_commit_callbacks):
    from django.db import transaction

    today(D(2026, 9, 1))
    req = in_handling(D(2026, 9, 1))
    due = stored(req)[0]
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                CalendarDay.objects.create(
                    date=D(2026, 9, 11), kind=DayKind.DAY_OFF, name="误录（测试）", source="local"
                )
                raise RuntimeError("the administrator's change failed")
        except RuntimeError:
            pass
    assert stored(req)[0] == due
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=D(2026, 9, 10), kind=DayKind.DAY_OFF, name="本地放假（测试）", source="local")
    assert stored(req) == computed(req) and stored(req)[0] > due


def test_a_paused_clock_is_recomputed_on_a_later_day(in_handling, county, today):
    today(D(2026, 9, 1))
    req = in_handling(D(2026, 8, 20))
    services.start_consultation(
        county.officer, req, reason=PauseReason.OTHER_AGENCY, party="县财政局", on=D(2026, 8, 25)
    )
    projected = stored(req)[0]
    today(D(2026, 9, 15))  # still paused: "if the clock resumed today" is two weeks later
    clockstore.refresh_stale()
    assert stored(req) == computed(req, on=D(2026, 9, 15))
    assert stored(req)[0] > projected


def test_workbench_counts_and_order_agree_with_the_clock_for_every_request(client, in_handling, county, today):
    today(D(2026, 9, 1))
    reqs = [in_handling(D(2026, 7, 1) + dt.timedelta(days=3 * i)) for i in range(20)]
    services.start_consultation(
        county.officer, reqs[-1], reason=PauseReason.THIRD_PARTY, party="甲（虚构）", on=D(2026, 9, 1)
    )
    queue, counts = selectors.workbench(county.officer)
    expected = {}
    for req in reqs:
        colour = clock.compute(Request.objects.get(pk=req.pk)).colour(D(2026, 9, 1))
        expected[colour] = expected.get(colour, 0) + 1
    assert {k: v for k, v in counts.items() if v} == expected
    assert expected.get(clock.Colour.OVERDUE) and expected.get(clock.Colour.DUE_SOON)
    dues = [r.clock_due_on for r in queue]
    assert dues == sorted(dues)
    client.force_login(county.officer)
    page = client.get(reverse("requests_staff:workbench"), {"colour": "due_soon"}).content.decode()
    assert page.count('class="rq-row rq-due_soon"') == expected[clock.Colour.DUE_SOON]
    assert re.search(rf'id="count-due-soon">{expected[clock.Colour.DUE_SOON]}<', page)


def test_the_refresh_command_restores_a_lost_clock(in_handling, today):
    from django.core.management import call_command

    today(D(2026, 9, 1))
    req = in_handling(D(2026, 8, 20))
    Request.objects.filter(pk=req.pk).update(clock_due_on=None, clock_computed_on=None)
    call_command("refresh_request_clocks", verbosity=0)
    assert stored(req) == computed(req) and stored(req)[0] is not None
