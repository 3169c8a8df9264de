"""Queries shared by the workbench, the export, the reminders and the public status page."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar

from . import clock
from .models import (
    APPLICANT_NOTICE_KINDS, OPEN_STATUSES, PUBLIC_FILE_KINDS, ClockSegment, Notice, Request, RequestFile, Status,
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
    "due": lambda r: (r.clock.due_date is None, r.clock.due_date or 0, r.request.pk),
    "-due": lambda r: (r.clock.due_date is not None, r.clock.due_date or 0, r.request.pk),
    "receipt": lambda r: (r.request.receipt_date is None, r.request.receipt_date or 0, r.request.pk),
    "-receipt": lambda r: (r.request.receipt_date is not None, r.request.receipt_date or 0, r.request.pk),
    "number": lambda r: (r.request.registration_year or 0, r.request.registration_serial or 0, r.request.pk),
}
REVERSED = {"-due", "-receipt"}


def workbench(user, *, status="open", colour="", organization=None, handler=None, query="", sort="due",
              on=None):
    """Rows of the officials' queue with due date, working days left and colour, plus counts.

    Colour is derived from the clock, so it is filtered after computing, over
    *every* matching request: counts, colours and the order by due date must be
    right for the whole queue, never a silently truncated part of it. One
    calendar object serves them all (one query per year touched).
    """
    on = on or clock.today()
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
        qs = qs.filter(Q(tracking_number__icontains=query) | Q(registration_number__icontains=query)
                       | Q(description__icontains=query))
    calendar = WorkingCalendar()
    rows = []
    counts = {c: 0 for c in (clock.Colour.ON_TRACK, clock.Colour.DUE_SOON, clock.Colour.OVERDUE,
                             clock.Colour.PAUSED, clock.Colour.NONE)}
    for req in with_clock_data(qs):
        state = clock.compute(req, calendar=calendar, on=on)
        req.__dict__["clock"] = state
        row_colour = state.colour(on)
        counts[row_colour] += 1
        if colour and row_colour != colour:
            continue
        rows.append(Row(
            request=req, clock=state, colour=row_colour, colour_label=state.colour_label(on),
            days_left=state.working_days_left(on) if state.concluded_on is None else None,
            applicant=ApplicantView(req, full=False),
        ))
    key = SORTS.get(sort, SORTS["due"])
    rows.sort(key=key, reverse=sort in REVERSED)
    return rows, counts


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
