"""Catalog queries shared by the public pages, the admin and other apps."""
from django.db.models import Q

from .models import Adoption, AdoptionStatus, CatalogEntry


def domains():
    """The domains in their official order, local extra domains after them."""
    return CatalogEntry.objects.domains().standard().order_by("sort_order", "name")


def domain_by_name(name):
    """Find a domain by its name or one of its aliases (生态环境 → 环境保护)."""
    name = (name or "").strip()
    if not name:
        return None
    for domain in CatalogEntry.objects.domains().only("id", "name", "aliases", "tree_id", "lft", "rght", "level"):
        if domain.name == name or name in domain.alias_list:
            return domain
    return None


def entry_tree(domain, organization=None):
    """Every entry under ``domain`` in tree order: standard ones plus the organisation's local ones."""
    qs = domain.get_descendants().filter(organization__isnull=True)
    if organization is not None:
        qs = domain.get_descendants().filter(Q(organization__isnull=True) | Q(organization=organization))
    return qs.select_related("organization")


def search_entries(query, limit=50):
    query = (query or "").strip()
    if not query:
        return CatalogEntry.objects.none()
    return (
        CatalogEntry.objects.filter(
            Q(name__icontains=query) | Q(content_elements__icontains=query) | Q(code=query)
        )
        .select_related("parent")
        .order_by("tree_id", "lft")[:limit]
    )


def organization_catalog(organization, status=AdoptionStatus.ADOPTED):
    """The organisation's own catalog: its adoptions with the entries, in tree order."""
    return (
        Adoption.objects.filter(organization=organization, status=status)
        .select_related("entry", "entry__parent")
        .order_by("entry__tree_id", "entry__lft")
    )


def ancestors_map(entries):
    """Names of every entry's ancestors, fetched in one query, for breadcrumbs and exports."""
    entries = list(entries)
    if not entries:
        return {}
    trees = {e.tree_id for e in entries}
    nodes = list(
        CatalogEntry.objects.filter(tree_id__in=trees).only(
            "id", "name", "tree_id", "lft", "rght", "level", "parent_id", "code"
        )
    )
    result = {}
    for entry in entries:
        result[entry.pk] = sorted(
            (n for n in nodes if n.tree_id == entry.tree_id and n.lft < entry.lft and n.rght > entry.rght),
            key=lambda n: n.level,
        )
    return result
