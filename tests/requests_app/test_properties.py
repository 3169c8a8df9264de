"""Properties over random step sequences: pauses never pull a deadline earlier, archives stay closed."""

import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from requests_app import clock, services
from requests_app.models import ClockSegment, Request, Status

from .conftest import applicant

D = dt.date
START = D(2026, 8, 3)
PAUSING = {"request_supplement", "start_third_party", "start_other_agency"}
RESUMING = {"supplement", "end_consultation"}
VERBS = [
    "begin_review",
    "request_supplement",
    "supplement",
    "accept",
    "start_third_party",
    "start_other_agency",
    "end_consultation",
    "request_extension",
    "approve_extension",
    "reply",
    "withdraw",
    "archive",
    "close_unsupplemented",
    "process_deadlines",
]


def run(verb, req, county):
    officer, reviewer = county.officer, county.reviewer
    if verb == "begin_review":
        services.begin_review(officer, req)
    elif verb == "request_supplement":
        services.request_supplement(officer, req, items="请写明文号")
    elif verb == "supplement":
        services.supplement(req, text="文号", actor=officer)
    elif verb == "accept":
        services.accept(officer, req, handler=officer)
    elif verb == "start_third_party":
        services.start_consultation(officer, req, reason="third_party", party="某公司")
    elif verb == "start_other_agency":
        services.start_consultation(officer, req, reason="other_agency", party="县财政局")
    elif verb == "end_consultation":
        services.end_consultation(officer, req)
    elif verb == "request_extension":
        services.request_extension(officer, req, days=10, reason="数量较大")
    elif verb == "approve_extension":
        services.approve_extension(reviewer, req)
    elif verb == "reply":
        services.reply(officer, req, outcome="1", decision="予以公开")
    elif verb == "withdraw":
        services.withdraw(req)
    elif verb == "archive":
        services.archive(officer, req)
    elif verb == "close_unsupplemented":
        services.close_unsupplemented(officer, req)
    elif verb == "process_deadlines":
        services.process_deadlines()


def snapshot(req):
    fresh = Request.objects.get(pk=req.pk)
    return fresh, fresh.clock


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(VERBS), st.integers(min_value=0, max_value=6)), max_size=14))
def test_random_step_sequences(county, today, steps):
    today(START)
    req, _code = services.intake(county.officer, county.civil, channel="in_person", receipt_date=START, **applicant())
    due_before_pause = None
    archived = False
    for verb, days in steps:
        today(today.date() + dt.timedelta(days=days))
        before, before_clock = snapshot(req)
        try:
            run(verb, req, county)
            succeeded = True
        except ValidationError:
            succeeded = False
        after, after_clock = snapshot(req)
        if not succeeded:
            # A refused step changes nothing.
            assert (after.status, after.version) == (before.status, before.version)
        if archived:
            assert after.status == Status.ARCHIVED and after.version == before.version
        if after.status == Status.ARCHIVED:
            archived = True
        if not succeeded:
            continue
        if verb in PAUSING and not before_clock.paused and before_clock.due_date and before.is_open:
            due_before_pause = before_clock.due_date
        if due_before_pause and after_clock.due_date and after.is_open:
            # Paused (projected) or resumed: never earlier than before the pause.
            assert after_clock.due_date >= due_before_pause, (verb, after_clock.due_date, due_before_pause)
        if verb in RESUMING or not after_clock.paused:
            due_before_pause = None if not after_clock.paused else due_before_pause
    final = Request.objects.get(pk=req.pk)
    event(f"ended {final.status}")
    assert final.segments.filter(ends_on__isnull=True).count() <= 1
    if not final.is_open:
        assert final.outcome and final.concluded_on
        assert not final.segments.filter(ends_on__isnull=True).exists()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    receipt=st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 11, 30)),
    gap=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=40),
)
def test_a_pause_never_moves_the_due_date_earlier(db, receipt, gap, length):
    """Pure clock: the same request with and without a pause of any length at any point."""
    req = Request(receipt_date=receipt)
    plain = clock.compute(req, segments=[ClockSegment(kind="running", starts_on=receipt)], on=receipt)
    pause_start = receipt + dt.timedelta(days=gap)
    pause_end = pause_start + dt.timedelta(days=length)
    segments = [
        ClockSegment(kind="running", starts_on=receipt, ends_on=pause_start),
        ClockSegment(kind="paused", reason="other_agency", starts_on=pause_start, ends_on=pause_end),
        ClockSegment(kind="running", starts_on=pause_end),
    ]
    paused = clock.compute(req, segments=segments, on=pause_end)
    assert paused.due_date >= plain.due_date
    if pause_start >= plain.due_date:
        assert paused.due_date == plain.due_date  # a pause after the deadline revives nothing


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    receipt=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 11, 30)),
    gap=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=40),
    open_pause=st.booleans(),
    reason=st.sampled_from(["other_agency", "supplement", "third_party"]),
)
def test_the_workbench_clock_without_explanation_has_the_same_dates(db, receipt, gap, length, open_pause, reason):
    """The workbench's rows (explain=False) show the due date, days left and colour of the request page."""
    req = Request(receipt_date=receipt)
    pause_start = receipt + dt.timedelta(days=gap)
    pause_end = pause_start + dt.timedelta(days=length)
    segments = [
        ClockSegment(kind="running", starts_on=receipt, ends_on=pause_start),
        ClockSegment(kind="paused", reason=reason, starts_on=pause_start, ends_on=None if open_pause else pause_end),
    ]
    if not open_pause:
        segments.append(ClockSegment(kind="running", starts_on=pause_end))
    on = pause_end + dt.timedelta(days=3)
    full = clock.compute(req, segments=segments, on=on)
    short = clock.compute(req, segments=segments, on=on, explain=False)
    for result in (full, short):
        result.facts = (
            result.due_date,
            result.provisional,
            result.provisional_years,
            result.paused,
            result.used,
            result.colour(on),
            result.working_days_left(on),
        )
    assert short.facts == full.facts
