"""Queries the core's views and other apps share."""

from .models import Organization, SiteSettings


def root_organization():
    """The government this portal serves: the first root of the organisation tree."""
    return Organization.objects.filter(parent__isnull=True).order_by("tree_id").first()


def guide_organizations():
    """Organisations whose disclosure office the guide lists, in tree order."""
    return Organization.objects.exclude(kind__in=["village", "community"]).order_by("tree_id", "lft")


def site_furniture():
    """The root organisation and its footer settings, for every page: one cached lookup.

    Kept under the public-content generation (``portal.pagecache.remember``), which every
    change of an organisation or of the site settings bumps; the logo's bytes stay out.
    """
    from .pagecache import remember

    def compute():
        # One query: the root with its settings joined (the logo's bytes left out).
        root = (
            Organization.objects.filter(parent__isnull=True)
            .order_by("tree_id")
            .select_related("site_settings")
            .defer("site_settings__conac_logo")
            .first()
        )
        try:
            settings = root.site_settings if root is not None else None
        except SiteSettings.DoesNotExist:
            settings = None
        return {"root": root, "settings": settings}

    return remember("site-furniture", compute)
