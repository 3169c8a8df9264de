"""The 政府信息公开专栏 and the home page: the pages that compose what the apps below publish.

The column is the top app (docs/architecture.md): its pages link to the catalog's standard,
the disclosure items, the 依申请公开 forms and the 年报, so they live above all of them and the
lower apps never link up. The lower apps lend their selectors and inclusion templates
(``disclosure_tags``, ``catalog/_source.html`` …); only these views put them together.

Every page is read by citizens on a phone: no JavaScript, a bounded number of queries whatever
the size of the catalog or the item lists (the lists are pages of ``disclosure.paging``, the
filter choices cached lists), a Chinese 404 page (never a 500) for an id that does not exist,
and each is a public page (``portal.pagecache.public_page``: cached for anonymous visitors under
the content generation, which the lower apps bump when what the pages show changes).
"""

import re

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from catalog.models import AdoptionStatus, CatalogEntry, Channel
from disclosure import paging
from disclosure import selectors as disclosure_selectors
from portal import display, pagecache
from portal.models import Organization
from portal.pagecache import public_page
from portal.selectors import guide_organizations, root_organization

from . import selectors

LANDING_ROWS = 6
SEARCH_LIMIT = 50
_LEVEL_NUMERALS = "一二三四五六七八九"


def _office_phone():
    root = root_organization()
    phone = root.office_phone if root else ""
    return {"office_phone": phone, "office_tel": re.sub(r"[^0-9+]", "", phone)}


# --- the home page -------------------------------------------------------------------------------


@public_page
def home(request):
    """The portal's front page: the column's entry, the 依申请公开 entry, the newest items, the domains.

    In 长辈版 (elder mode, ``portal/display.py``) it is the simplified home instead: four large
    buttons for what elders come to do — read the latest notices, check an application, phone
    the disclosure office, apply — and the latest items, nothing else.
    """
    if "elder" in display.chosen_modes(request):
        return render(request, "column/home_elder.html", _office_phone())
    return render(request, "column/home.html", {"domains": catalog_selectors.domains()})


# --- the landing and the 制度 sub-column -----------------------------------------------------------


@public_page
def index(request):
    """政府信息公开专栏: the four sub-columns (61号 order) with their own links and newest items.

    In 长辈版 the column is simplified like the home page: one large button per sub-column and
    per task elders come for (apply, check an application, phone the office), then the newest
    items; the page cache keys on the display modes.
    """
    if "elder" in display.chosen_modes(request):
        return render(request, "column/index_elder.html", {**_office_phone(), "latest": selectors.latest(5)})
    return render(
        request,
        "column/index.html",
        {
            "root": root_organization(),
            "rules": selectors.rules(5),
            "latest": selectors.latest(LANDING_ROWS),
            "policies": selectors.policies(LANDING_ROWS),
            "interpretations": selectors.interpretations(LANDING_ROWS),
        },
    )


@public_page
def rules(request):
    """政府信息公开制度: the rule items, with the filters and pages of every other item list."""
    filters = disclosure_selectors.parse_filters(request.GET)
    qs = disclosure_selectors.apply_filters(disclosure_selectors.rule_items(), filters)
    return render(
        request,
        "column/rules.html",
        {
            "page_obj": paging.get_page(qs, request.GET.get("page")),
            "filters": filters,
            "options": disclosure_selectors.filter_options(),
        },
    )


@public_page
def policies(request):
    """政策文件库: 文号, 发文机关, 成文日期, 发布日期, 有效性; filters by 发文机关, year, 有效性, type.

    A page of the column (it sits in the column's navigation), at /zwgk/xxgk/policies/ as before.
    """
    filters = disclosure_selectors.parse_policy_filters(request.GET)
    qs = disclosure_selectors.apply_policy_filters(disclosure_selectors.policy_documents(), filters)
    return render(
        request,
        "column/policies.html",
        {
            "page_obj": paging.get_page(qs, request.GET.get("page")),
            "filters": filters,
            "options": disclosure_selectors.policy_filter_options(),
            "heading": _("政策文件库"),
        },
    )


@public_page
def guide(request):
    """政府信息公开指南 (条例 第十二条): how to get information, how to apply, where, and remedies."""
    return render(
        request,
        "column/guide.html",
        {"root": root_organization(), "organizations": guide_organizations()},
    )


# --- 法定主动公开内容: the standard catalog by domain and by organisation ---------------------------


def _not_found(request, message):
    return render(request, "column/not_found.html", {"message": message}, status=404)


def _get_or_none(queryset, pk):
    # <int:pk> accepts any length of digits; an id beyond the column's range simply does not exist.
    try:
        return queryset.filter(pk=pk).first()
    except (OverflowError, ValueError):
        return None


def level_label(level):
    """一级事项, 二级事项 … for an entry at ``level`` below its domain (1-based)."""
    if get_language() == "zh-hans" and 1 <= level <= len(_LEVEL_NUMERALS):
        # Chinese catalogs write the level with a numeral: 一级事项, 二级事项 …
        return "%s级事项" % _LEVEL_NUMERALS[level - 1]
    return _("%(n)d级事项") % {"n": level}


@public_page
def statutory(request):
    # The organisation tree (233 bodies in a county) is rendered once per content generation.
    tree = pagecache.remember(
        f"organization-tree:{get_language()}",
        lambda: (
            render_to_string("column/_org_tree.html", {"organizations": catalog_selectors.public_organizations()})
            if catalog_selectors.public_organizations().exists()
            else ""
        ),
    )
    return render(
        request,
        "column/statutory.html",
        {"domains": catalog_selectors.domains(), "organization_tree": mark_safe(tree)},
    )


@public_page
def domain(request, pk):
    node = _get_or_none(CatalogEntry.objects.domains(), pk)
    if node is None:
        return _not_found(request, _("没有找到这个领域。"))
    entries = list(catalog_selectors.public_entry_tree(node))
    return render(
        request,
        "column/domain.html",
        {
            "domain": node,
            "sources": list(node.sources.all()),
            "entries": entries,
            "has_examples": any(e.is_example for e in entries),
            "has_local": any(e.is_local for e in entries),
        },
    )


@public_page
def entry(request, pk):
    node = _get_or_none(CatalogEntry.objects.select_related("organization", "source"), pk)
    if node is None:
        return _not_found(request, _("没有找到这个目录事项。"))
    if node.is_domain:
        return redirect("column:domain", pk=node.pk)
    ancestors = list(node.get_ancestors())
    path = ancestors[1:] + [node]
    adoptions = list(catalog_selectors.entry_adoptions(node))
    adopted = [a for a in adoptions if a.status == AdoptionStatus.ADOPTED]
    return render(
        request,
        "column/entry.html",
        {
            "entry": node,
            "ancestors": ancestors,
            "domain": ancestors[0],
            "levels": [(level_label(i), n) for i, n in enumerate(path, start=1)],
            "channels": [(label, value in node.channels) for value, label in Channel.choices],
            "children": node.get_children().select_related("organization"),
            "adopted": adopted,
            "adjusted": [a for a in adopted if catalog_selectors.is_adjusted(a)],
            "excluded": [a for a in adoptions if a.status == AdoptionStatus.EXCLUDED],
        },
    )


@public_page
def organization_catalog(request, pk):
    organization = _get_or_none(Organization.objects.select_related("parent"), pk)
    if organization is None:
        return _not_found(request, _("没有找到这个机构。"))
    adopted = list(catalog_selectors.organization_catalog(organization))
    excluded = list(catalog_selectors.organization_catalog(organization, status=AdoptionStatus.EXCLUDED))
    paths = catalog_selectors.ancestors_map([a.entry for a in adopted + excluded])
    sections = catalog_selectors.catalog_sections(adopted, paths)
    return render(
        request,
        "column/organization.html",
        {
            "organization": organization,
            "sections": sections,
            "row_count": sum(len(rows) for _domain, rows in sections),
            "excluded": [(a, paths.get(a.entry.pk, [])) for a in excluded],
        },
    )


@public_page
def search(request):
    """公开目录搜索: catalog entries by name, alias, content, responsible body or code."""
    query = catalog_selectors.clean_query(request.GET.get("q", ""))
    results = list(catalog_selectors.search_entries(query, limit=SEARCH_LIMIT)) if query else []
    paths = catalog_selectors.ancestors_map(results)
    return render(
        request,
        "column/search.html",
        {
            "query": query,
            "results": [(e, paths.get(e.pk, [])) for e in results],
            "truncated": len(results) >= SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        },
    )


@public_page
def site_map(request):
    """网站地图: every section of the site, generated from the column's own navigation.

    The column's four sub-columns, the 26 domains (and local extra domains) of 法定主动公开内容,
    the item lists, the application, the searches and the feeds; one query for the domains.
    """
    domains = pagecache.remember(
        "site-map-domains", lambda: list(catalog_selectors.domains().values_list("pk", "name"))
    )
    return render(request, "column/site_map.html", {"domains": domains})
