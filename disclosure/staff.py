"""Staff pages (公开管理): clerks draft and submit, reviewers review and publish.

Every page works inside the user's organisation subtree: an item of another
organisation is a 404, whatever its URL. The services check again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit
from portal.decorators import staff_permission_required
from portal.inputs import id_param
from portal.models import Organization
from portal.permissions import can_access_org, ensure_org_access, organization_scope

from . import filetypes, selectors, services, subjects
from .forms import AttachmentForm, CommentForm, ItemForm, PublishForm, ReasonForm, ReassessForm, ValidityForm
from .models import EDITABLE_STATES, Attachment, ItemState


def staff_required(perm="disclosure.view_disclosureitem"):
    return staff_permission_required(perm)


def _item(request, pk):
    return get_object_or_404(selectors.staff_items(request.user), pk=pk)


def _messages_from(request, exc):
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


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
    if item.state not in EDITABLE_STATES:
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
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("disclosure_staff:item", item.pk)
    return render(request, "disclosure/staff/item_form.html", {"form": form, "item": item})


@staff_required()
def item_detail(request, pk):
    item = get_object_or_404(
        selectors.staff_items(request.user)
        .select_related("confidentiality_signed_by", "created_by")
        .prefetch_related("catalog_entries", "interprets", "interpretations"),
        pk=pk,
    )
    user = request.user
    can_sign = user.has_perm("disclosure.sign_off_confidentiality") and user.organization_id == item.organization_id
    return render(
        request,
        "disclosure/staff/item.html",
        {
            "item": item,
            "attachments": list(item.attachments.filter(retired=False)),
            "warnings": services.review_warnings(item)
            if item.state in (ItemState.SUBMITTED, ItemState.DRAFT, ItemState.RETURNED)
            else [],
            "trail": list(audit.entries_for(item)[:50]),
            "editable": item.state in EDITABLE_STATES,
            "subject_is_standard": subjects.is_standard(item.subject),
            "can_sign": can_sign,
            "attachment_form": AttachmentForm(),
            "comment_form": CommentForm(),
            "publish_form": PublishForm(),
            "validity_form": ValidityForm(),
            "reason_form": ReasonForm(),
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


@require_POST
@staff_required()
def item_action(request, pk, action):
    item = _item(request, pk)
    user = request.user
    target = item
    try:
        if action == "submit":
            services.submit(user, item)
            messages.success(request, _("已提交审核。"))
        elif action == "sign-off":
            services.sign_off_confidentiality(user, item, note=request.POST.get("comment", ""))
            messages.success(request, _("保密审查已签发。"))
        elif action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("定时发布时间格式不正确。"))
            target = services.publish(user, item, publish_at=form.cleaned_data["publish_at"])
            messages.success(request, _("已定时发布。") if target.state == ItemState.SCHEDULED else _("已发布。"))
        elif action == "return":
            services.return_item(user, item, comment=request.POST.get("comment", ""))
            messages.success(request, _("已退回。"))
        elif action == "withhold":
            services.file_withheld(user, item, comment=request.POST.get("comment", ""))
            messages.success(request, _("已确认不予公开。"))
        elif action == "withdraw":
            services.withdraw(user, item, reason=request.POST.get("reason", ""))
            messages.success(request, _("已撤回。"))
        elif action == "validity":
            form = ValidityForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请选择有效性并填写正确的日期。"))
            services.change_validity(
                user,
                item,
                form.cleaned_data["validity"],
                on_date=form.cleaned_data["on_date"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("有效性已更新。"))
        elif action == "revise":
            target = services.begin_revision(user, item, note=request.POST.get("reason", ""))
            messages.success(request, _("已建立修订草稿；发布前公众看到的仍是原版本。"))
        else:
            raise Http404
    except ValidationError as exc:
        _messages_from(request, exc)
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
            services.add_attachment(request.user, item, form.cleaned_data["file"])
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("disclosure_staff:item", item.pk)


@require_POST
@staff_required("disclosure.delete_attachment")
def attachment_delete(request, pk, attachment_pk):
    item = _item(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, item=item)
    try:
        services.remove_attachment(request.user, attachment)
    except ValidationError as exc:
        _messages_from(request, exc)
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
                services.reassess(request.user, item, form.cleaned_data["decision"], reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _messages_from(request, exc)
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
