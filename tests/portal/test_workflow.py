"""The core workflow primitive, on a small workflow of its own over the annual report's table.

What staff would notice: a button shown is a step that works, a button hidden is a step that
is refused with the same reason; of two officials acting on one record the second is told
and nothing of theirs is written; the audit log reads the step in the reader's language.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from annual.models import AnnualReport, ReportState
from portal import audit
from portal.models import OrganizationKind, Role
from portal.workflow import ANY_STATE, Step, Workflow

PREPARE = "annual.prepare_report"
PUBLISH = "annual.publish_report"


def _needs_overview(report, user):
    return None if report.overview.strip() else "请先填写概述。"


FLOW = Workflow(
    AnnualReport,
    noun="报告",
    steps=[
        Step("generate", "生成统计数据", (), ReportState.DRAFT, PREPARE),
        Step("submit", "提交审核", [ReportState.DRAFT], ReportState.IN_REVIEW, PREPARE, guard=_needs_overview),
        Step("publish", "发布", [ReportState.IN_REVIEW], ReportState.PUBLISHED, PUBLISH),
        Step("note", "添加备注", [ANY_STATE], None, PREPARE),
        Step("expire", "定时失效", [ReportState.PUBLISHED], None, None, offered=False),
    ],
)


@pytest.fixture(autouse=True)
def _flow_events():
    """This test workflow's codes, registered for its tests only (the real annual labels stay)."""
    audit.event_codes()
    saved = dict(audit._EVENTS)
    FLOW.register_events()
    yield
    audit._EVENTS.clear()
    audit._EVENTS.update(saved)
    audit._reverse_cache.clear()


@pytest.fixture
def world(make_org, make_user):
    county = make_org("测试县人民政府")
    township = make_org("河东乡人民政府", parent=county, kind=OrganizationKind.TOWNSHIP)
    other = make_org("河西乡人民政府", parent=county, kind=OrganizationKind.TOWNSHIP)
    report = AnnualReport.objects.create(organization=township, year=2025, overview="")
    return {
        "report": report,
        "clerk": make_user("clerk", township, Role.CLERK),
        "reviewer": make_user("reviewer", township, Role.REVIEWER),
        "stranger": make_user("stranger", other, Role.CLERK),
    }


def _verbs(steps):
    return [step.verb for step in steps]


def test_available_steps_follow_state_permission_subtree_and_guard(world):
    report, clerk = world["report"], world["clerk"]
    # The guard holds back 提交审核 until the overview is written; creation and hidden steps never show.
    assert _verbs(FLOW.available_steps(clerk, report)) == ["note"]
    report.overview = "概述"
    assert _verbs(FLOW.available_steps(clerk, report)) == ["submit", "note"]
    # The reviewer lacks the clerk's permission; another township's clerk lacks the subtree.
    assert _verbs(FLOW.available_steps(world["reviewer"], report)) == []
    assert _verbs(FLOW.available_steps(world["stranger"], report)) == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_step_gives_the_guards_reason_and_changes_nothing(world):
    report = world["report"]
    assert FLOW.refusal(world["clerk"], report, "submit") == "请先填写概述。"
    with pytest.raises(ValidationError, match="请先填写概述"), transaction.atomic():
        FLOW.begin(world["clerk"], report, "submit")
    with pytest.raises(ValidationError, match="不能执行“发布”"), transaction.atomic():
        FLOW.begin(world["reviewer"], report, "publish")
    with pytest.raises(PermissionDenied), transaction.atomic():
        FLOW.begin(world["stranger"], report, "note")
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.DRAFT, 0)
    assert not audit.entries_for(report).exists()


@pytest.mark.django_db(transaction=True)
def test_a_step_from_a_stale_page_is_refused_and_the_first_one_stands(world):
    report, clerk = world["report"], world["clerk"]
    AnnualReport.objects.filter(pk=report.pk).update(overview="概述")
    shown = report.version
    with transaction.atomic():
        first = FLOW.begin(clerk, report, "submit", expected_version=shown)
        FLOW.perform(clerk, first, "submit")
    with pytest.raises(ValidationError, match="刚刚已被其他人处理（当前状态：待审核）"), transaction.atomic():
        FLOW.begin(clerk, report, "note", expected_version=shown)
    with pytest.raises(ValidationError, match="不存在"), transaction.atomic():
        FLOW.lock(10**9)
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.IN_REVIEW, shown + 1)


@pytest.mark.django_db(transaction=True)
def test_perform_writes_state_version_and_an_audit_entry_of_codes(world):
    report, clerk = world["report"], world["clerk"]
    AnnualReport.objects.filter(pk=report.pk).update(overview="概述")
    with transaction.atomic():
        report = FLOW.begin(clerk, report, "submit")
        FLOW.perform(clerk, report, "submit", comment="请审核")
    with transaction.atomic():
        FLOW.perform(clerk, FLOW.begin(clerk, report, "note"), "note")
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.IN_REVIEW, 2)
    submitted, noted = audit.entries_for(report).order_by("pk")
    assert submitted.event == "annual.submit"
    assert submitted.from_code == "annual.annualreport.state:draft"
    assert submitted.to_code == "annual.annualreport.state:in_review"
    assert (noted.from_code, noted.to_code) == ("", "")
    with translation.override("en"):
        assert audit.state_label(submitted.to_code) == str(ReportState.IN_REVIEW.label)


def test_the_codes_are_the_app_label_and_the_verb():
    assert FLOW.code("submit") == "annual.submit"
    assert FLOW.state_code(ReportState.DRAFT) == "annual.annualreport.state:draft"
    assert FLOW.state_code("") == ""
    assert "publish" in FLOW and "withdraw" not in FLOW
    assert FLOW.allowed(AnnualReport(state=ReportState.IN_REVIEW)) == {"publish", "note"}
