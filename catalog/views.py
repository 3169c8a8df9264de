"""The public disclosure column (政府信息公开专栏) as far as the catalog reaches."""
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from portal.models import Organization
from portal.selectors import guide_organizations, root_organization

from . import selectors
from .models import CatalogEntry


def column(request):
    return render(request, "catalog/column.html", {"domains": selectors.domains()})


def guide(request):
    return render(
        request, "catalog/guide.html",
        {"root": root_organization(), "organizations": guide_organizations()},
    )


def rules(request):
    return render(request, "catalog/rules.html")


def annual_reports(request):
    return render(request, "catalog/annual_reports.html")


def statutory(request):
    organizations = Organization.objects.exclude(kind__in=["village", "community"]).order_by("tree_id", "lft")
    return render(
        request, "catalog/statutory.html",
        {"domains": selectors.domains(), "organizations": organizations},
    )


def domain(request, pk):
    node = get_object_or_404(CatalogEntry.objects.domains(), pk=pk)
    return render(
        request, "catalog/domain.html",
        {"domain": node, "entries": selectors.entry_tree(node)},
    )


def entry(request, pk):
    node = get_object_or_404(CatalogEntry.objects.select_related("organization"), pk=pk)
    if node.is_domain:
        raise Http404
    ancestors = list(node.get_ancestors())
    return render(
        request, "catalog/entry.html",
        {"entry": node, "ancestors": ancestors, "domain": ancestors[0], "children": node.get_children()},
    )


def organization_catalog(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    adoptions = list(selectors.organization_catalog(organization))
    paths = selectors.ancestors_map([a.entry for a in adoptions])
    rows = [(a, paths.get(a.entry.pk, [])) for a in adoptions]
    return render(
        request, "catalog/organization.html", {"organization": organization, "rows": rows},
    )


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    results = list(selectors.search_entries(query)) if query else []
    return render(request, "catalog/search.html", {"query": query, "results": results})
