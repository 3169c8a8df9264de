"""Queries the public column, the staff pages, feeds and search share.

Every list prefetches what its template shows, so the number of queries of a
page does not grow with the number of items on it.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.models import Adoption, AdoptionStatus, CatalogEntry
from catalog.selectors import ancestors_map
from portal.models import Organization
from portal.permissions import organization_scope

from . import paging, search
from .models import (
    Attachment,
    DisclosureItem,
    DocumentType,
    ItemKind,
    ItemState,
    ItemVersion,
    Validity,
)
from .text import document_number_key

VILLAGE_KINDS = ("village", "community")


def _entries_prefetch():
    return Prefetch(
        "catalog_entries",
        queryset=CatalogEntry.objects.only("id", "name", "parent_id", "tree_id", "lft", "rght", "level"),
    )


def public_items():
    return (
        DisclosureItem.objects.public()
        .select_related("organization")
        .prefetch_related(_entries_prefetch())
        .defer("body", "body_text", "search_vector")
    )


def latest(limit=8):
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

    def querystring(self, **override):
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


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_filters(params, **fixed):
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
    """Items linked to any of ``entries``: an EXISTS, so no DISTINCT over every column of every row."""
    through = DisclosureItem.catalog_entries.through
    return Exists(through.objects.filter(disclosureitem_id=OuterRef("pk"), catalogentry__in=entries))


def apply_filters(qs, f):
    if f.entry is not None:
        qs = qs.filter(
            _in_entries(
                CatalogEntry.objects.filter(tree_id=f.entry.tree_id, lft__gte=f.entry.lft, rght__lte=f.entry.rght)
            )
        )
    elif f.domain is not None:
        qs = qs.filter(_in_entries(CatalogEntry.objects.filter(tree_id=f.domain.tree_id)))
    if f.organization is not None:
        if f.include_subtree:
            org = f.organization
            qs = qs.filter(
                organization__tree_id=org.tree_id, organization__lft__gte=org.lft, organization__rght__lte=org.rght
            )
        else:
            qs = qs.filter(organization=f.organization)
    if f.year:
        start, end = _year_bounds(f.year)
        qs = qs.filter(published_at__gte=start, published_at__lt=end)
    if f.document_type:
        qs = qs.filter(document_type=f.document_type)
    if f.validity:
        qs = qs.filter(validity=f.validity)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs


def _year_bounds(year):
    """The year in local time as an aware [start, end) range, so an index on published_at serves it."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def publication_years():
    """Years with at least one public item, newest first, without sorting every item's date.

    The newest and oldest publication dates come from the (state, published_at)
    index; one more query asks, for each year in between, whether it has an
    item (an EXISTS stops at the first). The result is cached under the public
    content's generation, so a publication or withdrawal shows at once.
    """
    from portal import pagecache

    def compute():
        public = DisclosureItem.objects.public()
        bounds = public.aggregate(lo=Min("published_at"), hi=Max("published_at"))
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


def filter_options():
    """Choices of the filter form: the lists are small and cached per content generation."""
    from portal import pagecache

    def compute():
        return {
            "domains": [
                (d.pk, d.name, d.tree_id)
                for d in CatalogEntry.objects.domains()
                .standard()
                .order_by("sort_order", "name")
                .only("id", "name", "tree_id")
            ],
            "organizations": [
                (o.pk, o.name, o.level, o.kind)
                for o in Organization.objects.order_by("tree_id", "lft").only("id", "name", "level", "kind")
            ],
        }

    lists = pagecache.remember("filter-options-2", compute)
    return {
        "domains": [_Option(pk=pk, name=name, tree_id=tree_id) for pk, name, tree_id in lists["domains"]],
        "organizations": [
            _Option(pk=pk, name=name, level=level, kind=kind) for pk, name, level, kind in lists["organizations"]
        ],
        "years": publication_years(),
        "document_types": DocumentType.choices,
        "validities": Validity.choices,
        "kinds": ItemKind.choices,
    }


class _Option:
    """A domain or organisation as the filter form shows it (cached as plain values)."""

    def __init__(self, **values):
        self.__dict__.update(values)
        self.id = values.get("pk")

    def __str__(self):
        return self.name


def search_facets(results, filters, query, options):
    """The facet lists of the search page: each value with its count and the link that applies it.

    Names come from the cached filter options (no query); a domain or
    organisation not among them (a local domain) is left out. The link keeps
    the query and the other filters and goes back to the first page.
    """
    from urllib.parse import urlencode

    def link(**override):
        rest = filters.querystring(**override)
        return "?" + urlencode({"q": query}) + ("&" + rest if rest else "")

    domains = {d.tree_id: d for d in options["domains"]}
    organizations = {o.pk: o for o in options["organizations"]}
    types = dict(DocumentType.choices)
    facets = results.facets

    def entry(name, count, active, **override):
        return {"name": name, "count": count, "active": active, "url": link(**override)}

    return [
        {
            "name": _("领域"),
            "clear": link(domain="") if filters.domain else "",
            "values": [
                entry(
                    domains[t].name,
                    n,
                    filters.domain is not None and filters.domain.pk == domains[t].pk,
                    domain=domains[t].pk,
                )
                for t, n in facets["trees"]
                if t in domains
            ],
        },
        {
            "name": _("机构"),
            "clear": link(org="") if filters.organization else "",
            "values": [
                entry(
                    organizations[o].name, n, filters.organization is not None and filters.organization.pk == o, org=o
                )
                for o, n in facets["organizations"]
                if o in organizations
            ],
        },
        {
            "name": _("年份"),
            "clear": link(year="") if filters.year else "",
            "values": [entry(str(y), n, filters.year == y, year=y) for y, n in facets["years"]],
        },
        {
            "name": _("文件类型"),
            "clear": link(type="") if filters.document_type else "",
            "values": [
                entry(types.get(t, t), n, filters.document_type == t, type=t) for t, n in facets["types"] if t in types
            ],
        },
    ]


def adopted_entry_ids(organization):
    """The catalog entries in the organisation's own catalog (adopted standard and local entries)."""
    return Adoption.objects.filter(organization=organization, status=AdoptionStatus.ADOPTED).values_list(
        "entry_id", flat=True
    )


def item_for_page(pk):
    """An item with everything its public page shows, in a fixed number of queries."""
    public_related = (
        DisclosureItem.objects.public()
        .select_related("organization")
        .only(
            "id",
            "title",
            "kind",
            "interpretation_form",
            "published_at",
            "organization__name",
            "state",
            "revision_of_id",
        )
    )
    return (
        DisclosureItem.objects.select_related("organization", "organization__parent")
        .prefetch_related(
            Prefetch("catalog_entries", queryset=CatalogEntry.objects.select_related("parent")),
            Prefetch("attachments", queryset=Attachment.objects.filter(retired=False), to_attr="current_attachments"),
            Prefetch("interpretations", queryset=public_related, to_attr="public_interpretations"),
            Prefetch("interprets", queryset=public_related, to_attr="public_policies"),
            # The list of versions, newest first, without their full bodies.
            Prefetch(
                "versions",
                to_attr="version_list",
                queryset=ItemVersion.objects.only("id", "item_id", "number", "published_at", "change_note").order_by(
                    "-number"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def breadcrumbs_for(item):
    """The domain → entry path of the item's first catalog entry: its ancestors only, one query."""
    entries = list(item.catalog_entries.all())
    if not entries:
        return None, []
    entry = entries[0]
    path = list(entry.get_ancestors().only("id", "name", "parent_id", "tree_id", "lft", "rght", "level"))
    return (path[0] if path else entry), path[1:] + [entry] if path else []


def villages_of(organization):
    return Organization.objects.filter(parent=organization, kind__in=VILLAGE_KINDS).order_by("sort_order", "name")


# ---------------------------------------------------------------- search

SEARCH_CANDIDATES = 500
MAX_QUERY = 100
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]")


def clean_query(query):
    """The visitor's query as search uses it: control and format characters gone, spaces collapsed, 100 chars."""
    query = _UNPRINTABLE.sub(" ", str(query or ""))
    return " ".join(query.split())[:MAX_QUERY].strip()


def exact_lookup(query):
    """A Q for items whose 索引号 or 文号 is what was typed (the whole query or one of its words); None if neither.

    文号 meet through their lookup key (any brackets, 第, leading zeros);
    索引号 are compared as typed and upper-cased. Both are indexed columns.
    """
    query = clean_query(query)
    if not query:
        return None
    parts = {query.replace(" ", "")} | set(query.split())
    keys = {document_number_key(part) for part in parts} - {""}
    index_numbers = set()
    for part in parts:
        if len(part) <= 80 and any(ch.isdigit() for ch in part):
            index_numbers.update({part, part.upper()})
    condition = Q()
    if keys:
        condition |= Q(document_number_key__in=sorted(keys))
    if index_numbers:
        condition |= Q(index_number__in=sorted(index_numbers))
    return condition if condition else None


def _text_condition(query):
    """The full-text condition of ``query`` (PostgreSQL: the tsvector; SQLite: substrings); None if it has no terms."""
    if search.uses_postgres(DisclosureItem):
        tsquery = search.build_query(query)
        if not tsquery:
            return None
        return Q(
            RawSQL("disclosure_disclosureitem.search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField())
        )
    condition = Q()
    for part in query.split():
        condition &= (
            Q(title__icontains=part)
            | Q(body_text__icontains=part)
            | Q(keywords__icontains=part)
            | Q(document_number__icontains=part)
        )
    return condition if condition else None


def search_matches(query, filters=None):
    """Every public item matching ``query`` in its text, 索引号 or 文号, newest first (for counting and candidates)."""
    query = clean_query(query)
    qs = public_items()
    if filters is not None:
        qs = apply_filters(qs, filters)
    if not query:
        return qs.none()
    conditions = [c for c in (_text_condition(query), exact_lookup(query)) if c is not None]
    if not conditions:
        return qs.none()
    condition = conditions[0]
    for extra in conditions[1:]:
        condition |= extra
    return qs.filter(condition).order_by("-published_at", "-id")


def _exact_first(qs, query):
    """``qs`` annotated with ``exact`` (1 for an item whose 索引号 or 文号 was typed, else 0)."""
    exact = exact_lookup(query)
    if exact is None:
        return qs.annotate(exact=Value(0, output_field=IntegerField()))
    return qs.annotate(exact=Case(When(exact, then=Value(1)), default=Value(0), output_field=IntegerField()))


class _TreeIds(Aggregate):
    """The catalog trees (domains) of an item's entries as one comma-separated string, on either database."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="STRING_AGG((%(expressions)s)::text, ',')", **extra)


def _candidate_rows(query, filters):
    """(pk, organisation, published_at, type, domain trees) of the ranked candidates, exact matches included.

    On PostgreSQL the newest ``SEARCH_CANDIDATES`` matches (through the
    publication order) united with the exact 索引号/文号 matches, whatever their
    age; on SQLite the first ``SEARCH_CANDIDATES`` in page order.
    """
    through = DisclosureItem.catalog_entries.through
    trees = Subquery(
        through.objects.filter(disclosureitem_id=OuterRef("pk"))
        .order_by()
        .values("disclosureitem_id")
        .annotate(trees=_TreeIds("catalogentry__tree_id"))
        .values("trees")[:1],
        output_field=CharField(),
    )
    columns = ("pk", "organization_id", "published_at", "document_type", "trees")
    matches = search_matches(query, filters).annotate(trees=trees)
    if search.uses_postgres(DisclosureItem):
        newest = matches.order_by("-published_at", "-id").values_list(*columns)[:SEARCH_CANDIDATES]
        exact = exact_lookup(query)
        if exact is not None:
            newest = newest.union(matches.filter(exact).order_by().values_list(*columns))
        return list(newest)
    return list(
        _exact_first(matches, query)
        .order_by("-exact", "-published_at", "-id")
        .values_list(*columns)[:SEARCH_CANDIDATES]
    )


@dataclass
class SearchResults:
    """What the search page shows besides its rows."""

    candidates: list
    total: tuple  # (count, estimated), as paging.count_rows gives it
    facets: dict

    @property
    def facets_of_newest(self):
        """The facet counts cover only the candidates, not every match."""
        return self.total[0] > len(self.candidates)


def search_results(query, filters):
    """The candidates, the total and the facet counts in one query (two when there are many matches)."""
    rows = _candidate_rows(query, filters)
    if len(rows) < SEARCH_CANDIDATES:
        total = (len(rows), False)  # every match is among the candidates
    else:
        total = paging.count_rows(search_matches(query, filters))
        total = (max(total[0], len(rows)), total[1])
    return SearchResults(candidates=rows, total=total, facets=_facets(rows))


def _facets(rows):
    """Counts per domain, organisation, year and document type over ``rows``, largest first, as (key, count)."""
    from collections import Counter

    organizations, years, types, trees = Counter(), Counter(), Counter(), Counter()
    for _pk, organization_id, published_at, document_type, tree_ids in rows:
        organizations[organization_id] += 1
        if published_at is not None:
            years[timezone.localtime(published_at).year] += 1
        types[document_type] += 1
        for tree_id in {int(t) for t in str(tree_ids or "").split(",") if t.strip().isdigit()}:
            trees[tree_id] += 1
    return {
        "trees": trees.most_common(),
        "organizations": organizations.most_common(),
        "years": sorted(years.items(), reverse=True),
        "types": types.most_common(),
    }


def search_items(query, filters=None, candidates=None):
    """Public items matching ``query``, best first: exact 索引号/文号 matches, then rank (PostgreSQL) or date.

    Only the newest ``SEARCH_CANDIDATES`` matches are ranked on PostgreSQL: a
    word found in a third of all items (救助) would otherwise have every one
    of its 60,000+ search vectors read and ranked for one page. The newest 500
    (plus any item whose 索引号 or 文号 was typed, however old) hold what a
    visitor looks for; the page says so and offers the year, organisation and
    domain filters for older ones. ``candidates`` are the rows of
    ``search_results`` when the caller has them (saves a query).
    """
    query = clean_query(query)
    # The page's rows carry their plain text for the snippets (20 rows; no second query).
    matches = search_matches(query, filters).defer(None).defer("body", "search_vector")
    if not query:
        return matches
    if not search.uses_postgres(DisclosureItem):
        return _exact_first(matches, query).order_by("-exact", "-published_at", "-id")
    tsquery = search.build_query(query)
    if candidates is None:
        candidates = _candidate_rows(query, filters)
    # The candidates' ids as a list: as an IN-subquery PostgreSQL may rank every match.
    ranked = public_items().filter(pk__in=[row[0] for row in candidates]).defer(None).defer("body", "search_vector")
    rank = (
        RawSQL("ts_rank(disclosure_disclosureitem.search_vector, %s::tsquery)", [tsquery], output_field=FloatField())
        if tsquery
        else Value(0.0, output_field=FloatField())
    )
    return _exact_first(ranked.annotate(rank=rank), query).order_by("-exact", "-rank", "-published_at", "-id")


def _mark(text, pattern):
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def highlight(text, query, width=80):
    """Escaped ``text`` with the query's terms in <mark>; a window around the first hit when width is set."""
    text = text or ""
    terms = search.highlight_terms(query)
    if not terms:
        return escape(text[:width] if width else text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    if width:
        flat = " ".join(text.split())
        match = pattern.search(flat)
        start = max(0, match.start() - width // 3) if match else 0
        snippet = flat[start : start + width]
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + width < len(flat) else ""
        return mark_safe(prefix + _mark(snippet, pattern) + suffix)
    return _mark(text, pattern)


def with_snippets(items, query):
    """Attach highlighted title and body snippet; fetches the body texts (one query) only if deferred."""
    items = list(items)
    missing = [i.pk for i in items if "body_text" in i.get_deferred_fields()]
    texts = dict(DisclosureItem.objects.filter(pk__in=missing).values_list("pk", "body_text")) if missing else {}
    texts.update({i.pk: i.body_text for i in items if i.pk not in missing})
    for item in items:
        item.title_highlighted = highlight(item.title, query, width=0)
        item.snippet = highlight(texts.get(item.pk, ""), query)
    return items


# ---------------------------------------------------------------- staff


def staff_items(user):
    """Items of the user's organisation subtree, for the staff pages."""
    scope = organization_scope(user)
    return (
        DisclosureItem.objects.filter(organization__in=scope)
        .select_related("organization", "created_by", "revision_of")
        .defer("body", "body_text", "search_vector")
    )


def review_queue(user):
    return staff_items(user).filter(state__in=(ItemState.SUBMITTED, ItemState.SCHEDULED)).order_by("submitted_at", "id")


def late_items(user):
    today = timezone.localdate()
    return (
        staff_items(user)
        .filter(
            due_date__lt=today,
            state__in=(ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED),
        )
        .order_by("due_date")
    )


def reassessment_list(user, today=None):
    """Withheld items of the subtree; those not reviewed for a year come first, marked due."""
    today = today or timezone.localdate()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    items = list(staff_items(user).filter(state=ItemState.WITHHELD).prefetch_related("reassessments"))
    for item in items:
        last = item.last_reassessed_on or item.withheld_on
        item.review_from = last
        item.reassessment_due = last is None or last <= year_ago
    items.sort(key=lambda i: (not i.reassessment_due, i.review_from or today))
    return items


@dataclass
class CoverageRow:
    adoption: Adoption
    path: list
    latest: DisclosureItem | None
    pending_late: int
    status: str  # "ok", "missing", "late"


def coverage(organization):
    """Every proactive entry of the organisation's catalog with its latest published item.

    An entry is flagged *missing* when nothing was published for it and
    *late* when its latest item was published after its due date or an item
    for it is still unpublished past its due date.
    """
    adoptions = list(
        Adoption.objects.filter(organization=organization, status=AdoptionStatus.ADOPTED, entry__proactive=True)
        .select_related("entry")
        .order_by("entry__tree_id", "entry__lft")
    )
    # Only the deepest adopted entries: a group is covered through its children.
    leaves = []
    for index, adoption in enumerate(adoptions):
        nxt = adoptions[index + 1].entry if index + 1 < len(adoptions) else None
        entry = adoption.entry
        if nxt is not None and nxt.tree_id == entry.tree_id and entry.lft < nxt.lft < entry.rght:
            continue
        leaves.append(adoption)
    entry_ids = [a.entry_id for a in leaves]
    through = DisclosureItem.catalog_entries.through
    links = (
        through.objects.filter(catalogentry_id__in=entry_ids, disclosureitem__organization=organization)
        .exclude(disclosureitem__revision_of__isnull=False)
        .select_related("disclosureitem")
        .order_by(F("disclosureitem__published_at").desc(nulls_last=True))
    )
    latest, pending = {}, {}
    today = timezone.localdate()
    for link in links:
        item = link.disclosureitem
        if item.state == ItemState.PUBLISHED:
            latest.setdefault(link.catalogentry_id, item)
        elif (
            item.state in (ItemState.DRAFT, ItemState.SUBMITTED, ItemState.RETURNED, ItemState.SCHEDULED)
            and item.due_date
            and item.due_date < today
        ):
            pending[link.catalogentry_id] = pending.get(link.catalogentry_id, 0) + 1
    paths = ancestors_map([a.entry for a in leaves])
    rows = []
    for adoption in leaves:
        item = latest.get(adoption.entry_id)
        late = pending.get(adoption.entry_id, 0)
        if item is None:
            status = "missing"
        elif item.is_late or late:
            status = "late"
        else:
            status = "ok"
        rows.append(CoverageRow(adoption, paths.get(adoption.entry_id, []), item, late, status))
    return rows


def interpretable_policies(user):
    return (
        staff_items(user)
        .filter(kind=ItemKind.DOCUMENT)
        .exclude(state__in=(ItemState.WITHDRAWN, ItemState.MERGED, ItemState.WITHHELD))
        .filter(revision_of__isnull=True)
    )


# ---------------------------------------------------------------- the column: 制度 and 政策文件库


def rule_items():
    """The 制度 sub-column (政府信息公开制度): public items marked ``disclosure_rule``.

    An item is recognised as a disclosure rule by that mark, set by the clerk
    (or the import) on the item itself — not by a document type, which stays
    规章 / 行政规范性文件 / 其他文件 for annual table 二, and not by a catalog
    entry, which every organisation adopts under its own domains.
    """
    return public_items().filter(disclosure_rule=True)


def _policy_condition():
    return Q(kind=ItemKind.DOCUMENT) & (
        Q(document_type__in=[DocumentType.REGULATION, DocumentType.NORMATIVE]) | ~Q(document_number="")
    )


def policy_documents():
    """The 政策文件库: public 规章, 行政规范性文件, and 其他文件 that carry a 文号.

    Every document defaults to 其他文件, so an 其他文件 without a 文号 (a 办事指南,
    a 名单公示, a budget table) is not a policy document and stays out; a
    文号 marks an official document (公文). Interpretations are never listed
    here: each document links to its own. Table 二 of the annual report
    counts 规章 and 行政规范性文件 by its own query, untouched by this list.
    Each row carries ``public_interpretations`` (one prefetch query per page).
    """
    interpretations = (
        DisclosureItem.objects.public()
        .filter(kind=ItemKind.INTERPRETATION)
        .only("id", "title", "interpretation_form", "published_at", "state", "revision_of_id")
    )
    return (
        DisclosureItem.objects.public()
        .filter(_policy_condition())
        .select_related("organization")
        .only(
            "id",
            "title",
            "kind",
            "document_number",
            "written_on",
            "published_at",
            "last_revised_at",
            "validity",
            "document_type",
            "state",
            "revision_of_id",
            "organization__id",
            "organization__name",
        )
        .prefetch_related(Prefetch("interpretations", queryset=interpretations, to_attr="public_interpretations"))
    )


def _issued_in(year):
    """成文日期 in ``year``; a document without one counts by its publication date (as table 二 does)."""
    start, end = _year_bounds(year)
    return Q(written_on__gte=dt.date(year, 1, 1), written_on__lte=dt.date(year, 12, 31)) | Q(
        written_on__isnull=True, published_at__gte=start, published_at__lt=end
    )


def parse_policy_filters(params):
    """发文机关 (the exact organisation), year of 成文日期, 有效性, type; other list filters do not apply."""
    f = parse_filters(params)
    f.domain, f.kind, f.include_subtree = None, "", False
    return f


def apply_policy_filters(qs, f):
    year, f.year = f.year, None
    try:
        qs = apply_filters(qs, f)
    finally:
        f.year = year
    if year:
        qs = qs.filter(_issued_in(year))
    return qs


def policy_filter_options():
    """The 政策文件库's choices: issuing organisations and years that have a document (cached)."""
    from portal import pagecache

    def compute():
        docs = DisclosureItem.objects.public().filter(_policy_condition())
        issuers = [
            (o.pk, o.name)
            for o in Organization.objects.filter(Exists(docs.filter(organization=OuterRef("pk"))))
            .order_by("tree_id", "lft")
            .only("id", "name")
        ]
        bounds = docs.aggregate(
            wlo=Min("written_on"), whi=Max("written_on"), plo=Min("published_at"), phi=Max("published_at")
        )
        years = [d.year for d in (bounds["wlo"], bounds["whi"]) if d]
        years += [timezone.localtime(d).year for d in (bounds["plo"], bounds["phi"]) if d]
        found = []
        if years:
            # One query: an EXISTS per year (each stops at its first document), as publication_years does.
            checks = {
                f"y{year}": Exists(docs.filter(_issued_in(year))) for year in range(max(years), min(years) - 1, -1)
            }
            row = next(iter(Organization.objects.annotate(**checks).values(*checks)[:1]), {})
            found = [int(name[1:]) for name, present in row.items() if present]
        return {"organizations": issuers, "years": found}

    lists = pagecache.remember("policy-filter-options", compute)
    return {
        "organizations": [_Option(pk=pk, name=name) for pk, name in lists["organizations"]],
        "years": lists["years"],
        "document_types": DocumentType.choices,
        "validities": Validity.choices,
    }
