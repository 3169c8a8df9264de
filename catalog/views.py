"""The public disclosure column (政府信息公开专栏) as far as the catalog reaches.

Every page here is read by citizens on a phone: no JavaScript, a bounded
number of queries whatever the size of the catalog, and a Chinese 404 page
(never a 500) for an id that does not exist.
"""

from itertools import groupby

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import pagecache
from portal.models import Organization
from portal.pagecache import public_page
from portal.selectors import guide_organizations, root_organization

from . import selectors
from .models import AdoptionStatus, CatalogEntry, Channel

SEARCH_LIMIT = 50
_LEVEL_NUMERALS = "一二三四五六七八九"


def _not_found(request, message):
    return render(request, "catalog/not_found.html", {"message": message}, status=404)


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
def guide(request):
    return render(
        request,
        "catalog/guide.html",
        {"root": root_organization(), "organizations": guide_organizations()},
    )


@public_page
def annual_reports(request):
    return render(request, "catalog/annual_reports.html")


@public_page
def statutory(request):
    # The organisation tree (233 bodies in a county) is rendered once per content generation.
    tree = pagecache.remember(
        f"organization-tree:{get_language()}",
        lambda: (
            render_to_string("catalog/_org_tree.html", {"organizations": selectors.public_organizations()})
            if selectors.public_organizations().exists()
            else ""
        ),
    )
    return render(
        request,
        "catalog/statutory.html",
        {"domains": selectors.domains(), "organization_tree": mark_safe(tree)},
    )


@public_page
def domain(request, pk):
    node = _get_or_none(CatalogEntry.objects.domains(), pk)
    if node is None:
        return _not_found(request, _("没有找到这个领域。"))
    entries = list(selectors.public_entry_tree(node))
    return render(
        request,
        "catalog/domain.html",
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
        return redirect("catalog:domain", pk=node.pk)
    ancestors = list(node.get_ancestors())
    path = ancestors[1:] + [node]
    adoptions = list(selectors.entry_adoptions(node))
    adopted = [a for a in adoptions if a.status == AdoptionStatus.ADOPTED]
    return render(
        request,
        "catalog/entry.html",
        {
            "entry": node,
            "ancestors": ancestors,
            "domain": ancestors[0],
            "levels": [(level_label(i), n) for i, n in enumerate(path, start=1)],
            "channels": [(label, value in node.channels) for value, label in Channel.choices],
            "children": node.get_children().select_related("organization"),
            "adopted": adopted,
            "adjusted": [a for a in adopted if _is_adjusted(a)],
            "excluded": [a for a in adoptions if a.status == AdoptionStatus.EXCLUDED],
        },
    )


def _is_adjusted(adoption):
    return bool(adoption.time_limit_text or adoption.responsible_body or adoption.channels is not None)


def _catalog_rows(adoptions, paths):
    """Rows of an organisation's catalog grouped by domain.

    A group (一级事项) is not a row of its own: published catalogs show it as
    the first half of the 公开事项 column of its children's rows. A group
    whose children the organisation left out has nothing to publish, unless
    the group carries columns of its own (catalogs without 二级事项).
    """
    rows = []
    for index, adoption in enumerate(adoptions):
        entry = adoption.entry
        if entry.is_domain:
            continue
        following = adoptions[index + 1].entry if index + 1 < len(adoptions) else None
        if following is not None and following.tree_id == entry.tree_id and following.lft < entry.rght:
            continue
        has_columns = entry.content_elements or entry.time_limit_text or entry.responsible_body
        if entry.rght - entry.lft > 1 and not has_columns:
            continue
        path = paths.get(entry.pk, [])
        rows.append(
            {
                "adoption": adoption,
                "domain": path[0] if path else None,
                "groups": path[1:],
                "adjusted": _is_adjusted(adoption),
            }
        )
    return [(domain, list(items)) for domain, items in groupby(rows, key=lambda row: row["domain"])]


@public_page
def organization_catalog(request, pk):
    organization = _get_or_none(Organization.objects.select_related("parent"), pk)
    if organization is None:
        return _not_found(request, _("没有找到这个机构。"))
    adopted = list(selectors.organization_catalog(organization))
    excluded = list(selectors.organization_catalog(organization, status=AdoptionStatus.EXCLUDED))
    paths = selectors.ancestors_map([a.entry for a in adopted + excluded])
    sections = _catalog_rows(adopted, paths)
    return render(
        request,
        "catalog/organization.html",
        {
            "organization": organization,
            "sections": sections,
            "row_count": sum(len(rows) for _domain, rows in sections),
            "excluded": [(a, paths.get(a.entry.pk, [])) for a in excluded],
        },
    )


@public_page
def search(request):
    query = selectors.clean_query(request.GET.get("q", ""))
    results = list(selectors.search_entries(query, limit=SEARCH_LIMIT)) if query else []
    paths = selectors.ancestors_map(results)
    return render(
        request,
        "catalog/search.html",
        {
            "query": query,
            "results": [(e, paths.get(e.pk, [])) for e in results],
            "truncated": len(results) >= SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        },
    )
