from django.conf import settings

from . import selectors


def site(request):
    """The site's name, root organisation and footer settings (one cached lookup per page)."""
    furniture = selectors.site_furniture()
    root = furniture["root"]
    name = settings.PORTAL_SITE_NAME or (root.name if root else "")
    return {"site_name": name, "site_root": root, "site_settings": furniture["settings"]}
