"""Every change to a letter, and the only code that writes its state.

待受理 → 办理中 → 已答复, with the side exits 不予受理 (spam, abuse, not in scope: the
writer sees the reason), 已合并 (a duplicate of another letter) and 已转为依申请公开 (the
letter is really an information request). 转办 sends a letter back to 待受理 at another
organisation, whose own deadline then runs from the day of the transfer. An extension is
asked once by the handling office and decided by a reviewer. Publication is a separate
approval of an answered letter whose writer allowed it. Every step goes through
:data:`WORKFLOW` (permission, organisation subtree, state, version check, audit code).
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import outbox
from portal.permissions import ensure_perm
from portal.selectors import guide_organizations
from portal.workdays import WorkingCalendar
from portal.workflow import Step, Workflow
from requests_app import access
from requests_app.validators import clean_phone

from . import clock, privacy
from .models import (
    MAX_EXTENSION_DAYS,
    ExtensionStatus,
    FileKind,
    Letter,
    LetterFile,
    LetterState,
    Rating,
    RejectCategory,
    Transfer,
    offered_kinds,
)

VIEW = "letters.view_letter"
HANDLE = "letters.handle_letter"
APPROVE = "letters.approve_letter_extension"
PUBLISH = "letters.publish_letter"
REQUEST_HANDLE = "requests_app.handle_request"

MAX_TITLE = 100
MAX_TEXT = 5000
MAX_REASON = 1000

S, A = LetterState.SUBMITTED, LetterState.ACCEPTED


def _extension_askable(letter, user):
    if letter.extension_status:
        return gettext_lazy("每封来信只能申请一次延期。")
    return None


def _extension_pending(letter, user):
    if letter.extension_status != ExtensionStatus.REQUESTED:
        return gettext_lazy("没有待审批的延期申请。")
    return None


def _publishable(letter, user):
    if not letter.publish_consent:
        return gettext_lazy("来信人未同意公开，不能公开。")
    if letter.published:
        return gettext_lazy("该来信已经公开。")
    return None


def _is_published(letter, user):
    return None if letter.published else gettext_lazy("该来信尚未公开。")


def _may_register_requests(letter, user):
    if user is not None and not user.has_perm(REQUEST_HANDLE):
        return gettext_lazy("您没有登记政府信息公开申请的权限。")
    return None


def _not_rated(letter, user):
    return gettext_lazy("您已经评价过本次答复。") if letter.rating else None


# The letter's state machine; nothing else writes ``state``.
WORKFLOW = Workflow(
    Letter,
    noun=gettext_lazy("来信"),
    steps=[
        Step("submit", gettext_lazy("来信"), (), S, None, offered=False),
        # Offered on the request's page (requests_app.links), not the letter's: see letters/forwarding.py.
        Step("forward", gettext_lazy("转为来信"), (), S, HANDLE, offered=False),
        Step("accept", gettext_lazy("受理"), [S], A, HANDLE),
        Step("reply", gettext_lazy("答复"), [A], LetterState.ANSWERED, HANDLE),
        Step("transfer", gettext_lazy("转办"), [S, A], S, HANDLE),
        Step("merge", gettext_lazy("合并重复来信"), [S, A], LetterState.MERGED, HANDLE),
        Step("reject", gettext_lazy("不予受理"), [S, A], LetterState.REJECTED, HANDLE),
        Step("request_extension", gettext_lazy("申请延期"), [A], None, HANDLE, guard=_extension_askable),
        Step("approve_extension", gettext_lazy("批准延期"), [A], None, APPROVE, guard=_extension_pending),
        Step("reject_extension", gettext_lazy("不批准延期"), [A], None, APPROVE, guard=_extension_pending),
        Step(
            "convert",
            gettext_lazy("转为依申请公开"),
            [S, A],
            LetterState.CONVERTED,
            HANDLE,
            guard=_may_register_requests,
        ),
        Step("publish", gettext_lazy("审核公开"), [LetterState.ANSWERED], None, PUBLISH, guard=_publishable),
        Step("unpublish", gettext_lazy("撤销公开"), [LetterState.ANSWERED], None, PUBLISH, guard=_is_published),
        Step("rate", gettext_lazy("评价答复"), [LetterState.ANSWERED], None, None, guard=_not_rated, offered=False),
    ],
)

#: Audit codes that are not steps (registered in ``LettersConfig.ready``).
EXTRA_EVENTS = {
    "remind": gettext_lazy("来信到期提醒"),
    "escalate": gettext_lazy("来信超期报告机构管理员"),
}


def step_label(verb):
    return WORKFLOW.label(verb)


def available_steps(user, letter):
    return [step.verb for step in WORKFLOW.available_steps(user, letter)]


def _text(value, limit, field, label):
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(value) > limit:
        raise ValidationError({field: _("%(label)s过长（最多 %(n)d 字）。") % {"label": label, "n": limit}})
    return value


def _save_files(letter, files, kind):
    for upload in files or ():
        LetterFile.objects.create(
            letter=letter, kind=kind, file=upload, original_name=upload.name[:200], size=upload.size or 0
        )


def _mail_writer(letter, subject, event):
    """Tell the writer something changed; the message names the number only, never the code."""
    if not letter.email:
        return
    body = _(
        "您写给%(mailbox)s的来信（查询号 %(number)s）有新的进展。"
        "请凭查询号和查询码在政务公开网站“互动交流 — 查询来信”中查看。"
    ) % {"mailbox": _mailbox(letter), "number": letter.tracking_number}
    outbox.enqueue(
        recipient=letter.email,
        subject=subject,
        body=body,
        about=letter,
        organization=letter.organization,
        event_key=outbox.event_key("letter", letter.pk, event, letter.version),
    )


def _mailbox(letter):
    from .models import mailbox_name

    return mailbox_name(letter.organization)


def _start_clock(letter, on, calendar=None):
    letter.clock_start = on
    letter.allowed_days = clock.allowed_days(letter.organization, letter.kind)
    letter.due_on = clock.due_date(letter, calendar)


def _new_number():
    for _attempt in range(5):
        number = "XX" + "".join(secrets.choice("0123456789") for _ in range(10))
        if not Letter.objects.filter(tracking_number=number).exists():
            return number
    raise ValidationError(_("系统繁忙，请稍后再试。"))  # pragma: no cover - 10^10 numbers


# --- the citizen's steps -------------------------------------------------------


@transaction.atomic
def submit(*, organization, kind, title, body, name, phone="", email="", publish_consent=False, files=()):
    """A citizen's letter; returns ``(letter, query_code)`` — the code exists nowhere else afterwards."""
    if organization is None or not guide_organizations().filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("请选择信箱。")})
    if kind not in dict(offered_kinds()):
        raise ValidationError({"kind": _("请选择来信类型。")})
    title = _text(title, MAX_TITLE, "title", _("标题"))
    body = _text(body, MAX_TEXT, "body", _("来信内容"))
    name = _text(name, 50, "name", _("姓名"))
    phone = clean_phone(phone) if (phone or "").strip() else ""
    email = (email or "").strip()
    if not phone and not email:
        raise ValidationError({"phone": _("请至少填写联系电话或电子邮箱中的一项，以便答复。")})
    code = access.new_query_code()
    today = clock.today()
    letter = Letter(
        organization=organization,
        tracking_number=_new_number(),
        query_code_hash=access.hash_query_code(code),
        kind=kind,
        title=title,
        body=body,
        name=name,
        phone=phone,
        email=email,
        publish_consent=bool(publish_consent),
        received_on=today,
    )
    _start_clock(letter, today)
    WORKFLOW.perform(None, letter, "submit", kind=kind)
    _save_files(letter, files, FileKind.CITIZEN)
    if email:
        outbox.enqueue(
            recipient=email,
            subject=_("您的来信已提交（查询号 %(number)s）") % {"number": letter.tracking_number},
            body=_(
                "您已向%(mailbox)s来信。\n查询号：%(number)s\n查询码：%(code)s\n\n"
                "请妥善保管查询码，凭查询号和查询码可查看办理情况并评价答复。本机关不会以任何方式向您索要查询码。"
            )
            % {"mailbox": _mailbox(letter), "number": letter.tracking_number, "code": access.format_query_code(code)},
            about=letter,
            organization=organization,
            sensitive=True,
            event_key=outbox.event_key("letter", letter.pk, "submitted"),
        )
    return letter, code


@transaction.atomic
def rate(letter, rating):
    """The writer rates the answer once (the view has checked the query code)."""
    letter = WORKFLOW.begin(None, letter, "rate")
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意度。")})
    letter.rating = rating
    letter.rated_at = timezone.now()
    return WORKFLOW.perform(None, letter, "rate", rating=rating)


# --- the office's steps ----------------------------------------------------------


@transaction.atomic
def accept(actor, letter, *, expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "accept", expected_version=expected_version)
    if letter.handler_id is None and getattr(actor, "is_authenticated", False):
        letter.handler = actor
    WORKFLOW.perform(actor, letter, "accept")
    _mail_writer(letter, _("您的来信已受理"), "accept")
    return letter


@transaction.atomic
def transfer(actor, letter, *, to_organization, reason, expected_version=None):
    """转办: the receiving organisation's own deadline runs from today."""
    letter = WORKFLOW.begin(actor, letter, "transfer", expected_version=expected_version)
    reason = _text(reason, 300, "reason", _("转办理由"))
    if to_organization is None or not guide_organizations().filter(pk=to_organization.pk).exists():
        raise ValidationError({"to_organization": _("请选择转办机构。")})
    if to_organization.pk == letter.organization_id:
        raise ValidationError({"to_organization": _("不能转办给本机构。")})
    today = clock.today()
    Transfer.objects.create(
        letter=letter,
        from_organization=letter.organization,
        to_organization=to_organization,
        reason=reason,
        on=today,
        by=actor,
    )
    from_org = letter.organization
    letter.organization = to_organization
    letter.handler = None
    letter.extension_status, letter.extension_days, letter.extension_reason = ExtensionStatus.NONE, 0, ""
    letter.extension_requested_days = 0
    _start_clock(letter, today)
    WORKFLOW.perform(
        actor, letter, "transfer", comment=reason, from_organization=from_org.pk, to_organization=to_organization.pk
    )
    _mail_writer(letter, _("您的来信已转办"), "transfer")
    return letter


@transaction.atomic
def merge(actor, letter, *, into_number, expected_version=None):
    """A duplicate joins another letter of the same office; its writer sees the other letter's answer."""
    letter = WORKFLOW.begin(actor, letter, "merge", expected_version=expected_version)
    number = access.normalize_tracking_number(into_number)
    target = Letter.objects.filter(tracking_number=number, organization=letter.organization).first()
    if target is None or target.pk == letter.pk:
        raise ValidationError({"into_number": _("请填写本机构另一封来信的查询号。")})
    if target.state in (LetterState.MERGED, LetterState.REJECTED, LetterState.CONVERTED):
        raise ValidationError({"into_number": _("该来信已合并、不予受理或已转办申请，不能作为合并目标。")})
    letter.merged_into = target
    return WORKFLOW.perform(actor, letter, "merge", comment=target.tracking_number)


@transaction.atomic
def reject(actor, letter, *, category, reason, expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "reject", expected_version=expected_version)
    if category not in RejectCategory.values:
        raise ValidationError({"category": _("请选择不予受理的类别。")})
    letter.reject_category = category
    letter.reject_reason = _text(reason, MAX_REASON, "reason", _("不予受理理由"))
    letter.replied_on = clock.today()
    WORKFLOW.perform(actor, letter, "reject", comment=letter.reject_reason, category=category)
    _mail_writer(letter, _("您的来信未予受理"), "reject")
    return letter


@transaction.atomic
def reply(actor, letter, *, text, files=(), expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "reply", expected_version=expected_version)
    letter.reply = _text(text, MAX_TEXT, "text", _("答复内容"))
    today = clock.today()
    letter.replied_on = today
    letter.replied_by = actor
    letter.days_taken = clock.working_days_taken(letter, today)
    WORKFLOW.perform(actor, letter, "reply", on_time=letter.on_time)
    _save_files(letter, files, FileKind.REPLY)
    _mail_writer(letter, _("您的来信已答复"), "reply")
    return letter


@transaction.atomic
def request_extension(actor, letter, *, days, reason, expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "request_extension", expected_version=expected_version)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("延长期限应为 1 至 %(n)d 个工作日。") % {"n": MAX_EXTENSION_DAYS}})
    letter.extension_reason = _text(reason, MAX_REASON, "reason", _("延期理由"))
    letter.extension_requested_days = days
    letter.extension_status = ExtensionStatus.REQUESTED
    return WORKFLOW.perform(actor, letter, "request_extension", comment=letter.extension_reason, days=days)


@transaction.atomic
def approve_extension(actor, letter, *, comment="", expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "approve_extension", expected_version=expected_version)
    letter.extension_status = ExtensionStatus.APPROVED
    letter.extension_days = letter.extension_requested_days
    letter.due_on = clock.due_date(letter)
    WORKFLOW.perform(actor, letter, "approve_extension", comment=(comment or "")[:300], days=letter.extension_days)
    _mail_writer(letter, _("您的来信答复期限已延长"), "extension")
    return letter


@transaction.atomic
def reject_extension(actor, letter, *, comment="", expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "reject_extension", expected_version=expected_version)
    letter.extension_status = ExtensionStatus.REJECTED
    return WORKFLOW.perform(actor, letter, "reject_extension", comment=(comment or "")[:300])


@transaction.atomic
def publish(actor, letter, *, public_title="", public_body="", public_reply="", expected_version=None):
    """Approve publication: the masked texts (edited by the officer, masked again) are what the public sees."""
    letter = WORKFLOW.begin(actor, letter, "publish", expected_version=expected_version)
    name = letter.name
    letter.public_title = privacy.mask_text(public_title.strip() or letter.title, name=name)[:MAX_TITLE]
    letter.public_body = privacy.mask_text(public_body.strip() or letter.body, name=name)[:MAX_TEXT]
    letter.public_reply = privacy.mask_text(public_reply.strip() or letter.reply, name=name)[:MAX_TEXT]
    letter.published = True
    letter.published_on = clock.today()
    return WORKFLOW.perform(actor, letter, "publish")


@transaction.atomic
def unpublish(actor, letter, *, reason, expected_version=None):
    letter = WORKFLOW.begin(actor, letter, "unpublish", expected_version=expected_version)
    reason = _text(reason, 300, "reason", _("撤销理由"))
    letter.published = False
    return WORKFLOW.perform(actor, letter, "unpublish", comment=reason)


def masked_preview(letter):
    """What publishing would show, for the officer to check before approving."""
    name = letter.name
    return {
        "title": privacy.mask_text(letter.title, name=name),
        "body": privacy.mask_text(letter.body, name=name),
        "reply": privacy.mask_text(letter.reply, name=name),
        "name": privacy.mask_person_name(name),
    }


# --- a letter that is really an information request ------------------------------


@transaction.atomic
def convert_to_request(actor, letter, *, expected_version=None, **applicant):
    """Register the letter as an information request of the same office, received the day the letter was.

    The officer supplies what the letter lacks (category, ID, form and delivery); the
    request is created by ``requests_app.services.intake`` and the letter keeps the link.
    Returns ``(letter, request, query_code)``: the request's code, to hand to the writer.
    """
    ensure_perm(actor, REQUEST_HANDLE)
    letter = WORKFLOW.begin(actor, letter, "convert", expected_version=expected_version)
    from requests_app import services as request_services

    data = {
        "applicant_name": letter.name,
        "phone": letter.phone,
        "email": letter.email,
        "description": f"{letter.title}\n{letter.body}"[:5000],
        **{k: v for k, v in applicant.items() if v or k not in ("phone",)},
    }
    req, code = request_services.intake(
        actor, letter.organization, channel="online", receipt_date=letter.received_on, **data
    )
    letter.converted_request = req
    WORKFLOW.perform(actor, letter, "convert", comment=req.tracking_number, request_id=req.pk)
    if letter.email:
        outbox.enqueue(
            recipient=letter.email,
            subject=_("您的来信已转为政府信息公开申请办理"),
            body=_(
                "您的来信（查询号 %(letter)s）属于政府信息公开申请，已按申请登记办理，收到日期为来信之日。\n"
                "申请查询号：%(number)s\n申请查询码：%(code)s\n"
                "请凭申请查询号和查询码在“依申请公开 — 查询办理进度”中查看。"
            )
            % {"letter": letter.tracking_number, "number": req.tracking_number, "code": access.format_query_code(code)},
            about=letter,
            organization=letter.organization,
            sensitive=True,
            event_key=outbox.event_key("letter", letter.pk, "converted"),
        )
    return letter, req, code


# --- background -----------------------------------------------------------------


def refresh_deadlines(on=None):
    """Recompute the due date of every open letter (a corrected holiday schedule moves them)."""
    calendar = WorkingCalendar()
    changed = 0
    for letter in Letter.objects.open().only("pk", "clock_start", "allowed_days", "extension_days", "due_on"):
        due = clock.due_date(letter, calendar)
        if due != letter.due_on:
            Letter.objects.filter(pk=letter.pk).update(due_on=due)
            changed += 1
    return changed
