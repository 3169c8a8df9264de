"""Public pages under /hdjl/xx/: write a letter, follow it, rate the answer, read published letters.

The writer has no account: the tracking number and the query code (shown once, POSTed
only, never in a URL) open the status page, after which the session remembers the letter
for an hour — as for information requests (:mod:`requests_app.views`). Every form is
limited per real client address in the shared cache.
"""

import csv
import io
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import ratelimit, refusals
from portal.exports import safe_row
from portal.inputs import id_param, int_param
from portal.net import client_ip
from portal.pagecache import public_page
from portal.selectors import guide_organizations
from requests_app import access

from . import clock, selectors, services
from .forms import LetterForm, LookupForm, PublicFilterForm, RateForm
from .models import FileKind, Letter, LetterFile, LetterState, mailbox_name

logger = logging.getLogger(__name__)

SESSION_ACCESS = "letters_access"
ACCESS_SECONDS = 3600
DEFAULT_LIMITS = {"write": 5, "failure": 20, "lookup": 30, "lookup_number": 20, "rate": 10}

PUBLIC_STATE = {
    LetterState.SUBMITTED: gettext_lazy("已收到，等待受理"),
    LetterState.ACCEPTED: gettext_lazy("办理中"),
    LetterState.ANSWERED: gettext_lazy("已答复"),
    LetterState.REJECTED: gettext_lazy("不予受理"),
    LetterState.MERGED: gettext_lazy("已与相同内容的来信合并办理"),
    LetterState.CONVERTED: gettext_lazy("已转为政府信息公开申请办理"),
}


def _limit(kind):
    from django.conf import settings

    limits = {**DEFAULT_LIMITS, **getattr(settings, "LETTERS_RATE_LIMITS", {})}
    return {"limit": int(limits[kind]), "window": int(getattr(settings, "REQUESTS_RATE_WINDOW", 3600))}


def _peek(kind, key):
    return ratelimit.peek(f"letters:{kind}", key, **_limit(kind))


def _hit(kind, key):
    return ratelimit.hit(f"letters:{kind}", key, **_limit(kind))


def _wait(retry_after):
    return max(1, -(-int(retry_after) // 60))


def _limited(response, retry_after):
    response.status_code = 429
    response["Retry-After"] = str(max(1, int(retry_after)))
    response["Cache-Control"] = "no-store"
    return response


def _grant(request, number):
    numbers = [n for n in request.session.get(SESSION_ACCESS, []) if n != number][-9:]
    request.session[SESSION_ACCESS] = numbers + [number]
    request.session.set_expiry(ACCESS_SECONDS)


def _authorized(request, number):
    if number not in request.session.get(SESSION_ACCESS, []):
        return None
    return Letter.objects.select_related("organization", "merged_into").filter(tracking_number=number).first()


@never_cache
def write(request):
    address = client_ip(request)
    refusal = None
    if request.method == "POST":
        for kind in ("write", "failure"):
            result = _peek(kind, address)
            if not result.allowed:
                refusal = result
                break
    initial = {}
    org_id = id_param(request.GET, "org")
    if org_id is not None:
        initial["organization"] = org_id
    if request.method == "POST" and refusal is None:
        form = LetterForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    letter, code = services.submit(
                        organization=data["organization"],
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        name=data["name"],
                        phone=data["phone"],
                        email=data["email"],
                        publish_consent=data["publish_consent"],
                        files=data["files"],
                    )
                    _hit("write", address)
                    response = render(
                        request,
                        "letters/submitted.html",
                        {
                            "letter": letter,
                            "mailbox": mailbox_name(letter.organization),
                            "query_code": access.format_query_code(code),
                        },
                    )
            except ValidationError as exc:
                refusals.add_to_form(form, exc)
            else:
                return response
        if form.non_field_errors() or form.has_error("answer"):
            _hit("failure", address)
        form.refresh_challenge()
    elif refusal is not None:
        form = LetterForm(request.POST)
        form.refresh_challenge()
    else:
        form = LetterForm(initial=initial)
    context = {"form": form, "limited": refusal is not None}
    if refusal is not None:
        context["limited_message"] = _("提交过于频繁，请 %(n)s 分钟后再试。") % {"n": _wait(refusal.retry_after)}
    response = render(request, "letters/write.html", context)
    return _limited(response, refusal.retry_after) if refusal is not None else response


@never_cache
def lookup(request):
    """Number and code; wrong codes counted per address and per number (see requests_app.views.lookup)."""
    address = client_ip(request)
    error, retry = "", 0
    if request.method == "POST":
        form = LookupForm(request.POST)
        own = _peek("lookup", address)
        if not own.allowed:
            retry = own.retry_after
        elif form.is_valid():
            number = access.normalize_tracking_number(form.cleaned_data["tracking_number"])
            letter = Letter.objects.filter(tracking_number=number).only("pk", "query_code_hash").first()
            if access.check_query_code(form.cleaned_data["query_code"], letter.query_code_hash if letter else None):
                _grant(request, number)
                return redirect("letters:status", number=number)
            _hit("lookup", address)
            per_number = _hit("lookup_number", number)
            if not per_number.allowed:
                logger.warning("too many wrong letter query codes for %s", number)
                retry = per_number.retry_after
            else:
                error = _("查询号或查询码不正确。")
        if retry:
            error = _("查询失败次数过多，请 %(n)s 分钟后再试。") % {"n": _wait(retry)}
    else:
        form = LookupForm(initial={"tracking_number": request.GET.get("number", "")[:30]})
    response = render(request, "letters/lookup.html", {"form": form, "error": error})
    return _limited(response, retry) if retry else response


def _status_context(letter, rate_form=None):
    answer = letter.merged_into if letter.state == LetterState.MERGED else letter
    return {
        "letter": letter,
        "mailbox": mailbox_name(letter.organization),
        "public_state": PUBLIC_STATE[letter.state],
        "answer": answer if answer and answer.state == LetterState.ANSWERED else None,
        "files": letter.files.all(),
        "reply_files": answer.files.filter(kind=FileKind.REPLY) if answer else (),
        "transfers": letter.transfers.select_related("to_organization"),
        "can_rate": letter.state == LetterState.ANSWERED and not letter.rating,
        "rate_form": rate_form or RateForm(),
    }


@never_cache
def status(request, number):
    letter = _authorized(request, number)
    if letter is None:
        return redirect(reverse("letters:lookup") + "?number=" + access.normalize_tracking_number(number))
    return render(request, "letters/status.html", _status_context(letter))


@require_POST
def rate(request, number):
    letter = _authorized(request, number)
    if letter is None:
        return redirect("letters:lookup")
    allowance = _hit("rate", client_ip(request))
    if not allowance.allowed:
        return ratelimit.too_many_requests(request, allowance.retry_after)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate(letter, form.cleaned_data["rating"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("感谢您的评价。"))
        return redirect("letters:status", number=number)
    return render(request, "letters/status.html", _status_context(letter, form), status=400)


def file_download(request, number, pk):
    letter = _authorized(request, number)
    if letter is None:
        raise Http404
    answer = letter.merged_into if letter.state == LetterState.MERGED else letter
    allowed = Q(letter_id=letter.pk)
    if answer is not None and answer.state == LetterState.ANSWERED:
        allowed |= Q(letter_id=answer.pk, kind=FileKind.REPLY)
    item = get_object_or_404(LetterFile.objects.filter(allowed), pk=pk)
    return file_response(item)


def file_response(item):
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name)


@require_POST
def leave(request):
    request.session.pop(SESSION_ACCESS, None)
    return redirect("letters:lookup")


# --- published letters --------------------------------------------------------------


@public_page
def public_list(request):
    form = PublicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    letters = selectors.published(
        organization=filters.get("org"),
        kind=filters.get("kind") or "",
        year=filters.get("year"),
        query=(filters.get("q") or "").strip(),
    )
    page = Paginator(letters, selectors.PER_PAGE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "letters/list.html",
        {
            "form": form,
            "page": page,
            "querystring": keep.urlencode(),
        },
    )


@public_page
def public_detail(request, pk):
    letter = get_object_or_404(Letter.objects.published().select_related("organization"), pk=pk)
    return render(
        request,
        "letters/detail.html",
        {"letter": letter, "mailbox": mailbox_name(letter.organization), "masked_name": _masked(letter)},
    )


def _masked(letter):
    from .privacy import mask_person_name

    return mask_person_name(letter.name)


# --- statistics -----------------------------------------------------------------


def _year(request):
    this = clock.today().year
    return int_param(request.GET, "year", this, minimum=2000, maximum=this)


def _stat_org(request, organizations):
    pk = id_param(request.GET, "org")
    return organizations.filter(pk=pk).first() if pk is not None else None


def statistics(request):
    """Not from the page cache: every new letter changes the counts, and publication alone bumps it."""
    organizations = guide_organizations()
    year = _year(request)
    organization = _stat_org(request, organizations)
    rows, summary = selectors.statistics(year, organizations, organization)
    return render(
        request,
        "letters/statistics.html",
        {
            "charts": selectors.chart_tables(rows, summary),
            "rows": rows,
            "summary": summary,
            "year": year,
            "years": list(range(clock.today().year, 2019, -1)),
            "organization": organization,
            "organizations": organizations,
            "headers": selectors.STAT_HEADERS,
            "querystring": f"year={year}" + (f"&org={organization.pk}" if organization else ""),
        },
    )


def statistics_csv(request):
    organizations = guide_organizations()
    year = _year(request)
    organization = _stat_org(request, organizations)
    rows, summary = selectors.statistics(year, organizations, organization)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row([str(h) for h in selectors.STAT_HEADERS]))
    for row in list(rows) + list(summary):
        writer.writerow(safe_row(selectors.stat_cells(row)))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    org = organization.code if organization else "all"
    response["Content-Disposition"] = f'attachment; filename="letters-{year}-{org}.csv"'
    return response


def statistics_chart(request, name):
    """A chart as its own ``image/svg+xml`` response, shown with ``<img>``: the page stays free of script and style."""
    from annual import charts

    if name not in selectors.CHARTS:
        raise Http404
    organizations = guide_organizations()
    organization = _stat_org(request, organizations)
    rows, summary = selectors.statistics(_year(request), organizations, organization)
    table = {t.name: t for t in selectors.chart_tables(rows, summary)}[name]
    response = HttpResponse(charts.render(table), content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
