"""The officials' pages under /staff/consultations/.

Thin: every change goes through :mod:`consultations.services`; every consultation and
comment is looked up inside the user's organisation subtree, so another township's is a 404
whatever URL is typed. The buttons are exactly the workflow's ``available_steps``.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit, refusals
from portal.decorators import staff_permission_required
from portal.permissions import organization_scope
from portal.workdays import WorkingCalendar
from requests_app.privacy import mask_name, mask_phone

from . import sections, selectors, services
from .forms import AttachmentForm, ConsultationForm, FeedbackForm, GroupFormSet, LinkForm, ReasonForm
from .models import CommentState, ConsultationState

VIEW = "consultations.view_consultation"
WARN_WORKING_DAYS = 3

staff_required = staff_permission_required(VIEW)


def _scoped(user, pk):
    consultation = selectors.staff_consultation(user, pk)
    if consultation is None:
        raise Http404
    return consultation


def feedback_warning(consultation, today, calendar=None):
    """The staff page's warning about the feedback deadline, or ``None``."""
    if consultation.state != ConsultationState.PUBLISHED or today <= consultation.ends_on:
        return None
    calendar = calendar or WorkingCalendar()
    due = consultation.feedback_due(calendar)
    if today > due:
        return {
            "overdue": True,
            "due": due,
            "text": _("征集已于%(end)s结束，意见采纳情况应于%(due)s前公布，已逾期。")
            % {"end": consultation.ends_on.isoformat(), "due": due.isoformat()},
        }
    left = calendar.working_days_between(today, due)
    return {
        "overdue": False,
        "due": due,
        "soon": left <= WARN_WORKING_DAYS,
        "text": _("征集已结束，请在%(due)s前公布意见采纳情况（还剩%(n)d个工作日）。")
        % {"due": due.isoformat(), "n": left},
    }


@staff_required
def board(request):
    today = services.today()
    rows = list(selectors.staff_consultations(request.user)[:200])
    calendar = WorkingCalendar()  # one calendar for the page: each year's days read once
    for row in rows:
        row.warning = feedback_warning(row, today, calendar)
        row.phase_label = row.phase(today).label if row.is_public else row.get_state_display()
    return render(
        request,
        "consultations/staff/board.html",
        {"rows": rows, "can_create": request.user.has_perm(services.MANAGE), "today": today},
    )


@staff_required
def create(request):
    form = ConsultationForm(
        request.POST or None, organizations=organization_scope(request.user), organization=request.user.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.create(request.user, form.cleaned_data["organization"], **form.service_data())
        except (ValidationError, PermissionDenied) as exc:
            refusals.to_messages(request, exc)
        else:
            messages.success(request, _("已保存草稿。"))
            return redirect("consultations_staff:detail", pk=consultation.pk)
    elif request.method == "GET":
        start = services.today()
        form.initial.update(
            {
                "organization": request.user.organization,
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=services.min_period_days() - 1),
            }
        )
    return render(request, "consultations/staff/form.html", {"form": form, "consultation": None})


def can_view_contact(user, consultation):
    """Commenters' contact details: in full only to the consulting organisation's moderators."""
    if user.is_superuser:
        return True
    return user.organization_id == consultation.organization_id and user.has_perm(services.MODERATE)


@staff_required
def detail(request, pk):
    consultation = _scoped(request.user, pk)
    today = services.today()
    steps = services.available_steps(request.user, consultation)
    state_filter = request.GET.get("comments", "")
    if state_filter not in CommentState.values:
        state_filter = ""
    comments = list(selectors.staff_comments(consultation, state_filter)[:300])
    full = can_view_contact(request.user, consultation)
    for comment in comments:
        comment.steps = services.available_steps(request.user, comment)
        comment.shown_name = comment.name if full else mask_name(comment.name)
        comment.shown_contact = comment.contact if full else mask_phone(comment.contact)
    groups = [
        {"summary": g.summary, "count": g.count, "adoption": g.adoption, "reason": g.reason}
        for g in consultation.feedback_groups.all()
    ]
    context = {
        "consultation": consultation,
        "steps": steps,
        "comments": comments,
        "comment_filter": state_filter,
        "comment_states": CommentState.choices,
        "received": services.received_count(consultation),
        "warning": feedback_warning(consultation, today),
        "problems": services.feedback_problems(consultation) if "record_feedback" in steps else [],
        "phase": consultation.phase(today),
        "entries": list(audit.entries_for(consultation)[:50]),
        "attachments": list(consultation.attachments.all()),
        "contact_masked": not full,
        "sections": sections.sections(consultation.draft_text),
    }
    if "edit" in steps:
        context["edit_form"] = ConsultationForm(instance=consultation, organizations=organization_scope(request.user))
        context["attach_form"] = AttachmentForm()
    if "record_feedback" in steps:
        context["feedback_form"] = FeedbackForm(
            initial={
                "offline_count": consultation.offline_count,
                "adopted_count": consultation.adopted_count,
                "summary": consultation.feedback_summary,
            }
        )
        context["groups"] = GroupFormSet(initial=groups, prefix="g")
    else:
        context["group_rows"] = list(consultation.feedback_groups.all())
    if "link_policy" in steps:
        context["link_form"] = LinkForm(initial={"final_item": consultation.final_item_id})
    if "withdraw" in steps:
        context["reason_form"] = ReasonForm()
    return render(request, "consultations/staff/detail.html", context)


@require_POST
@staff_required
def edit(request, pk):
    consultation = _scoped(request.user, pk)
    form = ConsultationForm(request.POST, instance=consultation, organizations=organization_scope(request.user))
    # The model form writes the submitted values into ``consultation``; the service re-reads the row.
    if not form.is_valid():
        refusals.form_to_messages(request, form)
        return redirect("consultations_staff:detail", pk=pk)
    try:
        services.update(request.user, pk, expected_version=request.POST.get("version"), **form.service_data())
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("草案已保存。"))
    return redirect("consultations_staff:detail", pk=pk)


ACTIONS = {
    "publish": lambda user, c, post, version: services.publish(user, c, expected_version=version),
    "close": lambda user, c, post, version: services.close(user, c, expected_version=version),
    "withdraw": lambda user, c, post, version: services.withdraw(
        user, c, reason=post.get("comment", ""), expected_version=version
    ),
}


@require_POST
@staff_required
def act(request, pk, verb):
    consultation = _scoped(request.user, pk)
    action = ACTIONS.get(verb)
    if action is None:
        messages.error(request, _("未知操作。"))
        return redirect("consultations_staff:detail", pk=pk)
    try:
        action(request.user, consultation, request.POST, request.POST.get("version"))
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("已完成：%(step)s。") % {"step": services.WORKFLOW.label(verb)})
    return redirect("consultations_staff:detail", pk=pk)


@require_POST
@staff_required
def feedback(request, pk):
    consultation = _scoped(request.user, pk)
    form = FeedbackForm(request.POST)
    groups = GroupFormSet(request.POST, prefix="g")
    try:
        groups_valid = groups.is_valid()
    except ValidationError:  # a forged management form
        groups_valid = False
    if not form.is_valid() or not groups_valid:
        refusals.form_to_messages(request, form)
        messages.error(request, _("意见采纳情况填写有误，请检查后重新提交。"))
        return redirect("consultations_staff:detail", pk=pk)
    try:
        services.record_feedback(
            request.user,
            consultation,
            expected_version=request.POST.get("version"),
            offline_count=form.cleaned_data["offline_count"],
            adopted_count=form.cleaned_data["adopted_count"],
            summary=form.cleaned_data["summary"],
            groups=[g.cleaned_data for g in groups.forms if g.cleaned_data],
        )
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("意见采纳情况已保存。"))
    return redirect("consultations_staff:detail", pk=pk)


@require_POST
@staff_required
def link(request, pk):
    consultation = _scoped(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        refusals.form_to_messages(request, form)
        return redirect("consultations_staff:detail", pk=pk)
    try:
        services.link_policy(
            request.user, consultation, form.cleaned_data["final_item"], expected_version=request.POST.get("version")
        )
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("已更新关联的正式文件。"))
    return redirect("consultations_staff:detail", pk=pk)


@require_POST
@staff_required
def attach(request, pk):
    consultation = _scoped(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        refusals.form_to_messages(request, form)
        return redirect("consultations_staff:detail", pk=pk)
    try:
        services.add_attachment(request.user, consultation, form.cleaned_data["file"])
    except (ValidationError, PermissionDenied) as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("consultations_staff:detail", pk=pk)


MODERATION = {
    "approve": services.approve_comment,
    "withhold": services.withhold_comment,
    "reject": services.reject_comment,
}


@require_POST
@staff_required
def moderate(request, pk, verb):
    comment = selectors.staff_comment(request.user, pk)
    if comment is None:
        raise Http404
    action = MODERATION.get(verb)
    if action is None:
        messages.error(request, _("未知操作。"))
    else:
        try:
            action(request.user, comment, expected_version=request.POST.get("version"))
        except (ValidationError, PermissionDenied) as exc:
            refusals.to_messages(request, exc)
        else:
            messages.success(request, _("已完成：%(step)s。") % {"step": services.COMMENTS.label(verb)})
    return redirect("consultations_staff:detail", pk=comment.consultation_id)
