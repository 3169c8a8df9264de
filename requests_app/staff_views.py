"""The officials' side (/staff/requests/): workbench, intake, the request page, notices, export.

Views are thin: they pick the form of a step, call the one service function
and report its message. Every query goes through ``selectors.requests_for``,
so another organisation's request is a 404 whatever URL is typed, and every
change is refused again by the services if a view forgot.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import audit, refusals, workdays
from portal.access_audit import audit_access
from portal.decorators import staff_permission_required
from portal.inputs import id_param, year_param
from portal.permissions import ensure_perm, organization_scope
from portal.selectors import guide_organizations

from . import access, clock, forms, links, selectors, services
from .models import Notice, RequestFile, Status
from .privacy import ApplicantView, can_view_personal_data
from .staff_actions import ACTIONS, available_actions, make_form, run_step
from .views import file_response, pdf_response

VIEW = "requests_app.view_request"


staff_required = staff_permission_required(VIEW)


def _scoped_request(user, pk):
    # The segments once for the clock, the segment list and the steps' guards.
    return get_object_or_404(
        selectors.requests_for(user).select_related("organization", "handler").prefetch_related("segments"), pk=pk
    )


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
            refusals.add_to_form(form, exc)
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


# --- the request page ---------------------------------------------------------


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
    if verb not in ACTIONS:
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


@staff_required
def export(request):
    """The register as xlsx: the user's subtree; personal data in full only for its own organisation."""
    content = services.export_register(request.user, year=year_param(request.GET))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = workdays.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="register-{stamp}.xlsx"'
    return response
