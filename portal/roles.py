"""The four staff roles and the model permissions each one holds.

Permissions are named "app_label.codename". The core lists its own here; every app lists
its own in its ``roles.py`` (:func:`role_permissions` collects them).
:func:`sync_role_permissions` grants whatever exists and is run by the data migration and
again after every ``migrate``, so a role picks up the permissions of an app installed later.
"""

from importlib import import_module

from django.apps import apps as global_apps
from django.utils.module_loading import module_has_submodule

from .models import Role

GRANTS = {
    Role.CLERK: [
        "portal.view_organization",
    ],
    Role.REVIEWER: [
        "portal.view_organization",
    ],
    Role.REQUEST_OFFICER: [
        "portal.view_organization",
        # Mail to applicants that failed: see it and send it again.
        "portal.view_outboundmessage",
        "portal.resend_outboundmessage",
    ],
    Role.ORG_ADMIN: [
        "portal.view_organization",
        "portal.change_organization",
        "portal.add_organization",
        "portal.view_user",
        "portal.add_user",
        "portal.change_user",
        "portal.view_auditentry",
        "portal.view_calendarday",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.view_scheduleyear",
        "portal.add_scheduleyear",
        "portal.view_outboundmessage",
        "portal.resend_outboundmessage",
        # The footer's site information (of a root organisation: only its administrators reach one).
        "portal.view_sitesettings",
        "portal.add_sitesettings",
        "portal.change_sitesettings",
    ],
}


def role_permissions() -> dict:
    """Every role's permissions, "app_label.codename": the core's own and each installed app's.

    Each app declares what its roles may do in its own ``roles.py`` (``GRANTS``), found through
    the app registry like ``demo.py``: the core knows that roles exist, not what a request
    officer may do with an annual report.
    """
    merged = {role: list(names) for role, names in GRANTS.items()}
    for config in global_apps.get_app_configs():
        if config.name == "portal" or not module_has_submodule(config.module, "roles"):
            continue
        grants = getattr(import_module(f"{config.name}.roles"), "GRANTS", {})
        for role, names in grants.items():
            merged.setdefault(Role(role), []).extend(names)
    return merged


def sync_role_permissions(apps=None):
    """Create the role groups and give each exactly the permissions listed here.

    The roles are defined in code: a permission taken out of
    the grants is taken away from the group on the next migrate, and
    permissions added to a role group by hand do not survive it. Give an
    individual user extra permissions on the user instead.
    """
    if apps is None:
        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
