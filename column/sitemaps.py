"""sitemap.xml: the column's fixed pages first, then disclosure's sections (items, domains, organisations)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from disclosure.sitemaps import SITEMAPS as DISCLOSURE_SITEMAPS


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "home",
            "column:index",
            "column:guide",
            "column:rules",
            "column:statutory",
            "column:policies",
            "annual:list",
            "disclosure:list",
            "disclosure:organizations",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": StaticPagesSitemap, **DISCLOSURE_SITEMAPS}
