"""Every change to an error report, and the only code that writes its state.

待处理 → 处理中 → 已更正 / 经核实无误 (an answer may also be given straight from 待处理).
The answer is due ``CORRECTION_RESPONSE_WORKING_DAYS`` working days after the day the report
arrived (that day not counted, as every working-day limit of the portal, portal/workdays.py).
An officer may pass a report to another organisation within their own subtree when the page
turns out to be someone else's; the deadline does not move.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.permissions import ensure_org_access
from portal.workdays import add_working_days
from portal.workflow import Step, Workflow
from requests_app import clock

from . import owners
from .models import ErrorKind, ErrorReport, ReportState, response_working_days

HANDLE = "corrections.handle_report"
MAX_DESCRIPTION = 2000
MAX_ANSWER = 2000

S = ReportState

WORKFLOW = Workflow(
    ErrorReport,
    noun=gettext_lazy("纠错"),
    steps=[
        Step("submit", gettext_lazy("提交纠错"), (), S.NEW, None, offered=False),
        Step("accept", gettext_lazy("开始处理"), [S.NEW], S.IN_HAND, HANDLE),
        Step("transfer", gettext_lazy("转交其他机构"), [S.NEW, S.IN_HAND], S.NEW, HANDLE),
        Step("fix", gettext_lazy("已更正并答复"), [S.NEW, S.IN_HAND], S.FIXED, HANDLE),
        Step("dismiss", gettext_lazy("经核实无误并答复"), [S.NEW, S.IN_HAND], S.NOT_ERROR, HANDLE),
    ],
)


def today() -> dt.date:
    return clock.today()


def available_steps(user, report) -> set[str]:
    return {step.verb for step in WORKFLOW.available_steps(user, report)}


def due_date(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, response_working_days())


def _reference() -> str:
    return "JC" + "".join(secrets.choice("0123456789") for _ in range(12))


def submit(*, page_url, kind, description, name="", contact="", ip=""):
    """A citizen's report, addressed to the organisation that owns the page."""
    path = owners.normalize(page_url)
    description = (description or "").replace("\r\n", "\n").strip()
    if not description:
        raise ValidationError({"description": _("请描述页面上的错误。")})
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError({"description": _("问题描述过长（最多 %(n)d 字）。") % {"n": MAX_DESCRIPTION}})
    if kind not in ErrorKind.values:
        kind = ErrorKind.OTHER
    organization, title = owners.owner_of(path)
    if organization is None:
        raise ValidationError(_("网站尚未设置机构，暂时无法提交。"))
    received_on = today()
    for _attempt in range(5):
        report = ErrorReport(
            reference=_reference(),
            organization=organization,
            page_url=path,
            page_title=title,
            kind=kind,
            description=description,
            name=(name or "").strip()[:50],
            contact=(contact or "").strip()[:100],
            ip=(ip or "")[:45],
            received_on=received_on,
            due_on=due_date(received_on),
        )
        try:
            with transaction.atomic():
                return WORKFLOW.perform(None, report, "submit")
        except IntegrityError:  # the random reference was taken: draw again
            continue
    raise ValidationError(_("提交失败，请稍后重试。"))


@transaction.atomic
def accept(actor, report, *, expected_version=None):
    report = WORKFLOW.begin(actor, report, "accept", expected_version=expected_version)
    report.handled_by = actor
    return WORKFLOW.perform(actor, report, "accept")


@transaction.atomic
def transfer(actor, report, organization, *, comment="", expected_version=None):
    report = WORKFLOW.begin(actor, report, "transfer", expected_version=expected_version)
    if organization is None:
        raise ValidationError({"organization": _("请选择转交的机构。")})
    ensure_org_access(actor, organization)
    if organization.pk == report.organization_id:
        raise ValidationError({"organization": _("该纠错已由此机构处理。")})
    previous = report.organization_id
    report.organization = organization
    return WORKFLOW.perform(
        actor, report, "transfer", comment=(comment or "").strip()[:500], from_org=previous, to_org=organization.pk
    )


def _answer(verb):
    @transaction.atomic
    def step(actor, report, *, answer, expected_version=None):
        report = WORKFLOW.begin(actor, report, verb, expected_version=expected_version)
        answer = (answer or "").replace("\r\n", "\n").strip()
        if not answer:
            raise ValidationError({"answer": _("请填写给网民的答复。")})
        if len(answer) > MAX_ANSWER:
            raise ValidationError({"answer": _("答复过长（最多 %(n)d 字）。") % {"n": MAX_ANSWER}})
        report.answer = answer
        report.answered_at = timezone.now()
        report.answered_on = today()
        report.handled_by = actor
        late = report.answered_on > report.due_on
        return WORKFLOW.perform(actor, report, verb, comment=answer[:500], late=late)

    step.__name__ = verb
    return step


fix = _answer("fix")
dismiss = _answer("dismiss")
