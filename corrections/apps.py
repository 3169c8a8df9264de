from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, app_config=None, **kwargs):
    """The core grants role permissions after its own migrate, before ours exist: grant again."""
    if app_config is None or app_config.label != "corrections":
        return
    from portal.roles import sync_role_permissions

    sync_role_permissions()


class CorrectionsConfig(AppConfig):
    name = "corrections"
    label = "corrections"
    verbose_name = _("我要纠错")

    def ready(self):
        post_migrate.connect(_grant_role_permissions, sender=self, dispatch_uid="corrections_roles")
        from .services import WORKFLOW

        WORKFLOW.register_events()
