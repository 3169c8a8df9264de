"""Importing rows that adopt standard entries and word them the organisation's own way (issue 10, case c).

The rows are decided in memory and written in bulk; the history they leave must be the
one the row-by-row services write, adjustment for adjustment and audit line for audit line.
"""

import pytest
from django.db import transaction

from catalog import importer, services
from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry
from portal.models import AuditEntry, Role

from .sheets import entry, official, parse, run_import

ROWS = 200
FIVE_DAYS = "信息形成或变更之日起5个工作日内"
STANDARD_LIMIT = "制定或获取信息之日起10个工作日内"


def _row(n, group, name, time_limit=STANDARD_LIMIT, body="县民政局", channels="■政府网站"):
    return [str(n), group, name, "办理条件、办理流程", "", time_limit, body, channels, "√", "", "√", "", "√", "√"]


@pytest.fixture
def root(standard_catalog, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-for-tests")


@pytest.fixture
def clerk(standard_catalog, make_org, make_user):
    return make_user("adopt_clerk", make_org("基准乡人民政府"), Role.CLERK)


def test_adopting_and_rewording_200_standard_rows_takes_a_bounded_number_of_queries(
    root, clerk, django_assert_max_num_queries
):
    rows = [_row(n + 1, f"甲事项{n // 50 + 1}", f"甲子项{n:03d}") for n in range(ROWS)]
    assert run_import(official(rows), actor=root).ok
    org = clerk.organization
    own = [_row(n + 1, f"甲事项{n // 50 + 1}", f"甲子项{n:03d}", time_limit=FIVE_DAYS) for n in range(ROWS)]
    audit_before = AuditEntry.objects.count()
    # Row by row this was some 17 queries a row (3,400 here); in bulk it does not grow with the rows.
    with django_assert_max_num_queries(40):
        report = run_import(official(own), actor=clerk, organization=org)
    assert report.ok and report.count("new") == ROWS
    assert report.outcomes[7].effective["time_limit_text"] == FIVE_DAYS
    leaf = entry("社会救助", "甲事项2", "甲子项077")
    adoption = Adoption.objects.get(organization=org, entry=leaf)
    assert adoption.status == AdoptionStatus.ADOPTED and adoption.time_limit_days == 5
    history = Adjustment.objects.filter(organization=org, entry=leaf).order_by("id")
    assert [a.action for a in history] == [AdjustmentAction.ADOPT, AdjustmentAction.OVERRIDE]
    assert history[1].changes["time_limit_text"] == [STANDARD_LIMIT, FIVE_DAYS]
    assert AuditEntry.objects.count() - audit_before == 2 * ROWS


def _names(org):
    return dict(CatalogEntry.objects.values_list("pk", "name"))


def _history(org, adjustments_after, audit_after):
    """What the import left, with the ids of rows created during it replaced by names."""
    names = _names(org)
    adoption_entry = dict(Adoption.objects.filter(organization=org).values_list("pk", "entry_id"))
    adjustments = [
        (a.action, names[a.entry_id], a.reason, a.effective_date, a.changes, a.actor_id)
        for a in Adjustment.objects.filter(organization=org, pk__gt=adjustments_after).order_by("id")
    ]
    lines = []
    for line in AuditEntry.objects.filter(pk__gt=audit_after).order_by("id"):
        model = line.content_type.model if line.content_type else ""
        target = int(line.object_id) if line.object_id else None
        target = names[adoption_entry[target]] if model == "adoption" else names.get(target)
        lines.append(
            (line.event, model, target, line.object_repr, line.from_code, line.to_code, line.params, line.comment)
        )
    adoptions = sorted(
        (names[a.entry_id], a.status, a.reason, a.time_limit_text, a.time_limit_days, a.responsible_body, a.channels)
        for a in Adoption.objects.filter(organization=org)
    )
    return adjustments, lines, adoptions


def _row_by_row(sheet, actor, org, file_name):
    """What the importer did before it worked in bulk: one service call after another, row by row.

    Rows naming an entry the standard catalog lacks (local entries) go through the importer one
    row at a time, as they always did.
    """
    reason = importer.default_reason(file_name)
    for parsed in sheet.rows:
        try:
            node = entry("社会救助", *parsed.names, organization=org)
        except CatalogEntry.DoesNotExist:
            node = None
        if node is None or node.is_local:
            one = parse(official([sheet_rows[parsed.number - 4]]))
            assert importer.import_sheet(one, actor=actor, organization=org, file_name=file_name).ok
            continue
        adoption = Adoption.objects.filter(organization=org, entry=node).first()
        if adoption is None or adoption.status != AdoptionStatus.ADOPTED:
            services.adopt(actor, org, node, reason=reason)
        values = {f: parsed.values[f] for f in importer.OVERRIDDEN if f in parsed.values}
        services.override(actor, org, node, reason=reason, **values)


sheet_rows = [
    _row(1, "甲事项1", "甲子项1", time_limit=FIVE_DAYS, body="本乡人民政府"),  # adopted before: reworded
    _row(2, "甲事项1", "甲子项2", channels="■政府网站 ■便民服务站"),  # excluded before: adopted again
    _row(3, "甲事项1", "甲子项3"),  # its own wording before; the standard one now
    _row(4, "甲事项2", "甲子项5", time_limit=FIVE_DAYS),  # under an excluded group: reopens it
    _row(5, "甲事项3", ""),  # a group row: adopts the group and everything below it
    _row(6, "甲事项3", "甲子项9", body="本乡民政办"),  # adopted by the row above
    _row(7, "甲事项3", "甲子项10"),  # the standard wording: nothing to record
    _row(8, "甲事项1", "本乡事项", time_limit=FIVE_DAYS),  # the organisation's own: changed in place
    _row(9, "甲事项3", "新的本乡事项"),  # a new local entry between the adoptions
    _row(10, "甲事项2", "甲子项6", time_limit=FIVE_DAYS),  # after the local rows
    _row(11, "甲事项2", "甲子项7", body="本乡人民政府"),
]


def test_an_adopt_and_override_import_writes_the_history_the_row_by_row_services_wrote(root, clerk):
    standard = [_row(n + 1, f"甲事项{n // 4 + 1}", f"甲子项{n + 1}") for n in range(12)]
    assert run_import(official(standard), actor=root).ok
    org = clerk.organization
    g1, g2 = entry("社会救助", "甲事项1"), entry("社会救助", "甲事项2")
    services.adopt(clerk, org, g1, reason="先纳入")
    services.exclude(clerk, org, entry("社会救助", "甲事项1", "甲子项2"), reason="本乡不适用")
    services.override(clerk, org, entry("社会救助", "甲事项1", "甲子项3"), reason="本乡", time_limit_text=FIVE_DAYS)
    services.adopt(clerk, org, g2, reason="先纳入")
    services.exclude(clerk, org, g2, reason="本乡不适用")
    services.add_local_entry(clerk, org, g1, name="本乡事项", reason="本乡", time_limit_text=STANDARD_LIMIT)
    sheet = parse(official(sheet_rows))
    adjustments_after = Adjustment.objects.order_by("-id").values_list("id", flat=True).first()
    audit_after = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()

    with transaction.atomic():
        report = importer.import_sheet(sheet, actor=clerk, organization=org, file_name="目录.xlsx")
        assert report.ok, [str(p) for p in report.problems]
        bulk = _history(org, adjustments_after, audit_after)
        transaction.set_rollback(True)
    with transaction.atomic():
        _row_by_row(sheet, clerk, org, "目录.xlsx")
        reference = _history(org, adjustments_after, audit_after)
        transaction.set_rollback(True)

    assert bulk[0] == reference[0]  # the adjustments: action, entry, reason, date, JSON changes, actor
    assert bulk[1] == reference[1]  # the audit lines: code, target, states, parameters, comment
    assert bulk[2] == reference[2]  # the adoptions as they stand afterwards
    actions = [a[0] for a in reference[0]]
    assert actions.count(AdjustmentAction.ADOPT) == 5 and actions.count(AdjustmentAction.OVERRIDE) == 9
    assert AdjustmentAction.ADD_LOCAL in actions
    reopened = next(a for a in reference[0] if a[0] == AdjustmentAction.ADOPT and a[1] == "甲子项5")
    assert [e["name"] for e in reopened[4]["entries"]] == ["甲子项5", "甲事项2"]
    group = next(a for a in reference[0] if a[0] == AdjustmentAction.ADOPT and a[1] == "甲事项3")
    assert len(group[4]["entries"]) == 5
