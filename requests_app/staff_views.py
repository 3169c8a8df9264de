"""The officials' side (/staff/requests/): workbench, intake, the request page, notices, export.

Views are thin: they pick the form of a step, call the one service function
and report its message. Every query goes through ``selectors.requests_for``,
so another organisation's request is a 404 whatever URL is typed, and every
change is refused again by the services if a view forgot.
"""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import audit
from portal.access_audit import audit_access
from portal.decorators import staff_permission_required
from portal.exports import safe_row
from portal.inputs import id_param, year_param
from portal.permissions import ensure_perm, organization_scope
from portal.selectors import guide_organizations

from . import access, clock, forms, links, selectors, services
from .models import ExtensionStatus, Notice, Outcome, PauseReason, RequestFile, SegmentKind, Status
from .privacy import ApplicantView, can_view_personal_data
from .views import file_response, pdf_response

VIEW = "requests_app.view_request"


staff_required = staff_permission_required(VIEW)


def _scoped_request(user, pk):
    return get_object_or_404(selectors.requests_for(user).select_related("organization", "handler"), pk=pk)


# --- workbench ----------------------------------------------------------------


@staff_required
def workbench(request, mine=False):
    params = request.GET
    status = params.get("status", "open")
    colour = params.get("colour", "")
    sort = params.get("sort", "due")
    query = params.get("q", "").strip()[:50]
    organization = None
    org_id = id_param(params, "org")
    scope = organization_scope(request.user)
    if org_id is not None:
        organization = scope.filter(pk=org_id).first()
    queue, counts = selectors.workbench(
        request.user,
        status=status,
        colour=colour,
        organization=organization,
        handler=request.user if mine else None,
        query=query,
        sort=sort,
    )
    page = Paginator(queue, 50).get_page(params.get("page"))
    page.object_list = selectors.workbench_rows(page.object_list)
    keep = params.copy()
    keep.pop("page", None)
    return render(
        request,
        "requests_app/staff/workbench.html",
        {
            "page": page,
            "counts": counts,
            "mine": mine,
            "status": status,
            "colour": colour,
            "sort": sort,
            "query": query,
            "organization": organization,
            "organizations": scope.order_by("tree_id", "lft"),
            "statuses": Status.choices,
            "colours": [
                (clock.Colour.OVERDUE, clock.Colour.LABELS[clock.Colour.OVERDUE]),
                (clock.Colour.DUE_SOON, clock.Colour.LABELS[clock.Colour.DUE_SOON]),
                (clock.Colour.ON_TRACK, clock.Colour.LABELS[clock.Colour.ON_TRACK]),
                (clock.Colour.PAUSED, clock.Colour.LABELS[clock.Colour.PAUSED]),
            ],
            "total": sum(counts.values()),
            "querystring": keep.urlencode(),
            "can_intake": request.user.has_perm(services.HANDLE),
            "can_export": request.user.has_perm("requests_app.export_register"),
            "today": clock.today(),
        },
    )


@staff_required
def my_requests(request):
    return workbench(request, mine=True)


# --- intake -------------------------------------------------------------------


@never_cache
@staff_required
def intake(request):
    ensure_perm(request.user, services.HANDLE)
    organizations = guide_organizations().filter(pk__in=organization_scope(request.user).values("pk"))
    form = forms.IntakeForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            req, code = services.intake(
                request.user,
                form.cleaned_data["organization"],
                channel=form.cleaned_data["channel"],
                receipt_date=form.cleaned_data["receipt_date"],
                **form.applicant_data(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            # The query code is shown here once, to be handed to the applicant with the receipt.
            return render(
                request,
                "requests_app/staff/intake_done.html",
                {
                    "req": req,
                    "query_code": access.format_query_code(code),
                    "acknowledgement": req.notices.filter(kind="acknowledgement").first(),
                },
            )
    return render(request, "requests_app/staff/intake.html", {"form": form})


def _form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- the request page ---------------------------------------------------------


def _open_pause(req):
    segs = [s for s in req.segments.all() if s.ends_on is None]
    return segs[-1] if segs and segs[-1].kind == SegmentKind.PAUSED else None


def available_actions(user, req, on=None):
    """The steps to offer on the page; the services check all of this again."""
    on = on or clock.today()
    if not user.has_perm(services.HANDLE) and not user.has_perm(services.APPROVE_EXTENSION):
        return []
    steps = services.allowed_steps(req)
    handle = user.has_perm(services.HANDLE)
    pause = _open_pause(req)
    wanted = []
    for verb in (
        "register",
        "begin_review",
        "request_supplement",
        "supplement",
        "close_unsupplemented",
        "accept",
        "assign_handler",
        "start_consultation",
        "end_consultation",
        "request_extension",
        "approve_extension",
        "reject_extension",
        "issue_fee_notice",
        "record_fee_payment",
        "close_unpaid",
        "reply",
        "withdraw",
        "archive",
        "make_disclosure_draft",
    ):
        if verb not in steps:
            continue
        if verb in ("approve_extension", "reject_extension"):
            if req.extension_status != ExtensionStatus.REQUESTED or not user.has_perm(services.APPROVE_EXTENSION):
                continue
        elif not handle:
            continue
        if verb == "request_supplement" and req.supplement_requested_on is not None:
            continue
        if verb == "close_unsupplemented" and not (req.supplement_deadline and on > req.supplement_deadline):
            continue
        if verb == "start_consultation" and pause is not None:
            continue
        if verb == "end_consultation" and not (
            pause and pause.reason in (PauseReason.THIRD_PARTY, PauseReason.OTHER_AGENCY)
        ):
            continue
        if verb == "request_extension" and req.extension_status in (
            ExtensionStatus.APPROVED,
            ExtensionStatus.REQUESTED,
        ):
            continue
        if verb == "issue_fee_notice" and (
            req.fee_notice_on or pause is not None or not services.settings_for(req.organization).charge_fees
        ):
            continue
        if verb == "record_fee_payment" and not (pause and pause.reason == PauseReason.FEE):
            continue
        if verb == "close_unpaid" and not (
            pause and pause.reason == PauseReason.FEE and pause.deadline and on > pause.deadline
        ):
            continue
        if verb == "make_disclosure_draft" and (
            req.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL) or req.disclosure_draft
        ):
            continue
        wanted.append(verb)
    return wanted


FORMS = {
    "register": forms.RegisterForm,
    "begin_review": forms.SimpleStepForm,
    "request_supplement": forms.SupplementRequestForm,
    "supplement": forms.StaffSupplementForm,
    "close_unsupplemented": forms.SimpleStepForm,
    "accept": forms.HandlerForm,
    "assign_handler": forms.HandlerForm,
    "start_consultation": forms.ConsultationForm,
    "end_consultation": forms.ResumeForm,
    "request_extension": forms.ExtensionRequestForm,
    "approve_extension": forms.ExtensionDecisionForm,
    "reject_extension": forms.ExtensionDecisionForm,
    "issue_fee_notice": forms.FeeForm,
    "record_fee_payment": forms.ResumeForm,
    "close_unpaid": forms.SimpleStepForm,
    "reply": forms.ReplyForm,
    "withdraw": forms.WithdrawStaffForm,
    "archive": forms.SimpleStepForm,
    "make_disclosure_draft": forms.SimpleStepForm,
}


def make_form(verb, req, data=None, files=None):
    kwargs = {"initial": {"version": req.version}}
    if verb in ("accept", "assign_handler"):
        kwargs["handlers"] = services.eligible_handlers(req.organization)
        kwargs["initial"]["handler"] = req.handler_id
    form = FORMS[verb](data, files, auto_id=f"{verb}-%s", **kwargs)
    if verb == "assign_handler":
        form.fields["handler"].required = True
    return form


def run_step(user, verb, req, data):
    """Call the service of ``verb`` with the cleaned form data."""
    version = data.get("version")
    on = data.get("on")
    common = {"expected_version": version}
    if verb == "register":
        return services.register(user, req, receipt_date=data.get("receipt_date"), **common)
    if verb == "begin_review":
        return services.begin_review(user, req, **common)
    if verb == "request_supplement":
        return services.request_supplement(
            user, req, items=data["items"], deadline=data.get("deadline"), on=on, **common
        )
    if verb == "supplement":
        return services.supplement(
            req, text=data.get("text", ""), files=data.get("files"), actor=user, received_on=on, **common
        )
    if verb == "close_unsupplemented":
        return services.close_unsupplemented(user, req, **common)
    if verb == "accept":
        return services.accept(user, req, handler=data.get("handler"), **common)
    if verb == "assign_handler":
        return services.assign_handler(user, req, data["handler"], **common)
    if verb == "start_consultation":
        return services.start_consultation(
            user, req, reason=data["reason"], party=data["party"], on=on, note=data.get("note", ""), **common
        )
    if verb == "end_consultation":
        return services.end_consultation(user, req, on=on, note=data.get("note", ""), **common)
    if verb == "request_extension":
        return services.request_extension(user, req, days=data["days"], reason=data["reason"], **common)
    if verb == "approve_extension":
        return services.approve_extension(user, req, **common)
    if verb == "reject_extension":
        return services.reject_extension(user, req, comment=data.get("comment", ""), **common)
    if verb == "issue_fee_notice":
        return services.issue_fee_notice(user, req, basis=data["basis"], pages=data.get("pages"), on=on, **common)
    if verb == "record_fee_payment":
        return services.record_fee_payment(user, req, on=on, **common)
    if verb == "close_unpaid":
        return services.close_unpaid(user, req, **common)
    if verb == "reply":
        return services.reply(
            user,
            req,
            outcome=data["outcome"],
            decision=data["decision"],
            legal_basis=data.get("legal_basis", ""),
            files=data.get("files"),
            on=on,
            **common,
        )
    if verb == "withdraw":
        return services.withdraw(req, actor=user, reason=data.get("reason", ""), on=on, **common)
    if verb == "archive":
        return services.archive(user, req, **common)
    if verb == "make_disclosure_draft":
        return services.make_disclosure_draft(user, req)
    raise Http404


def _detail_context(user, req, *, full=False, bound=None):
    actions = available_actions(user, req)
    action_forms = []
    for verb in actions:
        form = bound[1] if bound and bound[0] == verb else make_form(verb, req)
        action_forms.append((verb, services.step_label(verb), form))
    return {
        "req": req,
        "clock": req.clock,
        "applicant": ApplicantView(req, full=full),
        "can_reveal": can_view_personal_data(user, req) and not full,
        "actions": action_forms,
        "segments": req.segments.all(),
        "notices": [(n, forms.DeliveryForm(auto_id=f"deliver{n.pk}-%s")) for n in req.notices.all()],
        "files": req.files.all(),
        "can_download_files": can_view_personal_data(user, req),
        "notes": req.notes.select_related("author"),
        "audit_entries": audit.entries_for(req)[:100],
        "note_form": forms.NoteForm(),
        "attach_form": forms.AttachForm(),
        "can_handle": user.has_perm(services.HANDLE),
        "supplement_notice_deadline": services.supplement_notice_deadline(req),
        "disclosure_hook": services.disclosure_hook_available(),
        "today": clock.today(),
        # Records of higher apps about this request (a letter converted to it): requests_app/links.py.
        "related_links": links.for_request(req),
    }


@never_cache
@staff_required
def detail(request, pk):
    req = _scoped_request(request.user, pk)
    return render(request, "requests_app/staff/detail.html", _detail_context(request.user, req))


@never_cache
@require_POST
@staff_required
def reveal(request, pk):
    """Show the applicant's full data; the service writes the access to the audit log."""
    req = _scoped_request(request.user, pk)
    try:
        services.reveal_personal_data(request.user, req, http_request=request)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("requests_staff:detail", pk=pk)
    return render(request, "requests_app/staff/detail.html", _detail_context(request.user, req, full=True))


@require_POST
@staff_required
def act(request, pk, verb):
    req = _scoped_request(request.user, pk)
    if verb not in FORMS:
        raise Http404
    form = make_form(verb, req, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("“%(step)s”未执行：请检查填写的内容。") % {"step": services.step_label(verb)})
        context = _detail_context(request.user, req, bound=(verb, form))
        context["open_action"] = verb
        return render(request, "requests_app/staff/detail.html", context, status=400)
    try:
        run_step(request.user, verb, req, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
    else:
        messages.success(request, _("已完成：%(step)s。") % {"step": services.step_label(verb)})
    return redirect("requests_staff:detail", pk=pk)


@require_POST
@staff_required
def add_note(request, pk):
    req = _scoped_request(request.user, pk)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(request.user, req, form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.error(request, _("请填写备注内容。"))
    return redirect("requests_staff:detail", pk=pk)


@require_POST
@staff_required
def attach(request, pk):
    req = _scoped_request(request.user, pk)
    form = forms.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_file(request.user, req, form.cleaned_data["file"], kind=form.cleaned_data["kind"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("文件已上传。"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("requests_staff:detail", pk=pk)


# --- notices and files ----------------------------------------------------------


def _scoped_notice(user, pk):
    """The notice if the user's subtree holds its request; masked for staff outside the target body."""
    item = get_object_or_404(Notice.objects.select_related("request__organization"), pk=pk)
    if not selectors.requests_for(user).filter(pk=item.request_id).exists():
        raise Http404
    if not can_view_personal_data(user, item.request):
        item = selectors.masked_notice(item)
    return item


@staff_required
def notice(request, pk):
    item = _scoped_notice(request.user, pk)
    return render(request, "requests_app/notice.html", {"notice": item, "req": item.request, "public": False})


@staff_required
def notice_pdf(request, pk):
    return pdf_response(request, _scoped_notice(request.user, pk))


@require_POST
@staff_required
def deliver(request, pk):
    item = _scoped_notice(request.user, pk)
    form = forms.DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.deliver_notice(
                request.user,
                item,
                method=form.cleaned_data["method"],
                delivered_at=form.delivered_at(),
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已登记送达。"))
    else:
        messages.error(request, _("请选择送达方式。"))
    return redirect("requests_staff:detail", pk=item.request_id)


@staff_required
def file_download(request, pk):
    """A request's file: like full personal data, only for the receiving organisation's request staff.

    ID copies and supplements carry the applicant's identity, so a reviewer or a county
    officer who sees the request masked cannot download them either; every download (and
    every refusal) is in the audit log.
    """
    item = get_object_or_404(RequestFile.objects.select_related("request"), pk=pk)
    if not selectors.requests_for(request.user).filter(pk=item.request_id).exists():
        raise Http404
    if not can_view_personal_data(request.user, item.request):
        audit_access(
            "request_file.refused",
            actor=request.user,
            request=request,
            target=item.request,
            outcome="denied",
            file=item.pk,
        )
        raise PermissionDenied(_("申请材料含申请人个人信息，只有受理机关持有办理权限的工作人员可以下载。"))
    audit_access(
        "request_file.download",
        actor=request.user,
        request=request,
        target=item.request,
        file=item.pk,
        name=item.original_name,
    )
    return file_response(item)


# --- the register (登记台账) ---------------------------------------------------------

EXPORT_COLUMNS = [
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


@staff_required
def export(request):
    """The register as xlsx: the user's subtree; personal data in full only for its own organisation."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    ensure_perm(request.user, "requests_app.export_register")
    year = year_param(request.GET)
    qs = selectors.with_clock_data(selectors.requests_for(request.user)).order_by(
        "organization__tree_id", "organization__lft", "registration_year", "registration_serial", "pk"
    )
    if year is not None:
        qs = qs.filter(receipt_date__year=year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("登记台账")
    sheet.append([str(c) for c in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    from portal.workdays import WorkingCalendar

    calendar = WorkingCalendar()
    for req in qs:
        state = clock.compute(req, calendar=calendar)
        person = ApplicantView(req, full=can_view_personal_data(request.user, req))
        sheet.append(
            safe_row(
                [
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
                    dt.date(state.due_date.year, state.due_date.month, state.due_date.day) if state.due_date else None,
                    req.extension_days if req.extension_status == ExtensionStatus.APPROVED else None,
                    req.replied_on,
                    req.outcome_label,
                    req.concluded_on,
                    str(req.handler or ""),
                ]
            )
        )
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQRSTU", (14, 14, 20, 10, 12, 10, 10, 12, 20, 14, 24, 40, 8, 10, 8, 12, 8, 12, 24, 12, 10)
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    if request.user.organization_id:
        audit.record(
            request.user,
            request.user.organization,
            _("导出依申请公开登记台账"),
            comment=_("%(n)d条") % {"n": qs.count()},
        )
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="register-{stamp}.xlsx"'
    return response
