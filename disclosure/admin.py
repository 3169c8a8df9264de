"""Admin for disclosure items: scoped to the user's subtree, audited, with bulk import/export.

State changes are not made here: the staff pages and :mod:`disclosure.services`
do them. The admin edits drafts, shows everything else read-only, and imports
items already published on an old site (keeping their 索引号).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from catalog.models import AdoptionStatus, CatalogEntry
from portal.admin_mixins import (
    AuditedAdminMixin,
    OrganizationScopedAdminMixin,
    ReadOnlyAdminMixin,
    SafeImportMixin,
)
from portal.exports import safe_cell
from portal.models import Organization
from portal.permissions import is_portal_wide, organization_scope

from . import selectors, services, subjects
from .models import (
    EDITABLE_STATES,
    Attachment,
    DisclosureItem,
    IndexCounter,
    ItemState,
    ItemVersion,
    Reassessment,
    Subscription,
)
from .text import validate_body_nesting
from .widgets import BodyEditorWidget


class DisclosureItemResource(resources.ModelResource):
    organization = fields.Field(
        attribute="organization",
        column_name="organization_code",
        widget=widgets.ForeignKeyWidget(Organization, field="code"),
    )
    catalog_entries = fields.Field(
        attribute="catalog_entries",
        column_name="catalog_entry_ids",
        widget=widgets.ManyToManyWidget(CatalogEntry, field="pk", separator=","),
    )
    index_number = fields.Field(attribute="index_number", column_name="index_number")
    published_at = fields.Field(attribute="published_at", column_name="published_at", widget=widgets.DateTimeWidget())
    state = fields.Field(attribute="state", column_name="state", readonly=True)

    class Meta:
        model = DisclosureItem
        fields = (
            "id",
            "organization",
            "index_number",
            "title",
            "kind",
            "subject",
            "document_number",
            "written_on",
            "published_at",
            "document_type",
            "five_disclosures",
            "disclosure_attribute",
            "keywords",
            "validity",
            "effective_on",
            "expired_on",
            "repealed_on",
            "catalog_entries",
            "body",
            "state",
        )
        export_order = fields
        skip_unchanged = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def export_field(self, field, instance, **kwargs):
        """Every exported cell formula-safe: a title typed as ``=HYPERLINK(…)`` stays text."""
        return safe_cell(super().export_field(field, instance, **kwargs))

    def get_queryset(self):
        qs = super().get_queryset().select_related("organization").prefetch_related("catalog_entries")
        if self.user is not None and not self.user.is_superuser:
            qs = qs.filter(organization__in=organization_scope(self.user))
        return qs

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            raise ValidationError(_("导入只能新增历史信息，不能覆盖已有信息（请去掉id列或留空）。"))
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        user = kwargs.get("user") or self.user
        services.import_published(user, instance)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if instance.pk and not self._is_dry_run(kwargs):
            services._refresh_due_date(instance)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fk_name = "item"
    extra = 0
    fields = ("original_name", "file_type", "size", "retired", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DisclosureItem)
class DisclosureItemAdmin(SafeImportMixin, OrganizationScopedAdminMixin, AuditedAdminMixin, ImportExportModelAdmin):
    resource_classes = [DisclosureItemResource]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "organization", "state", "index_number", "published_at", "validity", "document_type")
    list_filter = ("state", "validity", "document_type", "disclosure_rule", "kind", "disclosure_attribute")
    search_fields = ("title", "index_number", "document_number", "keywords")
    date_hierarchy = "published_at"
    autocomplete_fields = ()
    filter_horizontal = ("catalog_entries",)
    raw_id_fields = ("interprets",)
    inlines = [AttachmentInline]
    readonly_fields = (
        "state",
        "index_number",
        "published_at",
        "due_date",
        "confidentiality_signed_by",
        "confidentiality_signed_at",
        "withdrawn_at",
        "withdrawal_reason",
        "revision_of",
    )
    fieldsets = (
        (None, {"fields": ("organization", "kind", "title", "catalog_entries", "body")}),
        (_("公开属性"), {"fields": ("disclosure_attribute", "attribute_reason")}),
        (
            _("元数据"),
            {
                "fields": (
                    "subject",
                    "document_number",
                    "written_on",
                    "formed_on",
                    "document_type",
                    "disclosure_rule",
                    "five_disclosures",
                    "keywords",
                    "effective_on",
                    "source_note",
                )
            },
        ),
        (_("政策解读"), {"fields": ("interpretation_form", "video_url", "interprets"), "classes": ("collapse",)}),
        (_("状态（由审核流程维护）"), {"fields": readonly_fields}),
    )

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Entries some organisation in the user's scope has adopted (the form checks the item's own)."""
        if db_field.name == "catalog_entries":
            adopted = CatalogEntry.objects.filter(adoptions__status=AdoptionStatus.ADOPTED)
            if not request.user.is_superuser:
                adopted = adopted.filter(adoptions__organization__in=organization_scope(request.user))
            kwargs["queryset"] = CatalogEntry.objects.filter(pk__in=adopted.values("pk"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = BodyEditorWidget()
            kwargs["validators"] = [validate_body_nesting]
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        """Every save checks the links exactly as :mod:`disclosure.services` does.

        The admin writes the many-to-many fields itself, so without this a clerk could link a
        draft to another organisation's local catalog entry, or make it interpret another
        office's unpublished document by typing its id into the raw-id box.
        """
        form_class = super().get_form(request, obj, **kwargs)
        user = request.user

        class CheckedLinksForm(form_class):
            subject = forms.ChoiceField(
                label=_("主题分类"), required=False, choices=subjects.choices(obj.subject if obj is not None else "")
            )

            def clean(self):
                data = super().clean()
                organization = data.get("organization") or getattr(self.instance, "organization", None)
                if organization is None:
                    return data
                entries = list(data.get("catalog_entries") or [])
                policies = list(data.get("interprets") or [])
                if not user.is_superuser:
                    allowed = set(selectors.interpretable_policies(user).values_list("pk", flat=True))
                    for policy in policies:
                        if policy.pk not in allowed and policy.state != ItemState.PUBLISHED:
                            self.add_error(
                                "interprets", _("“%(title)s”不在您可选择的解读对象之内。") % {"title": policy.title}
                            )
                            return data
                adopted = set(selectors.adopted_entry_ids(organization))
                kept = set(self.instance.catalog_entries.values_list("pk", flat=True)) if self.instance.pk else set()
                outside = [e.name for e in entries if e.pk not in adopted | kept]
                if outside:
                    self.add_error(
                        "catalog_entries",
                        _("“%(names)s”不在%(org)s已纳入的目录事项中。")
                        % {"names": "、".join(outside), "org": organization.name},
                    )
                    return data
                try:
                    services._check_links(self.instance, organization, entries, policies)
                except ValidationError as exc:
                    self.add_error(None, exc)
                return data

        return CheckedLinksForm

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state not in EDITABLE_STATES:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A draft changed here is changed for the staff pages too: one opened before must not overwrite it."""
        if change:
            obj.lock_version += 1
        super().save_model(request, obj, form, change)


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    organization_field = "item__organization"
    list_display = ("item", "number", "published_at", "change_note")
    readonly_fields = (
        "item",
        "number",
        "title",
        "body",
        "metadata",
        "change_note",
        "published_at",
        "published_by",
        "attachments",
    )


@admin.register(Reassessment)
class ReassessmentAdmin(ReadOnlyAdminMixin, OrganizationScopedAdminMixin, admin.ModelAdmin):
    organization_field = "item__organization"
    list_display = ("decided_on", "item", "decision", "decided_by")
    list_filter = ("decision",)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Citizens' e-mail subscriptions: only for superusers and the county's (root) administrators.

    A subscriber gives the portal an e-mail address, not the township they follow; the
    portal as a whole is responsible for it (个人信息保护法 Art 6: no wider access than the
    purpose needs). A township's or department's administrator has no use for the list,
    so ``view_subscription`` on the 管理员 role counts only for a root organisation's staff
    (:func:`portal.permissions.is_portal_wide`); the token, which cancels a subscription,
    is shown to no one below that either.
    """

    list_display = ("email", "domain", "organization", "confirmed_at", "created_at")
    list_filter = ("confirmed_at",)
    search_fields = ("email",)
    readonly_fields = ("token", "created_at")

    def _portal_wide(self, request):
        return is_portal_wide(request.user)

    def has_module_permission(self, request):
        return self._portal_wide(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._portal_wide(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._portal_wide(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._portal_wide(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._portal_wide(request) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if self._portal_wide(request) else qs.none()


@admin.register(IndexCounter)
class IndexCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "year", "last_serial")

    def has_module_permission(self, request):
        return request.user.is_superuser
