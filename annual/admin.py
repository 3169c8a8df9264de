"""Admin: table 二 figures and table 四 cases are entered here; reports are prepared on the staff pages.

Every admin is limited to the user's organisation subtree and writes the audit log.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import AuditedAdminMixin, OrganizationScopedAdminMixin, ReadOnlyAdminMixin
from portal.permissions import organization_scope

from .models import REPORTING_KINDS, AnnualReport, ProactiveFigures, ReviewCase


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "year", "scope", "state", "published_at", "workflow_link")
    list_filter = ("year", "state", "scope")
    fields = ("organization", "year", "scope", "state", "generated_at", "published_at", "published_by", "workflow_link")
    readonly_fields = fields

    @admin.display(description=_("编制与发布"))
    def workflow_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("annual_staff:detail", args=[obj.pk]), _("进入年报页面"))


class _ReportingOrgMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organization" and field is not None:
            field.queryset = field.queryset.filter(kind__in=REPORTING_KINDS)
        return field


@admin.register(ProactiveFigures)
class ProactiveFiguresAdmin(_ReportingOrgMixin, AuditedAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "organization",
        "year",
        "licensing_decisions",
        "penalty_decisions",
        "enforcement_decisions",
        "fees_amount",
    )
    list_filter = ("year",)
    fields = (
        "organization",
        "year",
        "licensing_decisions",
        "penalty_decisions",
        "enforcement_decisions",
        "fees_amount",
        "source_note",
    )


@admin.register(ReviewCase)
class ReviewCaseAdmin(_ReportingOrgMixin, AuditedAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "organization", "kind", "filed_on", "result", "concluded_on")
    list_filter = ("kind", "result")
    date_hierarchy = "filed_on"
    search_fields = ("case_number", "summary")
    fields = ("organization", "kind", "case_number", "filed_on", "result", "concluded_on", "request", "summary")
    raw_id_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "request":
            from requests_app.models import Request

            kwargs["queryset"] = (
                Request.objects.filter(
                    organization__in=organization_scope(request.user),
                    receipt_date__isnull=False,
                )
                .select_related("organization")
                .order_by("-receipt_date")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
