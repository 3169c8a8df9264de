"""Every change to an annual report, and the only code that writes its state.

草稿 → 待审核 → 已发布, with 退回 back to 草稿. The numbers are computed and
frozen when the report is generated (and again on 重新生成 while it is a
draft); publishing checks the frozen numbers against the table's own rules
and refuses with the cells that break them. Every step is permission-checked,
limited to the user's organisation subtree and written to the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.actors import recorded_actor
from portal.permissions import ensure_org_access, ensure_perm
from portal.workflow import Step, Workflow
from requests_app import clock

from . import drafts, selectors, tables
from .models import FIRST_YEAR, REPORTING_KINDS, AnnualReport, ReportScope, ReportState

PREPARE = "annual.prepare_report"
REVIEW = "annual.review_report"
PUBLISH = "annual.publish_report"

# The report's state machine; nothing else writes ``state``.
WORKFLOW = Workflow(
    AnnualReport,
    noun=gettext_lazy("年度报告"),
    messages={
        "missing": gettext_lazy("年度报告不存在。"),
        "stale": gettext_lazy("该报告刚刚已被其他人修改（当前状态：%(state)s），您的操作没有执行。请刷新后再操作。"),
        "wrong_state": gettext_lazy("该报告当前状态为“%(state)s”，不能%(step)s。"),
    },
    steps=[
        Step("generate", gettext_lazy("生成统计数据"), (), ReportState.DRAFT, PREPARE),
        Step("regenerate", gettext_lazy("重新生成统计数据"), [ReportState.DRAFT], None, PREPARE),
        Step("edit", gettext_lazy("编辑正文"), [ReportState.DRAFT], None, PREPARE),
        Step("submit", gettext_lazy("提交审核"), [ReportState.DRAFT], ReportState.IN_REVIEW, PREPARE),
        Step("return", gettext_lazy("退回修改"), [ReportState.IN_REVIEW], ReportState.DRAFT, REVIEW),
        Step("publish", gettext_lazy("发布"), [ReportState.IN_REVIEW], ReportState.PUBLISHED, PUBLISH),
    ],
)

TEXT_FIELDS = ("overview", "problems", "other_matters")
MAX_TEXT = 20000


def today() -> dt.date:
    return clock.today()


def available_steps(user, report) -> set[str]:
    """The verbs the report page offers ``user``: state, permission and organisation hold."""
    return {step.verb for step in WORKFLOW.available_steps(user, report)}


def _check_year(year):
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("请填写报告年度。")}) from None
    if not FIRST_YEAR <= year <= today().year:
        raise ValidationError(
            {"year": _("报告年度应在 %(first)d 年至 %(last)d 年之间。") % {"first": FIRST_YEAR, "last": today().year}}
        )
    return year


def _fill(report):
    """Recompute the numbers; replace the drafted sections staff have not edited."""
    old = report.data or {}
    data = selectors.report_data(report.organization, report.scope, report.year)
    data["draft_overview"] = drafts.overview(report, data)
    data["draft_other_matters"] = drafts.other_matters(report, data)
    if not report.overview.strip() or report.overview == old.get("draft_overview"):
        report.overview = data["draft_overview"]
    if not report.other_matters.strip() or report.other_matters == old.get("draft_other_matters"):
        report.other_matters = data["draft_other_matters"]
    report.data = data
    report.generated_at = timezone.now()


@transaction.atomic
def generate(actor, organization, year, scope=ReportScope.ORGANIZATION):
    """Create the year's draft report with its numbers, or refresh the draft that exists."""
    ensure_perm(actor, PREPARE)
    if organization is None:
        raise ValidationError({"organization": _("请选择报告机关。")})
    ensure_org_access(actor, organization)
    if organization.kind not in REPORTING_KINDS:
        raise ValidationError({"organization": _("村（居）民委员会不单独编制政府信息公开工作年度报告。")})
    year = _check_year(year)
    if scope not in ReportScope.values:
        raise ValidationError({"scope": _("请选择统计范围。")})
    existing = (
        AnnualReport.objects.select_for_update().filter(organization=organization, year=year, scope=scope).first()
    )
    if existing is not None:
        return regenerate(actor, existing)
    report = AnnualReport(
        organization=organization,
        year=year,
        scope=scope,
        created_by=recorded_actor(actor),
    )
    _fill(report)
    try:
        with transaction.atomic():
            WORKFLOW.perform(actor, report, "generate", comment=ReportScope(scope).label)
    except IntegrityError:
        raise ValidationError(_("该机关该年度的报告刚刚已由其他人生成，请刷新后在报告页面操作。")) from None
    return report


@transaction.atomic
def regenerate(actor, report, *, expected_version=None):
    report = WORKFLOW.lock(report, expected_version)
    if report.state == ReportState.PUBLISHED:
        raise ValidationError(_("已发布的年度报告不能重新生成，其数据以发布时为准。"))
    WORKFLOW.check(actor, report, "regenerate")
    _fill(report)
    return WORKFLOW.perform(actor, report, "regenerate")


@transaction.atomic
def update_text(actor, report, *, expected_version=None, **texts):
    """Staff edit sections 一, 五 and 六."""
    report = WORKFLOW.begin(actor, report, "edit", expected_version=expected_version)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    changed = []
    for name, value in texts.items():
        value = (value or "").replace("\r\n", "\n").strip()
        if len(value) > MAX_TEXT:
            raise ValidationError({name: _("内容过长（最多 %(n)d 字）。") % {"n": MAX_TEXT}})
        if value != getattr(report, name):
            setattr(report, name, value)
            changed.append(str(AnnualReport._meta.get_field(name).verbose_name))
    if not changed:
        return report
    return WORKFLOW.perform(actor, report, "edit", comment="、".join(changed))


def publish_problems(report, on=None):
    """Every reason the report cannot be published now; empty when it can."""
    problems = []
    on = on or today()
    if on < dt.date(report.year + 1, 1, 1):
        problems.append(_("%(year)d年尚未结束，年度报告应在次年发布。") % {"year": report.year})
    for name in TEXT_FIELDS:
        if not getattr(report, name).strip():
            problems.append(_("请填写“%(section)s”。") % {"section": AnnualReport._meta.get_field(name).verbose_name})
    problems.extend(tables.problems(report.data))
    return problems


@transaction.atomic
def submit(actor, report, *, expected_version=None):
    report = WORKFLOW.begin(actor, report, "submit", expected_version=expected_version)
    problems = publish_problems(report)
    if problems:
        raise ValidationError(problems)
    report.submitted_at = timezone.now()
    report.review_comment = ""
    return WORKFLOW.perform(actor, report, "submit")


@transaction.atomic
def return_for_revision(actor, report, *, comment, expected_version=None):
    report = WORKFLOW.begin(actor, report, "return", expected_version=expected_version)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("退回时请填写审核意见。")})
    report.review_comment = comment[:2000]
    return WORKFLOW.perform(actor, report, "return", comment=report.review_comment)


@transaction.atomic
def publish(actor, report, *, expected_version=None):
    """Publish in the column's 年报 sub-column; refused, naming the cells, unless the tables balance."""
    report = WORKFLOW.begin(actor, report, "publish", expected_version=expected_version)
    problems = publish_problems(report)
    if problems:
        raise ValidationError(problems)
    report.published_at = timezone.now()
    report.published_by = recorded_actor(actor)
    return WORKFLOW.perform(actor, report, "publish")
