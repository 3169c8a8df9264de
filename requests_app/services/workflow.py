"""The information request's state machine, its guards, and the helpers every step shares.

The steps follow the Regulations on the Disclosure of Government Information (条例): a request
is received (Art 29), registered on its receipt date (Art 31), reviewed, maybe supplemented
once (Art 30), handled (with consultation, Art 32/34, extension, Art 33, and the processing
fee of 国办函〔2020〕109号) and replied to (Art 36). A guard says why a step cannot be taken
now; it runs both when the request page decides which buttons to offer and when the service
is called, so the page and the service can never disagree.

Who may act without an account: the applicant online (``submit``, ``supplement``,
``withdraw``; the view has checked the query code) and the daily deadline command (the two
closures and the lapse of a third party's 15 days). Every other step needs an official.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.actors import recorded_actor
from portal.workflow import ANY_STATE, Step, Workflow

from .. import clock
from ..models import (
    OPEN_STATUSES,
    ClockSegment,
    ExtensionStatus,
    Outcome,
    PauseReason,
    Request,
    RequestFile,
    RequestSettings,
    SegmentKind,
    Status,
)

HANDLE = "requests_app.handle_request"
APPROVE_EXTENSION = "requests_app.approve_extension"

# Steps taken without an account: the applicant online, or the deadline command for the office.
WITHOUT_ACCOUNT = frozenset({"supplement", "withdraw", "close_unsupplemented", "close_unpaid", "end_consultation"})

CONSULTATIONS = (PauseReason.THIRD_PARTY, PauseReason.OTHER_AGENCY)


# --- the clock's open segment (also read by the guards on the request page) ------------------


def open_segment(req) -> ClockSegment | None:
    """The segment still running or paused; from the prefetched segments when the page has them."""
    cached = getattr(req, "_prefetched_objects_cache", {}).get("segments")
    if cached is not None:
        still_open = [s for s in cached if s.ends_on is None]
        return max(still_open, key=lambda s: (s.starts_on, s.pk), default=None)
    return req.segments.filter(ends_on__isnull=True).order_by("-starts_on", "-id").first()


def open_pause(req) -> ClockSegment | None:
    seg = open_segment(req)
    return seg if seg is not None and seg.kind == SegmentKind.PAUSED else None


def settings_for(organization) -> RequestSettings:
    obj = RequestSettings.objects.filter(organization=organization).first()
    return obj or RequestSettings(organization=organization)


# --- guards: why a step cannot be taken now -----------------------------------------------------


def _paused_message(pause):
    return _("当前已暂停计时（%(reason)s），请先恢复计时。") % {"reason": pause.get_reason_display()}


def _no_pause_to_resume():
    return _("当前没有可以恢复的暂停计时。")


def _supplement_once(req, user):
    if req.supplement_requested_on is not None:
        return _("补正只能告知一次，本申请已于 %(date)s 告知补正。") % {"date": req.supplement_requested_on}
    return None


def _supplement_lapsed(req, user):
    if req.supplement_deadline is None or clock.today() <= req.supplement_deadline:
        return _("补正期限 %(date)s 尚未届满。") % {"date": req.supplement_deadline or "—"}
    return None


def _not_paused(req, user):
    pause = open_pause(req)
    return _paused_message(pause) if pause is not None else None


def _consulting(req, user):
    pause = open_pause(req)
    if pause is None or pause.reason not in CONSULTATIONS:
        return _no_pause_to_resume()
    return None


def _extension_open(req, user):
    if req.extension_status == ExtensionStatus.APPROVED:
        return _("答复期限只能延长一次，本申请已经延期。")
    if req.extension_status == ExtensionStatus.REQUESTED:
        return _("延期申请已提交，等待审核员批准。")
    return None


def _extension_requested(req, user):
    if req.extension_status != ExtensionStatus.REQUESTED:
        return _("没有待批准的延期申请。")
    return None


def _fee_chargeable(req, user):
    if not settings_for(req.organization).charge_fees:
        return _("本机关未开启收取信息处理费（可在“依申请公开设置”中开启）。")
    if req.fee_notice_on is not None:
        return _("本申请已于 %(date)s 发出收费通知，每件申请只能选择一种标准收费一次。") % {"date": req.fee_notice_on}
    return _not_paused(req, user)


def _fee_awaited(req, user):
    pause = open_pause(req)
    if pause is None or pause.reason != PauseReason.FEE:
        return _no_pause_to_resume()
    return None


def _fee_lapsed(req, user):
    pause = open_pause(req)
    if pause is None or pause.reason != PauseReason.FEE:
        return _("本申请没有等待缴费的收费通知。")
    if pause.deadline is None or clock.today() <= pause.deadline:
        return _("缴费期限 %(date)s 尚未届满。") % {"date": pause.deadline or "—"}
    return None


def _publishable(req, user):
    if req.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL):
        return _("只有予以公开或部分公开的答复可以转为主动公开。")
    if req.disclosure_draft:
        return _("本申请已转为主动公开草稿（%(ref)s）。") % {"ref": req.disclosure_draft}
    return None


# --- the state machine: nothing else writes ``Request.status`` ----------------------------------


def _with_state(message):
    """The request's own messages (msgids older than the workflow) with its ``%(state)s`` placeholder."""
    return lazy(lambda: message().replace("%(status)s", "%(state)s"), str)()


_CLOCKED = (Status.REGISTERED, Status.UNDER_REVIEW, Status.SUPPLEMENT_REQUESTED, Status.IN_HANDLING)
_CONCLUDED = (Status.REPLIED, Status.CLOSED, Status.WITHDRAWN)
_HANDLING = (Status.IN_HANDLING,)

WORKFLOW = Workflow(
    Request,
    state_field="status",
    noun=gettext_lazy("申请"),
    messages={
        "missing": gettext_lazy("申请不存在。"),
        "stale": _with_state(
            lambda: _(
                "该申请刚刚已被其他人处理（当前状态：%(status)s），您的操作没有执行。请刷新页面查看最新情况后再操作。"
            )
        ),
        "wrong_state": _with_state(lambda: _("该申请当前状态为“%(status)s”，不能执行“%(step)s”。")),
    },
    steps=[
        Step("submit", gettext_lazy("在线提交"), (), Status.RECEIVED, offered=False),
        Step("intake", gettext_lazy("登记纸质申请"), (), Status.RECEIVED, HANDLE),
        Step("register", gettext_lazy("登记"), [Status.RECEIVED], Status.REGISTERED, HANDLE),
        Step("begin_review", gettext_lazy("开始审核"), [Status.REGISTERED], Status.UNDER_REVIEW, HANDLE),
        Step(
            "request_supplement",
            gettext_lazy("告知补正"),
            [Status.REGISTERED, Status.UNDER_REVIEW],
            Status.SUPPLEMENT_REQUESTED,
            HANDLE,
            guard=_supplement_once,
        ),
        Step("supplement", gettext_lazy("收到补正"), [Status.SUPPLEMENT_REQUESTED], Status.UNDER_REVIEW, HANDLE),
        Step(
            "close_unsupplemented",
            gettext_lazy("逾期未补正，终止处理"),
            [Status.SUPPLEMENT_REQUESTED],
            Status.CLOSED,
            HANDLE,
            guard=_supplement_lapsed,
        ),
        Step("accept", gettext_lazy("审核通过，转入办理"), [Status.UNDER_REVIEW], Status.IN_HANDLING, HANDLE),
        Step("assign_handler", gettext_lazy("指定办理人"), _CLOCKED, None, HANDLE),
        Step("start_consultation", gettext_lazy("征求意见"), _HANDLING, None, HANDLE, guard=_not_paused),
        Step("end_consultation", gettext_lazy("收到意见，恢复计时"), _HANDLING, None, HANDLE, guard=_consulting),
        Step("request_extension", gettext_lazy("申请延期"), _HANDLING, None, HANDLE, guard=_extension_open),
        Step(
            "approve_extension",
            gettext_lazy("批准延期"),
            _HANDLING,
            None,
            APPROVE_EXTENSION,
            guard=_extension_requested,
        ),
        Step(
            "reject_extension",
            gettext_lazy("不批准延期"),
            _HANDLING,
            None,
            APPROVE_EXTENSION,
            guard=_extension_requested,
        ),
        Step("issue_fee_notice", gettext_lazy("发出收费通知"), _HANDLING, None, HANDLE, guard=_fee_chargeable),
        Step("record_fee_payment", gettext_lazy("收到缴费，恢复计时"), _HANDLING, None, HANDLE, guard=_fee_awaited),
        Step("close_unpaid", gettext_lazy("逾期未缴费，终止处理"), _HANDLING, Status.CLOSED, HANDLE, guard=_fee_lapsed),
        Step("reply", gettext_lazy("答复"), [Status.UNDER_REVIEW, Status.IN_HANDLING], Status.REPLIED, HANDLE),
        Step("withdraw", gettext_lazy("撤回申请"), OPEN_STATUSES, Status.WITHDRAWN, HANDLE),
        Step("archive", gettext_lazy("归档"), _CONCLUDED, Status.ARCHIVED, HANDLE),
        Step(
            "make_disclosure_draft",
            gettext_lazy("转为主动公开草稿"),
            [Status.REPLIED, Status.ARCHIVED],
            None,
            HANDLE,
            guard=_publishable,
        ),
        # Not buttons of the step list: the page has its own forms for these.
        Step("deliver_notice", gettext_lazy("登记送达"), [ANY_STATE], None, HANDLE, offered=False),
        Step("add_note", gettext_lazy("添加备注"), [ANY_STATE], None, HANDLE, offered=False),
        Step("attach_file", gettext_lazy("上传材料"), OPEN_STATUSES + (Status.REPLIED,), None, HANDLE, offered=False),
    ],
)

#: The audit codes of the app that are no step (``requests_app.<code>``), registered in ``ready()``.
EVENTS = {
    "issue_notice": gettext_lazy("制发文书"),
    "view_personal_data": gettext_lazy("查看申请人完整信息"),
    "export_register": gettext_lazy("导出依申请公开登记台账"),
}


def step_label(verb: str) -> str:
    return WORKFLOW.label(verb)


def available_steps(user, req) -> list[str]:
    """The verbs the request page offers ``user``: state, permission, organisation and guard hold."""
    return [step.verb for step in WORKFLOW.available_steps(user, req)]


def begin(actor, request, verb: str, *, expected_version=None) -> Request:
    """Lock the row and refuse the step if it cannot be taken; ``actor`` None only where allowed."""
    if actor is None and verb in WITHOUT_ACCOUNT:
        req = WORKFLOW.lock(request, expected_version)
        reason = WORKFLOW.refusal(None, req, verb)
        if reason:
            raise ValidationError(reason)
        return req
    return WORKFLOW.begin(actor, request, verb, expected_version=expected_version)


def perform(actor, req, verb: str, *, comment: str = "") -> Request:
    """Write the step's status and version, save and audit it; the cached clock is recomputed."""
    WORKFLOW.perform(actor, req, verb, comment=comment)
    req.__dict__.pop("clock", None)
    return req


# --- dates and the clock's segments -------------------------------------------------------------


def today(on: dt.date | None = None) -> dt.date:
    return on or clock.today()


def check_date(on: dt.date, *, not_before: dt.date | None = None, label=None) -> None:
    if on > clock.today():
        raise ValidationError(_("日期不能晚于今天。"))
    if not_before is not None and on < not_before:
        raise ValidationError(_("%(label)s不能早于 %(date)s。") % {"label": label or _("日期"), "date": not_before})


def close_open_segment(req, on: dt.date) -> ClockSegment | None:
    seg = open_segment(req)
    if seg is not None:
        if on < seg.starts_on:
            raise ValidationError(_("日期不能早于当前计时段的开始日期 %(date)s。") % {"date": seg.starts_on})
        seg.ends_on = on
        seg.save(update_fields=["ends_on"])
    return seg


def pause(req, reason: str, on: dt.date, *, deadline=None, party: str = "", note: str = "") -> ClockSegment:
    seg = open_pause(req)
    if seg is not None:
        raise ValidationError(_paused_message(seg))
    close_open_segment(req, on)
    return ClockSegment.objects.create(
        request=req, kind=SegmentKind.PAUSED, reason=reason, starts_on=on, deadline=deadline, party=party, note=note
    )


def resume(req, reasons, on: dt.date, *, restart: bool = False) -> ClockSegment:
    seg = open_pause(req)
    if seg is None or seg.reason not in reasons:
        raise ValidationError(_no_pause_to_resume())
    close_open_segment(req, on)
    return ClockSegment.objects.create(request=req, kind=SegmentKind.RUNNING, starts_on=on, restarts_clock=restart)


def save_files(req, files, kind: str, actor=None) -> list[RequestFile]:
    saved = []
    for upload in files or ():
        saved.append(
            RequestFile.objects.create(
                request=req,
                kind=kind,
                file=upload,
                original_name=upload.name[:200],
                size=upload.size or 0,
                uploaded_by=recorded_actor(actor),
            )
        )
    return saved
