"""The column's 制度 sub-column and 政策文件库 (policy documents with their interpretations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.models import Organization

from ..models import DisclosureItem, DocumentType, ItemKind, Validity
from .public import Filters, _Option, _year_bounds, apply_filters, parse_filters, public_items


def rule_items() -> QuerySet[DisclosureItem]:
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


def policy_documents() -> QuerySet[DisclosureItem]:
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


def _issued_in(year: int) -> Q:
    """成文日期 in ``year``; a document without one counts by its publication date (as table 二 does)."""
    start, end = _year_bounds(year)
    return Q(written_on__gte=dt.date(year, 1, 1), written_on__lte=dt.date(year, 12, 31)) | Q(
        written_on__isnull=True, published_at__gte=start, published_at__lt=end
    )


def parse_policy_filters(params: Mapping[str, str]) -> Filters:
    """发文机关 (the exact organisation), year of 成文日期, 有效性, type; other list filters do not apply."""
    f = parse_filters(params)
    f.domain, f.kind, f.include_subtree = None, "", False
    return f


def apply_policy_filters(qs: QuerySet[DisclosureItem], f: Filters) -> QuerySet[DisclosureItem]:
    year, f.year = f.year, None
    try:
        qs = apply_filters(qs, f)
    finally:
        f.year = year
    if year:
        qs = qs.filter(_issued_in(year))
    return qs


def policy_filter_options() -> dict[str, list]:
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
