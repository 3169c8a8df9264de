from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from portal.admin_mixins import (
    AuditedAdminMixin,
    OrganizationScopedAdminMixin,
    ReadOnlyAdminMixin,
    SafeImportMixin,
    TreeIndentMixin,
)
from portal.inputs import parse_int
from portal.permissions import organization_scope

from . import selectors, services
from .forms import AdjustSelectedForm, AdoptionAddForm, AdoptionOverrideForm, CatalogEntryForm
from .models import Adjustment, Adoption, AdoptionStatus, CatalogEntry, CatalogSource, Channel
from .resources import CatalogImportExportMixin

# --- list filters -------------------------------------------------------------------------------


class OrganizationFilter(admin.SimpleListFilter):
    """Organisations of the user's subtree only: the list never names another township."""

    title = _("机构")
    parameter_name = "org"
    field = "organization_id"

    def lookups(self, request, model_admin):
        return [
            (str(org.pk), "　" * org.level + org.name)
            for org in organization_scope(request.user).order_by("tree_id", "lft")
        ]

    def queryset(self, request, queryset):
        value = parse_int(self.value() or "")
        if value is not None:
            return queryset.filter(**{self.field: value})
        return queryset


class DomainFilter(admin.SimpleListFilter):
    title = _("领域")
    parameter_name = "domain"
    field = "tree_id"

    def lookups(self, request, model_admin):
        return [(str(d.tree_id), d.name) for d in selectors.domains()]

    def queryset(self, request, queryset):
        value = parse_int(self.value() or "")
        if value is not None:
            return queryset.filter(**{self.field: value})
        return queryset


class AdoptionDomainFilter(DomainFilter):
    field = "entry__tree_id"


class EntryLevelFilter(admin.SimpleListFilter):
    title = _("层级")
    parameter_name = "depth"

    def lookups(self, request, model_admin):
        return [("0", _("领域")), ("1", _("一级事项")), ("2", _("二级事项")), ("3", _("三级及以下"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("0", "1", "2"):
            return queryset.filter(level=int(value))
        if value == "3":
            return queryset.filter(level__gte=3)
        return queryset


class EntryKindFilter(admin.SimpleListFilter):
    title = _("来源")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("standard", _("标准目录")), ("local", _("本地事项"))]

    def queryset(self, request, queryset):
        if self.value() == "standard":
            return queryset.filter(organization__isnull=True)
        if self.value() == "local":
            return queryset.filter(organization__isnull=False)
        return queryset


# --- the 纳入 / 排除 actions -------------------------------------------------------------------

VERBS = {
    "adopt": (services.adopt, _("纳入本机构目录"), _("纳入"), _("纳入本机构目录")),
    "exclude": (services.exclude, _("排除出本机构目录（不适用）"), _("排除"), ""),
}


def adjust_selected(model_admin, request, queryset, verb, targets_for, with_organization):
    """Ask for the reason and date on an intermediate page, then run one service per selected row.

    All rows change or none: one refused row (another organisation's local
    entry, say) rolls the whole batch back and is named in the message.
    """
    service, title, submit, reason_initial = VERBS[verb]
    form = AdjustSelectedForm(
        request.POST if "apply" in request.POST else None,
        user=request.user,
        with_organization=with_organization,
        reason_initial=reason_initial,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        changed, unchanged, errors = 0, [], []
        try:
            with transaction.atomic():
                for organization, entry, label in targets_for(queryset, data.get("organization")):
                    try:
                        count = service(
                            request.user,
                            organization,
                            entry,
                            reason=data["adjustment_reason"],
                            effective_date=data["adjustment_date"],
                        )
                    except (ValidationError, PermissionDenied) as exc:
                        messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                        errors.append(f"{label}：{'；'.join(messages_)}")
                        continue
                    if count:
                        changed += count
                    else:
                        unchanged.append(label)
                if errors:
                    raise _Rollback
        except _Rollback:
            model_admin.message_user(
                request,
                gettext("未作任何改动，因为：%(errors)s") % {"errors": "；".join(errors)},
                messages.ERROR,
            )
            return None
        if changed:
            model_admin.message_user(
                request,
                gettext("已%(verb)s，共%(count)d项状态改变（含下级事项），已记入调整记录。")
                % {"verb": submit, "count": changed},
                messages.SUCCESS,
            )
        if unchanged:
            model_admin.message_user(
                request,
                gettext("以下事项原已是该状态，未作改变：%(names)s") % {"names": "、".join(unchanged)},
                messages.WARNING,
            )
        return None
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": opts,
        "objects": list(queryset[:200]),
        "count": queryset.count(),
        "queryset": queryset,
        "form": form,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "submit_label": submit,
        "cancel_url": request.get_full_path(),
        "verb": verb,
        "media": model_admin.media + form.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/catalog/adjust_selected.html", context)


class _Rollback(Exception):
    pass


def entry_path(entry):
    """ "最低生活保障 › 审核信息": the entry under its parent, without a query when the parent is loaded."""
    if entry.parent_id and entry.level > 1:
        return f"{entry.parent.name} › {entry.name}"
    return entry.name


def history_table(adjustments):
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                a.effective_date.isoformat(),
                a.get_action_display(),
                a.entry.name,
                a.reason,
                "；".join(services.describe_changes(a)),
                a.actor or "—",
            )
            for a in adjustments
        ),
    )
    if not rows:
        return gettext("暂无调整记录")
    return format_html(
        '<table class="adjustment-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
        "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
        gettext("调整日期"),
        gettext("调整类型"),
        gettext("事项"),
        gettext("调整理由"),
        gettext("调整内容"),
        gettext("操作人"),
        rows,
    )


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


@admin.register(Adoption)
class AdoptionAdmin(OrganizationScopedAdminMixin, admin.ModelAdmin):
    """An organisation's own catalog: what it adopted, what it left out and why, its own wording.

    Nothing here writes an adoption directly: adding adopts through
    ``services.adopt``, the change form overrides through ``services.override``
    and the two actions adopt or exclude. The status is never a form field.
    """

    list_display = (
        "entry_label",
        "domain_name",
        "organization_name",
        "status",
        "is_overridden",
        "effective_time_limit",
        "effective_body",
        "effective_channels",
        "reason",
    )
    list_display_links = ("entry_label",)
    list_filter = (OrganizationFilter, "status", AdoptionDomainFilter)
    search_fields = ("entry__name", "reason", "organization__name", "organization__short_name")
    list_select_related = ("organization", "entry", "entry__parent")
    ordering = ("organization__tree_id", "organization__lft", "entry__tree_id", "entry__lft")
    actions = ("adopt_selected", "exclude_selected")
    change_readonly = (
        "organization",
        "entry_full_path",
        "status",
        "reason",
        "standard_values",
        "effective_values",
        "adjustment_history",
    )

    def get_queryset(self, request):
        domains = CatalogEntry.objects.filter(tree_id=OuterRef("entry__tree_id"), parent__isnull=True)
        return super().get_queryset(request).annotate(domain_name=Subquery(domains.values("name")[:1]))

    # Columns.
    @admin.display(description=_("事项"), ordering="entry__lft")
    def entry_label(self, obj):
        return entry_path(obj.entry)

    @admin.display(description=_("领域"), ordering="domain_name")
    def domain_name(self, obj):
        return obj.domain_name

    @admin.display(description=_("机构"), ordering="organization__lft")
    def organization_name(self, obj):
        return obj.organization.display_name

    @admin.display(description=_("本机构调整"), boolean=True)
    def is_overridden(self, obj):
        return bool(obj.time_limit_text or obj.responsible_body or obj.channels is not None)

    @admin.display(description=_("公开时限"))
    def effective_time_limit(self, obj):
        return obj.effective_time_limit_text or "—"

    @admin.display(description=_("公开主体"))
    def effective_body(self, obj):
        return obj.effective_responsible_body or "—"

    @admin.display(description=_("公开渠道和载体"))
    def effective_channels(self, obj):
        return "、".join(str(label) for label in obj.effective_channel_labels()) or "—"

    @admin.display(description=_("事项"))
    def entry_full_path(self, obj):
        return " › ".join(node.name for node in obj.entry.get_ancestors(include_self=True))

    @admin.display(description=_("标准目录的规定"))
    def standard_values(self, obj):
        entry = obj.entry
        labels = dict(Channel.choices)
        return format_html(
            "{}：{}<br>{}：{}<br>{}：{}",
            gettext("公开时限"),
            entry.time_limit_text or "—",
            gettext("公开主体"),
            entry.responsible_body or "—",
            gettext("公开渠道和载体"),
            "、".join(str(labels.get(c, c)) for c in entry.channels or []) or "—",
        )

    @admin.display(description=_("本机构现行规定"))
    def effective_values(self, obj):
        return format_html(
            "{}：{}<br>{}：{}<br>{}：{}",
            gettext("公开时限"),
            obj.effective_time_limit_text or "—",
            gettext("公开主体"),
            obj.effective_responsible_body or "—",
            gettext("公开渠道和载体"),
            self.effective_channels(obj),
        )

    @admin.display(description=_("调整记录"))
    def adjustment_history(self, obj):
        return history_table(services.history(obj.organization, obj.entry)[:50])

    # Permissions: no deleting decisions; an excluded entry is adopted again before it is reworded.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == AdoptionStatus.ADOPTED)

    # The add form (adopt) and the change form (override).
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("AdoptionAddForm", (AdoptionAddForm,), {"user": request.user})
        else:
            kwargs["form"] = AdoptionOverrideForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.change_readonly if obj is not None else ()

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["organization", "entry", "adjustment_reason", "adjustment_date"]})]
        fieldsets = [
            (None, {"fields": ["organization", "entry_full_path", "status", "reason"]}),
            (_("标准目录"), {"fields": ["standard_values"]}),
        ]
        if self.has_change_permission(request, obj):
            fieldsets += [
                (
                    _("本机构的规定（显示现行值，修改后保存）"),
                    {"fields": ["time_limit_text", "responsible_body", "channels"]},
                ),
                (_("调整说明"), {"fields": ["adjustment_reason", "adjustment_date"]}),
            ]
        else:
            fieldsets.append((_("本机构"), {"fields": ["effective_values"]}))
        fieldsets.append((_("调整记录"), {"fields": ["adjustment_history"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        note = {"reason": data["adjustment_reason"], "effective_date": data["adjustment_date"]}
        if not change:
            count = services.adopt(request.user, data["organization"], data["entry"], **note)
            adoption = Adoption.objects.get(organization=data["organization"], entry=data["entry"])
            obj.pk, obj.status, obj._state.adding = adoption.pk, adoption.status, False
            if count:
                self.message_user(
                    request, gettext("已纳入%(count)d项（含下级事项），已记入调整记录。") % {"count": count}
                )
            else:
                self.message_user(request, gettext("该事项及其下级事项原已纳入，未作改变。"), messages.WARNING)
            return
        values = {f: data[f] for f in ("time_limit_text", "responsible_body", "channels") if f in data}
        adjustment = services.override(request.user, obj.organization, obj.entry, **note, **values)
        if adjustment is None:
            self.message_user(request, gettext("与现行规定相同，未作改动，未记入调整记录。"), messages.WARNING)
        else:
            self.message_user(
                request,
                gettext("已记入调整记录：%(changes)s") % {"changes": "；".join(services.describe_changes(adjustment))},
            )

    def save_related(self, request, form, formsets, change):
        """Nothing related to save; the services wrote everything."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as exc:  # a rule a concurrent change broke after the form was checked
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # Actions on the selected rows.
    def _targets(self, queryset, organization=None):
        return [
            (a.organization, a.entry, f"{a.organization.display_name}·{a.entry.name}")
            for a in queryset.select_related("organization", "entry")
        ]

    @admin.action(description=_("纳入（含下级事项）"), permissions=["change"])
    def adopt_selected(self, request, queryset):
        return adjust_selected(self, request, queryset, "adopt", self._targets, with_organization=False)

    @admin.action(description=_("排除（不适用，含下级事项）"), permissions=["change"])
    def exclude_selected(self, request, queryset):
        return adjust_selected(self, request, queryset, "exclude", self._targets, with_organization=False)

    # 按本级标准目录编制: compile a new organisation's catalog in one step.
    def get_urls(self):
        return [
            path(
                "adopt-level/", self.admin_site.admin_view(self.adopt_level_view), name="catalog_adoption_adopt_level"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_adopt_level": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context)

    def adopt_level_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = AdjustSelectedForm(
            request.POST or None,
            user=request.user,
            with_organization=True,
            reason_initial=gettext("按标准目录编制本级目录"),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                count = services.adopt_for_level(
                    request.user,
                    data["organization"],
                    reason=data["adjustment_reason"],
                    effective_date=data["adjustment_date"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                if count:
                    self.message_user(
                        request,
                        gettext("已为%(org)s纳入本级标准目录事项%(count)d项。")
                        % {"org": data["organization"], "count": count},
                    )
                else:
                    self.message_user(
                        request,
                        gettext("%(org)s的本级标准目录事项均已纳入或已排除，未作改变。")
                        % {"org": data["organization"]},
                        messages.WARNING,
                    )
                url = reverse("admin:catalog_adoption_changelist") + f"?org={data['organization'].pk}"
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("按本级标准目录编制本机构目录"),
            "subtitle": None,
            "opts": self.model._meta,
            "form": form,
            "intro": gettext(
                "把本机构所属层级（县级或乡级）的全部标准目录事项纳入本机构目录；已纳入或已排除的事项保持不变。"
            ),
            "submit_label": gettext("编制"),
            "cancel_url": reverse("admin:catalog_adoption_changelist"),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/catalog/adjust_selected.html", context)


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    """The dated history of every organisation's catalog: read-only, written only by the services."""

    list_display = ("effective_date", "organization_name", "action", "entry", "reason", "changes_brief", "actor")
    list_filter = (OrganizationFilter, "action", ("effective_date", admin.DateFieldListFilter))
    search_fields = ("entry__name", "reason")
    date_hierarchy = "effective_date"
    list_select_related = ("organization", "entry", "actor")
    ordering = ("-effective_date", "-created_at", "-id")
    fields = ("effective_date", "organization", "action", "entry", "reason", "changes_text", "actor", "created_at")
    readonly_fields = fields

    @admin.display(description=_("机构"), ordering="organization__lft")
    def organization_name(self, obj):
        return obj.organization.display_name

    @admin.display(description=_("调整内容"))
    def changes_brief(self, obj):
        """The list shows how many entries an adoption touched; the page lists them."""
        count = len((obj.changes or {}).get("entries") or [])
        lines = [line for line in services.describe_changes(obj) if not line.startswith(gettext("涉及事项"))]
        if count:
            lines.insert(0, gettext("涉及%(count)d项") % {"count": count})
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines)) or "—"

    @admin.display(description=_("调整内容"))
    def changes_text(self, obj):
        return format_html_join("", "<div>{}</div>", ((line,) for line in services.describe_changes(obj))) or "—"


@admin.register(CatalogSource)
class CatalogSourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The published texts the shipped standard catalog was copied from.

    Read-only here: a source changes with its fixture file (fixtures/catalog/standard/*.source.json)
    and ``load_standard_catalog``, so the page and the file never disagree.
    """

    list_display = ("domain", "title", "issuer", "published", "kind", "primary", "rows")
    list_filter = ("kind", "primary")
    search_fields = ("title", "issuer", "domain__name")
