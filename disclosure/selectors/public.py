"""The public lists: what citizens see, and the filters every list of the column shares.

Every list prefetches what its template shows, so the number of queries of a page does not
grow with the number of items on it; the filter choices are cached per content generation.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import Exists, Expression, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField
from django.utils import timezone

from catalog.models import Adoption, AdoptionStatus, CatalogEntry
from portal import compiled, pagecache
from portal.models import Organization

from .. import paging
from ..models import Attachment, DisclosureItem, DocumentType, ItemKind, ItemVersion, Validity

VILLAGE_KINDS = ("village", "community")


def _entries_prefetch():
    return Prefetch(
        "catalog_entries",
        queryset=CatalogEntry.objects.only("id", "name", "parent_id", "tree_id", "lft", "rght", "level"),
    )


def public_items() -> QuerySet[DisclosureItem]:
    """Published items as a list row shows them: with their organisation, without bodies.

    A row shows no catalog entry, so none is fetched (one query less on every list page);
    what needs the entries (the feeds' categories) asks for them with ``with_entries``.
    """
    return DisclosureItem.objects.public().select_related("organization").defer("body", "body_text", "search_vector")


# What a row of the public lists shows (disclosure/_item_list.html), and the lists' order.
LIST_FIELDS = (
    "id",
    "title",
    "kind",
    "validity",
    "document_number",
    "published_at",
    "organization",
)


def list_rows() -> QuerySet[DisclosureItem]:
    """Published items with only the columns a list row shows.

    Each of the 20 rows of a page was built from 40 columns it never shows; building the
    query and the objects, not running it, was most of an uncached list page (issue 10).
    The organisation's name comes as ``organization_name``, not as an organisation object
    per row: building 20 more model instances (tree models at that) was a twentieth of the
    page. ``item.organization`` still works, at one query per row. A subquery, not a join:
    a join would stay in the deep pages' index-only query for their keys (``paging._rows``),
    which then read 10,000 organisations to skip 10,000 rows.
    """
    name = Organization.objects.filter(pk=OuterRef("organization_id")).order_by().values("name")
    return DisclosureItem.objects.public().only(*LIST_FIELDS).annotate(organization_name=Subquery(name))


def with_entries(qs: QuerySet[DisclosureItem]) -> QuerySet[DisclosureItem]:
    """``qs`` with each item's catalog entries (names and tree position), one query per page."""
    return qs.prefetch_related(_entries_prefetch())


def latest(limit: int = 8) -> QuerySet[DisclosureItem]:
    return public_items()[:limit]


@dataclass
class Filters:
    domain: CatalogEntry | None = None
    entry: CatalogEntry | None = None
    organization: Organization | None = None
    year: int | None = None
    document_type: str = ""
    validity: str = ""
    kind: str = ""
    include_subtree: bool = True
    errors: list = field(default_factory=list)

    def querystring(self, **override: Any) -> str:
        values = {
            "domain": self.domain.pk if self.domain else "",
            "org": self.organization.pk if self.organization else "",
            "year": self.year or "",
            "type": self.document_type,
            "validity": self.validity,
            "kind": self.kind,
        }
        values.update(override)
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def key(self) -> str:
        """Every part of the filter, for remembering what a filtered list counts."""
        entry = self.entry.pk if self.entry else ""
        return f"{self.querystring()}&entry={entry}&sub={int(self.include_subtree)}"


def list_count(filters: Filters, qs: QuerySet[DisclosureItem]) -> tuple[int, bool]:
    """(count, estimated) of the filtered public list ``qs``, per content generation.

    Counting is two of a list page's three queries (a capped count, then the planner's
    estimate when the cap is reached); the answer is the same for every page of the list
    and every visitor until something public changes, which bumps the generation.
    """
    return tuple(pagecache.remember(f"list-count:{filters.key()}", lambda: paging.count_rows(qs)))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_filters(params: Mapping[str, str], **fixed: Any) -> Filters:
    """Read list filters from a query string; unknown values are ignored, never a 500."""
    f = Filters(**fixed)
    if f.domain is None and _int(params.get("domain")):
        f.domain = CatalogEntry.objects.filter(pk=_int(params.get("domain")), parent__isnull=True).first()
    if f.organization is None and _int(params.get("org")):
        f.organization = Organization.objects.filter(pk=_int(params.get("org"))).first()
    if f.year is None:
        year = _int(params.get("year"))
        f.year = year if year and 1949 <= year <= 2100 else None
    if not f.document_type and params.get("type") in DocumentType.values:
        f.document_type = params["type"]
    if not f.validity and params.get("validity") in Validity.values:
        f.validity = params["validity"]
    if not f.kind and params.get("kind") in ItemKind.values:
        f.kind = params["kind"]
    return f


def _in_entries(entries):
    """Items linked to any of ``entries``: ``id IN (…)``, so no DISTINCT over every column of every row.

    Not a correlated EXISTS: at 200,000 items PostgreSQL probed it item by item, 101 ms to count
    a domain's 8,000 items against 14 ms for the IN's hashed semi-join (page 500: 29 → 17 ms).
    """
    through = DisclosureItem.catalog_entries.through
    return Q(pk__in=through.objects.filter(catalogentry__in=entries).values("disclosureitem_id"))


def only_domain(f: Filters) -> bool:
    """Whether ``f`` filters by a domain and nothing else (the domain grid's links)."""
    return (
        f.domain is not None
        and f.entry is None
        and f.organization is None
        and not (f.year or f.document_type or f.validity or f.kind)
    )


def domain_keys(domain: CatalogEntry) -> list[int]:
    """The ids of a domain's public items in the lists' order, cached per content generation.

    A domain's items are found through the item–entry table, which PostgreSQL joins against
    every public item: 25–35 ms at 200,000 items for each page's rows and again for its count
    (issue 10). The ordered ids (a few thousand integers) are computed once per generation,
    so any page of the domain is one lookup of 20 ids and its count is exact. Any change to
    what is public bumps the generation, so the list is never stale.
    """

    def compute():
        qs = apply_filters(DisclosureItem.objects.public(), Filters(domain=domain))
        return list(qs.order_by("-published_at", "-id").values_list("pk", flat=True))

    return pagecache.remember(f"domain-keys:{domain.tree_id}", compute)


def domain_entries(domain: CatalogEntry) -> list[tuple[int, str, int]]:
    """(id, name, level) of a domain's standard entries in tree order, per content generation.

    The 按公开事项浏览 list of a domain page: a hundred entries or so, the same on every page
    of the domain, and as tree objects a tenth of the page's time.
    """

    def compute():
        return list(
            domain.get_descendants()
            .filter(organization__isnull=True)
            .order_by("tree_id", "lft")
            .values_list("id", "name", "level")
        )

    return pagecache.remember(f"domain-entries:{domain.pk}", compute)


def filter_parts(f: Filters) -> list[tuple[str, tuple]]:
    """The filter as (part, values) pairs: which parts a list has is its query's shape."""
    parts = []
    # An entry or organisation without children (most 公开事项, most villages) is asked for by its
    # key: PostgreSQL then knows from its statistics how few items it has and reads them by index.
    # Through the tree it guessed an average share and walked the publication order instead: at
    # 200,000 items 870 ms for an entry with 108 items, 410 ms for page 9 of a village with 184
    # (issue 10).
    if f.entry is not None and f.entry.is_leaf_node():
        parts.append(("entry_key", (f.entry.pk,)))
    elif f.entry is not None:
        parts.append(("entry", (f.entry.tree_id, f.entry.lft, f.entry.rght)))
    elif f.domain is not None:
        parts.append(("domain", (f.domain.tree_id,)))
    if f.organization is not None:
        org = f.organization
        if f.include_subtree and not org.is_leaf_node():
            parts.append(("subtree", (org.tree_id, org.lft, org.rght)))
        else:
            parts.append(("organization", (org.pk,)))
    if f.year:
        parts.append(("year", _year_bounds(f.year)))
    for name, value in (("type", f.document_type), ("validity", f.validity), ("kind", f.kind)):
        if value:
            parts.append((name, (value,)))
    return parts


def _entries_within(tree_id, lft, rght):
    return CatalogEntry.objects.filter(tree_id=tree_id, lft__gte=lft, rght__lte=rght)


# Each part of a filter: the kinds of its values (None: not a compiled shape) and its condition.
FILTER_PARTS = {
    "entry": ((int, int, int), lambda qs, *span: qs.filter(_in_entries(_entries_within(*span)))),
    "entry_key": ((int,), lambda qs, pk: qs.filter(_in_entries([pk]))),
    "domain": ((int,), lambda qs, tree_id: qs.filter(_in_entries(CatalogEntry.objects.filter(tree_id=tree_id)))),
    "subtree": (
        (int, int, int),
        lambda qs, tree_id, lft, rght: qs.filter(
            organization__tree_id=tree_id, organization__lft__gte=lft, organization__rght__lte=rght
        ),
    ),
    "organization": ((int,), lambda qs, pk: qs.filter(organization_id=pk)),
    "year": (
        (dt.datetime, dt.datetime),
        lambda qs, start, end: qs.filter(published_at__gte=start, published_at__lt=end),
    ),
    "type": ((str,), lambda qs, value: qs.filter(document_type=value)),
    "validity": ((str,), lambda qs, value: qs.filter(validity=value)),
    "kind": ((str,), lambda qs, value: qs.filter(kind=value)),
}


def apply_parts(qs: QuerySet[DisclosureItem], parts) -> QuerySet[DisclosureItem]:
    for name, values in parts:
        qs = FILTER_PARTS[name][1](qs, *values)
    return qs


def apply_filters(qs: QuerySet[DisclosureItem], f: Filters) -> QuerySet[DisclosureItem]:
    return apply_parts(qs, filter_parts(f))


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in local time as an aware [start, end) range, so an index on published_at serves it."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


RECENT_WINDOW = 20_000


def public_bounds() -> dict[str, Any]:
    """The oldest and newest publication time and ``recent``: that of the ``RECENT_WINDOW``-th newest item.

    One query, cached per content generation (the year list and the site
    search both read it). ``recent`` is None when there are fewer items.
    """

    def compute():
        public = DisclosureItem.objects.public()
        recent = public.order_by("-published_at", "-id").values("published_at")[RECENT_WINDOW - 1 : RECENT_WINDOW]
        # MAX over the one-row subquery: PostgreSQL and SQLite evaluate it once, in the same statement.
        return public.aggregate(lo=Min("published_at"), hi=Max("published_at"), recent=Max(Subquery(recent)))

    return pagecache.remember("public-bounds", compute)


def publication_years() -> list[int]:
    """Years with at least one public item, newest first, without sorting every item's date.

    The newest and oldest publication dates come from the (state, published_at)
    index; one more query asks, for each year in between, whether it has an
    item (an EXISTS stops at the first). The result is cached under the public
    content's generation, so a publication or withdrawal shows at once.
    """

    def compute():
        public = DisclosureItem.objects.public()
        bounds = public_bounds()
        if bounds["lo"] is None:
            return []
        first, last = timezone.localtime(bounds["lo"]).year, timezone.localtime(bounds["hi"]).year
        checks = {}
        for year in range(last, first - 1, -1):
            start, end = _year_bounds(year)
            checks[f"y{year}"] = Exists(public.filter(published_at__gte=start, published_at__lt=end))
        row = Organization.objects.annotate(**checks).values(*checks)[:1]
        found = next(iter(row), None)
        if found is None:  # no organisation row to hang the checks on: check year by year
            return [
                y for y in range(last, first - 1, -1) if public.filter(published_at__range=_year_bounds(y)).exists()
            ]
        return [int(name[1:]) for name, present in found.items() if present]

    return pagecache.remember("publication-years", compute)


def filter_options() -> dict[str, list]:
    """Choices of the filter form: the lists are small and cached per content generation."""

    def compute():
        return {
            "domains": [
                _Option(pk=d.pk, name=d.name, tree_id=d.tree_id)
                for d in CatalogEntry.objects.domains()
                .standard()
                .order_by("sort_order", "name")
                .only("id", "name", "tree_id")
            ],
            "organizations": [
                _Option(pk=o.pk, name=o.name, level=o.level, kind=o.kind)
                for o in Organization.objects.order_by("tree_id", "lft").only("id", "name", "level", "kind")
            ],
        }

    lists = pagecache.remember("filter-options-3", compute)
    return {
        **lists,
        "years": publication_years(),
        "document_types": DocumentType.choices,
        "validities": Validity.choices,
        "kinds": ItemKind.choices,
    }


class _Option:
    """A domain or organisation as the filter form shows it (cached as plain values; read-only)."""

    def __init__(self, **values):
        self.__dict__.update(values)
        self.id = values.get("pk")

    def __str__(self):
        return self.name


def adopted_entry_ids(organization: Organization) -> QuerySet:
    """The catalog entries in the organisation's own catalog (adopted standard and local entries)."""
    return Adoption.objects.filter(organization=organization, status=AdoptionStatus.ADOPTED).values_list(
        "entry_id", flat=True
    )


def item_for_page(pk: int) -> DisclosureItem | None:
    """An item with everything its public page shows: one query, and one per part it has.

    Measured on the item page at 200,000 items (issue 10), the time went to building queries,
    not to running them: eight queries, five of them prefetches. So each part asks only
    when it can show something:

    * the attachments, and the interpretation links, only when the item's own query says
      it has some (two ``EXISTS`` in it); most items have neither;
    * the versions only when there is more than one (``version_number`` counts the
      published versions, and the page lists them only then);
    * the breadcrumb (the first catalog entry with its ancestors) in the item's own query,
      as a JSON list (:class:`_BreadcrumbPath`; one round trip less), which
      :func:`breadcrumbs_for` reads.
    """
    item = _ITEM_PAGE.fetch_one(pk)
    if item is None:
        return None
    item.breadcrumb_path = _path_from_json(item.breadcrumb_json)
    item.current_attachments = list(_current_attachments().filter(item_id=pk)) if item.attached else []
    item.version_list = (
        list(
            ItemVersion.objects.filter(item_id=pk)
            .only("id", "item_id", "number", "published_at", "change_note")
            .order_by("-number")
        )
        if item.version_number > 1
        else []
    )
    item.public_policies, item.public_interpretations = _interpretation_links(pk) if item.linked else ([], [])
    return item


def _current_attachments() -> QuerySet[Attachment]:
    return Attachment.objects.filter(retired=False)


def _item_page_query(pk) -> QuerySet[DisclosureItem]:
    return (
        DisclosureItem.objects.select_related("organization")
        .defer("search_vector", "body_text")  # the page shows the body, not its search copies
        .annotate(
            attached=Exists(_current_attachments().filter(item_id=OuterRef("pk"))),
            linked=Exists(_links_of(OuterRef("pk"))),
            breadcrumb_json=_BreadcrumbPath(),
        )
        .filter(pk=pk)
        .order_by()
    )


# Compiled once per process: building this query cost three times running it (portal/compiled.py).
_ITEM_PAGE = compiled.Shape(_item_page_query, int)


def _interpretation_links(pk: int) -> tuple[list[DisclosureItem], list[DisclosureItem]]:
    """(the public policies item ``pk`` interprets, the public interpretations of it)."""
    links = list(_links_of(pk).values_list("from_disclosureitem_id", "to_disclosureitem_id"))
    policies = {to for source, to in links if source == pk}
    interpretations = {source for source, to in links if to == pk}
    related = list(
        DisclosureItem.objects.public()
        .select_related("organization")
        .only("id", "title", "kind", "interpretation_form", "published_at", "organization__name", "state")
        .filter(pk__in=policies | interpretations)
    )
    return [i for i in related if i.pk in policies], [i for i in related if i.pk in interpretations]


def _links_of(pk) -> QuerySet:
    """The interpretation links from or to item ``pk`` (an id or an ``OuterRef``)."""
    return DisclosureItem.interprets.through.objects.filter(Q(from_disclosureitem_id=pk) | Q(to_disclosureitem_id=pk))


class BreadcrumbEntry(NamedTuple):
    """A catalog entry as the item page's breadcrumb shows it: a link to its list.

    Not a :class:`CatalogEntry`: the breadcrumb only links, and each model object went
    through django-mptt's ``__init__`` (which keeps the tree fields to detect a move on
    save), three of them a twentieth of an uncached item page's Python (issue 10).
    """

    pk: int
    name: str
    level: int
    lft: int


def breadcrumbs_for(item: DisclosureItem) -> tuple[BreadcrumbEntry | None, list[BreadcrumbEntry]]:
    """The domain → entry path of the item's first catalog entry (in tree order), one query.

    The entry and its ancestors are the entries of its tree whose span holds the entry's.
    Written as SQL because building it through the ORM (three subqueries) took longer
    than running it.
    """
    path = getattr(item, "breadcrumb_path", None)  # read with the item (item_for_page)
    if path is None:
        alias = item._state.db or "default"
        with connections[alias].cursor() as cursor:
            cursor.execute(_breadcrumb_sql() % {"item": "%s"}, [item.pk])
            path = _in_tree_order(cursor.fetchall())
    if not path:
        return None, []
    return path[0], path[1:]


_BREADCRUMB_FIELDS = ("id", "name", "level", "lft")  # BreadcrumbEntry's, in its order


def _in_tree_order(rows) -> list[BreadcrumbEntry]:
    return sorted((BreadcrumbEntry._make(row) for row in rows), key=lambda entry: entry.lft)


@functools.cache
def _breadcrumb_sql() -> str:
    entries = CatalogEntry._meta.db_table
    through = DisclosureItem.catalog_entries.through._meta
    item_column = through.get_field("disclosureitem").column
    entry_column = through.get_field("catalogentry").column
    columns = ", ".join("a." + CatalogEntry._meta.get_field(f).column for f in _BREADCRUMB_FIELDS)
    return (
        f"SELECT {columns} FROM {entries} a"
        f" JOIN (SELECT e.tree_id, e.lft, e.rght FROM {entries} e"
        f" JOIN {through.db_table} t ON t.{entry_column} = e.id WHERE t.{item_column} = %(item)s"
        " ORDER BY e.tree_id, e.lft LIMIT 1) f"
        " ON a.tree_id = f.tree_id AND a.lft <= f.lft AND a.rght >= f.rght ORDER BY a.lft"
    )


class _BreadcrumbPath(Expression):
    """The item's breadcrumb rows (:func:`_breadcrumb_sql`) as one JSON list, inside the item's query.

    A separate query was a second round trip on every item page. The rows come as arrays of
    ``_BREADCRUMB_FIELDS``; their order is restored from ``lft`` when read.
    """

    output_field = TextField()

    def _path_sql(self, compiler):
        quote = compiler.quote_name_unless_alias
        outer = f"{quote(compiler.query.get_initial_alias())}.{quote(DisclosureItem._meta.pk.column)}"
        columns = ", ".join(f"p.{CatalogEntry._meta.get_field(f).column}" for f in _BREADCRUMB_FIELDS)
        return _breadcrumb_sql() % {"item": outer}, columns

    def as_postgresql(self, compiler, connection):
        path, columns = self._path_sql(compiler)
        return f"(SELECT json_agg(json_build_array({columns}))::text FROM ({path}) p)", []

    def as_sqlite(self, compiler, connection):
        path, columns = self._path_sql(compiler)
        return f"(SELECT json_group_array(json_array({columns})) FROM ({path}) p)", []


def _path_from_json(text: str | None) -> list[BreadcrumbEntry]:
    return _in_tree_order(json.loads(text)) if text else []


def _per_generation(name: str, pk: int, fetch):
    """``fetch(pk)``, remembered per content generation (``pagecache.remember``); ``None`` stays ``None``.

    A list page's own objects (the domain, the entry and its ancestors, the organisation and
    its villages) change only when the catalog or the organisations do, and each of those
    changes bumps the generation (``catalog/apps.py``, ``portal/apps.py``; the bulk writes of
    an import bump it themselves). Read on every request they were one or two of the page's
    round trips to the database, a tenth of an uncached organisation page (issue 10). A
    number that names nothing is remembered too (as ``False``), so asking again costs nothing.
    The objects are shared by the requests of a process: the views only read them.
    """
    return pagecache.remember(f"{name}:{pk}", lambda: fetch(pk) or False) or None


def domain_for_page(pk: int) -> CatalogEntry | None:
    """The domain (a catalog tree's root) of a domain's list page; a compiled shape, see below."""
    return _per_generation("domain-page", pk, _DOMAIN_PAGE.fetch_one)


def entry_for_page(pk: int) -> tuple[CatalogEntry, list[CatalogEntry]] | None:
    """An entry's list page: the entry (not a domain) with its organisation, and its ancestors, root first."""
    return _per_generation("entry-page", pk, _entry_with_ancestors)


def _entry_with_ancestors(pk: int) -> tuple[CatalogEntry, list[CatalogEntry]] | None:
    entry = _ENTRY_PAGE.fetch_one(pk)
    if entry is None:
        return None
    return entry, _ANCESTORS.fetch(entry.tree_id, entry.lft, entry.rght)


def organization_for_page(pk: int) -> Organization | None:
    """The organisation of an organisation's list page, with its parent (the breadcrumb's link).

    The list pages' own objects (this, a domain, an entry and its ancestors, the villages)
    come from compiled shapes, as the item page's query does: under load, building these
    queries in the ORM cost more than the pages' twenty rows. An organisation's list went
    from 302 to 573 requests a second with them and its index (issue 10).
    """
    return _per_generation("organization-page", pk, _ORGANIZATION_PAGE.fetch_one)


def villages_of(organization: Organization) -> list[Organization]:
    """The villages (communities) under ``organization``, for its page's 村（居）务公开 column."""
    return _per_generation("villages", organization.pk, _VILLAGES.fetch) or []


_DOMAIN_PAGE = compiled.Shape(lambda pk: CatalogEntry.objects.domains().filter(pk=pk), int)
_ENTRY_PAGE = compiled.Shape(
    lambda pk: CatalogEntry.objects.select_related("organization").filter(pk=pk, parent__isnull=False), int
)
# mptt's get_ancestors(): the same tree, around the entry, root first.
_ANCESTORS = compiled.Shape(
    lambda tree_id, lft, rght: (
        CatalogEntry.objects.filter(tree_id=tree_id, lft__lt=lft, rght__gt=rght)
        .order_by("lft")
        .only("id", "name", "parent_id", "tree_id", "lft", "rght", "level")
    ),
    int,
    int,
    int,
)
_ORGANIZATION_PAGE = compiled.Shape(lambda pk: Organization.objects.select_related("parent").filter(pk=pk), int)
_VILLAGES = compiled.Shape(
    lambda pk: Organization.objects.filter(parent_id=pk, kind__in=VILLAGE_KINDS).order_by("sort_order", "name"), int
)
