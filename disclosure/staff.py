"""Staff pages (公开管理): clerks draft and submit, reviewers review and publish.

Every page works inside the user's organisation subtree: an item of another
organisation is a 404, whatever its URL. The services check again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal import audit, refusals
from portal.decorators import staff_permission_required
from portal.inputs import id_param
from portal.models import Organization
from portal.permissions import can_access_org, ensure_org_access, organization_scope

from . import filetypes, selectors, services, subjects
from .forms import AttachmentForm, CommentForm, ItemForm, PublishForm, ReasonForm, ReassessForm, ValidityForm
from .models import Attachment, DisclosureItem, ItemState
from .services import VALIDITY_STEPS, WORKFLOW


def staff_required(perm="disclosure.view_disclosureitem"):
    return staff_permission_required(perm)


def _item(request, pk):
    return get_object_or_404(selectors.staff_items(request.user), pk=pk)


def _version(request):
    """The item's ``lock_version`` as the page the user acted on showed it (a hidden field of every form)."""
    return request.POST.get("lock_version")


@staff_required()
def dashboard(request):
    user = request.user
    items = selectors.staff_items(user).order_by("-updated_at", "-id")
    state = request.GET.get("state", "")
    if state in ItemState.values:
        items = items.filter(state=state)
    return render(
        request,
        "disclosure/staff/dashboard.html",
        {
            "page_obj": Paginator(items, 30).get_page(request.GET.get("page")),
            "queue_count": selectors.review_queue(user).count() if user.has_perm("disclosure.review_item") else None,
            "late": list(selectors.late_items(user)[:50]),
            "states": ItemState.choices,
            "state": state,
        },
    )


@staff_required("disclosure.add_disclosureitem")
def item_create(request):
    form = ItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            item = services.create_draft(
                request.user,
                form.cleaned_data["organization"],
                title=data.pop("title"),
                body=data.pop("body"),
                catalog_entries=data.pop("catalog_entries"),
                interprets=data.pop("interprets"),
                disclosure_attribute=data.pop("disclosure_attribute"),
                source_note="",
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("草稿已保存，可以上传附件后提交审核。"))
            return redirect("disclosure_staff:item", item.pk)
    return render(request, "disclosure/staff/item_form.html", {"form": form})


@staff_required("disclosure.change_disclosureitem")
def item_edit(request, pk):
    item = _item(request, pk)
    if not WORKFLOW["edit"].starts_from(item.state):
        messages.error(
            request,
            _("“%(state)s”状态的信息不能修改；已发布的信息请使用“修订”。") % {"state": item.get_state_display()},
        )
        return redirect("disclosure_staff:item", item.pk)
    form = ItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        try:
            services.update_draft(
                request.user,
                item,
                catalog_entries=data.pop("catalog_entries"),
                interprets=data.pop("interprets"),
                expected_version=_version(request),
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("disclosure_staff:item", item.pk)
    # A form shown again keeps the version it was opened with: a stale edit stays refused.
    version = request.POST.get("lock_version", item.lock_version) if request.method == "POST" else item.lock_version
    return render(request, "disclosure/staff/item_form.html", {"form": form, "item": item, "lock_version": version})


@staff_required()
def item_detail(request, pk):
    item = get_object_or_404(
        selectors.staff_items(request.user)
        .select_related("confidentiality_signed_by", "created_by")
        .prefetch_related("catalog_entries", "interprets", "interpretations"),
        pk=pk,
    )
    steps = services.available_steps(request.user, item)
    return render(
        request,
        "disclosure/staff/item.html",
        {
            "item": item,
            "steps": steps,
            "actions": {name for name, action in ACTIONS.items() if steps.intersection(action.steps)},
            "attachments": list(item.attachments.filter(retired=False)),
            "warnings": services.review_warnings(item)
            if item.state in (ItemState.SUBMITTED, ItemState.DRAFT, ItemState.RETURNED)
            else [],
            "trail": list(audit.entries_for(item)[:50]),
            "subject_is_standard": subjects.is_standard(item.subject),
            "attachment_form": AttachmentForm(),
            "publish_form": PublishForm(),
            "validity_form": ValidityForm(offered=[v for v, verb in VALIDITY_STEPS.items() if verb in steps]),
            "reassess_form": ReassessForm(),
            "open_revision": item.revisions.filter(
                state__in=(ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED)
            ).first(),
        },
    )


@staff_required()
def item_preview(request, pk):
    """The item as its public page will show it, for staff of its organisation subtree only.

    Rendered from the public template for whatever state the item is in; never cached
    (staff pages are no-store) and never indexed.
    """
    _item(request, pk)  # the subtree check: another organisation's item is a 404
    item = selectors.item_for_page(pk)
    domain, path = selectors.breadcrumbs_for(item)
    response = render(
        request,
        "disclosure/item.html",
        {
            "item": item,
            "domain": domain,
            "path": path,
            "versions": item.version_list,
            "preview": True,
        },
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@dataclass(frozen=True)
class ItemAction:
    """One action of the item page (its URL's last segment): the form it reads and the service it calls.

    ``steps`` are the workflow verbs the action may take; the page shows its form only when one
    of them is among ``WORKFLOW.available_steps``. ``run(user, item, data, version)`` returns the
    item the page shows afterwards (a new revision, or the original a revision was merged into).
    """

    steps: tuple[str, ...]
    run: Callable[..., DisclosureItem]
    done: Callable[[DisclosureItem], str]
    form: type[forms.Form] | None = None
    invalid: str = ""


def _said(message):
    return lambda item: str(message)


def _too_long(limit):
    return lazy(lambda: _("内容过长（最多 %(n)d 字）。") % {"n": limit}, str)()


ACTIONS: dict[str, ItemAction] = {
    "submit": ItemAction(
        ("submit",),
        lambda user, item, data, version: services.submit(user, item, expected_version=version),
        _said(gettext_lazy("已提交审核。")),
    ),
    "sign-off": ItemAction(
        ("sign_off",),
        lambda user, item, data, version: services.sign_off_confidentiality(
            user, item, note=data["comment"], expected_version=version
        ),
        _said(gettext_lazy("保密审查已签发。")),
        CommentForm,
        _too_long(2000),
    ),
    "publish": ItemAction(
        ("publish", "schedule"),
        lambda user, item, data, version: services.publish(
            user, item, publish_at=data["publish_at"], expected_version=version
        ),
        lambda item: _("已定时发布。") if item.state == ItemState.SCHEDULED else _("已发布。"),
        PublishForm,
        gettext_lazy("定时发布时间格式不正确。"),
    ),
    "return": ItemAction(
        ("return",),
        lambda user, item, data, version: services.return_item(
            user, item, comment=data["comment"], expected_version=version
        ),
        _said(gettext_lazy("已退回。")),
        CommentForm,
        _too_long(2000),
    ),
    "withhold": ItemAction(
        ("withhold",),
        lambda user, item, data, version: services.file_withheld(
            user, item, comment=data["comment"], expected_version=version
        ),
        _said(gettext_lazy("已确认不予公开。")),
        CommentForm,
        _too_long(2000),
    ),
    "withdraw": ItemAction(
        ("withdraw",),
        lambda user, item, data, version: services.withdraw(
            user, item, reason=data["reason"], expected_version=version
        ),
        _said(gettext_lazy("已撤回。")),
        ReasonForm,
        _too_long(300),
    ),
    "validity": ItemAction(
        tuple(VALIDITY_STEPS.values()),
        lambda user, item, data, version: services.change_validity(
            user, item, data["validity"], on_date=data["on_date"], note=data["note"], expected_version=version
        ),
        _said(gettext_lazy("有效性已更新。")),
        ValidityForm,
        gettext_lazy("请选择有效性并填写正确的日期。"),
    ),
    "revise": ItemAction(
        ("begin_revision",),
        lambda user, item, data, version: services.begin_revision(
            user, item, note=data["reason"], expected_version=version
        ),
        _said(gettext_lazy("已建立修订草稿；发布前公众看到的仍是原版本。")),
        ReasonForm,
        _too_long(300),
    ),
    "reassess": ItemAction(
        ("keep_withheld", "reassess_publish"),
        lambda user, item, data, version: services.reassess(
            user, item, data["decision"], reason=data["reason"], expected_version=version
        ),
        lambda item: _("复核结论已记录：%(title)s") % {"title": item.title},
        ReassessForm,
        gettext_lazy("请选择复核结论并填写理由。"),
    ),
}


@require_POST
@staff_required()
def item_action(request, pk, action):
    """Take one step from the item page: the registry names the form and the service."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    item = _item(request, pk)
    target = item
    try:
        data = {}
        if spec.form is not None:
            form = spec.form(request.POST)
            if not form.is_valid():
                raise ValidationError(str(spec.invalid))
            data = form.cleaned_data
        target = spec.run(request.user, item, data, _version(request))
    except ValidationError as exc:
        refusals.to_messages(request, exc)
    else:
        messages.success(request, spec.done(target))
    return redirect("disclosure_staff:item", target.pk)


@require_POST
@staff_required("disclosure.add_attachment")
def attachment_upload(request, pk):
    item = _item(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            services.add_attachment(request.user, item, form.cleaned_data["file"], expected_version=_version(request))
        except ValidationError as exc:
            refusals.to_messages(request, exc)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("disclosure_staff:item", item.pk)


@require_POST
@staff_required("disclosure.delete_attachment")
def attachment_delete(request, pk, attachment_pk):
    item = _item(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, item=item)
    try:
        services.remove_attachment(request.user, attachment, expected_version=_version(request))
    except ValidationError as exc:
        refusals.to_messages(request, exc)
    return redirect("disclosure_staff:item", item.pk)


@staff_required()
def attachment_download(request, attachment_pk):
    """Staff may open files of items not yet public, inside their subtree."""
    attachment = get_object_or_404(Attachment.objects.select_related("item__organization"), pk=attachment_pk)
    if not can_access_org(request.user, attachment.item.organization):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=filetypes.mime_for(attachment.file_type, attachment.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required("disclosure.review_item")
def queue(request):
    items = list(selectors.review_queue(request.user).prefetch_related("catalog_entries", "interpretations"))
    for item in items:
        item.warnings = services.review_warnings(item) if item.state == ItemState.SUBMITTED else []
    return render(request, "disclosure/staff/queue.html", {"items": items})


@staff_required("disclosure.reassess_item")
def reassessment(request):
    if request.method == "POST":
        pk = id_param(request.POST, "item")
        if pk is None:
            raise Http404
        item = _item(request, pk)
        form = ReassessForm(request.POST)
        if form.is_valid():
            try:
                services.reassess(
                    request.user,
                    item,
                    form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    expected_version=_version(request),
                )
            except ValidationError as exc:
                refusals.to_messages(request, exc)
            else:
                messages.success(request, _("复核结论已记录：%(title)s") % {"title": item.title})
        else:
            messages.error(request, _("请选择复核结论并填写理由。"))
        return redirect("disclosure_staff:reassessment")
    return render(
        request,
        "disclosure/staff/reassessment.html",
        {
            "items": selectors.reassessment_list(request.user),
            "form": ReassessForm(),
        },
    )


@staff_required()
def coverage(request):
    scope = organization_scope(request.user).order_by("tree_id", "lft")
    org_id = id_param(request.GET, "org") if request.GET.get("org") else request.user.organization_id
    organization = get_object_or_404(Organization, pk=org_id) if org_id else None
    if organization is None:
        raise Http404
    ensure_org_access(request.user, organization)
    rows = selectors.coverage(organization)
    return render(
        request,
        "disclosure/staff/coverage.html",
        {
            "organization": organization,
            "rows": rows,
            "organizations": scope,
            "missing": sum(r.status == "missing" for r in rows),
            "late": sum(r.status == "late" for r in rows),
        },
    )


def staff_url(item):
    return reverse("disclosure_staff:item", args=[item.pk])
