from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, app_config=None, **kwargs):
    """The core grants role permissions after its own migrate, before ours exist: grant again."""
    if app_config is None or app_config.label != "consultations":
        return
    from portal.roles import sync_role_permissions

    sync_role_permissions()


class ConsultationsConfig(AppConfig):
    name = "consultations"
    label = "consultations"
    verbose_name = _("意见征集")

    def ready(self):
        post_migrate.connect(_grant_role_permissions, sender=self, dispatch_uid="consultations_roles")
        from disclosure import related

        from . import links
        from .services import COMMENTS, EXTRA_EVENTS, WORKFLOW

        WORKFLOW.register_events(EXTRA_EVENTS)
        # Comments' steps share the app label: their verbs are distinct from the consultation's.
        COMMENTS.register_events()
        related.register(links.consultation_links)
        from portal.pagecache import watch

        from .models import Consultation

        watch(Consultation)  # the final policy's page shows the back-link
