"""补正 (Art 30): asked once, within 7 working days of receipt, for everything missing.

The reply period pauses while the applicant supplements and starts again, in full, from the
day the supplement arrives. Not supplemented in time without good reason, the application is
deemed abandoned (annual report 其他处理 1).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.workdays import WorkingCalendar

from .. import clock
from ..models import FileKind, NoticeKind, Outcome, PauseReason, Request
from .notices import format_date, issue_notice
from .reply import conclude
from .workflow import begin, check_date, pause, perform, resume, save_files, settings_for, today


def supplement_notice_deadline(req: Request, calendar: WorkingCalendar | None = None) -> dt.date | None:
    """The last day a 补正 may be asked for: the 7th working day after receipt (Art 30)."""
    if req.receipt_date is None:
        return None
    return (calendar or WorkingCalendar()).add_working_days(req.receipt_date, clock.SUPPLEMENT_NOTICE_WORKING_DAYS)


@transaction.atomic
def request_supplement(
    actor, request, *, items: str, deadline: dt.date | None = None, on: dt.date | None = None, expected_version=None
) -> Request:
    """Tell the applicant, once and in one notice, everything to supplement (Art 30)."""
    req = begin(actor, request, "request_supplement", expected_version=expected_version)
    on = today(on)
    check_date(on, not_before=req.receipt_date, label=_("补正告知日期"))
    items = (items or "").strip()
    if not items:
        raise ValidationError({"items": _("请一次性写明需要补正的全部事项。")})
    calendar = WorkingCalendar()
    last_day = supplement_notice_deadline(req, calendar)
    if on > last_day:
        raise ValidationError(
            _("补正告知应当在收到申请之日起7个工作日内作出（最迟 %(date)s），已超过期限，不能再要求补正。")
            % {"date": last_day}
        )
    if deadline is None:
        deadline = calendar.add_working_days(on, settings_for(req.organization).supplement_days)
    if deadline <= on:
        raise ValidationError({"deadline": _("补正期限应晚于告知日期。")})
    req.supplement_items, req.supplement_requested_on, req.supplement_deadline = items, on, deadline
    pause(req, PauseReason.SUPPLEMENT, on, deadline=deadline)
    perform(actor, req, "request_supplement", comment=_("补正期限 %(date)s") % {"date": deadline})
    issue_notice(
        actor, req, NoticeKind.SUPPLEMENT, on=on, supplement_items=items, supplement_deadline=format_date(deadline)
    )
    return req


@transaction.atomic
def supplement(
    request, *, text: str, files=(), actor=None, received_on: dt.date | None = None, expected_version=None
) -> Request:
    """The applicant's supplement arrives: the 20 working days start again from that day.

    ``actor`` is None when the applicant supplements online (the view has
    checked the query code); staff record a paper supplement with their
    account and may accept one after the deadline when there was good reason.
    """
    req = begin(actor, request, "supplement", expected_version=expected_version)
    on = today(received_on)
    check_date(on, not_before=req.supplement_requested_on, label=_("收到补正日期"))
    if actor is None and on > req.supplement_deadline:
        raise ValidationError(
            _("补正期限（%(date)s）已过，不能在线补正。如有正当理由，请与受理机关联系。")
            % {"date": req.supplement_deadline}
        )
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError({"text": _("请填写补正内容或上传补正材料。")})
    req.supplement_text, req.supplement_received_on = text, on
    resume(req, (PauseReason.SUPPLEMENT,), on, restart=True)
    save_files(req, files, FileKind.APPLICANT, actor)
    return perform(actor, req, "supplement", comment=_("收到补正 %(date)s，答复期限重新起算") % {"date": on})


@transaction.atomic
def close_unsupplemented(actor, request, *, on: dt.date | None = None, expected_version=None) -> Request:
    """Not supplemented in time: deemed abandoned (annual report 其他处理 1).

    ``actor`` None is the deadline command acting for the office.
    """
    req = begin(actor, request, "close_unsupplemented", expected_version=expected_version)
    on = today(on)
    if on <= req.supplement_deadline:
        raise ValidationError(_("补正期限 %(date)s 尚未届满。") % {"date": req.supplement_deadline})
    return conclude(
        actor,
        req,
        "close_unsupplemented",
        Outcome.OTHER_NOT_SUPPLEMENTED,
        on,
        termination_reason=_(
            "本机关已于%(asked)s告知您补正，补正期限为%(deadline)s。您无正当理由逾期未补正，"
            "依照《中华人民共和国政府信息公开条例》第三十条，视为放弃申请，本机关不再处理该政府信息公开申请。"
        )
        % {"asked": format_date(req.supplement_requested_on), "deadline": format_date(req.supplement_deadline)},
    )
