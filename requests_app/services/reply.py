"""The end of a request: the formal reply (Art 36), the applicant's withdrawal, the archive.

Every conclusion closes the clock's open segment and fixes one outcome row of the annual
report's table (requests_app.models.Outcome); a closure the applicant did not ask for comes
with a termination notice.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import REPLY_OUTCOMES, FileKind, NoticeKind, Outcome, Request, outcome_full_label
from .notices import issue_notice
from .workflow import begin, check_date, close_open_segment, open_segment, perform, save_files, today


def conclude(actor, req: Request, verb: str, outcome: str, on: dt.date, *, comment=None, **notice_values) -> Request:
    """Stop the clock, fix the outcome and take the closing step; ``notice_values`` issue a termination."""
    seg = open_segment(req)
    if seg is not None:
        close_open_segment(req, max(on, seg.starts_on))
    req.outcome, req.concluded_on = outcome, on
    perform(actor, req, verb, comment=comment or outcome_full_label(outcome))
    if notice_values:
        issue_notice(actor, req, NoticeKind.TERMINATION, on=on, **notice_values)
    return req


@transaction.atomic
def reply(
    actor,
    request,
    *,
    outcome: str,
    decision: str,
    legal_basis: str = "",
    files=(),
    on: dt.date | None = None,
    expected_version=None,
) -> Request:
    """The formal reply (Art 36): one outcome row, the decision, its legal basis and remedies."""
    req = begin(actor, request, "reply", expected_version=expected_version)
    if outcome not in [o.value for o in REPLY_OUTCOMES]:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("请填写答复内容。")})
    outcome = Outcome(outcome)
    needs_basis = outcome.value.startswith(("3.", "4.", "5."))
    if needs_basis and not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": _("不予公开、无法提供或不予处理的，应当写明法律依据。")})
    on = today(on)
    check_date(on, not_before=req.receipt_date, label=_("答复日期"))
    req.decision, req.legal_basis, req.replied_on = decision, (legal_basis or "").strip(), on
    save_files(req, files, FileKind.DISCLOSED, actor)
    conclude(actor, req, "reply", outcome, on)
    issue_notice(
        actor,
        req,
        NoticeKind.REPLY,
        on=on,
        outcome=outcome_full_label(outcome),
        decision=decision,
        legal_basis=req.legal_basis or _("《中华人民共和国政府信息公开条例》第三十六条"),
    )
    return req


@transaction.atomic
def withdraw(request, *, actor=None, reason: str = "", on: dt.date | None = None, expected_version=None) -> Request:
    """The applicant withdraws before the reply.

    Counted in the annual report under 其他处理 3 (project decision, see
    annual-report.md). ``actor`` None: the applicant online, code checked by the view.
    """
    req = begin(actor, request, "withdraw", expected_version=expected_version)
    on = today(on)
    return conclude(actor, req, "withdraw", Outcome.OTHER, on, comment=(reason or "").strip()[:300])


@transaction.atomic
def archive(actor, request, *, on: dt.date | None = None, expected_version=None) -> Request:
    """The whole file is complete and kept (归档); an archived request never changes state again."""
    req = begin(actor, request, "archive", expected_version=expected_version)
    req.archived_on = today(on)
    return perform(actor, req, "archive")
