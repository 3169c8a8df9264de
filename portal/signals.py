from django.db.models.signals import post_migrate
from django.dispatch import Signal, receiver

# Sent after the working calendar changed in bulk (a year's schedule loaded or seeded);
# apps that store dates derived from it (the request clocks) recompute them. ``years``: the years
# whose days changed.
calendar_changed = Signal()


@receiver(post_migrate)
def grant_role_permissions(sender, app_config=None, using="default", **kwargs):
    """Re-grant role permissions after every migrate, so new apps' permissions reach the roles.

    post_migrate reaches portal before the apps listed after it have had their
    permissions created, so create every installed app's permissions first
    (idempotent) instead of relying on each later app to grant again.
    """
    if app_config is None or app_config.label != "portal":
        return
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .roles import sync_role_permissions

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_role_permissions()
