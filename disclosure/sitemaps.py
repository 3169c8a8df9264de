"""sitemap.xml's sections of public items, domains and organisations (``column.sitemaps`` adds the fixed pages)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog.models import CatalogEntry
from portal.models import Organization

from .models import DisclosureItem


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            DisclosureItem.objects.public()
            .only("id", "published_at", "last_revised_at")
            .order_by("-published_at", "-id")
        )

    def location(self, item):
        return reverse("disclosure:item", args=[item.pk])

    def lastmod(self, item):
        return item.last_revised_at or item.published_at


class DomainSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return CatalogEntry.objects.domains().standard().order_by("sort_order", "name").only("id")

    def location(self, domain):
        return reverse("disclosure:domain", args=[domain.pk])


class OrganizationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Organization.objects.order_by("tree_id", "lft").only("id")

    def location(self, org):
        return reverse("disclosure:organization", args=[org.pk])


SITEMAPS = {
    "items": ItemSitemap,
    "domains": DomainSitemap,
    "organizations": OrganizationSitemap,
}
