"""What the catalog's admin pages share: the list filters, the 纳入/排除 page, the history table."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.inputs import parse_int
from portal.permissions import organization_scope

from .. import selectors, services
from ..forms import AdjustSelectedForm

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
    "adopt": (_("纳入本机构目录"), _("纳入"), _("纳入本机构目录")),
    "exclude": (_("排除出本机构目录（不适用）"), _("排除"), ""),
}


def adjust_selected(model_admin, request, queryset, verb, targets_for, with_organization):
    """Ask for the reason and date on an intermediate page, then adopt or exclude the selected rows.

    All rows change or none (``services.adjust_many``): one refused row is named in the message.
    """
    title, submit, reason_initial = VERBS[verb]
    form = AdjustSelectedForm(
        request.POST if "apply" in request.POST else None,
        user=request.user,
        with_organization=with_organization,
        reason_initial=reason_initial,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        outcome = services.adjust_many(
            request.user,
            verb,
            targets_for(queryset, data.get("organization")),
            reason=data["adjustment_reason"],
            effective_date=data["adjustment_date"],
        )
        if outcome.errors:
            model_admin.message_user(
                request,
                gettext("未作任何改动，因为：%(errors)s") % {"errors": "；".join(outcome.errors)},
                messages.ERROR,
            )
            return None
        if outcome.changed:
            model_admin.message_user(
                request,
                gettext("已%(verb)s，共%(count)d项状态改变（含下级事项），已记入调整记录。")
                % {"verb": submit, "count": outcome.changed},
                messages.SUCCESS,
            )
        if outcome.unchanged:
            model_admin.message_user(
                request,
                gettext("以下事项原已是该状态，未作改变：%(names)s") % {"names": "、".join(outcome.unchanged)},
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
