"""Queries the public column, the staff pages, feeds and search share.

Every list prefetches what its template shows, so the number of queries of a
page does not grow with the number of items on it.

By responsibility: :mod:`.public` (the public lists and their filters, an item's page),
:mod:`.site_search` (search, facets, snippets), :mod:`.policies` (制度 and 政策文件库) and
:mod:`.staff_lists` (the staff pages, inside the user's subtree). Callers import from this
package: ``from disclosure import selectors; selectors.public_items()``.
"""

from .. import paging, search
from . import site_search
from .policies import (
    apply_policy_filters,
    parse_policy_filters,
    policy_documents,
    policy_filter_options,
    rule_items,
)
from .public import (
    VILLAGE_KINDS,
    Filters,
    adopted_entry_ids,
    apply_filters,
    breadcrumbs_for,
    domain_entries,
    domain_for_page,
    domain_keys,
    entry_for_page,
    filter_options,
    item_for_page,
    latest,
    list_count,
    list_rows,
    only_domain,
    organization_for_page,
    parse_filters,
    public_items,
    publication_years,
    villages_of,
    with_entries,
)
from .shapes import rows_by_keys, rows_for
from .site_search import (
    MAX_QUERY,
    SEARCH_CANDIDATES,
    SearchResults,
    clean_query,
    exact_lookup,
    highlight,
    search_facets,
    search_items,
    search_matches,
    search_results,
    with_snippets,
)
from .staff_lists import (
    CoverageRow,
    coverage,
    interpretable_policies,
    late_items,
    reassessment_list,
    review_queue,
    staff_items,
)

__all__ = [
    "MAX_QUERY",
    "SEARCH_CANDIDATES",
    "VILLAGE_KINDS",
    "CoverageRow",
    "Filters",
    "SearchResults",
    "adopted_entry_ids",
    "apply_filters",
    "apply_policy_filters",
    "breadcrumbs_for",
    "domain_entries",
    "domain_for_page",
    "domain_keys",
    "entry_for_page",
    "clean_query",
    "coverage",
    "exact_lookup",
    "filter_options",
    "highlight",
    "interpretable_policies",
    "item_for_page",
    "late_items",
    "latest",
    "list_count",
    "list_rows",
    "only_domain",
    "organization_for_page",
    "paging",
    "parse_filters",
    "parse_policy_filters",
    "policy_documents",
    "policy_filter_options",
    "public_items",
    "publication_years",
    "reassessment_list",
    "review_queue",
    "rows_by_keys",
    "rows_for",
    "rule_items",
    "search",
    "search_facets",
    "search_items",
    "search_matches",
    "search_results",
    "site_search",
    "staff_items",
    "villages_of",
    "with_entries",
    "with_snippets",
]
