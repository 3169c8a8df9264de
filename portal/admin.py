from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mptt.admin import DraggableMPTTAdmin

from . import audit, services
from .admin_mixins import AuditedAdminMixin, OrganizationScopedAdminMixin, ReadOnlyAdminMixin, TreeIndentMixin
from .forms import OrganizationAdminForm, ScheduleYearForm, SiteSettingsForm
from .models import (
    AuditEntry,
    AuditEvent,
    CalendarDay,
    CalendarSource,
    Organization,
    Role,
    ScheduleYear,
    SiteSettings,
    User,
)
from .permissions import can_access_org, is_portal_wide, organization_scope

admin.site.site_header = gettext_lazy("政务公开管理后台")
admin.site.site_title = gettext_lazy("政务公开管理后台")
admin.site.index_title = gettext_lazy("管理首页")


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, TreeIndentMixin, DraggableMPTTAdmin):
    form = OrganizationAdminForm
    list_display = ("tree_actions", "indented_title", "kind", "code", "office_phone")
    list_display_links = ("indented_title",)
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code")
    fieldsets = (
        (None, {"fields": ("parent", "name", "short_name", "kind", "code", "index_pattern", "sort_order")}),
        (
            gettext_lazy("政务公开办公室（显示在公开指南中）"),
            {
                "fields": (
                    "office_address",
                    "office_postcode",
                    "office_phone",
                    "office_fax",
                    "office_hours",
                    "office_email",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=organization_scope(request.user).values("pk"))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_access_org(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_access_org(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser and obj.pk == request.user.organization_id:
            # Its own place in the tree belongs to whoever administers the level above.
            fields += ("parent",)
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and not request.user.is_superuser:
            kwargs["queryset"] = organization_scope(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        user = request.user
        if not user.is_superuser:
            # A non-superuser may only add below, or edit inside, its own subtree
            # (obj still carries its old place in the tree until it is saved).
            if change and not can_access_org(user, obj):
                raise PermissionDenied(_("您只能处理本机构及下级机构的数据。"))
            if change and obj.pk == user.organization_id:
                if "parent" in form.changed_data:
                    raise PermissionDenied(_("不能移动本机构本身。"))
            elif obj.parent is None or not can_access_org(user, obj.parent):
                raise PermissionDenied(_("您只能处理本机构及下级机构的数据。"))
        super().save_model(request, obj, form, change)

    def _move_node(self, request):
        """Drag-and-drop may not carry an organisation out of the user's subtree."""
        user = request.user
        if not user.is_superuser:
            scope = self.get_queryset(request)
            try:
                cut_item = scope.get(pk=request.POST.get("cut_item"))
                pasted_on = scope.get(pk=request.POST.get("pasted_on"))
            except (Organization.DoesNotExist, TypeError, ValueError):
                return super()._move_node(request)  # reports the missing object itself
            new_parent = (
                pasted_on if request.POST.get("position") in ("first-child", "last-child") else pasted_on.parent
            )
            if cut_item.pk == user.organization_id:
                message = _("不能移动本机构本身。")
            elif new_parent is None or not can_access_org(user, new_parent):
                message = _("只能移动到本机构及下级机构的范围之内。")
            else:
                message = None
            if message:
                self.message_user(request, message, level=messages.ERROR)
                return HttpResponse("FAIL, no permission.")
        return super()._move_node(request)


@admin.register(User)
class UserAdmin(OrganizationScopedAdminMixin, AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "full_name", "organization", "is_staff", "is_active")
    # Only organisations that have users the viewer can see, not the whole tree.
    list_filter = ("is_staff", "is_active", "groups", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("username", "full_name", "email")
    actions = ["unlock_logins", "reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("个人信息"), {"fields": ("full_name", "email", "phone", "organization")}),
        (gettext_lazy("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (gettext_lazy("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "organization", "password1", "password2")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # An organisation admin hands out roles, never superuser or single permissions.
        trimmed = []
        for title, opts in fieldsets:
            fields = tuple(f for f in opts["fields"] if f not in {"is_superuser", "user_permissions"})
            trimmed.append((title, {**opts, "fields": fields}))
        return trimmed

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _touches_superuser(self, request, obj):
        """A superuser account is out of reach for everybody but superusers.

        Otherwise an organisation admin could set the password of the
        superuser who belongs to its organisation and log in as it.
        """
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._touches_superuser(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._touches_superuser(request, obj)

    @admin.action(description=gettext_lazy("解除所选用户的登录锁定"), permissions=["change"])
    def unlock_logins(self, request, queryset):
        """Clear the failed-login count of the selected accounts (django-axes), audited.

        Only the accounts' own lock: an address lock stays until it cools off or a superuser
        deletes it under 登录尝试 (axes' admin).
        """
        from axes.utils import reset

        count = 0
        for user in queryset:
            if self._touches_superuser(request, user):
                continue
            if reset(username=user.get_username()):
                count += 1
            audit.record_event(AuditEvent.UNLOCK, actor=request.user, request=request, target=user)
        self.message_user(request, _("已解除%(count)d个账号的登录锁定。") % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("重置所选用户的双因素认证（需重新绑定）"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """A lost phone: remove the devices; the user enrols again at the next login."""
        from django_otp import devices_for_user

        count = 0
        for user in queryset:
            if self._touches_superuser(request, user) or user.pk == request.user.pk:
                continue
            for device in devices_for_user(user, confirmed=None):
                device.delete()
            audit.record_event(AuditEvent.OTP_RESET, actor=request.user, request=request, target=user)
            count += 1
        self.message_user(request, _("已重置%(count)d个账号的双因素认证。") % {"count": count}, messages.SUCCESS)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None:
                audit.record(request.user, user, _("修改密码"), comment=_("后台重设密码"))
        return response


class PortalWideAdminMixin:
    """The calendar applies to every organisation: only portal-wide staff may change it."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_portal_wide(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_portal_wide(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_portal_wide(request.user)


@admin.register(CalendarDay)
class CalendarDayAdmin(PortalWideAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Single days: local extra days off, and corrections to a loaded schedule."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"
    search_fields = ("name",)

    def get_changeform_initial_data(self, request):
        # A day added by hand is a local day off unless a superuser says otherwise;
        # reloading the year's schedule keeps local days.
        return {"source": CalendarSource.LOCAL, **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + ("source",)

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.source = CalendarSource.LOCAL
        super().save_model(request, obj, form, change)


@admin.register(ScheduleYear)
class ScheduleYearAdmin(PortalWideAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Enter a new year's State Council schedule in one form."""

    list_display = ("year", "source", "notice", "loaded_at")
    readonly_fields = ("source", "loaded_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ScheduleYearForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["year", "notice", "days_off", "workdays"]
        return ["year", "notice", "source", "loaded_at", "audit_trail"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        services.load_year_schedule(
            request.user,
            form.cleaned_data["year"],
            notice=form.cleaned_data["notice"],
            days_off=form.cleaned_data["days_off"],
            workdays=form.cleaned_data["workdays"],
        )
        obj.pk = ScheduleYear.objects.get(year=form.cleaned_data["year"]).pk

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)


class AuditEventFilter(admin.SimpleListFilter):
    """The event codes by their labels in the reader's language."""

    title = gettext_lazy("事件")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return sorted(((code, str(label)) for code, label in audit.event_codes().items()), key=lambda x: x[1])

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor", "username", "verb", "outcome", "ip", "object_repr", "from_state", "to_state")
    list_filter = (AuditEventFilter, "outcome", "content_type")
    search_fields = ("object_repr", "comment", "username", "actor__username", "ip")
    date_hierarchy = "at"

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("actor")
        if request.user.is_superuser:
            return qs
        # What the people of one's own subtree did; not the whole county's log.
        return qs.filter(actor__organization__in=organization_scope(request.user))


@admin.register(SiteSettings)
class SiteSettingsAdmin(OrganizationScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """网站信息（页脚）: one per root organisation; its administrators and superusers edit it."""

    form = SiteSettingsForm
    list_display = ("sponsor", "organization", "website_code", "icp_number", "police_number")
    fieldsets = (
        (None, {"fields": ("organization", "sponsor", "organizer")}),
        (gettext_lazy("联系方式"), {"fields": ("address", "phone", "email")}),
        (
            gettext_lazy("标识与备案"),
            {
                "fields": (
                    "website_code",
                    "icp_number",
                    "police_number",
                    "conac_url",
                    "logo_preview",
                    "logo_upload",
                    "logo_clear",
                    "correction_url",
                )
            },
        ),
    )
    readonly_fields = ("logo_preview",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organization":
            field.queryset = field.queryset.filter(parent__isnull=True)
        return field

    @admin.display(description=gettext_lazy("现有标识图片"))
    def logo_preview(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj is None or not obj.conac_logo_sha:
            return _("未上传")
        return format_html(
            '<img src="{}" alt="{}" width="55" height="64">',
            reverse("site_logo", args=[obj.conac_logo_sha]),
            _("党政机关网站标识"),
        )


# django-otp's device admin looks its device up with ``objects.get`` in its QR-code and
# configuration views, so an unknown number is a server error; the same views, 404 instead.
from django.http import Http404  # noqa: E402
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as _OTPTOTPDeviceAdmin  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402


class TOTPDeviceAdmin(_OTPTOTPDeviceAdmin):
    def config_view(self, request, pk):
        try:
            return super().config_view(request, pk)
        except TOTPDevice.DoesNotExist:
            raise Http404(_("没有这个设备。")) from None

    def qrcode_view(self, request, pk):
        try:
            return super().qrcode_view(request, pk)
        except TOTPDevice.DoesNotExist:
            raise Http404(_("没有这个设备。")) from None


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
