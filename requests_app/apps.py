from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, app_config=None, **kwargs):
    """The core grants role permissions after its own migrate, before ours exist: grant again."""
    if app_config is None or app_config.label != "requests_app":
        return
    from portal.roles import sync_role_permissions

    sync_role_permissions()


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("依申请公开")

    def ready(self):
        post_migrate.connect(_grant_role_permissions, sender=self, dispatch_uid="requests_app_roles")
        from portal import places

        from . import clockstore

        places.serve("requests_workbench", "requests_staff:workbench")  # where request officers start

        clockstore.connect()

        from .services import WORKFLOW
        from .services.workflow import EVENTS

        # The audit log's codes: every step's label, and the events that are no step.
        WORKFLOW.register_events(EVENTS)
