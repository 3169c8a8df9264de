from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_roles(sender, **kwargs):
    """Portal grants role permissions after its own migrate, before ours exist; grant again now."""
    from portal.roles import sync_role_permissions

    sync_role_permissions()


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("政府信息公开")

    def warm_up(self):
        """Load the search dictionary at server start (portal/wsgi.py), not on the first search."""
        from .segmenter import tokenizer

        tokenizer()

    def ready(self):
        post_migrate.connect(_grant_roles, sender=self, dispatch_uid="disclosure_grant_roles")
        from portal import places
        from portal.pagecache import watch

        places.serve("items_workbench", "disclosure_staff:dashboard")  # where clerks and reviewers start

        from .models import DisclosureItem, ItemState, ItemVersion

        # Drafts and reviews change nothing public; publication, revision, validity and withdrawal do.
        public_facing = (ItemState.PUBLISHED, ItemState.WITHDRAWN, ItemState.MERGED)
        watch(DisclosureItem, when=lambda row: not isinstance(row, DisclosureItem) or row.state in public_facing)
        watch(ItemVersion)

        from .services import EXTRA_EVENTS, WORKFLOW

        WORKFLOW.register_events(EXTRA_EVENTS)  # the audit log's codes for the item's steps
