"""Site search (站内检索): full text, exact 索引号/文号 lookups, ranking, facets and snippets.

On PostgreSQL the text is matched through the items' tsvector and only the newest
``SEARCH_CANDIDATES`` matches are ranked; on SQLite (development) by substrings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import paging, search
from ..models import DisclosureItem, DocumentType
from ..text import document_number_key
from .public import Filters, apply_filters, public_bounds, public_items

SEARCH_CANDIDATES = 500
MAX_QUERY = 100
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]")


def clean_query(query: str | None) -> str:
    """The visitor's query as search uses it: control and format characters gone, spaces collapsed, 100 chars."""
    query = _UNPRINTABLE.sub(" ", str(query or ""))
    return " ".join(query.split())[:MAX_QUERY].strip()


def exact_lookup(query: str) -> Q | None:
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


def search_matches(query: str, filters: Filters | None = None) -> QuerySet[DisclosureItem]:
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
    return _candidates(query, filters)[0]


def _candidates(query, filters):
    """(rows, found among the newest) of the ranked candidates, exact matches included.

    Rows are (pk, organisation, published_at, type, domain trees). On
    PostgreSQL the newest ``SEARCH_CANDIDATES`` matches united with the exact
    索引号/文号 matches, whatever their age; on SQLite the first
    ``SEARCH_CANDIDATES`` in page order.

    A common word (救助 is in a third of all items) has its newest 500
    matches among the newest items, but walking the publication order and
    testing each item's vector PostgreSQL read 11,000 rows for 征地 (90 ms at
    200,000 items). So the matches are first looked for among the newest
    ``RECENT_WINDOW`` items (``public_bounds``), where the GIN index and the
    date index meet in a bitmap (20 ms); only a word with fewer matches there
    is looked up over all items, as before.
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
        exact = exact_lookup(query)

        def newest(qs):
            rows = qs.order_by("-published_at", "-id").values_list(*columns)[:SEARCH_CANDIDATES]
            if exact is not None:
                rows = rows.union(matches.filter(exact).order_by().values_list(*columns))
            return list(rows)

        cut = public_bounds()["recent"]
        if cut is not None:
            rows = newest(matches.filter(published_at__gte=cut))
            # Every match older than the cut is older than each row in the window: when the
            # window holds a full set of candidates, they are the newest matches of all.
            if sum(1 for row in rows if row[2] is not None and row[2] >= cut) >= SEARCH_CANDIDATES:
                return rows, True
        return newest(matches), False
    rows = _exact_first(matches, query).order_by("-exact", "-published_at", "-id").values_list(*columns)
    return list(rows[:SEARCH_CANDIDATES]), False


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


def search_results(query: str, filters: Filters | None) -> SearchResults:
    """The candidates, the total and the facet counts in one query (two when there are many matches)."""
    rows, common = _candidates(query, filters)
    if len(rows) < SEARCH_CANDIDATES:
        total = (len(rows), False)  # every match is among the candidates
    else:
        # A word with a full set of candidates among the newest items is common: ask the planner first.
        total = paging.count_rows(search_matches(query, filters), estimate_first=common)
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


def search_items(
    query: str, filters: Filters | None = None, candidates: list[tuple] | None = None
) -> QuerySet[DisclosureItem]:
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


def highlight(text: str | None, query: str, width: int = 80) -> SafeString:
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


def with_snippets(items: Iterable[DisclosureItem], query: str) -> list[DisclosureItem]:
    """Attach highlighted title and body snippet; fetches the body texts (one query) only if deferred."""
    items = list(items)
    missing = [i.pk for i in items if "body_text" in i.get_deferred_fields()]
    texts = dict(DisclosureItem.objects.filter(pk__in=missing).values_list("pk", "body_text")) if missing else {}
    texts.update({i.pk: i.body_text for i in items if i.pk not in missing})
    for item in items:
        item.title_highlighted = highlight(item.title, query, width=0)
        item.snippet = highlight(texts.get(item.pk, ""), query)
    return items


def search_facets(results: SearchResults, filters: Filters, query: str, options: dict) -> list[dict]:
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
