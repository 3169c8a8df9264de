"""The column pages that show disclosure items: the landing ``/zwgk/``, the 制度 sub-column, the 政策文件库.

They live here, not in ``catalog``: ``catalog`` sits below ``disclosure`` and
must not read items. ``disclosure.column_urls`` mounts the landing and the
制度 page under the column's ``catalog`` namespace (``catalog:column``,
``catalog:rules``) in place of catalog's own placeholders, so every existing
link keeps its name and no URL name is shadowed by an earlier pattern. The
政策文件库 is ``disclosure:policies`` at ``/zwgk/xxgk/policies/``.

Every page is a public page (``portal.pagecache.public_page``: cached for
anonymous visitors under the content generation) and reads a bounded number
of queries: the lists are pages of ``disclosure.paging`` (no exact count over
a long list) and the filter choices are cached lists.
"""

import re

from django.shortcuts import render
from django.utils.translation import gettext as _

from portal import display
from portal.pagecache import public_page
from portal.selectors import root_organization

from . import paging, selectors
from .models import DisclosureItem, ItemKind

LANDING_ROWS = 6


def _compact(qs, limit):
    """Titles, organisations and dates only: the landing's short lists, one query each."""
    return list(
        qs.select_related("organization")
        .prefetch_related(None)
        .only(
            "id",
            "title",
            "kind",
            "document_number",
            "published_at",
            "validity",
            "state",
            "revision_of_id",
            "organization__id",
            "organization__name",
            "organization__short_name",
        )[:limit]
    )


@public_page
def column(request):
    """政府信息公开专栏: the four sub-columns (61号 order) with their own links and newest items.

    In 长辈版 (``portal/display.py``) the column is simplified like the home page: one large
    button per sub-column and per task elders come for (apply, check an application, phone the
    office), then the newest items; the page cache keys on the display modes.
    """
    if "elder" in display.chosen_modes(request):
        root = root_organization()
        phone = root.office_phone if root else ""
        return render(
            request,
            "disclosure/column_elder.html",
            {
                "office_phone": phone,
                "office_tel": re.sub(r"[^0-9+]", "", phone),
                "latest": _compact(DisclosureItem.objects.public(), 5),
            },
        )
    return render(
        request,
        "disclosure/column.html",
        {
            "root": root_organization(),
            "rules": _compact(selectors.rule_items(), 5),
            "latest": _compact(DisclosureItem.objects.public(), LANDING_ROWS),
            "policies": _compact(selectors.policy_documents(), LANDING_ROWS),
            "interpretations": _compact(
                DisclosureItem.objects.public().filter(kind=ItemKind.INTERPRETATION), LANDING_ROWS
            ),
        },
    )


@public_page
def rules(request):
    """政府信息公开制度: the rule items, with the filters and pages of every other item list."""
    filters = selectors.parse_filters(request.GET)
    qs = selectors.apply_filters(selectors.rule_items(), filters)
    return render(
        request,
        "disclosure/rules.html",
        {
            "page_obj": paging.get_page(qs, request.GET.get("page")),
            "filters": filters,
            "options": selectors.filter_options(),
        },
    )


@public_page
def policies(request):
    """政策文件库: 文号, 发文机关, 成文日期, 发布日期, 有效性; filters by 发文机关, year, 有效性, type."""
    filters = selectors.parse_policy_filters(request.GET)
    qs = selectors.apply_policy_filters(selectors.policy_documents(), filters)
    return render(
        request,
        "disclosure/policies.html",
        {
            "page_obj": paging.get_page(qs, request.GET.get("page")),
            "filters": filters,
            "options": selectors.policy_filter_options(),
            "heading": _("政策文件库"),
        },
    )
