"""The clock's due date stored beside the segments, so queues are filtered and sorted in SQL.

:mod:`requests_app.clock` stays the one derivation: this module only keeps
its answer (the due date, whether the clock is paused, and the day it was
computed) on the request row, and recomputes it whenever anything it
depends on changes:

* a segment is saved or deleted, or the request is saved (every service step
  saves it) — a signal receiver, so no step can forget;
* the working calendar changes (an administrator corrects a day or loads a
  year) — every open request and every concluded one whose clock spans the
  changed days (the annual statistics judge replies by the stored date),
  after the commit;
* the day changes while a clock is paused (the projected due date counts
  from today) — recomputed on the first read of a later day
  (:func:`refresh_stale`), and by ``refresh_request_clocks``.

The colour then follows in SQL from the stored date and two thresholds
computed once with the calendar: overdue before today, due soon before the
6th working day after today (at most 5 working days left), exactly as
:meth:`ClockResult.colour` decides it.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Case, CharField, Q, QuerySet, Value, When

from portal.oncommit import on_commit_once
from portal.workdays import WorkingCalendar

from . import clock
from .models import OPEN_STATUSES, ClockSegment, Request

FIELDS = ["clock_due_on", "clock_paused", "clock_computed_on"]


def _values(req, state, on):
    due = state.due_date
    return {
        "clock_due_on": dt.date(due.year, due.month, due.day) if due is not None else None,
        "clock_paused": bool(state.paused),
        "clock_computed_on": on,
    }


def refresh(queryset: QuerySet[Request], *, on: dt.date | None = None, calendar: WorkingCalendar | None = None) -> int:
    """Recompute and store the clocks of ``queryset``'s requests; returns how many."""
    on = on or clock.today()
    calendar = calendar or WorkingCalendar()
    changed = []
    from django.db.models import Prefetch

    qs = queryset.prefetch_related(Prefetch("segments", queryset=ClockSegment.objects.order_by("starts_on", "id")))
    for req in qs.iterator(chunk_size=2000):
        state = clock.compute(req, calendar=calendar, on=on)
        values = _values(req, state, on)
        if any(getattr(req, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(req, k, v)
            changed.append(req)
    for start in range(0, len(changed), 1000):
        Request.objects.bulk_update(changed[start : start + 1000], FIELDS)
    return len(changed)


def refresh_one(pk, on: dt.date | None = None) -> None:
    refresh(Request.objects.filter(pk=pk), on=on)


def stale(on: dt.date | None = None) -> QuerySet[Request]:
    """Open requests whose stored clock may be out of date today."""
    on = on or clock.today()
    return Request.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(clock_computed_on__isnull=True)
        | Q(clock_paused=True, clock_computed_on__lt=on)
        | Q(clock_computed_on__gt=on)  # a clock computed "in the future" (tests move today around)
    )


def refresh_stale(on: dt.date | None = None, calendar: WorkingCalendar | None = None) -> int:
    return refresh(stale(on), on=on, calendar=calendar)


def refresh_all_open() -> None:
    refresh(Request.objects.filter(status__in=OPEN_STATUSES))


def colour_expression(on: dt.date | None = None, calendar: WorkingCalendar | None = None) -> Case:
    """The colour of each row in SQL, as :meth:`ClockResult.colour` computes it for ``on``."""
    on = on or clock.today()
    calendar = calendar or WorkingCalendar()
    sixth = calendar.add_working_days(on, clock.DUE_SOON_WORKING_DAYS + 1)
    sixth = dt.date(sixth.year, sixth.month, sixth.day)
    C = clock.Colour
    return Case(
        When(Q(clock_due_on__isnull=True) | Q(concluded_on__isnull=False), then=Value(C.NONE)),
        When(clock_due_on__lt=on, then=Value(C.OVERDUE)),
        When(clock_due_on__lt=sixth, then=Value(C.DUE_SOON)),
        When(clock_paused=True, then=Value(C.PAUSED)),
        default=Value(C.ON_TRACK),
        output_field=CharField(),
    )


# --- keeping it current -------------------------------------------------------------


def _request_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= set(FIELDS)):
        return
    refresh_one(instance.pk)  # inside the step's transaction, under its row lock


def _segment_changed(sender, instance, raw=False, **kwargs):
    if raw or not instance.request_id:
        return
    refresh_one(instance.request_id)


_pending = threading.local()


def _changed_span(instance=None, years=None):
    """The dates a calendar change touched, or None when unknown (then every clock may move)."""
    from portal.models import CalendarDay, ScheduleYear

    if isinstance(instance, CalendarDay) and instance.date:
        return (instance.date, instance.date)
    if isinstance(instance, ScheduleYear) and instance.year:
        return (dt.date(instance.year, 1, 1), dt.date(instance.year, 12, 31))
    if years:
        return (dt.date(min(years), 1, 1), dt.date(max(years), 12, 31))
    return None


def concluded_touched_by(spans):
    """Concluded requests whose stored due date a change of the days in ``spans`` may move.

    A due date is the N-th working day after the clock starts (never before the
    receipt date), so only a day between the receipt and the stored due date can
    move it; a day after the due date or before the receipt cannot. The annual
    statistics count a reply as on time against this stored date, so a
    corrected holiday must reach concluded requests too, not only open ones.
    """
    closed = Request.objects.exclude(status__in=OPEN_STATUSES).filter(clock_computed_on__isnull=False)
    if any(span is None for span in spans):
        return closed
    touched = Q()
    for start, end in spans:
        touched |= Q(receipt_date__lte=end, clock_due_on__gte=start)
    return closed.filter(touched)


def refresh_after_calendar_change():
    spans = getattr(_pending, "spans", None) or [None]
    _pending.spans = []
    refresh_all_open()
    refresh(concluded_touched_by(spans))


def _calendar_changed(sender=None, instance=None, years=None, **kwargs):
    """Open clocks, and the concluded ones spanning the changed days, are recomputed after the commit.

    The changed spans gather until the commit; a rolled-back change leaves its
    span for the next one, which then recomputes a little more than it must.
    """
    if not hasattr(_pending, "spans"):
        _pending.spans = []
    _pending.spans.append(_changed_span(instance, years))
    on_commit_once(refresh_after_calendar_change)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from portal.models import CalendarDay, ScheduleYear
    from portal.signals import calendar_changed

    post_save.connect(_request_saved, sender=Request, dispatch_uid="clockstore-request")
    post_save.connect(_segment_changed, sender=ClockSegment, dispatch_uid="clockstore-segment-save")
    post_delete.connect(_segment_changed, sender=ClockSegment, dispatch_uid="clockstore-segment-delete")
    calendar_changed.connect(_calendar_changed, dispatch_uid="clockstore-calendar")
    for model in (CalendarDay, ScheduleYear):
        post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"clockstore-{model.__name__}-save")
        post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"clockstore-{model.__name__}-del")
