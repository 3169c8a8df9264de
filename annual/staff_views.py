"""The staff side (/staff/annual/): who still owes a report, preparing, reviewing, publishing.

Views are thin: every change goes through :mod:`annual.services`,
and every report is looked up inside the user's organisation subtree, so
another organisation's report is a 404 whatever URL is typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit, refusals
from portal.decorators import staff_permission_required
from portal.inputs import int_param
from portal.permissions import organization_scope

from . import presentation, services, views
from .forms import CommentForm, GenerateForm, TextForm
from .models import REPORTING_KINDS, AnnualReport, ReportScope, ReportState, deadline_for

VIEW = "annual.view_annualreport"


staff_required = staff_permission_required(VIEW)


def _scoped(user, pk):
    return get_object_or_404(
        AnnualReport.objects.filter(organization__in=organization_scope(user)).select_related("organization"), pk=pk
    )


def deadline_rows(user, year, on):
    """Per reporting organisation in the user's subtree: its report on ``year``, deadline and days left."""
    orgs = list(organization_scope(user).filter(kind__in=REPORTING_KINDS).order_by("tree_id", "lft"))
    reports = {}
    for report in AnnualReport.objects.filter(organization__in=[o.pk for o in orgs], year=year):
        current = reports.get(report.organization_id)
        # Show the most advanced report of the organisation (published beats in review beats draft).
        order = [ReportState.DRAFT, ReportState.IN_REVIEW, ReportState.PUBLISHED]
        if current is None or order.index(report.state) > order.index(current.state):
            reports[report.organization_id] = report
    rows = []
    for org in orgs:
        deadline = deadline_for(org, year)
        report = reports.get(org.pk)
        published = report is not None and report.state == ReportState.PUBLISHED
        days_left = (deadline - on).days
        on_time = published and timezone.localdate(report.published_at) <= deadline
        rows.append(
            {
                "organization": org,
                "deadline": deadline,
                "report": report,
                "published": published,
                "days_left": days_left,
                "overdue": not published and days_left < 0,
                "overdue_days": -days_left,
                "on_time": on_time,
            }
        )
    return rows


@staff_required
def board(request):
    on = services.today()
    year = on.year - 1
    year = int_param(request.GET, "year", year, minimum=2008, maximum=on.year - 1)
    scope = organization_scope(request.user)
    rows = deadline_rows(request.user, year, on)
    reports = (
        AnnualReport.objects.filter(organization__in=scope)
        .select_related("organization")
        .order_by("-year", "organization__tree_id", "organization__lft", "scope")[:200]
    )
    form = GenerateForm(
        organizations=scope,
        initial={"year": year, "scope": ReportScope.ORGANIZATION, "organization": request.user.organization},
    )
    return render(
        request,
        "annual/staff/board.html",
        {
            "rows": rows,
            "year": year,
            "today": on,
            "reports": reports,
            "form": form,
            "section": "board",
            "owing": sum(1 for r in rows if not r["published"]),
            "years": list(range(on.year - 1, max(on.year - 8, 2007), -1)),
        },
    )


@require_POST
@staff_required
def generate(request):
    form = GenerateForm(request.POST, organizations=organization_scope(request.user))
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("annual_staff:board")
    try:
        report = services.generate(
            request.user, form.cleaned_data["organization"], form.cleaned_data["year"], form.cleaned_data["scope"]
        )
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
        return redirect("annual_staff:board")
    messages.success(request, _("已生成统计数据。"))
    return redirect("annual_staff:detail", pk=report.pk)


@staff_required
def detail(request, pk):
    report = _scoped(request.user, pk)
    context = presentation.context(report)
    context.update(
        {
            "section": "board",
            "problems": services.publish_problems(report),
            "steps": services.available_steps(request.user, report),
            "text_form": TextForm(instance=report),
            "comment_form": CommentForm(),
            "entries": list(audit.entries_for(report)[:50]),
            "draft_overview": (report.data or {}).get("draft_overview", ""),
            "draft_other_matters": (report.data or {}).get("draft_other_matters", ""),
        }
    )
    return render(request, "annual/staff/detail.html", context)


@require_POST
@staff_required
def edit_text(request, pk):
    report = _scoped(request.user, pk)
    form = TextForm(request.POST, instance=AnnualReport(pk=report.pk))
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("annual_staff:detail", pk=pk)
    try:
        services.update_text(
            request.user,
            report,
            expected_version=request.POST.get("version"),
            **{name: form.cleaned_data[name] for name in services.TEXT_FIELDS},
        )
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("正文已保存。"))
    return redirect("annual_staff:detail", pk=pk)


ACTIONS = {
    "regenerate": lambda user, report, post, version: services.regenerate(user, report, expected_version=version),
    "submit": lambda user, report, post, version: services.submit(user, report, expected_version=version),
    "return": lambda user, report, post, version: services.return_for_revision(
        user, report, comment=post.get("comment", ""), expected_version=version
    ),
    "publish": lambda user, report, post, version: services.publish(user, report, expected_version=version),
}


@require_POST
@staff_required
def act(request, pk, verb):
    report = _scoped(request.user, pk)
    action = ACTIONS.get(verb)
    if action is None:
        messages.error(request, _("未知操作。"))
        return redirect("annual_staff:detail", pk=pk)
    try:
        action(request.user, report, request.POST, request.POST.get("version"))
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("已完成：%(step)s。") % {"step": services.WORKFLOW.label(verb)})
    return redirect("annual_staff:detail", pk=pk)


@staff_required
def download_xlsx(request, pk):
    return views.xlsx_response(_scoped(request.user, pk))


@staff_required
def download_pdf(request, pk):
    return views.pdf_response(_scoped(request.user, pk))
