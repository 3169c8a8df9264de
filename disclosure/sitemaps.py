"""sitemap.xml's sections of every public item, domains and organisations (``column.sitemaps`` adds the fixed pages).

A county publishes hundreds of thousands of items, so the item parts never
walk all of them (issue 10): a part finds its keys through the public-order
index first and fetches only its own rows, its addresses are formatted from
one ``reverse`` and written out without the template engine
(:class:`UrlsetXml`), and the index takes its ``lastmod`` from the public content's
generation (the time of the last publication, revision or withdrawal)
instead of Django's default, which reads every item to find the latest.
"""

import datetime as dt
import functools
from typing import NamedTuple

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape

from catalog.models import CatalogEntry
from portal import pagecache
from portal.models import Organization

from .models import DisclosureItem

_PLACEHOLDER = 987654321987


class _KeysFirstPaginator(Paginator):
    """Pages of a large ordered queryset: the page's ids from the index, then its rows by id.

    The count (every part and the index ask for it) is kept under the public
    content's generation, so it is counted again only after a publication.
    """

    @cached_property
    def count(self):
        return pagecache.remember("sitemap-item-count", self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        # Plain rows, not model objects: building 2,000 of those was a third of a part.
        rows = {
            row[0]: _Row(*row)
            for row in self.object_list.filter(pk__in=keys).order_by().values_list("pk", *_Row._fields[1:])
        }
        return self._get_page([rows[k] for k in keys if k in rows], number, self)


class _Row(NamedTuple):
    pk: int
    published_at: dt.datetime
    last_revised_at: dt.datetime | None


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    # 2,000 URLs a part (the protocol allows 50,000): a part is built in well under 200 ms
    # even on a busy server, and 200,000 items make a 100-line index.
    limit = 2000

    def items(self):
        return (
            DisclosureItem.objects.public()
            .only("id", "published_at", "last_revised_at")
            .order_by("-published_at", "-id")
        )

    @property
    def paginator(self):
        return _KeysFirstPaginator(self.items(), self.limit)

    def location(self, item):
        """The item address: reversed once per part with a placeholder id, not once per item."""
        template = self.__dict__.get("_location_template")
        if template is None:
            template = self.__dict__["_location_template"] = reverse("disclosure:item", args=[_PLACEHOLDER])
        return template.replace(str(_PLACEHOLDER), str(item.pk))

    def lastmod(self, item):
        return item.last_revised_at or item.published_at

    def get_latest_lastmod(self):
        """When public content last changed: an upper bound of every item's lastmod, read from the cache."""
        return dt.datetime.fromtimestamp(pagecache.generation() / 1000, tz=dt.UTC)


class UrlsetXml:
    """Django's ``sitemap.xml`` template, written with string joins: a part lists thousands of URLs.

    Passed to Django's sitemap view as its template (a template is anything
    with ``render``), so the view still pages, answers 404 past the end and
    sets ``Last-Modified``; the output is the template's, without its spaces.
    """

    HEAD = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    )

    @staticmethod
    def _day(value, zone):
        if isinstance(value, dt.datetime):
            value = value.astimezone(zone) if value.utcoffset() is not None else value
            value = value.date()
        return value.isoformat()

    def render(self, context=None, request=None):
        parts = [self.HEAD]
        zone = timezone.get_current_timezone()  # once, not once per URL
        for url in (context or {}).get("urlset", ()):
            parts.append(f"<url><loc>{escape(url['location'])}</loc>")
            if url["lastmod"]:
                parts.append(f"<lastmod>{self._day(url['lastmod'], zone)}</lastmod>")
            if url["changefreq"]:
                parts.append(f"<changefreq>{_escaped(url['changefreq'])}</changefreq>")
            if url["priority"]:
                parts.append(f"<priority>{_escaped(url['priority'])}</priority>")
            for alternate in url["alternates"]:
                parts.append(
                    f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                    f'href="{escape(alternate["location"])}"/>'
                )
            parts.append("</url>")
        parts.append("\n</urlset>\n")
        return "".join(parts)


URLSET_TEMPLATE = UrlsetXml()


@functools.lru_cache(maxsize=64)
def _escaped(value):
    """A sitemap's changefreq or priority, the same on each of its thousands of URLs."""
    return escape(value)


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
