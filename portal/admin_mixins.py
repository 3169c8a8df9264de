"""Admin behaviour every domain app reuses: subtree scoping and the audit trail."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import Organization
from .permissions import can_access_org, organization_scope


class OrganizationScopedAdminMixin:
    """Limit an admin to objects of the user's organisation subtree.

    ``organization_field`` is the lookup path from the model to its
    organisation. Objects with no organisation (shared reference data) are
    readable by everyone but changeable only by superusers.
    """

    organization_field = "organization"
    shared_when_null = False

    def _object_org(self, obj):
        target = obj
        for part in self.organization_field.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        scope = organization_scope(request.user)
        lookup = {f"{self.organization_field}__in": scope}
        if self.shared_when_null:
            from django.db.models import Q

            return qs.filter(Q(**lookup) | Q(**{f"{self.organization_field}__isnull": True}))
        return qs.filter(**lookup)

    def _in_scope(self, request, obj):
        if obj is None or request.user.is_superuser:
            return True
        org = self._object_org(obj)
        if org is None:
            return False  # shared reference data: read-only
        return can_access_org(request.user, org)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.related_model is Organization:
                kwargs["queryset"] = organization_scope(request.user)
                if db_field.name == self.organization_field:
                    # Without an organisation the object would be shared data,
                    # which only superusers may create: say so in the form.
                    kwargs["required"] = True
            elif db_field.related_model is self.model:
                # A tree's parent: only what this user may see (shared entries
                # and its own subtree's), not other organisations' objects.
                kwargs["queryset"] = self.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_hold_children(self, request, parent):
        """Whether a scoped user may put an object below ``parent`` (None: at the top)."""
        if request.user.is_superuser:
            return True
        if parent is None:
            return False
        org = self._object_org(parent)
        if org is None:
            return self.shared_when_null
        return can_access_org(request.user, org)

    def _move_node(self, request):
        """Guard the drag-and-drop move of DraggableMPTTAdmin.

        mptt checks only that the dragged object may be changed; dropping it
        beside a top-level node or next to another organisation's object would
        carry it out of the user's subtree.
        """
        if not request.user.is_superuser:
            try:
                pasted_on = self.get_queryset(request).get(pk=request.POST.get("pasted_on"))
            except (self.model.DoesNotExist, TypeError, ValueError):
                return super()._move_node(request)  # reports the missing object itself
            position = request.POST.get("position")
            parent_attr = self.model._mptt_meta.parent_attr
            new_parent = pasted_on if position in ("first-child", "last-child") else getattr(pasted_on, parent_attr)
            if not self._may_hold_children(request, new_parent):
                self.message_user(request, _("只能移动到本机构及下级机构的范围之内。"), level=messages.ERROR)
                return HttpResponse("FAIL, no permission.")
        return super()._move_node(request)

    def save_model(self, request, obj, form, change):
        org = self._object_org(obj)
        if not request.user.is_superuser and (org is None or not can_access_org(request.user, org)):
            raise PermissionDenied(_("您只能处理本机构及下级机构的数据。"))
        super().save_model(request, obj, form, change)


class AuditedAdminMixin:
    """Write every admin add, change and delete to the audit log and show the trail."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("audit_trail",) if obj is not None else fields

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None and "audit_trail" in fields:
            fields.remove("audit_trail")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.fieldsets:
            fieldsets.append((_("操作日志"), {"fields": ("audit_trail",), "classes": ("collapse",)}))
        return fieldsets

    @admin.display(description=gettext_lazy("操作日志"))
    def audit_trail(self, obj):
        entries = list(audit.entries_for(obj)[:50])
        if not entries:
            return _("暂无记录")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{e.at:%Y-%m-%d %H:%M}",
                    e.actor or "-",
                    e.verb,
                    f"{e.from_state} → {e.to_state}" if (e.from_state or e.to_state) else "",
                    e.comment,
                )
                for e in entries
            ),
        )
        return format_html(
            '<table class="audit-trail"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            _("时间"),
            _("操作人"),
            _("操作"),
            _("状态变化"),
            _("说明"),
            rows,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            changed = "、".join(str(form.fields[f].label or f) for f in form.changed_data if f in form.fields)
            if changed:  # saving an untouched form is not an action worth a line
                audit.record(request.user, obj, _("修改"), comment=_("后台修改：%(fields)s") % {"fields": changed})
        else:
            audit.record(request.user, obj, _("新增"), comment=_("后台新增"))

    @transaction.atomic
    def _move_node(self, request):
        """Record a drag-and-drop move of a tree admin like any other change."""
        response = super()._move_node(request)
        if response.content.startswith(b"OK"):
            obj = self.model._default_manager.get(pk=request.POST.get("cut_item"))
            parent = getattr(obj, self.model._mptt_meta.parent_attr)
            audit.record(
                request.user,
                obj,
                _("移动"),
                comment=_("后台拖动，现位于“%(parent)s”之下") % {"parent": parent}
                if parent
                else _("后台拖动，现为顶层"),
            )
        return response

    def delete_model(self, request, obj):
        audit.record(request.user, obj, _("删除"), comment=_("后台删除"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, obj, _("删除"), comment=_("后台批量删除"))
        super().delete_queryset(request, queryset)


class ReadOnlyAdminMixin:
    """A record list nobody edits in the admin: logs, histories, and objects whose
    every change goes through a workflow page and its services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


SESSION_IMPORTS = "portal_import_uploads"


class SafeImportMixin:
    """django-import-export admins: import needs the model's add permission, and the file being
    confirmed must be one this session uploaded (finding 3 of the penetration test).

    Put it before the import-export mixin in the bases.
    """

    tmp_storage_class = "portal.importstorage.ValidatedCacheStorage"

    def has_import_permission(self, request):
        from django.contrib.auth import get_permission_codename

        opts = self.opts
        add = f"{opts.app_label}.{get_permission_codename('add', opts)}"
        return bool(super().has_import_permission(request)) and request.user.is_active and request.user.has_perm(add)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        name = initial.get("import_file_name")
        if name:
            names = [n for n in request.session.get(SESSION_IMPORTS, []) if n != name]
            request.session[SESSION_IMPORTS] = (names + [name])[-10:]
        return initial

    def process_import(self, request, **kwargs):
        from .importstorage import valid_name

        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "")
        names = request.session.get(SESSION_IMPORTS, [])
        if not valid_name(name) or name not in names:
            raise PermissionDenied(_("导入文件已失效或不属于本次会话，请重新上传。"))
        response = super().process_import(request, **kwargs)
        request.session[SESSION_IMPORTS] = [n for n in names if n != name]
        return response


class TreeIndentMixin:
    """mptt's tree lists indent titles with an inline ``style`` that the CSP blocks: use classes.

    Put it before ``DraggableMPTTAdmin`` in the bases; ``static/css/admin-tree.css`` has the steps.
    """

    class Media:
        css = {"all": ("css/admin-tree.css",)}

    def indented_title(self, item):
        level = min(int(item._mpttfield("level") or 0), 12)
        return format_html('<div class="tree-indent tree-level-{}">{}</div>', level, item)
