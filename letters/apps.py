from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, app_config=None, **kwargs):
    """The core grants role permissions after its own migrate, before ours exist: grant again."""
    if app_config is None or app_config.label != "letters":
        return
    from portal.roles import sync_role_permissions

    sync_role_permissions()


class LettersConfig(AppConfig):
    name = "letters"
    label = "letters"
    verbose_name = _("互动交流信箱")

    def ready(self):
        post_migrate.connect(_grant_role_permissions, sender=self, dispatch_uid="letters_roles")
        from portal.pagecache import watch

        from .models import Letter

        # The public list shows published letters only: a change of any other letter leaves pages alone.
        watch(Letter, when=lambda letter: letter.published or letter.state == "answered")

        from .services import EXTRA_EVENTS, WORKFLOW

        WORKFLOW.register_events(EXTRA_EVENTS)

        from requests_app import links

        from .selectors import request_link

        links.register(request_link)
