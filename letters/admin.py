"""Admin: each organisation's reply deadlines. Letters change only on the staff pages (/staff/letters/)."""

from django.contrib import admin

from portal.admin_mixins import AuditedAdminMixin, OrganizationScopedAdminMixin

from .models import ReplyDeadline


@admin.register(ReplyDeadline)
class ReplyDeadlineAdmin(OrganizationScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "kind", "working_days")
    list_filter = ("kind",)
    fields = ("organization", "kind", "working_days")
