"""A list page's rows from its compiled shape (selectors.rows_for) are the rows its filter's queryset gives.

Each combination of filter parts is its own compiled query; a wrong one would show a
visitor the wrong items or the right items in the wrong order, so each is compared with
the queryset over items that differ in every filtered column.
"""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from disclosure import selectors, services
from disclosure.models import DisclosureItem, DocumentType, ItemKind, Validity
from disclosure.selectors import public
from tests.disclosure.plans import query_plan


@pytest.fixture
def varied(county):
    orgs = [county.civil, county.east, county.west, county.village]
    entries = [[county.entry], [county.policy_entry], [county.land_entry], [county.entry, county.land_entry]]
    start = timezone.make_aware(dt.datetime(2025, 12, 20, 9))
    items = []
    for i, (org, kind, validity, document_type) in enumerate(
        itertools.islice(itertools.cycle(itertools.product(orgs, ItemKind, Validity, DocumentType)), 60)
    ):
        item = DisclosureItem(
            organization=org,
            title=f"第{i}条信息",
            body="<p>正文</p>",
            kind=kind,
            validity=validity,
            document_type=document_type,
            published_at=start + dt.timedelta(days=i // 3),  # ties on the day: the id decides
        )
        items.append(services.import_published(county.admin, item, catalog_entries=entries[i % 4]))
        DisclosureItem.objects.filter(pk=item.pk).update(published_at=start + dt.timedelta(days=i // 3))
    return items


def _seen(rows):
    return [(r.pk, r.title, r.kind, r.validity, r.organization_name, r.published_at) for r in rows]


def _filters(county):
    yield selectors.Filters()
    yield selectors.Filters(domain=county.domain)
    yield selectors.Filters(domain=county.land, kind=ItemKind.INTERPRETATION)
    yield selectors.Filters(entry=county.group, domain=county.domain)
    yield selectors.Filters(entry=county.entry, domain=county.domain, validity=Validity.REPEALED)
    yield selectors.Filters(entry=county.land_entry, domain=county.land)  # an entry without children: by its key
    yield selectors.Filters(organization=county.gov)  # its subtree
    yield selectors.Filters(organization=county.civil, include_subtree=False)
    yield selectors.Filters(organization=county.east, document_type=DocumentType.NORMATIVE, kind=ItemKind.DOCUMENT)
    yield selectors.Filters(validity=Validity.EXPIRED, document_type=DocumentType.OTHER)
    yield selectors.Filters(year=2025)
    yield selectors.Filters(year=2026, organization=county.east, kind=ItemKind.DOCUMENT)


def test_each_filter_shape_reads_the_rows_of_its_queryset(county, varied, django_assert_num_queries):
    for filters in _filters(county):
        expected = selectors.apply_filters(selectors.list_rows(), filters)
        source = selectors.rows_for(filters)
        for offset, limit in [(0, 21), (3, 5), (40, 21)]:
            with django_assert_num_queries(1):
                got = source.slice(offset, limit)
            assert _seen(got) == _seen(expected[offset : offset + limit]), (filters, offset)
        assert expected.exists()


def test_rows_by_keys_keep_the_lists_order_for_any_number_of_keys(varied):
    keys = [item.pk for item in varied]
    for chosen in (keys[:1], keys[5:27], keys[::7], keys[:30]):
        expected = list(selectors.list_rows().filter(pk__in=chosen))
        assert _seen(selectors.rows_by_keys(list(reversed(chosen)))) == _seen(expected)
    assert selectors.rows_by_keys([]) == []


def test_a_year_list_ends_at_local_midnight_on_both_backends(client, county, varied):
    """The year's bounds are moments in the site's time zone, bound as the backend stores them
    (SQLite: text in UTC): an item at 00:30 on 1 January in Beijing, still 2025 in UTC, is 2026's."""
    new_year = timezone.make_aware(dt.datetime(2026, 1, 1, 0, 30))
    DisclosureItem.objects.filter(pk=varied[35].pk).update(published_at=new_year)
    source = selectors.rows_for(selectors.Filters(year=2025))
    assert "第35条信息" not in [r.title for r in source.slice(0, 60)]
    in_2026 = [r.title for r in selectors.rows_for(selectors.Filters(year=2026)).slice(0, 60)]
    assert in_2026[-1] == "第35条信息" and len(in_2026) == 25
    page = client.get("/zwgk/xxgk/year/2025/").content.decode()
    # Three items a day from 20 December 2025: items 0–34 are now 2025's, newest first.
    assert "第34条信息" in page and "第15条信息" in page
    assert "第35条信息" not in page and "第36条信息" not in page and "第14条信息" not in page


def test_an_organisation_without_sub_organisations_lists_its_items_by_its_key(client, county, varied):
    """A village's list asks for its own key (PostgreSQL then reads its items by index), with the same rows."""
    village, parent = county.village, county.village.parent
    assert village.is_leaf_node() and selectors.Filters().include_subtree
    assert public.filter_parts(selectors.Filters(organization=village)) == [("organization", (village.pk,))]
    within = selectors.list_rows().filter(
        organization__tree_id=village.tree_id, organization__lft__gte=village.lft, organization__rght__lte=village.rght
    )
    got = selectors.rows_for(selectors.Filters(organization=village)).slice(0, 50)
    assert _seen(got) == _seen(within) and got
    # The organisation above it still lists its sub-organisations' items too.
    assert public.filter_parts(selectors.Filters(organization=parent))[0][0] == "subtree"
    above = {r.pk for r in selectors.rows_for(selectors.Filters(organization=parent)).slice(0, 60)}
    assert {r.pk for r in got} < above
    page = client.get(f"/zwgk/xxgk/org/{village.pk}/").content.decode()
    assert got[0].title in page


def test_an_entry_without_children_lists_its_items_by_its_key(county, varied):
    entry = county.land_entry
    assert entry.is_leaf_node()
    assert public.filter_parts(selectors.Filters(entry=entry)) == [("entry_key", (entry.pk,))]
    linked = selectors.list_rows().filter(catalog_entries=entry)
    got = selectors.rows_for(selectors.Filters(entry=entry)).slice(0, 60)
    assert _seen(got) == _seen(linked) and got
    assert public.filter_parts(selectors.Filters(entry=county.group))[0][0] == "entry"


def test_an_organisations_own_list_is_read_by_an_index_in_its_order(county, varied):
    """A department's or village's list reads its own items newest first from an index (disclosure_public_org_order).

    Without it PostgreSQL walked everyone's publication order and dropped the other
    organisations' rows: a department with 2 % of 200,000 items spent 1.5 ms of SQL per page.
    """
    qs = public.apply_parts(selectors.list_rows(), [("organization", (county.civil.pk,))])[:21]
    sql, params = qs.query.sql_with_params()
    plan = query_plan(sql, params)
    assert "disclosure_public_org_order" in plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan  # already in the list's order
    assert [r.pk for r in qs] == [
        i.pk
        for i in sorted(varied, key=lambda i: (i.published_at, i.pk), reverse=True)
        if i.organization_id == county.civil.pk
    ][:21]
