"""Queries shared by the workbench, the export, the reminders and the public status page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q

from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar

from . import clock
from .models import (
    APPLICANT_NOTICE_KINDS,
    OPEN_STATUSES,
    PUBLIC_FILE_KINDS,
    ClockSegment,
    Notice,
    Request,
    RequestFile,
    Status,
)
from .privacy import ApplicantView, can_view_personal_data


def requests_for(user):
    """Requests of the user's organisation subtree (nothing for users without the view permission)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("requests_app.view_request"):
        return Request.objects.none()
    return Request.objects.filter(organization__in=organization_scope(user))


def with_clock_data(queryset):
    return queryset.select_related("organization", "handler").prefetch_related(
        Prefetch("segments", queryset=ClockSegment.objects.order_by("starts_on", "id"))
    )


@dataclass
class Row:
    request: Request
    clock: clock.ClockResult
    colour: str
    colour_label: str
    days_left: int | None
    applicant: ApplicantView


SORTS = {
    "due": [F("clock_due_on").asc(nulls_last=True), "pk"],
    "-due": [F("clock_due_on").desc(nulls_last=True), "-pk"],
    "receipt": [F("receipt_date").asc(nulls_last=True), "pk"],
    "-receipt": [F("receipt_date").desc(nulls_last=True), "-pk"],
    "number": ["registration_year", "registration_serial", "pk"],
}


def workbench(user, *, status="open", colour="", organization=None, handler=None, query="", sort="due", on=None):
    """The officials' queue as a query ordered by due date, with its counts by colour.

    Colours, counts and order are computed in SQL over *every* matching
    request from the due date stored beside the clock segments
    (:mod:`requests_app.clockstore`); the day-by-day clock is computed only for
    the rows shown (:func:`workbench_rows`). One calendar object serves them all.
    """
    from . import clockstore

    on = on or clock.today()
    calendar = WorkingCalendar()
    clockstore.refresh_stale(on, calendar)
    qs = requests_for(user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if handler is not None:
        qs = qs.filter(handler=handler)
    if query:
        qs = qs.filter(
            Q(tracking_number__icontains=query)
            | Q(registration_number__icontains=query)
            | Q(description__icontains=query)
        )
    qs = qs.annotate(clock_colour=clockstore.colour_expression(on, calendar))
    counts = {
        c: 0
        for c in (
            clock.Colour.ON_TRACK,
            clock.Colour.DUE_SOON,
            clock.Colour.OVERDUE,
            clock.Colour.PAUSED,
            clock.Colour.NONE,
        )
    }
    counts.update(
        dict(qs.order_by().values_list("clock_colour").annotate(n=Count("pk")).values_list("clock_colour", "n"))
    )
    if colour:
        qs = qs.filter(clock_colour=colour)
    return qs.order_by(*SORTS.get(sort, SORTS["due"])), counts


def workbench_rows(requests, on=None, calendar=None):
    """Rows for the requests shown: the full clock (explanation, days left) of these only."""
    on = on or clock.today()
    calendar = calendar or WorkingCalendar()
    requests = list(requests)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        requests,
        "organization",
        "handler",
        Prefetch("segments", queryset=ClockSegment.objects.order_by("starts_on", "id")),
    )
    rows = []
    for req in requests:
        state = clock.compute(req, calendar=calendar, on=on)
        req.__dict__["clock"] = state
        rows.append(
            Row(
                request=req,
                clock=state,
                colour=state.colour(on),
                colour_label=state.colour_label(on),
                days_left=state.working_days_left(on) if state.concluded_on is None else None,
                applicant=ApplicantView(req, full=False),
            )
        )
    return rows


def status_counts(user):
    from django.db.models import Count

    return dict(requests_for(user).values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def due_soon_or_overdue(on=None):
    """Open, clocked requests due within 5 working days or overdue: for the reminder command."""
    on = on or clock.today()
    calendar = WorkingCalendar()
    qs = with_clock_data(Request.objects.filter(status__in=OPEN_STATUSES).exclude(status=Status.RECEIVED))
    result = []
    for req in qs:
        state = clock.compute(req, calendar=calendar, on=on)
        if state.colour(on) in (clock.Colour.DUE_SOON, clock.Colour.OVERDUE):
            result.append((req, state))
    return result


def applicant_view(user, req):
    return ApplicantView(req, full=can_view_personal_data(user, req))


def masked_notice(notice):
    """A copy of a notice for staff outside the target organisation: the applicant's name masked.

    Notices never carry identity numbers, phones or addresses; the name is the
    only personal datum in them. The copy is for display and is never saved.
    """
    import copy

    from .privacy import mask_name

    req = notice.request
    shown = copy.copy(notice)
    if req.applicant_category == "natural" and req.applicant_name:
        masked = mask_name(req.applicant_name)
        shown.body = notice.body.replace(req.applicant_name, masked)
        shown.recipient = notice.recipient.replace(req.applicant_name, masked)
    shown.save = None  # a display copy must not be written back
    return shown


def public_notices(req):
    return req.notices.filter(kind__in=APPLICANT_NOTICE_KINDS).order_by("issued_on", "id")


def public_files(req):
    return req.files.filter(kind__in=PUBLIC_FILE_KINDS).order_by("uploaded_at", "id")


def public_notice(req, pk):
    return Notice.objects.filter(request=req, kind__in=APPLICANT_NOTICE_KINDS, pk=pk).first()


def public_file(req, pk):
    return RequestFile.objects.filter(request=req, kind__in=PUBLIC_FILE_KINDS, pk=pk).first()
