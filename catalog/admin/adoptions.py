"""An organisation's own catalog (本机构目录): adopting, excluding, rewording."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import (
    OrganizationScopedAdminMixin,
)

from .. import services
from ..forms import AdjustSelectedForm, AdoptionAddForm, AdoptionOverrideForm
from ..models import Adoption, AdoptionStatus, CatalogEntry, Channel
from .common import AdoptionDomainFilter, OrganizationFilter, adjust_selected, entry_path, history_table


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
