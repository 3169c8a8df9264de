from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, app_config=None, **kwargs):
    """The core grants role permissions after its own migrate, before ours exist: grant again."""
    if app_config is None or app_config.label != "annual":
        return
    from portal.roles import sync_role_permissions

    sync_role_permissions()


class AnnualConfig(AppConfig):
    name = "annual"
    label = "annual"
    verbose_name = _("政府信息公开年报")

    def ready(self):
        post_migrate.connect(_grant_role_permissions, sender=self, dispatch_uid="annual_roles")
        from portal.pagecache import watch

        from .models import AnnualReport

        watch(AnnualReport)  # the public list of annual reports

        from .services import WORKFLOW

        WORKFLOW.register_events()  # the audit log's codes for the report's steps
