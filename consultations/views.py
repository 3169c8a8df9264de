"""Public pages under /hdjl/yjzj/ (互动交流 · 意见征集).

The list and the page of a consultation show the period, how many opinions were received
and, after the end, the feedback; only moderated comments appear, with the writer's name
masked and never their contact details. The comment form is its own page: it carries a
one-time anti-spam token, so it is never cached, while the consultation page may be.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from disclosure.paging import get_page
from portal import filetypes, ratelimit
from portal.inputs import parse_int
from portal.net import client_ip
from requests_app.privacy import mask_name

from . import sections, selectors, services
from .forms import CommentForm
from .models import ConsultationAttachment, Phase

DEFAULT_LIMITS = {"comment": 10, "failure": 20}


def _limit(kind):
    limits = getattr(settings, "CONSULTATION_RATE_LIMITS", {})
    return {"limit": limits.get(kind, DEFAULT_LIMITS[kind]), "window": 3600}


def _phase_param(request):
    value = request.GET.get("phase", "")
    return value if value in Phase.values else ""


def consultation_list(request):
    today = services.today()
    phase = _phase_param(request)
    qs = selectors.public_consultations(phase or None, today)
    page = get_page(qs, request.GET.get("page"))
    return render(
        request,
        "consultations/list.html",
        {
            "page_obj": page,
            "consultations": page.object_list,
            "phase": phase,
            "phases": [(p, label) for p, label in Phase.choices if p != Phase.UPCOMING],
            "today": today,
        },
    )


def _consultation(pk):
    consultation = selectors.public_consultation(parse_int(str(pk)), services.today())
    if consultation is None:
        raise Http404
    return consultation


def detail(request, pk):
    today = services.today()
    consultation = _consultation(pk)
    comments = list(selectors.shown_comments(consultation)[:200])
    for comment in comments:
        comment.shown_name = mask_name(comment.name) if comment.name else _("网友")
    phase = consultation.phase(today)
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "phase": phase,
            "is_open": consultation.is_open(today),
            "blocks": sections.blocks(consultation.draft_text),
            "received": consultation.online_received + consultation.offline_count,
            "comments": comments,
            "groups": list(consultation.feedback_groups.all()) if phase == Phase.FEEDBACK else [],
            "attachments": list(consultation.attachments.all()),
            "short": consultation.period_days < services.min_period_days(),
        },
    )


@never_cache
def comment(request, pk):
    """The comment form: anti-spam question, per-address limits in the shared cache."""
    consultation = _consultation(pk)
    headings = sections.sections(consultation.draft_text)
    context = {"consultation": consultation}
    if not (consultation.is_open(services.today()) and consultation.accepts_online):
        return render(request, "consultations/comment_closed.html", context)
    address = client_ip(request)
    refused = None
    for kind in ("comment", "failure"):
        result = ratelimit.peek(f"yjzj:{kind}", address, **_limit(kind))
        if not result.allowed:
            refused = result
    if request.method == "POST" and refused is not None:
        return ratelimit.too_many_requests(request, refused.retry_after)
    if request.method == "POST":
        form = CommentForm(request.POST, headings=headings)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.submit_comment(
                        consultation,
                        body=form.cleaned_data["body"],
                        section=form.cleaned_data["section"],
                        name=form.cleaned_data["name"],
                        contact=form.cleaned_data["contact"],
                        ip=address,
                    )
                    ratelimit.hit("yjzj:comment", address, **_limit("comment"))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return render(request, "consultations/comment_done.html", context)
        if form.non_field_errors() or form.has_error("answer"):
            ratelimit.hit("yjzj:failure", address, **_limit("failure"))
        form.refresh_challenge()
    else:
        initial = {"section": request.GET.get("section", "")[:20]}
        form = CommentForm(headings=headings, initial=initial)
    context["form"] = form
    context["action"] = reverse("consultations:comment", args=[consultation.pk])
    return render(request, "consultations/comment.html", context)


def attachment(request, pk):
    """A file of a public consultation, under its original name."""
    found = (
        ConsultationAttachment.objects.filter(consultation__state__in=selectors.PUBLIC_STATES, pk=pk)
        .select_related("consultation")
        .first()
    )
    if found is None or found.consultation.starts_on > services.today():
        raise Http404
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=found.original_name)
    response["Content-Type"] = filetypes.mime_for(found.file_type, found.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
