"""The formal notices (文书) the steps issue, their numbers, the applicant's mail, and delivery.

A notice is the legal act the applicant receives (回执, 补正告知书, 延期告知书, 收费通知书, 答复
告知书…); its document number comes from a gapless counter per organisation and year, and its
delivery (送达) is recorded because the time limits for reconsideration and litigation run
from it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import outbox, sequences
from portal.actors import recorded_actor

from .. import clock
from .. import notices as templates
from ..models import Counter, DeliveryMethod, Notice, NoticeDelivery, NoticeKind, Request
from .workflow import WORKFLOW, begin, perform, settings_for


def next_number(organization, year: int, series: str) -> int:
    """Take the next number of a series under a row lock: gapless and unique under concurrency."""
    return sequences.take_next(Counter, field="last", organization=organization, year=year, series=series)


def format_registration_number(year: int, serial: int) -> str:
    return f"〔{year}〕第{serial:04d}号"


def format_date(value) -> str:
    """A date as the notices write it: 2026年6月1日."""
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _notice_values(req, **extra) -> dict:
    org = req.organization
    org_settings = settings_for(org)
    state = clock.compute(req)
    values = {
        "applicant_name": req.applicant_name,
        "organization": org.name,
        "organization_address": org.office_address,
        "organization_phone": org.office_phone,
        "tracking_number": req.tracking_number,
        "registration_number": req.registration_number,
        "receipt_date": format_date(req.receipt_date),
        "description": req.description,
        "form_wanted": req.get_form_wanted_display(),
        "delivery_method": req.get_delivery_method_display(),
        "due_date": format_date(state.due_date),
        "original_due_date": format_date(state.original_due_date),
        "today": format_date(clock.today()),
        "reconsideration_body": org_settings.reconsideration_body
        or (org.parent.name if org.parent_id else _("上一级行政机关")),
        "court": org_settings.court or _("有管辖权的人民法院"),
    }
    values.update(extra)
    return values


def issue_notice(actor, req: Request, kind: str, *, on: dt.date, recipient: str = "", **values) -> Notice:
    """Render, number and store one notice of a step; online applicants receive it on the status page."""
    org = req.organization
    title, body = templates.render(kind, org, _notice_values(req, **values))
    prefix = settings_for(org).document_prefix or (org.short_name or org.name) + _("依申请公开")
    serial = next_number(org, on.year, "notice")
    notice = Notice.objects.create(
        request=req,
        kind=kind,
        title=title,
        body=body,
        issued_on=on,
        document_number=f"{prefix}〔{on.year}〕{serial}号",
        created_by=recorded_actor(actor),
        recipient=recipient or req.applicant_name,
    )
    if kind != NoticeKind.THIRD_PARTY and req.delivery_method == DeliveryMethod.ONLINE:
        # The applicant asked to receive online: the status page is the delivery.
        notice.delivered_at = timezone.now()
        notice.delivery_method = NoticeDelivery.ONLINE
        notice.save(update_fields=["delivered_at", "delivery_method"])
    if kind != NoticeKind.THIRD_PARTY and req.email:
        mail_applicant(
            req, _("您的政府信息公开申请有新的文书：%(title)s") % {"title": title}, event=f"notice:{notice.pk}"
        )
    WORKFLOW.record(actor, req, "issue_notice", comment=f"{title} {notice.document_number}")
    return notice


def mail_applicant(req: Request, subject: str, *, event: str) -> None:
    """Tell the applicant something changed; the message carries no personal data and no code.

    Recorded in the outbox with the step (``event``: one message per notice),
    delivered by the worker after the step commits.
    """
    body = _(
        "您提交给%(org)s的政府信息公开申请（查询号 %(number)s）有新的进展。"
        "请凭查询号和查询码在政务公开网站“依申请公开 — 查询办理进度”中查看。"
    ) % {"org": req.organization.name, "number": req.tracking_number}
    outbox.enqueue(
        recipient=req.email,
        subject=subject,
        body=body,
        about=req,
        organization=req.organization,
        event_key=outbox.event_key("request", req.pk, event),
    )


@transaction.atomic
def deliver_notice(
    actor, notice: Notice, *, method: str, delivered_at: dt.datetime | None = None, note: str = ""
) -> Notice:
    """Record when and how a notice reached its recipient: the evidence if the reply is challenged."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    req = begin(actor, notice.request_id, "deliver_notice")
    if notice.delivered_at is not None:
        raise ValidationError(
            _("该文书已于 %(at)s 登记送达。")
            % {"at": timezone.localtime(notice.delivered_at).strftime("%Y-%m-%d %H:%M")}
        )
    if method not in NoticeDelivery.values:
        raise ValidationError({"method": _("请选择送达方式。")})
    delivered_at = delivered_at or timezone.now()
    if delivered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"delivered_at": _("送达时间不能晚于现在。")})
    if timezone.localdate(delivered_at) < notice.issued_on:
        raise ValidationError({"delivered_at": _("送达时间不能早于制发日期。")})
    notice.delivered_at, notice.delivery_method, notice.delivery_note = delivered_at, method, (note or "")[:200]
    notice.save(update_fields=["delivered_at", "delivery_method", "delivery_note"])
    perform(
        actor,
        req,
        "deliver_notice",
        comment=f"{notice.title} {notice.document_number}：{notice.get_delivery_method_display()}",
    )
    notice.request = req
    return notice
