"""Query shapes compiled once (portal/compiled.py) give what their querysets give."""

import datetime as dt

import pytest
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length
from django.db.models.signals import post_init

from portal import compiled
from portal.models import CalendarDay, CalendarSource, DayKind, Organization, OrganizationKind


def _with_parents(kind, name_from, lft=0):
    return (
        Organization.objects.select_related("parent")
        .defer("index_pattern")
        .annotate(has_children=Exists(Organization.objects.filter(parent=OuterRef("pk"))))
        .filter(kind=kind, name__gte=name_from, lft__gte=lft)  # lft: a 32-bit column (psycopg's Int4)
        .order_by("name", "pk")
    )


def _seen(objects):
    """What a page could read from each object: its fields, deferred fields, parent and annotation."""
    return [
        (
            {k: v for k, v in vars(o).items() if not k.startswith("_")},
            o.get_deferred_fields(),
            o.parent.name if o.parent_id else None,
            o._state.db,
        )
        for o in objects
    ]


@pytest.fixture
def towns(make_org):
    county = make_org("测试县人民政府")
    return county, [make_org(f"第{i}镇人民政府", parent=county, kind=OrganizationKind.TOWNSHIP) for i in range(5)]


def test_a_shape_gives_the_querysets_objects_for_each_value(towns, django_assert_num_queries):
    shape = compiled.Shape(_with_parents, str, str, int)
    cases = [(OrganizationKind.TOWNSHIP, "", 0), (OrganizationKind.TOWNSHIP, "第3", 0), ("government", "", 0)]
    cases.append((OrganizationKind.TOWNSHIP, "", towns[1][2].lft))
    for kind, name_from, lft in cases:
        expected = _seen(_with_parents(kind, name_from, lft))
        with django_assert_num_queries(1):
            got = shape.fetch(kind, name_from, lft)
        assert _seen(got) == expected and expected
    assert shape.fetch(OrganizationKind.TOWNSHIP, "第9", 0) == []


def test_limit_and_offset_are_the_querysets_slice(towns):
    shape = compiled.Shape(_with_parents, str, str, int)
    everything = _with_parents(OrganizationKind.TOWNSHIP, "")
    for offset, limit in [(0, 2), (2, 2), (4, 10), (9, 3)]:
        assert _seen(shape.fetch(OrganizationKind.TOWNSHIP, "", 0, limit=limit, offset=offset)) == _seen(
            everything[offset : offset + limit]
        )
    assert _seen(shape.fetch(OrganizationKind.TOWNSHIP, "", 0, offset=3)) == _seen(everything[3:])


def test_a_value_the_query_changes_is_refused_when_the_shape_is_compiled(db):
    shape = compiled.Shape(lambda text: Organization.objects.filter(name__icontains=text), str)
    with pytest.raises(compiled.ShapeError):
        shape.fetch("镇")
    with pytest.raises(compiled.ShapeError):
        compiled.Shape(lambda kind: Organization.objects.filter(kind=kind)[:3], str).fetch("town")


def test_a_key_out_of_any_columns_range_matches_nothing_as_the_orm_says(towns, client):
    shape = compiled.Shape(lambda pk: Organization.objects.filter(pk=pk), int)
    town = towns[1][0]
    assert shape.fetch(town.pk) == [town]
    for huge in (2**63, -(2**63) - 1, 10**30):
        assert shape.fetch(huge) == list(Organization.objects.filter(pk=huge)) == []
    # The item page reads its item through a shape: a typed address is a 404, never a 500.
    assert client.get("/zwgk/xxgk/item/999999999999999999999999999999/").status_code == 404


def test_fetch_one_gives_the_one_object_of_a_key_or_none(towns):
    shape = compiled.Shape(lambda pk: Organization.objects.select_related("parent").filter(pk=pk), int)
    town = towns[1][2]
    found = shape.fetch_one(town.pk)
    assert _seen([found]) == _seen(Organization.objects.select_related("parent").filter(pk=town.pk))
    assert found.parent.name == "测试县人民政府"
    assert shape.fetch_one(999_999) is None


def _days():
    return CalendarDay.objects.defer("kind").annotate(length=Length("name")).order_by("date")


@pytest.fixture
def days(db):
    for day, name in [(dt.date(2099, 10, 1), "国庆节"), (dt.date(2099, 10, 10), "国庆节调休")]:
        CalendarDay.objects.create(date=day, kind=DayKind.DAY_OFF, name=name, source=CalendarSource.LOCAL)


def test_a_plain_models_objects_are_the_orms_and_behave_as_its_own(days):
    """Objects of a model whose construction only stores values are made directly (compiled.py)."""
    shape = compiled.Shape(lambda source: _days().filter(source=source), str)
    got = shape.fetch(CalendarSource.LOCAL)
    assert _seen_days(got) == _seen_days(_days().filter(source=CalendarSource.LOCAL)) and len(got) == 2
    assert got[0].kind == DayKind.DAY_OFF  # a deferred field is loaded when read, as the ORM does
    got[1].name = "改名"
    got[1].save(update_fields=["name"])  # an object from the database: an update, not an insert
    assert CalendarDay.objects.get(pk=got[1].pk).name == "改名"
    assert CalendarDay.objects.filter(source=CalendarSource.LOCAL).count() == 2


def test_a_post_init_receiver_still_sees_every_object(days):
    seen = []

    def count(sender, instance, **kwargs):
        seen.append(instance.date)

    shape = compiled.Shape(lambda source: _days().filter(source=source), str)
    shape.fetch(CalendarSource.LOCAL)
    post_init.connect(count, sender=CalendarDay)
    try:
        got = shape.fetch(CalendarSource.LOCAL)
    finally:
        post_init.disconnect(count, sender=CalendarDay)
    assert seen == [d.date for d in got] == [dt.date(2099, 10, 1), dt.date(2099, 10, 10)]


def _seen_days(objects):
    return [
        (
            {k: v for k, v in vars(o).items() if not k.startswith("_")},
            o.get_deferred_fields(),
            o._state.db,
            o._state.adding,
        )
        for o in objects
    ]
