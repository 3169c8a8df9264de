"""RSS 2.0 and Atom feeds: everything, per domain, per organisation."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from catalog.models import CatalogEntry
from portal.models import Organization
from portal.selectors import root_organization

from . import selectors

FEED_SIZE = 30


class LatestItemsFeed(Feed):
    def title(self, obj=None):
        root = root_organization()
        return _("%(site)s政府信息公开") % {"site": root.name if root else ""}

    def link(self, obj=None):
        return reverse("disclosure:list")

    def description(self, obj=None):
        return _("最新发布的政府信息")

    def items(self, obj=None):
        return selectors.with_entries(selectors.public_items().defer(None))[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The first lines of the body as escaped text.

        RSS ``<description>`` and Atom ``<summary type="html">`` are read as HTML by feed
        readers: plain text put there unescaped turns a typed ``<img onerror=…>`` into
        markup in every subscriber's reader. So the text is HTML-escaped (and its line
        breaks kept as ``<br>``), never passed through as markup.
        """
        text = item.body_text[:300] + ("…" if len(item.body_text) > 300 else "")
        return linebreaksbr(escape(text))

    def item_link(self, item):
        return reverse("disclosure:item", args=[item.pk])

    def item_guid(self, item):
        return item.index_number or str(item.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.effective_published_at

    def item_author_name(self, item):
        return item.organization.name

    def item_categories(self, item):
        return [e.name for e in item.catalog_entries.all()]


class LatestItemsAtomFeed(LatestItemsFeed):
    feed_type = Atom1Feed
    subtitle = LatestItemsFeed.description


class DomainFeed(LatestItemsFeed):
    def get_object(self, request, pk):
        return get_object_or_404(CatalogEntry.objects.domains(), pk=pk)

    def title(self, obj=None):
        return _("%(domain)s领域政府信息") % {"domain": obj.name}

    def link(self, obj=None):
        return reverse("disclosure:domain", args=[obj.pk])

    def items(self, obj=None):
        return (
            selectors.with_entries(selectors.public_items().defer(None))
            .filter(catalog_entries__tree_id=obj.tree_id)
            .distinct()[:FEED_SIZE]
        )


class DomainAtomFeed(DomainFeed):
    feed_type = Atom1Feed
    subtitle = LatestItemsFeed.description


class OrganizationFeed(LatestItemsFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Organization, pk=pk)

    def title(self, obj=None):
        return _("%(org)s政府信息") % {"org": obj.name}

    def link(self, obj=None):
        return reverse("disclosure:organization", args=[obj.pk])

    def items(self, obj=None):
        return selectors.with_entries(selectors.public_items().defer(None)).filter(
            organization__tree_id=obj.tree_id,
            organization__lft__gte=obj.lft,
            organization__rght__lte=obj.rght,
        )[:FEED_SIZE]


class OrganizationAtomFeed(OrganizationFeed):
    feed_type = Atom1Feed
    subtitle = LatestItemsFeed.description
