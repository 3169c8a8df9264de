from django.conf import settings

from . import selectors


def site(request):
    """The site's name and root organisation, for the header of every page."""
    root = selectors.root_organization()
    name = settings.PORTAL_SITE_NAME or (root.name if root else "")
    return {"site_name": name, "site_root": root}
