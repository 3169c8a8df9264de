"""The officials' pages under /staff/corrections/: the queue, one report, the statistics.

Each report is looked up inside the user's organisation subtree (another township's is a
404); the buttons are exactly the workflow's ``available_steps``; every change goes through
:mod:`corrections.services`.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disclosure.paging import get_page
from portal import audit, refusals
from portal.decorators import staff_permission_required
from portal.inputs import parse_int
from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar
from requests_app.privacy import mask_name, mask_phone

from . import selectors, services
from .forms import AnswerForm, TransferForm
from .models import ReportState

VIEW = "corrections.view_errorreport"
DUE_SOON_WORKING_DAYS = 1

staff_required = staff_permission_required(VIEW)


def _mark(report, today, calendar):
    report.overdue = report.overdue_on(today)
    if not report.is_answered and not report.overdue:
        report.days_left = calendar.working_days_between(today, report.due_on)
        report.due_soon = report.days_left <= DUE_SOON_WORKING_DAYS
    return report


@staff_required
def queue(request):
    state = request.GET.get("state", "open")
    if state not in ReportState.values and state not in ("open", "all"):
        state = "open"
    today = services.today()
    page = get_page(selectors.queue(request.user, state), request.GET.get("page"))
    calendar = WorkingCalendar()
    rows = [_mark(r, today, calendar) for r in page.object_list]
    filters = [("open", _("未答复")), ("all", _("全部"))] + list(ReportState.choices)
    return render(
        request,
        "corrections/staff/queue.html",
        {"rows": rows, "page_obj": page, "state": state, "filters": filters, "today": today},
    )


def can_view_contact(user, report):
    if user.is_superuser:
        return True
    return user.organization_id == report.organization_id and user.has_perm(services.HANDLE)


@staff_required
def detail(request, pk):
    report = selectors.scoped(request.user, pk)
    if report is None:
        raise Http404
    today = services.today()
    _mark(report, today, WorkingCalendar())
    full = can_view_contact(request.user, report)
    steps = services.available_steps(request.user, report)
    context = {
        "report": report,
        "steps": steps,
        "answer_form": AnswerForm(),
        "shown_name": report.name if full else mask_name(report.name),
        "shown_contact": report.contact if full else mask_phone(report.contact),
        "masked": not full,
        "entries": list(audit.entries_for(report)[:50]),
    }
    if "transfer" in steps:
        context["transfer_form"] = TransferForm(
            organizations=organization_scope(request.user).exclude(pk=report.organization_id)
        )
    return render(request, "corrections/staff/detail.html", context)


@require_POST
@staff_required
def act(request, pk, verb):
    report = selectors.scoped(request.user, pk)
    if report is None:
        raise Http404
    version = request.POST.get("version")
    try:
        if verb == "accept":
            services.accept(request.user, report, expected_version=version)
        elif verb in ("fix", "dismiss"):
            action = services.fix if verb == "fix" else services.dismiss
            action(request.user, report, answer=request.POST.get("answer", "")[:5000], expected_version=version)
        elif verb == "transfer":
            form = TransferForm(request.POST, organizations=organization_scope(request.user))
            if not form.is_valid():
                raise ValidationError(_("请选择转交的机构。"))
            services.transfer(
                request.user,
                report,
                form.cleaned_data["organization"],
                comment=form.cleaned_data["comment"],
                expected_version=version,
            )
        else:
            messages.error(request, _("未知操作。"))
            return redirect("corrections_staff:detail", pk=pk)
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("已完成：%(step)s。") % {"step": services.WORKFLOW.label(verb)})
        if verb == "transfer":
            return redirect("corrections_staff:queue")
    return redirect("corrections_staff:detail", pk=pk)


def _date_param(value, default):
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return default


@staff_required
def statistics(request):
    today = services.today()
    year = parse_int(request.GET.get("year", ""), minimum=2000, maximum=today.year) or today.year
    start = _date_param(request.GET.get("start"), dt.date(year, 1, 1))
    end = _date_param(request.GET.get("end"), min(today, dt.date(year, 12, 31)))
    if end < start:
        start, end = end, start
    stats = selectors.statistics(request.user, start, end, today)
    return render(
        request,
        "corrections/staff/statistics.html",
        {"stats": stats, "start": start, "end": end, "limit_days": services.response_working_days()},
    )
