"""Read-only pages: the dated history of every organisation's catalog, the standard catalog's sources."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import (
    OrganizationScopedAdminMixin,
    ReadOnlyAdminMixin,
)

from .. import services
from ..models import Adjustment, CatalogSource
from .common import OrganizationFilter


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
