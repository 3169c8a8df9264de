"""The catalog tree: the standard catalog (superusers) and organisations' local entries (their staff)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from portal.admin_mixins import (
    AuditedAdminMixin,
    OrganizationScopedAdminMixin,
    SafeImportMixin,
    TreeIndentMixin,
)

from .. import services
from ..forms import CatalogEntryForm
from ..models import CatalogEntry
from ..resources import CatalogImportExportMixin
from .common import DomainFilter, EntryKindFilter, EntryLevelFilter, adjust_selected, history_table


class LocalEntryAdminMixin:
    """What CatalogEntryAdmin adds for local adaptation.

    Standard entries stay read-only for everyone but superusers (the scoped
    mixin's rule); an organisation's own entries are added and changed
    through ``services`` so each change is a dated adjustment with a reason.
    From the tree, entries can be put into or left out of an organisation's
    catalog.
    """

    form = CatalogEntryForm
    adaptation_actions = ("adopt_into_catalog", "exclude_from_catalog")
    superuser_only_fields = ("is_example", "aliases", "issuing_department")

    @admin.display(description=_("名称"))
    def indented_title(self, item):
        return super().indented_title(item)

    @admin.display(description=_("公开渠道和载体"))
    def channel_labels(self, obj):
        return "、".join(str(label) for label in obj.channel_labels()) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        return fields + ("organization",) + (("local_history",) if obj.is_local else ())

    @admin.display(description=_("调整记录"))
    def local_history(self, obj):
        return history_table(services.history(obj.organization, obj)[:50])

    def _is_local_form(self, request, obj):
        """Whether the page edits an organisation's own entry (and so asks for a reason)."""
        if obj is not None:
            return obj.is_local and self.has_change_permission(request, obj)
        return self.has_add_permission(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        view_only = obj is not None and not self.has_change_permission(request, obj)
        for title, options in super().get_fieldsets(request, obj):
            fields = [f for f in options["fields"] if request.user.is_superuser or f not in self.superuser_only_fields]
            if view_only:
                fields = ["channel_labels" if f == "channels" else f for f in fields]
            if fields:
                fieldsets.append((title, {**options, "fields": fields}))
        trail = next((i for i, (_t, o) in enumerate(fieldsets) if "audit_trail" in o["fields"]), len(fieldsets))
        if self._is_local_form(request, obj):
            description = (
                _("本地事项的增加和修改记入本机构目录的调整记录。")
                if obj is not None
                else _(
                    "填写“本地事项所属机构”即为本机构增加本地事项，须写明理由；系统管理员不填机构则新增标准目录事项。"
                )
            )
            fieldsets.insert(
                trail,
                (
                    _("调整说明"),
                    {
                        "fields": ["adjustment_reason", "adjustment_date"],
                        "description": description,
                    },
                ),
            )
            trail += 1
        if obj is not None and obj.is_local:
            fieldsets.insert(trail, (_("调整记录"), {"fields": ["local_history"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        organization = obj.organization if change else form.cleaned_data.get("organization")
        if organization is None:
            return super().save_model(request, obj, form, change)
        note = {
            "reason": form.cleaned_data.get("adjustment_reason"),
            "effective_date": form.cleaned_data.get("adjustment_date"),
        }
        editable = (*services.LOCAL_FIELDS, "name", "parent")
        if not change:
            values = {f: form.cleaned_data[f] for f in services.LOCAL_FIELDS if f in form.cleaned_data}
            entry = services.add_local_entry(
                request.user,
                organization,
                form.cleaned_data.get("parent"),
                name=form.cleaned_data.get("name"),
                **note,
                **values,
            )
            obj.pk = entry.pk
            obj._state.adding = False
            return None
        values = {f: form.cleaned_data[f] for f in form.content_changed() if f in editable}
        adjustment = services.change_local_entry(request.user, obj, **note, **values) if values else None
        if adjustment is None:
            self.message_user(request, gettext("未作任何改动，未记入调整记录。"), messages.WARNING)
        return None

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as exc:  # a rule a concurrent change broke after the form was checked
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _move_node(self, request):
        """Dragging may reorder an organisation's own entries among their siblings, nothing more.

        Moving one under another parent changes the organisation's catalog, so it
        goes through the change form, with a reason, into the history.
        """
        if not request.user.is_superuser:
            cut = self.get_queryset(request).filter(pk=request.POST.get("cut_item") or 0).first()
            pasted = self.get_queryset(request).filter(pk=request.POST.get("pasted_on") or 0).first()
            if cut is not None and pasted is not None:
                position = request.POST.get("position")
                new_parent_id = pasted.pk if position in ("first-child", "last-child") else pasted.parent_id
                if new_parent_id != cut.parent_id:
                    self.message_user(
                        request,
                        gettext(
                            "拖动只能调整同级顺序；要移到其他上级事项，请在事项编辑页修改“上级事项”并填写调整理由。"
                        ),
                        messages.ERROR,
                    )
                    return HttpResponse("FAIL, no permission.")
        return super()._move_node(request)

    # The tree's actions: put entries into, or leave them out of, an organisation's catalog.
    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.has_perm("catalog.change_adoption"):
            for name in self.adaptation_actions:
                actions[name] = self.get_action(name)
        return actions

    def _targets(self, queryset, organization):
        return [(organization, entry, entry.name) for entry in queryset.order_by("tree_id", "lft")]

    @admin.action(description=_("纳入本机构目录（含下级事项）"))
    def adopt_into_catalog(self, request, queryset):
        return adjust_selected(self, request, queryset, "adopt", self._targets, with_organization=True)

    @admin.action(description=_("排除出本机构目录（不适用，含下级事项）"))
    def exclude_from_catalog(self, request, queryset):
        return adjust_selected(self, request, queryset, "exclude", self._targets, with_organization=True)


@admin.register(CatalogEntry)
class CatalogEntryAdmin(
    SafeImportMixin,
    CatalogImportExportMixin,
    LocalEntryAdminMixin,
    OrganizationScopedAdminMixin,
    AuditedAdminMixin,
    TreeIndentMixin,
    DraggableMPTTAdmin,
):
    """The standard catalog (superusers) and organisations' local entries (their staff)."""

    shared_when_null = True
    list_display = ("tree_actions", "indented_title", "code", "time_limit_text", "organization", "is_example")
    list_display_links = ("indented_title",)
    list_filter = (
        DomainFilter,
        EntryLevelFilter,
        EntryKindFilter,
        "proactive",
        "level_county",
        "level_township",
        "five_disclosures",
        "is_example",
    )
    search_fields = ("name", "code", "content_elements", "responsible_body")
    fieldsets = (
        (None, {"fields": ("parent", "name", "code", "sort_order", "organization", "is_example")}),
        (_("领域信息（仅领域）"), {"fields": ("aliases", "issuing_department"), "classes": ("collapse",)}),
        (
            _("标准目录栏目"),
            {
                "fields": (
                    "content_elements",
                    "legal_basis",
                    "time_limit_text",
                    "time_limit_days",
                    "responsible_body",
                    "channels",
                    "audience_public",
                    "audience_specific",
                    "proactive",
                    "on_request",
                    "level_county",
                    "level_township",
                    "five_disclosures",
                    "requires_interpretation",
                )
            },
        ),
    )
