"""Admin for information requests: read-only register, editable notice templates and settings.

Requests change only through the workflow pages (/staff/requests/), which
call the services; the admin shows them masked and never deletes them.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import AuditedAdminMixin, OrganizationScopedAdminMixin, ReadOnlyAdminMixin

from . import notices
from .models import Notice, NoticeTemplate, Request, RequestSettings
from .privacy import mask_id_number, mask_name, mask_phone


@admin.register(Request)
class RequestAdmin(ReadOnlyAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "tracking_number",
        "organization",
        "channel",
        "receipt_date",
        "status",
        "outcome",
        "applicant_masked",
        "workflow_link",
    )
    list_filter = ("status", "channel", "applicant_category", "organization")
    search_fields = ("tracking_number", "registration_number")
    date_hierarchy = "receipt_date"
    fields = (
        "tracking_number",
        "registration_number",
        "organization",
        "channel",
        "status",
        "outcome",
        "receipt_date",
        "applicant_category",
        "applicant_masked",
        "id_masked",
        "phone_masked",
        "description",
        "handler",
        "replied_on",
        "concluded_on",
        "archived_on",
        "workflow_link",
    )
    readonly_fields = fields

    @admin.display(description=_("申请人"))
    def applicant_masked(self, obj):
        return mask_name(obj.applicant_name)

    @admin.display(description=_("证件号码"))
    def id_masked(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("联系电话"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("办理"))
    def workflow_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("requests_staff:detail", args=[obj.pk]), _("进入办理页面"))


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    organization_field = "request__organization"
    list_display = ("document_number", "title", "request", "issued_on", "delivered_at", "delivery_method")
    list_filter = ("kind", "delivery_method")
    search_fields = ("document_number",)
    # The text (with the applicant's name) is read on the staff page, which masks it where needed.
    readonly_fields = (
        "request",
        "kind",
        "document_number",
        "title",
        "issued_on",
        "created_by",
        "delivered_at",
        "delivery_method",
        "delivery_note",
        "staff_link",
    )
    fields = readonly_fields

    @admin.display(description=_("正文"))
    def staff_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("requests_staff:notice", args=[obj.pk]), _("查看文书"))


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(OrganizationScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Wording of the formal notices; an organisation may override the shared one for itself."""

    shared_when_null = True
    list_display = ("kind", "organization", "title", "updated_at")
    list_filter = ("kind",)
    fields = ("kind", "organization", "title", "body", "placeholders")
    readonly_fields = ("placeholders",)

    @admin.display(description=_("可用占位符"))
    def placeholders(self, obj=None):
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li><code>{{{{ {} }}}}</code> {}</li>", notices.PLACEHOLDERS.items())
        )


@admin.register(RequestSettings)
class RequestSettingsAdmin(OrganizationScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "charge_fees", "document_prefix", "supplement_days")
    fields = ("organization", "charge_fees", "document_prefix", "supplement_days", "reconsideration_body", "court")
