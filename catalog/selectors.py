"""Catalog queries shared by the public pages, the admin and other apps."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from django.db.models import Q, QuerySet

from portal.models import Organization

from .models import Adoption, AdoptionStatus, CatalogEntry


def domains() -> QuerySet[CatalogEntry]:
    """The domains in their official order, local extra domains after them."""
    return CatalogEntry.objects.domains().standard().order_by("sort_order", "name")


def domain_by_name(name: str | None) -> CatalogEntry | None:
    """Find a domain by its name or one of its aliases (生态环境 → 环境保护)."""
    name = (name or "").strip()
    if not name:
        return None
    for domain in CatalogEntry.objects.domains().only("id", "name", "aliases", "tree_id", "lft", "rght", "level"):
        if domain.name == name or name in domain.alias_list:
            return domain
    return None


def entry_tree(domain: CatalogEntry, organization: Organization | None = None) -> QuerySet[CatalogEntry]:
    """Every entry under ``domain`` in tree order: standard ones plus the organisation's local ones."""
    qs = domain.get_descendants().filter(organization__isnull=True)
    if organization is not None:
        qs = domain.get_descendants().filter(Q(organization__isnull=True) | Q(organization=organization))
    return qs.select_related("organization")


def public_entry_tree(domain: CatalogEntry) -> QuerySet[CatalogEntry]:
    """What a citizen browses under a domain: the standard entries and every organisation's local ones.

    Local entries are public facts too (an organisation promised to publish
    them); the page labels them with their organisation. One query.
    """
    return domain.get_descendants().select_related("organization").order_by("tree_id", "lft")


def entry_adoptions(entry: CatalogEntry) -> QuerySet[Adoption]:
    """Which organisations carry ``entry`` in their own catalog, and with what wording (one query)."""
    return (
        Adoption.objects.filter(entry=entry)
        .select_related("organization", "entry")
        .order_by("status", "organization__tree_id", "organization__lft")
    )


def public_organizations() -> QuerySet[Organization]:
    """Organisations a citizen can browse the catalog by, in tree order (villages under their township)."""
    return Organization.objects.order_by("tree_id", "lft")


def clean_query(query: object, max_length: int = 100) -> str:
    """A search text safe for every database: no control characters (PostgreSQL refuses NUL), bounded."""
    query = "".join(ch for ch in str(query or "") if ch.isprintable() or ch == " ")
    return " ".join(query.split())[:max_length]


def search_entries(query: str, limit: int = 50) -> QuerySet[CatalogEntry]:
    """Entries whose name, alias, content elements, responsible body or code match, in tree order."""
    query = clean_query(query)
    if not query:
        return CatalogEntry.objects.none()
    return (
        CatalogEntry.objects.filter(
            Q(name__icontains=query)
            | Q(aliases__icontains=query)
            | Q(content_elements__icontains=query)
            | Q(responsible_body__icontains=query)
            | Q(code=query)
        )
        .select_related("parent", "organization")
        .order_by("tree_id", "lft")[:limit]
    )


def organization_catalog(organization: Organization, status: str = AdoptionStatus.ADOPTED) -> QuerySet[Adoption]:
    """The organisation's own catalog: its adoptions with the entries, in tree order."""
    return (
        Adoption.objects.filter(organization=organization, status=status)
        .select_related("entry", "entry__parent", "entry__organization")
        .order_by("entry__tree_id", "entry__lft")
    )


def ancestors_map(entries: Iterable[CatalogEntry]) -> dict[int, list[CatalogEntry]]:
    """Names of every entry's ancestors, fetched in one query, for breadcrumbs and exports.

    Walks ``parent_id`` links in memory, so the cost grows with the number of
    entries times the depth, not with the size of the trees squared.
    """
    entries = list(entries)
    if not entries:
        return {}
    trees = {e.tree_id for e in entries}
    nodes = {
        n.pk: n
        for n in CatalogEntry.objects.filter(tree_id__in=trees).only(
            "id", "name", "tree_id", "lft", "rght", "level", "parent_id", "code"
        )
    }
    result = {}
    for entry in entries:
        chain = []
        parent = nodes.get(entry.parent_id)
        while parent is not None:
            chain.append(parent)
            parent = nodes.get(parent.parent_id)
        result[entry.pk] = chain[::-1]
    return result


def is_adjusted(adoption: Adoption) -> bool:
    """The organisation worded the entry its own way (time limit, responsible body or channels)."""
    return bool(adoption.time_limit_text or adoption.responsible_body or adoption.channels is not None)


def catalog_sections(adoptions: Iterable[Adoption], paths: dict[int, list[CatalogEntry]]) -> list:
    """Rows of an organisation's catalog grouped by domain: ``[(domain, [row, …]), …]``.

    A group (一级事项) is not a row of its own: published catalogs show it as
    the first half of the 公开事项 column of its children's rows. A group
    whose children the organisation left out has nothing to publish, unless
    the group carries columns of its own (catalogs without 二级事项).
    ``paths`` is :func:`ancestors_map` of the adopted entries.
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
                "adjusted": is_adjusted(adoption),
            }
        )
    return [(domain, list(items)) for domain, items in groupby(rows, key=lambda row: row["domain"])]
