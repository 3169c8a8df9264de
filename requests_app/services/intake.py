"""A request arrives: online (Art 29), or on paper, by post, fax or in person, and is registered.

The receipt date (Art 31) starts the 20 working days: in person the day handed in; post the
day signed for; fax and online the day both sides confirm. Registration numbers are gapless
per organisation and year, so the register (登记台账) shows any missing number.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import outbox
from portal.permissions import ensure_org_access, ensure_perm

from .. import access, clock
from ..models import ApplicantCategory, Channel, ClockSegment, DeliveryMethod, IdType, NoticeKind, Request, SegmentKind
from ..validators import clean_id_number, clean_phone
from .notices import format_registration_number, issue_notice, next_number
from .workflow import HANDLE, begin, check_date, perform

# The event key suffix of the confirmation mail of an online application (the status page reports it).
SUBMITTED_MAIL = "submitted"

APPLICANT_FIELDS = (
    "applicant_category",
    "applicant_name",
    "id_type",
    "id_number",
    "phone",
    "email",
    "address",
    "postcode",
    "contact_person",
    "description",
    "purpose",
    "form_wanted",
    "delivery_method",
)

_REQUIRED = (
    "applicant_category",
    "applicant_name",
    "id_type",
    "id_number",
    "phone",
    "description",
    "form_wanted",
    "delivery_method",
)


def _clean_applicant(data):
    unknown = set(data) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    missing = [Request._meta.get_field(f).verbose_name for f in _REQUIRED if not cleaned.get(f)]
    if missing:
        raise ValidationError(_("请填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)})
    if cleaned["applicant_category"] not in ApplicantCategory.values or cleaned["id_type"] not in IdType.values:
        raise ValidationError(_("申请人类别或证件类型无效。"))
    cleaned["id_number"] = clean_id_number(cleaned["applicant_category"], cleaned["id_type"], cleaned["id_number"])
    cleaned["phone"] = clean_phone(cleaned["phone"])
    if cleaned["delivery_method"] == DeliveryMethod.EMAIL and not cleaned.get("email"):
        raise ValidationError({"email": _("选择电子邮件获取信息时，请填写电子邮箱。")})
    if cleaned["delivery_method"] == DeliveryMethod.POST and not cleaned.get("address"):
        raise ValidationError({"address": _("选择邮寄获取信息时，请填写通信地址。")})
    return cleaned


def _new_request(organization, channel, cleaned):
    """The request, not yet saved (its first step saves it), and its query code."""
    for _attempt in range(5):
        number = access.new_tracking_number()
        if not Request.objects.filter(tracking_number=number).exists():
            break
    code = access.new_query_code()
    req = Request(
        organization=organization,
        channel=channel,
        tracking_number=number,
        query_code_hash=access.hash_query_code(code),
        **cleaned,
    )
    return req, code


def _accepting(organization):
    from portal.selectors import guide_organizations

    if organization is None or not guide_organizations().filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("请选择受理机关。")})


@transaction.atomic
def submit_online(*, organization, **data) -> tuple[Request, str]:
    """A citizen's online application: received, waiting for the office to confirm (Art 31).

    Returns ``(request, query_code)``; the code exists nowhere else afterwards.
    """
    _accepting(organization)
    cleaned = _clean_applicant(data)
    req, code = _new_request(organization, Channel.ONLINE, cleaned)
    perform(None, req, "submit", comment=_("网上申请"))
    if req.email:
        subject = _("您的政府信息公开申请已提交（查询号 %(number)s）") % {"number": req.tracking_number}
        body = _(
            "您已向%(org)s提交政府信息公开申请。\n查询号：%(number)s\n查询码：%(code)s\n\n"
            "请妥善保管查询码，凭查询号和查询码可在政务公开网站查看办理进度、补正材料或撤回申请。"
            "本机关不会以任何方式向您索要查询码。"
        ) % {"org": organization.name, "number": req.tracking_number, "code": access.format_query_code(code)}
        # The code is in this body only: the outbox erases it once the message is sent.
        outbox.enqueue(
            recipient=req.email,
            subject=subject,
            body=body,
            about=req,
            organization=organization,
            sensitive=True,
            event_key=outbox.event_key("request", req.pk, SUBMITTED_MAIL),
        )
    return req, code


@transaction.atomic
def intake(actor, organization, *, channel: str, receipt_date: dt.date, **data) -> tuple[Request, str]:
    """Staff register a paper, post, fax or in-person application; it is registered at once.

    ``receipt_date`` follows Art 31: in person the day handed in; post the day
    signed for (ordinary mail: the day receipt is confirmed with the
    applicant); fax and online the day both sides confirm.
    """
    ensure_perm(actor, HANDLE)
    ensure_org_access(actor, organization)
    _accepting(organization)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择申请渠道。")})
    if not isinstance(receipt_date, dt.date):
        raise ValidationError({"receipt_date": _("请填写收到申请日期。")})
    if receipt_date > clock.today():
        raise ValidationError({"receipt_date": _("收到申请日期不能晚于今天。")})
    cleaned = _clean_applicant(data)
    req, code = _new_request(organization, channel, cleaned)
    req.received_by = actor
    perform(
        actor,
        req,
        "intake",
        comment=_("%(channel)s，收到日期 %(date)s") % {"channel": req.get_channel_display(), "date": receipt_date},
    )
    _register(actor, req, receipt_date)
    return req, code


def _register(actor, req, receipt_date):
    year = receipt_date.year
    serial = next_number(req.organization, year, "registration")
    req.registration_year, req.registration_serial = year, serial
    req.registration_number = format_registration_number(year, serial)
    req.receipt_date = receipt_date
    if req.received_by_id is None and getattr(actor, "is_authenticated", False):
        req.received_by = actor
    ClockSegment.objects.create(request=req, kind=SegmentKind.RUNNING, starts_on=receipt_date)
    perform(
        actor,
        req,
        "register",
        comment=_("登记号 %(n)s，收到日期 %(d)s") % {"n": req.registration_number, "d": receipt_date},
    )
    issue_notice(actor, req, NoticeKind.ACKNOWLEDGEMENT, on=receipt_date)
    return req


@transaction.atomic
def register(actor, request, *, receipt_date: dt.date | None = None, expected_version=None) -> Request:
    """Confirm an online application: the confirmation day is its receipt date (Art 31)."""
    req = begin(actor, request, "register", expected_version=expected_version)
    receipt_date = receipt_date or clock.today()
    check_date(receipt_date, not_before=timezone.localdate(req.submitted_at), label=_("收到申请日期"))
    return _register(actor, req, receipt_date)


@transaction.atomic
def begin_review(actor, request, *, expected_version=None) -> Request:
    req = begin(actor, request, "begin_review", expected_version=expected_version)
    return perform(actor, req, "begin_review")
