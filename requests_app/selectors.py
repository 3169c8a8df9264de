"""Queries shared by the workbench, the export, the reminders and the public status page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy

from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar

from . import clock
from .choices import label_of
from .models import (
    APPLICANT_NOTICE_KINDS,
    OPEN_STATUSES,
    PUBLIC_FILE_KINDS,
    ClockSegment,
    ExtensionStatus,
    Notice,
    Request,
    RequestFile,
    Status,
)
from .privacy import ApplicantView, can_view_personal_data


def requests_for(user) -> QuerySet[Request]:
    """Requests of the user's organisation subtree (nothing for users without the view permission)."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("requests_app.view_request"):
        return Request.objects.none()
    return Request.objects.filter(organization__in=organization_scope(user))


def with_clock_data(queryset: QuerySet[Request]) -> QuerySet[Request]:
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
    status_label: str = ""


SORTS = {
    "due": [F("clock_due_on").asc(nulls_last=True), "pk"],
    "-due": [F("clock_due_on").desc(nulls_last=True), "-pk"],
    "receipt": [F("receipt_date").asc(nulls_last=True), "pk"],
    "-receipt": [F("receipt_date").desc(nulls_last=True), "-pk"],
    "number": ["registration_year", "registration_serial", "pk"],
}


def workbench(
    user,
    *,
    status: str = "open",
    colour: str = "",
    organization=None,
    handler=None,
    query: str = "",
    sort: str = "due",
    on: dt.date | None = None,
) -> tuple[QuerySet[Request], dict[str, int]]:
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


def workbench_rows(
    requests: Iterable[Request], on: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> list[Row]:
    """Rows for the requests shown: the clock (due date, days left) of these only, without its explanation."""
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
        state = clock.compute(req, calendar=calendar, on=on, explain=False)
        req.__dict__["clock"] = state
        rows.append(
            Row(
                request=req,
                clock=state,
                colour=state.colour(on),
                colour_label=state.colour_label(on),
                days_left=state.working_days_left(on) if state.concluded_on is None else None,
                applicant=ApplicantView(req, full=False),
                status_label=label_of(Status, req.status),
            )
        )
    return rows


def status_counts(user) -> dict[str, int]:
    from django.db.models import Count

    return dict(requests_for(user).values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def due_soon_or_overdue(on: dt.date | None = None) -> list[tuple[Request, clock.ClockResult]]:
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


def applicant_view(user, req: Request) -> ApplicantView:
    return ApplicantView(req, full=can_view_personal_data(user, req))


def masked_notice(notice: Notice) -> Notice:
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


def public_notices(req: Request) -> QuerySet[Notice]:
    return req.notices.filter(kind__in=APPLICANT_NOTICE_KINDS).order_by("issued_on", "id")


def public_files(req: Request) -> QuerySet[RequestFile]:
    return req.files.filter(kind__in=PUBLIC_FILE_KINDS).order_by("uploaded_at", "id")


def public_notice(req: Request, pk) -> Notice | None:
    return Notice.objects.filter(request=req, kind__in=APPLICANT_NOTICE_KINDS, pk=pk).first()


def public_file(req: Request, pk) -> RequestFile | None:
    return RequestFile.objects.filter(request=req, kind__in=PUBLIC_FILE_KINDS, pk=pk).first()


# --- the register (登记台账) ---------------------------------------------------------------------

REGISTER_COLUMNS = [
    gettext_lazy("登记号"),
    gettext_lazy("查询号"),
    gettext_lazy("受理机关"),
    gettext_lazy("申请渠道"),
    gettext_lazy("收到申请日期"),
    gettext_lazy("申请人类别"),
    gettext_lazy("申请人"),
    gettext_lazy("证件类型"),
    gettext_lazy("证件号码"),
    gettext_lazy("联系电话"),
    gettext_lazy("通信地址"),
    gettext_lazy("申请内容"),
    gettext_lazy("载体形式"),
    gettext_lazy("获取方式"),
    gettext_lazy("状态"),
    gettext_lazy("答复期限"),
    gettext_lazy("延期（工作日）"),
    gettext_lazy("答复日期"),
    gettext_lazy("办理结果"),
    gettext_lazy("办结日期"),
    gettext_lazy("办理人"),
]


def register_requests(user, year: int | None = None) -> QuerySet[Request]:
    """The register's requests: the user's subtree in register order, of one receipt year if given."""
    qs = with_clock_data(requests_for(user)).order_by(
        "organization__tree_id", "organization__lft", "registration_year", "registration_serial", "pk"
    )
    if year is not None:
        qs = qs.filter(receipt_date__year=year)
    return qs


def register_rows(user, requests: Iterable[Request]) -> Iterator[list]:
    """One row per request, in :data:`REGISTER_COLUMNS` order; personal data in full only where allowed."""
    calendar = WorkingCalendar()
    for req in requests:
        state = clock.compute(req, calendar=calendar)
        person = ApplicantView(req, full=can_view_personal_data(user, req))
        due = state.due_date
        yield [
            req.registration_number,
            req.tracking_number,
            req.organization.name,
            req.get_channel_display(),
            req.receipt_date,
            req.get_applicant_category_display(),
            person.name,
            req.get_id_type_display(),
            person.id_number,
            person.phone,
            person.address,
            req.description,
            req.get_form_wanted_display(),
            req.get_delivery_method_display(),
            req.get_status_display(),
            dt.date(due.year, due.month, due.day) if due else None,
            req.extension_days if req.extension_status == ExtensionStatus.APPROVED else None,
            req.replied_on,
            req.outcome_label,
            req.concluded_on,
            str(req.handler or ""),
        ]
