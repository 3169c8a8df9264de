"""转为来信: an information request that is really a complaint becomes a letter.

Under 《政府信息公开条例》 Art 39 a request that is in substance a 信访、举报、投诉
is not handled as an information request: it is answered 不予处理 (outcome 5.1,
"信访举报投诉类申请") and the applicant is told to use the proper channel. The
portal's own channel for complaints is the mailbox, so the office that gave that
answer may put the matter into its own mailbox instead of leaving the citizen to
write again. The letter keeps the request's receipt date as its 收信日期 (the
citizen asked on that day) but its reply clock starts on the day of forwarding, as
after a 转办: the mailbox could not work on it before. This module lives in
``letters`` because ``requests_app`` is below it and must not know letters exist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import outbox
from portal.permissions import ensure_org_access, ensure_perm
from portal.selectors import guide_organizations
from requests_app import access
from requests_app.choices import Outcome
from requests_app.models import Request

from . import clock
from .models import Letter, LetterKind
from .services import HANDLE, MAX_TEXT, MAX_TITLE, REQUEST_HANDLE, WORKFLOW, _mailbox, _new_number, _start_clock

FORWARDABLE_OUTCOME = Outcome.NOT_HANDLED_PETITION


def refusal(req):
    """Why ``req`` cannot become a letter (a sentence for the officer), or ``None``."""
    if req.outcome != FORWARDABLE_OUTCOME or req.replied_on is None:
        return gettext_lazy("只有以“信访举报投诉类申请”不予处理答复的申请才能转为来信。")
    if Letter.objects.filter(from_request=req).exists():
        return gettext_lazy("该申请已经转为来信，不能重复转。")
    return None


def default_title(req):
    return _("依申请公开申请 %(number)s 转来的诉求") % {"number": req.tracking_number}


@transaction.atomic
def forward_request(actor, request, *, kind=LetterKind.COMPLAINT, title=""):
    """Create the letter in the request's organisation's mailbox; returns ``(letter, query_code)``.

    Needs both permissions (handling letters and handling requests) in the request's
    organisation subtree. The request row is locked, so two officers cannot forward it twice.
    """
    ensure_perm(actor, REQUEST_HANDLE)
    ensure_perm(actor, HANDLE)
    try:
        req = Request.objects.select_for_update().select_related("organization").get(pk=getattr(request, "pk", request))
    except (Request.DoesNotExist, ValueError, TypeError):
        raise ValidationError(_("申请不存在。")) from None
    ensure_org_access(actor, req.organization)
    reason = refusal(req)
    if reason:
        raise ValidationError(str(reason))
    if kind not in LetterKind.values:
        raise ValidationError({"kind": _("请选择来信类型。")})
    if not guide_organizations().filter(pk=req.organization_id).exists():
        raise ValidationError(_("该机构没有开设信箱，不能转为来信。"))
    title = (title or "").strip()[:MAX_TITLE] or default_title(req)[:MAX_TITLE]
    code = access.new_query_code()
    letter = Letter(
        organization=req.organization,
        tracking_number=_new_number(),
        query_code_hash=access.hash_query_code(code),
        kind=kind,
        title=title,
        body=(req.description or "").strip()[:MAX_TEXT] or title,
        name=req.applicant_name[:50],
        phone=req.phone or "",
        email=req.email or "",
        received_on=req.receipt_date or clock.today(),
        from_request=req,
    )
    _start_clock(letter, clock.today())
    WORKFLOW.check(actor, letter, "forward")
    WORKFLOW.perform(actor, letter, "forward", comment=req.tracking_number, request_id=req.pk, kind=kind)
    if letter.email:
        outbox.enqueue(
            recipient=letter.email,
            subject=_("您的申请已转为来信办理（查询号 %(number)s）") % {"number": letter.tracking_number},
            body=_(
                "您的政府信息公开申请（查询号 %(request)s）属于信访、举报、投诉等诉求，已按来信转入%(mailbox)s办理。\n"
                "来信查询号：%(number)s\n来信查询码：%(code)s\n"
                "请凭来信查询号和查询码在“互动交流 — 查询来信”中查看办理情况并评价答复。"
                "本机关不会以任何方式向您索要查询码。"
            )
            % {
                "request": req.tracking_number,
                "mailbox": _mailbox(letter),
                "number": letter.tracking_number,
                "code": access.format_query_code(code),
            },
            about=letter,
            organization=letter.organization,
            sensitive=True,
            event_key=outbox.event_key("letter", letter.pk, "forwarded"),
        )
    return letter, code
