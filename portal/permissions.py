"""The organisation-subtree boundary every staff action respects.

Services call :func:`ensure_org_access` before touching an object; admin and
staff views filter with :func:`organization_scope`. Hiding menus is never the
protection: these checks are.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Organization


def organization_scope(user):
    """Organisations ``user`` may see and change: its own and everything below."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    if user.organization_id is None:
        return Organization.objects.none()
    return user.organization.get_descendants(include_self=True)


def can_access_org(user, organization):
    if organization is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    own = user.organization
    if own is None:
        return False
    return organization.tree_id == own.tree_id and own.lft <= organization.lft and organization.rght <= own.rght


def ensure_org_access(user, organization):
    if not can_access_org(user, organization):
        raise PermissionDenied(_("您只能处理本机构及下级机构的数据。"))


def ensure_perm(user, perm):
    if not (getattr(user, "is_active", False) and user.has_perm(perm)):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def is_portal_wide(user):
    """Whether ``user`` may change what applies to every organisation, like the holiday calendar.

    The calendar has no organisation: a township's admin entering a day off
    would move every deadline of the county. So only superusers and staff of a
    root organisation (the county government) qualify.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.organization_id is not None and user.organization.parent_id is None


def ensure_portal_wide(user):
    if not is_portal_wide(user):
        raise PermissionDenied(_("放假安排适用于全县所有机构，只能由县级（最上级机构）管理员录入。"))
