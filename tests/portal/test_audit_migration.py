"""The data migration turns the audit log's stored sentences into codes; the pages read the same."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

BEFORE = [("portal", "0005_audit_as_data")]


@pytest.mark.django_db(transaction=True)
def test_existing_entries_get_codes_and_read_as_before():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    Entry = old.get_model("portal", "AuditEntry")
    item_type, _ = ContentType.objects.get_or_create(app_label="disclosure", model="disclosureitem")
    report_type, _ = ContentType.objects.get_or_create(app_label="annual", model="annualreport")
    rows = [
        (item_type, "提交审核", "草稿", "待审核", ""),
        (report_type, "提交审核", "草稿", "待审核", ""),
        (item_type, "修改", "", "", "标题"),
        (item_type, "一条没人认识的旧操作", "某个旧状态", "", "原样保留"),
    ]
    for ctype, verb, before, after, comment in rows:
        Entry.objects.create(
            content_type=ctype,
            object_id="1",
            object_repr="某条信息",
            verb=verb,
            from_state=before,
            to_state=after,
            comment=comment,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from portal.models import AuditEntry

    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.event for e in entries] == ["disclosure.submit", "annual.submit", "change", "legacy"]
    assert entries[0].from_code == "disclosure.disclosureitem.state:draft"
    with translation.override("zh-hans"):
        for entry, (_ctype, verb, before, after, comment) in zip(entries, rows):
            assert (entry.verb, entry.from_state, entry.to_state, entry.comment) == (verb, before, after, comment)
    with translation.override("en"):
        assert entries[0].verb != "提交审核" and entries[0].from_state != "草稿"
        assert entries[3].verb == "一条没人认识的旧操作"
