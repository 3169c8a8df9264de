"""Public pages: the online application and the applicant's status page (/ysqgk/).

The applicant has no account: the tracking number and the secret query code
open the status page, after which the session remembers the request for an
hour. Codes are only ever POSTed, never put in URLs (which end up in logs).
Nothing internal is shown here: no notes, no handler, no consulted party,
no other applicant, and none of the applicant's own identity data.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import outbox, refusals
from portal.ratelimit import too_many_requests

from . import access, antispam, notices, selectors, services
from .forms import ApplicationForm, LookupForm, SupplementForm, WithdrawForm
from .models import Request, Status

logger = logging.getLogger(__name__)

SESSION_ACCESS = "ysq_access"
ACCESS_SECONDS = 3600

PUBLIC_STATUS = {
    Status.RECEIVED: gettext_lazy("已提交，等待受理机关确认收到"),
    Status.REGISTERED: gettext_lazy("已受理登记"),
    Status.UNDER_REVIEW: gettext_lazy("审核中"),
    Status.SUPPLEMENT_REQUESTED: gettext_lazy("需要补正"),
    Status.IN_HANDLING: gettext_lazy("办理中"),
    Status.REPLIED: gettext_lazy("已答复"),
    Status.CLOSED: gettext_lazy("终止处理"),
    Status.WITHDRAWN: gettext_lazy("已撤回"),
    Status.ARCHIVED: gettext_lazy("已办结归档"),
}


def _grant(request, number):
    numbers = [n for n in request.session.get(SESSION_ACCESS, []) if n != number][-9:]
    request.session[SESSION_ACCESS] = numbers + [number]
    request.session.set_expiry(ACCESS_SECONDS)


def _authorized(request, number):
    if number not in request.session.get(SESSION_ACCESS, []):
        return None
    return Request.objects.select_related("organization").filter(tracking_number=number).first()


def _refusal(address):
    """The exhausted allowance (applications or failed checks) of this address, if any."""
    for kind in ("apply", "failure"):
        result = antispam.peek(kind, address)
        if not result.allowed:
            return result
    return None


def _rate_limited(response, retry_after):
    """Every refusal for going too fast: HTTP 429, Retry-After, never cached."""
    response.status_code = 429
    response["Retry-After"] = str(max(1, int(retry_after)))
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def apply(request):
    address = antispam.client_address(request)
    refusal = _refusal(address) if request.method == "POST" else None
    if request.method == "POST" and refusal is None:
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                # All or nothing: the row, the counted allowance and the page with the number and
                # code come from one transaction. If anything fails before the commit nothing is
                # recorded; once it commits, this very response carries the code (no session,
                # no redirect, no later write that could fail and hide it).
                with transaction.atomic():
                    req, code = services.submit_online(
                        organization=form.cleaned_data["organization"], **form.applicant_data()
                    )
                    antispam.count("apply", address)
                    response = render(
                        request,
                        "requests_app/submitted.html",
                        {
                            "req": req,
                            "tracking_number": req.tracking_number,
                            "query_code": access.format_query_code(code),
                        },
                    )
            except ValidationError as exc:
                refusals.add_to_form(form, exc)
            else:
                return response
        if form.non_field_errors() or form.has_error("answer"):
            antispam.count("failure", address)
        form.refresh_challenge()
    elif refusal is not None:
        form = ApplicationForm(request.POST)
        form.refresh_challenge()
    else:
        form = ApplicationForm()
    context = {"form": form, "limited": refusal is not None}
    if refusal is not None:
        context["limited_message"] = _("提交过于频繁，请 %(n)s 分钟后再试；如需帮助请致电受理机关。") % {
            "n": antispam.wait_minutes(refusal.retry_after)
        }
    response = render(request, "requests_app/apply.html", context)
    return _rate_limited(response, refusal.retry_after) if refusal is not None else response


@never_cache
def submitted(request):
    """The number and code are shown in the answer to the application itself, exactly once."""
    messages.info(request, _("查询码只显示一次。请使用您记录的查询号和查询码查询。"))
    return redirect("requests_app:lookup")


@never_cache
def lookup(request):
    """The applicant's way in: tracking number and query code.

    Wrong codes are counted per address *and* per tracking number. An address over its own
    limit is refused whatever it sends; a number over its limit refuses further wrong codes
    from everyone, but the right code still opens it — so a flood of guesses from many
    addresses never locks the rightful applicant out.
    """
    address = antispam.client_address(request)
    error, retry = "", 0
    if request.method == "POST":
        form = LookupForm(request.POST)
        own = antispam.peek("lookup", address)
        if not own.allowed:
            retry = own.retry_after
        elif form.is_valid():
            number = access.normalize_tracking_number(form.cleaned_data["tracking_number"])
            req = Request.objects.filter(tracking_number=number).only("pk", "query_code_hash").first()
            if access.check_query_code(form.cleaned_data["query_code"], req.query_code_hash if req else None):
                _grant(request, number)
                return redirect("requests_app:status", number=number)
            antispam.count("lookup", address)
            per_number = antispam.count("lookup_number", number)
            if not per_number.allowed:
                logger.warning(
                    "too many wrong query codes for %s; refusing wrong codes for %s s", number, per_number.retry_after
                )
                retry = per_number.retry_after
            else:
                # The same words whether the number exists or not.
                error = _("查询号或查询码不正确。")
        if retry:
            error = _("查询失败次数过多，请 %(n)s 分钟后再试。") % {"n": antispam.wait_minutes(retry)}
    else:
        form = LookupForm(initial={"tracking_number": request.GET.get("number", "")[:30]})
    response = render(request, "requests_app/lookup.html", {"form": form, "error": error})
    return _rate_limited(response, retry) if retry else response


def _status_context(req):
    state = req.clock
    return {
        "req": req,
        "public_status": PUBLIC_STATUS[req.status],
        "clock": state,
        "notices": selectors.public_notices(req),
        "files": selectors.public_files(req),
        # The applicant's own steps, as the workflow allows them (actor None: the query code is the key).
        "can_supplement": services.WORKFLOW.refusal(None, req, "supplement") is None,
        "can_withdraw": services.WORKFLOW.refusal(None, req, "withdraw") is None,
        # Whether the mails to the applicant went out (the outbox's record, never the addresses' contents).
        "mails": outbox.status_for(req).filter(recipient=req.email) if req.email else (),
    }


@never_cache
def status(request, number):
    req = _authorized(request, number)
    if req is None:
        return redirect(reverse("requests_app:lookup") + "?number=" + access.normalize_tracking_number(number))
    context = _status_context(req)
    context["supplement_form"] = SupplementForm()
    context["withdraw_form"] = WithdrawForm()
    return render(request, "requests_app/status.html", context)


@require_POST
def supplement(request, number):
    req = _authorized(request, number)
    if req is None:
        return redirect("requests_app:lookup")
    allowance = antispam.take("supplement", antispam.client_address(request))
    if not allowance.allowed:
        return too_many_requests(request, allowance.retry_after)
    form = SupplementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.supplement(req, text=form.cleaned_data["text"], files=form.cleaned_data["files"])
        except ValidationError as exc:
            refusals.add_to_form(form, exc)
        else:
            messages.success(request, _("补正材料已提交，答复期限自今日起重新计算。"))
            return redirect("requests_app:status", number=number)
    context = _status_context(req)
    context["supplement_form"], context["withdraw_form"] = form, WithdrawForm()
    return render(request, "requests_app/status.html", context, status=400)


@require_POST
def withdraw(request, number):
    req = _authorized(request, number)
    if req is None:
        return redirect("requests_app:lookup")
    allowance = antispam.take("withdraw", antispam.client_address(request))
    if not allowance.allowed:
        return too_many_requests(request, allowance.retry_after)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(req)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("申请已撤回。"))
        return redirect("requests_app:status", number=number)
    context = _status_context(req)
    context["supplement_form"], context["withdraw_form"] = SupplementForm(), form
    return render(request, "requests_app/status.html", context, status=400)


@require_POST
def leave(request):
    request.session.pop(SESSION_ACCESS, None)
    return redirect("requests_app:lookup")


def notice(request, number, pk):
    req = _authorized(request, number)
    item = req and selectors.public_notice(req, pk)
    if not item:
        raise Http404
    return render(request, "requests_app/notice.html", {"notice": item, "req": req, "public": True})


def notice_pdf(request, number, pk):
    req = _authorized(request, number)
    item = req and selectors.public_notice(req, pk)
    if not item:
        raise Http404
    return pdf_response(request, item)


def pdf_response(request, item):
    """The notice's PDF, rendered once into the private store and streamed from it."""
    try:
        handle = notices.stored_pdf(item)
    except RuntimeError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(handle, as_attachment=True, filename=f"notice-{item.pk}.pdf", content_type="application/pdf")


def file_download(request, number, pk):
    req = _authorized(request, number)
    item = req and selectors.public_file(req, pk)
    if not item:
        raise Http404
    return file_response(item)


def file_response(item):
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name)
