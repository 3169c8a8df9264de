"""The offices' side (/staff/letters/): the queue, the letter page with its steps, files.

Every query goes through ``selectors.letters_for``, so another organisation's letter is a
404 whatever URL is typed; the page offers exactly ``WORKFLOW.available_steps`` and each
step is refused again by the services (permission, subtree, state, version).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal import audit
from portal.decorators import staff_permission_required
from portal.inputs import id_param
from portal.permissions import can_access_org, organization_scope
from requests_app import access

from . import clock, forms, selectors, services
from .models import LetterFile, LetterState, mailbox_name, offered_kinds
from .privacy import mask_person_name
from .views import file_response

staff_required = staff_permission_required(services.VIEW)

FORMS = {
    "accept": forms.SimpleStepForm,
    "reply": forms.ReplyForm,
    "transfer": forms.TransferForm,
    "merge": forms.MergeForm,
    "reject": forms.RejectForm,
    "request_extension": forms.ExtensionRequestForm,
    "approve_extension": forms.ExtensionDecisionForm,
    "reject_extension": forms.ExtensionDecisionForm,
    "convert": forms.ConvertForm,
    "publish": forms.PublishForm,
    "unpublish": forms.UnpublishForm,
}
WITH_LETTER = ("transfer", "convert")


def make_form(verb, letter, data=None, files=None):
    kwargs = {"letter": letter} if verb in WITH_LETTER else {}
    form = FORMS[verb](data, files, initial={"version": letter.version}, auto_id=f"{verb}-%s", **kwargs)
    if verb == "publish" and data is None:
        preview = services.masked_preview(letter)
        form.initial.update(public_title=preview["title"], public_body=preview["body"], public_reply=preview["reply"])
    return form


def _scoped(user, pk):
    return get_object_or_404(selectors.letters_for(user).select_related("organization", "handler"), pk=pk)


def _can_see_contact(user, letter):
    """The writer's phone and e-mail: officers of the letter's own office who handle letters."""
    return user.has_perm(services.HANDLE) and (
        user.is_superuser
        or (user.organization_id == letter.organization_id and can_access_org(user, letter.organization))
    )


@staff_required
def queue(request):
    params = request.GET
    state = params.get("state", "open")
    colour = params.get("colour", "")
    kind = params.get("kind", "")
    sort = params.get("sort", "due")
    query = params.get("q", "").strip()[:50]
    scope = organization_scope(request.user)
    org_id = id_param(params, "org")
    organization = scope.filter(pk=org_id).first() if org_id is not None else None
    kinds = dict(offered_kinds())
    letters, counts, calendar = selectors.queue(
        request.user,
        state=state,
        colour=colour,
        organization=organization,
        kind=kind if kind in kinds else "",
        query=query,
        sort=sort,
    )
    page = Paginator(letters, 50).get_page(params.get("page"))
    page.object_list = selectors.rows(page.object_list, calendar)
    keep = params.copy()
    keep.pop("page", None)
    return render(
        request,
        "letters/staff/queue.html",
        {
            "page": page,
            "counts": counts,
            "total": sum(v or 0 for v in counts.values()),
            "state": state,
            "colour": colour,
            "kind": kind,
            "sort": sort,
            "query": query,
            "organization": organization,
            "organizations": scope.exclude(kind__in=["village", "community"]).order_by("tree_id", "lft"),
            "states": LetterState.choices,
            "kinds": list(kinds.items()),
            "colours": [
                (clock.Colour.OVERDUE, clock.colour_label(clock.Colour.OVERDUE)),
                (clock.Colour.DUE_SOON, clock.colour_label(clock.Colour.DUE_SOON)),
                (clock.Colour.ON_TRACK, clock.colour_label(clock.Colour.ON_TRACK)),
            ],
            "due_soon_label": clock.colour_label(clock.Colour.DUE_SOON),
            "querystring": keep.urlencode(),
        },
    )


def _detail_context(user, letter, *, bound=None):
    actions = []
    for verb in services.available_steps(user, letter):
        form = bound[1] if bound and bound[0] == verb else make_form(verb, letter)
        actions.append((verb, services.step_label(verb), form))
    full = _can_see_contact(user, letter)
    return {
        "letter": letter,
        "mailbox": mailbox_name(letter.organization),
        "actions": actions,
        "show_contact": full,
        "masked_name": mask_person_name(letter.name),
        "colour": clock.colour(letter),
        "days_left": clock.working_days_left(letter),
        "files": letter.files.all(),
        "transfers": letter.transfers.select_related("from_organization", "to_organization", "by"),
        "duplicates": letter.duplicates.only("pk", "tracking_number"),
        "audit_entries": audit.entries_for(letter)[:100],
    }


@never_cache
@staff_required
def detail(request, pk):
    letter = _scoped(request.user, pk)
    return render(request, "letters/staff/detail.html", _detail_context(request.user, letter))


def run_step(user, verb, letter, data):
    version = data.get("version")
    if verb == "accept":
        return services.accept(user, letter, expected_version=version)
    if verb == "reply":
        return services.reply(user, letter, text=data["text"], files=data["files"], expected_version=version)
    if verb == "transfer":
        return services.transfer(
            user, letter, to_organization=data["to_organization"], reason=data["reason"], expected_version=version
        )
    if verb == "merge":
        return services.merge(user, letter, into_number=data["into_number"], expected_version=version)
    if verb == "reject":
        return services.reject(user, letter, category=data["category"], reason=data["reason"], expected_version=version)
    if verb == "request_extension":
        return services.request_extension(
            user, letter, days=data["days"], reason=data["reason"], expected_version=version
        )
    if verb == "approve_extension":
        return services.approve_extension(user, letter, comment=data["comment"], expected_version=version)
    if verb == "reject_extension":
        return services.reject_extension(user, letter, comment=data["comment"], expected_version=version)
    if verb == "publish":
        return services.publish(
            user,
            letter,
            public_title=data["public_title"],
            public_body=data["public_body"],
            public_reply=data["public_reply"],
            expected_version=version,
        )
    if verb == "unpublish":
        return services.unpublish(user, letter, reason=data["reason"], expected_version=version)
    raise Http404  # pragma: no cover - FORMS and this list agree


@require_POST
@staff_required
def act(request, pk, verb):
    letter = _scoped(request.user, pk)
    if verb not in FORMS:
        raise Http404
    form = make_form(verb, letter, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("“%(step)s”未执行：请检查填写的内容。") % {"step": services.step_label(verb)})
        context = _detail_context(request.user, letter, bound=(verb, form))
        context["open_action"] = verb
        return render(request, "letters/staff/detail.html", context, status=400)
    if verb == "convert":
        return _convert(request, letter, form)
    try:
        run_step(request.user, verb, letter, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
    else:
        messages.success(request, _("已完成：%(step)s。") % {"step": services.step_label(verb)})
        if verb == "transfer" and not can_access_org(request.user, form.cleaned_data["to_organization"]):
            return redirect("letters_staff:queue")
    return redirect("letters_staff:detail", pk=pk)


def _convert(request, letter, form):
    try:
        letter, req, code = services.convert_to_request(
            request.user, letter, expected_version=form.cleaned_data["version"], **form.applicant_data()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("letters_staff:detail", pk=letter.pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        return redirect("letters_staff:detail", pk=letter.pk)
    # The request's query code is shown here once, to be handed to the writer.
    return render(
        request,
        "letters/staff/converted.html",
        {"letter": letter, "req": req, "query_code": access.format_query_code(code)},
    )


@staff_required
def file_download(request, pk):
    item = get_object_or_404(LetterFile.objects.select_related("letter"), pk=pk)
    if not selectors.letters_for(request.user).filter(pk=item.letter_id).exists():
        raise Http404
    return file_response(item)


# --- 转为来信: a request answered 不予处理 as 信访举报投诉类 ---------------------------------


@never_cache
@staff_permission_required(services.HANDLE)
def forward_request(request, pk):
    """The step offered on the request's page; another organisation's request is a 404."""
    from requests_app.models import Request

    from .forwarding import default_title, forward_request, refusal

    req = get_object_or_404(
        Request.objects.filter(organization__in=organization_scope(request.user)).select_related("organization"),
        pk=pk,
    )
    form = forms.ForwardForm(request.POST or None, auto_id="forward-%s")
    if request.method == "POST" and form.is_valid():
        try:
            letter, code = forward_request(
                request.user, req, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        else:
            # The letter's query code is shown here once, to be handed to the applicant.
            return render(
                request,
                "letters/staff/forwarded.html",
                {"letter": letter, "req": req, "query_code": access.format_query_code(code)},
            )
        return redirect("letters_staff:forward_request", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "letters/staff/forward.html",
        {
            "req": req,
            "form": form,
            "refusal": refusal(req),
            "mailbox": mailbox_name(req.organization),
            "default_title": default_title(req),
        },
        status=status,
    )
