"""Queries the core's views and other apps share."""

from .models import Organization


def root_organization():
    """The government this portal serves: the first root of the organisation tree."""
    return Organization.objects.filter(parent__isnull=True).order_by("tree_id").first()


def guide_organizations():
    """Organisations whose disclosure office the guide lists, in tree order."""
    return Organization.objects.exclude(kind__in=["village", "community"]).order_by("tree_id", "lft")
