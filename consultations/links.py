"""The back-link from a final policy (a disclosure item) to the consultation on its draft."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def consultation_links(item):
    links = []
    for consultation in selectors.for_item(item.pk):
        url = reverse("consultations:detail", args=[consultation.pk])
        links.append({"label": _("本文件草案公开征求意见：%(title)s") % {"title": consultation.title}, "url": url})
        if consultation.feedback_published_at:
            links.append({"label": _("意见采纳情况"), "url": url + "#feedback"})
    return links
