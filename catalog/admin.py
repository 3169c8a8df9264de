from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from portal.admin_mixins import AuditedAdminMixin, OrganizationScopedAdminMixin

from .models import Adjustment, Adoption, CatalogEntry
from .resources import CatalogImportExportMixin


@admin.register(CatalogEntry)
class CatalogEntryAdmin(CatalogImportExportMixin, OrganizationScopedAdminMixin, AuditedAdminMixin, DraggableMPTTAdmin):
    """The standard catalog (superusers) and organisations' local entries (their staff)."""

    shared_when_null = True
    list_display = ("tree_actions", "indented_title", "code", "time_limit_text", "organization", "is_example")
    list_display_links = ("indented_title",)
    list_filter = ("level", "proactive", "level_county", "level_township", "five_disclosures", "is_example")
    search_fields = ("name", "code", "content_elements", "responsible_body")
    fieldsets = (
        (None, {"fields": ("parent", "name", "code", "sort_order", "organization", "is_example")}),
        (_("领域信息（仅领域）"), {"fields": ("aliases", "issuing_department"), "classes": ("collapse",)}),
        (_("标准目录栏目"), {"fields": (
            "content_elements", "legal_basis", "time_limit_text", "time_limit_days", "responsible_body",
            "channels", "audience_public", "audience_specific", "proactive", "on_request",
            "level_county", "level_township", "five_disclosures", "requires_interpretation",
        )}),
    )


@admin.register(Adoption)
class AdoptionAdmin(OrganizationScopedAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "entry", "status", "reason", "updated_at")
    list_filter = ("status", "organization")
    search_fields = ("entry__name", "reason")


@admin.register(Adjustment)
class AdjustmentAdmin(OrganizationScopedAdminMixin, admin.ModelAdmin):
    list_display = ("effective_date", "organization", "action", "entry", "reason", "actor")
    list_filter = ("action", "organization")
    date_hierarchy = "effective_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
