"""A large import costs a bounded number of queries and leaves the tree as one-by-one inserts would (issue 10)."""

import pytest

from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry
from portal.models import AuditEntry, Role

from .sheets import entry, run_import

ROWS = 200
TITLE = "XX县社会救助领域基层政务公开标准目录"
GROUP = [
    "序号",
    "公开事项",
    "",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "",
    "公开方式",
    "",
    "公开层级",
    "",
]
SUB = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]


def _rows(prefix, count=ROWS, groups=4):
    per_group = count // groups
    # Names out of alphabetical order within a group, so placement by name is exercised.
    return [
        [
            str(n + 1),
            f"{prefix}事项{n // per_group + 1}",
            f"{prefix}子项{(n * 7) % 97:02d}-{n}",
            "办理条件、办理流程",
            "",
            "制定或获取信息之日起10个工作日内",
            "县民政局",
            "■政府网站",
            "√",
            "",
            "√",
            "",
            "√",
            "√",
        ]
        for n in range(count)
    ]


def _sheet(rows):
    return [[TITLE] + [""] * 13, GROUP, SUB, *rows]


def _positions():
    return {
        pk: (lft, rght, level)
        for pk, lft, rght, level in CatalogEntry.objects.values_list("pk", "lft", "rght", "level")
    }


def _rebuilt_positions(tree_id):
    """What mptt's own rebuild (siblings by sort_order, name) makes of the same rows."""
    CatalogEntry._tree_manager.partial_rebuild(tree_id)
    return _positions()


@pytest.fixture
def root(standard_catalog, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-for-tests")


@pytest.fixture
def clerk(standard_catalog, make_org, make_user):
    return make_user("bulk_clerk", make_org("基准乡人民政府"), Role.CLERK)


def test_a_200_row_import_into_the_standard_catalog_takes_a_bounded_number_of_queries(
    root, django_assert_max_num_queries
):
    audit_before = AuditEntry.objects.count()
    with django_assert_max_num_queries(60):
        report = run_import(_sheet(_rows("甲")), actor=root)
    assert report.ok and report.count("new") == ROWS
    leaf = entry("社会救助", "甲事项3", "甲子项" + f"{(120 * 7) % 97:02d}-120")
    assert leaf.time_limit_days == 10 and leaf.channels == ["website"] and leaf.level_county
    assert leaf.get_ancestors().count() == 2
    # 4 groups and 200 entries, each with its audit line.
    assert AuditEntry.objects.count() - audit_before == ROWS + 4
    domain = CatalogEntry.objects.get(parent=None, name="社会救助")
    assert domain.get_descendants().filter(name__startswith="甲").count() == ROWS + 4
    # The new rows follow the file's order, after the shipped ones, exactly where mptt puts them.
    assert _positions() == _rebuilt_positions(domain.tree_id)


def test_a_200_row_import_into_an_organisation_takes_a_bounded_number_of_queries(clerk, django_assert_max_num_queries):
    org = clerk.organization
    with django_assert_max_num_queries(60):
        report = run_import(_sheet(_rows("乙")), actor=clerk, organization=org)
    assert report.ok and report.count("new") == ROWS
    local = entry("社会救助", "乙事项2", f"乙子项{(77 * 7) % 97:02d}-77", organization=org)
    assert local.organization == org and local.time_limit_days == 10
    assert Adoption.objects.get(organization=org, entry=local).status == AdoptionStatus.ADOPTED
    adjustments = Adjustment.objects.filter(organization=org, action=AdjustmentAction.ADD_LOCAL)
    assert adjustments.count() == ROWS + 4
    assert set(adjustments.values_list("actor__username", flat=True)) == {"bulk_clerk"}
    assert adjustments.get(entry=local).changes == {"name": local.name, "parent": "乙事项2"}
    assert AuditEntry.objects.filter(actor=clerk).count() == ROWS + 4
    # Local entries (sort order 0) sort by name under their parents, as mptt's ordered insertion does.
    domain = CatalogEntry.objects.get(parent=None, name="社会救助")
    assert _positions() == _rebuilt_positions(domain.tree_id)


def test_a_local_import_reopens_an_excluded_parent_once(clerk):
    from catalog import services

    org = clerk.organization
    group = entry("社会救助", "最低生活保障")
    services.adopt(clerk, org, group, reason="纳入")
    services.exclude(clerk, org, group, reason="本乡不适用")
    rows = [
        [str(n + 1), "最低生活保障", f"本地事项{n}", "", "", "", "", "", "√", "", "√", "", "", "√"] for n in range(3)
    ]
    report = run_import(_sheet(rows), actor=clerk, organization=org)
    assert report.ok
    assert Adoption.objects.get(organization=org, entry=group).status == AdoptionStatus.ADOPTED
    added = list(Adjustment.objects.filter(organization=org, action=AdjustmentAction.ADD_LOCAL).order_by("id"))
    assert [a.entry.name for a in added] == ["本地事项0", "本地事项1", "本地事项2"]
    assert [e["id"] for e in added[0].changes["entries"]] == [group.pk]
    assert "entries" not in added[1].changes and "entries" not in added[2].changes
