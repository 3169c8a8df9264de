"""RSS 2.0 and Atom feeds of the consultations (as disclosure/feeds.py does for items)."""

from django.contrib.syndication.views import Feed
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from portal.selectors import root_organization

from . import selectors, services

FEED_SIZE = 30


class ConsultationFeed(Feed):
    def title(self):
        root = root_organization()
        return _("%(site)s意见征集") % {"site": root.name if root else ""}

    def link(self):
        return reverse("consultations:list")

    def description(self):
        return _("政策文件草案公开征求意见及意见采纳情况")

    def items(self):
        return selectors.public_consultations(None, services.today())[:FEED_SIZE]

    def item_title(self, consultation):
        return consultation.title

    def item_description(self, consultation):
        """Escaped text only: feed readers treat the description as HTML (see disclosure/feeds.py)."""
        text = _("征集期：%(start)s至%(end)s；%(state)s。") % {
            "start": consultation.starts_on.isoformat(),
            "end": consultation.ends_on.isoformat(),
            "state": consultation.phase(services.today()).label,
        }
        explanation = consultation.explanation[:300]
        return linebreaksbr(escape(text + ("\n" + explanation if explanation else "")))

    def item_link(self, consultation):
        return reverse("consultations:detail", args=[consultation.pk])

    def item_pubdate(self, consultation):
        return consultation.published_at

    def item_updateddate(self, consultation):
        return consultation.feedback_published_at or consultation.published_at

    def item_author_name(self, consultation):
        return consultation.organization.name


class ConsultationAtomFeed(ConsultationFeed):
    feed_type = Atom1Feed
    subtitle = ConsultationFeed.description
