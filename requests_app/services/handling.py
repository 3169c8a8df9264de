"""Handling a request: the handler, consultation (Art 32, 34) and the one extension (Art 33).

Consulting a third party pauses the clock for at most 15 working days; another agency's
opinion pauses it until the answer arrives. The extension of at most 20 working days is
asked by the handler and approved by the head of the disclosure office (a separate
permission), and must reach the applicant before the original deadline.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.workdays import WorkingCalendar

from .. import clock
from ..models import ExtensionStatus, NoticeKind, PauseReason, Request
from .notices import format_date, issue_notice
from .workflow import CONSULTATIONS, HANDLE, begin, check_date, pause, perform, resume, today


def eligible_handlers(organization) -> list:
    from portal.models import User

    return [
        u
        for u in User.objects.filter(organization=organization, is_active=True).order_by("username")
        if u.has_perm(HANDLE)
    ]


def _set_handler(req, handler):
    if handler.organization_id != req.organization_id or not handler.is_active or not handler.has_perm(HANDLE):
        raise ValidationError({"handler": _("办理人须为本机关持有办理权限的工作人员。")})
    req.handler = handler


@transaction.atomic
def accept(actor, request, *, handler=None, expected_version=None) -> Request:
    """Review passed: the request is complete, ours and a disclosure request; handling starts."""
    req = begin(actor, request, "accept", expected_version=expected_version)
    if handler is not None:
        _set_handler(req, handler)
    return perform(actor, req, "accept", comment=_("办理人：%(h)s") % {"h": req.handler} if req.handler else "")


@transaction.atomic
def assign_handler(actor, request, handler, *, expected_version=None) -> Request:
    req = begin(actor, request, "assign_handler", expected_version=expected_version)
    _set_handler(req, handler)
    return perform(actor, req, "assign_handler", comment=_("办理人：%(h)s") % {"h": handler})


# --- consultation -------------------------------------------------------------------------------


@transaction.atomic
def start_consultation(
    actor, request, *, reason: str, party: str, on: dt.date | None = None, note: str = "", expected_version=None
) -> Request:
    """Consult a third party (Art 32, 15 working days) or another agency (Art 34); the clock pauses."""
    req = begin(actor, request, "start_consultation", expected_version=expected_version)
    if reason not in CONSULTATIONS:
        raise ValidationError({"reason": _("请选择征求第三方意见或征求其他机关意见。")})
    party = (party or "").strip()
    if not party:
        raise ValidationError({"party": _("请填写被征求意见的第三方或机关名称。")})
    on = today(on)
    check_date(on, not_before=req.receipt_date, label=_("征求意见日期"))
    deadline = None
    if reason == PauseReason.THIRD_PARTY:
        deadline = WorkingCalendar().add_working_days(on, clock.THIRD_PARTY_WORKING_DAYS)
    pause(req, reason, on, deadline=deadline, party=party[:200], note=(note or "")[:300])
    perform(actor, req, "start_consultation", comment=PauseReason(reason).label)
    if reason == PauseReason.THIRD_PARTY:
        issue_notice(
            actor,
            req,
            NoticeKind.THIRD_PARTY,
            on=on,
            recipient=party[:200],
            third_party=party,
            third_party_deadline=format_date(deadline),
        )
    return req


@transaction.atomic
def end_consultation(actor, request, *, on: dt.date | None = None, note: str = "", expected_version=None) -> Request:
    """The consulted party answered (or its 15 days ran out): the clock runs again."""
    req = begin(actor, request, "end_consultation", expected_version=expected_version)
    on = today(on)
    if on > clock.today():
        raise ValidationError(_("日期不能晚于今天。"))
    resume(req, CONSULTATIONS, on)
    return perform(actor, req, "end_consultation", comment=(note or "")[:300])


# --- extension ----------------------------------------------------------------------------------


@transaction.atomic
def request_extension(
    actor, request, *, days: int, reason: str, on: dt.date | None = None, expected_version=None
) -> Request:
    """A handler asks to extend the reply period (Art 33): at most 20 working days, once."""
    req = begin(actor, request, "request_extension", expected_version=expected_version)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("请填写延长的工作日数。")}) from None
    if not 1 <= days <= clock.MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("延长期限最长不超过20个工作日。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写延期理由。")})
    state = clock.compute(req, on=today(on))
    if state.original_due_date and today(on) > state.original_due_date:
        raise ValidationError(_("原答复期限 %(date)s 已过，不能再延期。") % {"date": state.original_due_date})
    req.extension_status, req.extension_days, req.extension_reason = ExtensionStatus.REQUESTED, days, reason
    req.extension_requested_by = actor
    return perform(actor, req, "request_extension", comment=_("延长%(n)d个工作日：%(r)s") % {"n": days, "r": reason})


@transaction.atomic
def approve_extension(actor, request, *, on: dt.date | None = None, expected_version=None) -> Request:
    """The head of the disclosure office approves; the applicant must be told before the original deadline."""
    req = begin(actor, request, "approve_extension", expected_version=expected_version)
    on = today(on)
    original = clock.compute(req, on=on).original_due_date
    if original and on > original:
        raise ValidationError(
            _("延期应当在原答复期限（%(date)s）届满前告知申请人，现已超过，不能批准。") % {"date": original}
        )
    req.extension_status, req.extension_decided_by, req.extension_decided_on = (ExtensionStatus.APPROVED, actor, on)
    perform(actor, req, "approve_extension", comment=_("延长%(n)d个工作日") % {"n": req.extension_days})
    issue_notice(
        actor,
        req,
        NoticeKind.EXTENSION,
        on=on,
        extension_days=req.extension_days,
        extension_reason=req.extension_reason,
    )
    return req


@transaction.atomic
def reject_extension(actor, request, *, comment: str = "", on: dt.date | None = None, expected_version=None) -> Request:
    req = begin(actor, request, "reject_extension", expected_version=expected_version)
    req.extension_status, req.extension_decided_by, req.extension_decided_on = (
        ExtensionStatus.REJECTED,
        actor,
        today(on),
    )
    req.extension_days = 0
    return perform(actor, req, "reject_extension", comment=(comment or "")[:300])
