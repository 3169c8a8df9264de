from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def grant_role_permissions(sender, app_config=None, **kwargs):
    """Re-grant role permissions after every migrate, so new apps' permissions reach the roles."""
    if app_config is None or app_config.label != "portal":
        return
    from .roles import sync_role_permissions

    sync_role_permissions()
