"""The information-processing fee (国办函〔2020〕109号): charged once, on one basis, paused until paid.

The tariffs are in :mod:`requests_app.fees`; these are the steps. The applicant has 20
working days to pay; unpaid, the application is no longer handled (annual report 其他处理 2).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.workdays import WorkingCalendar

from .. import clock, fees
from ..models import FeeBasis, NoticeKind, Outcome, PauseReason, Request
from .notices import format_date, issue_notice
from .reply import conclude
from .workflow import begin, check_date, open_pause, pause, perform, resume, today

# The fee column holds at most 99,999,999.99 元; no reply is a million pages long.
MAX_FEE_PAGES = 1_000_000


def applications_in_month(req: Request) -> int | None:
    """This applicant's position among its applications to the same agency in the receipt month."""
    if req.receipt_date is None:
        return None
    same = Request.objects.filter(
        organization=req.organization,
        id_type=req.id_type,
        id_number=req.id_number,
        receipt_date__year=req.receipt_date.year,
        receipt_date__month=req.receipt_date.month,
    )
    return (
        same.filter(receipt_date__lt=req.receipt_date).count()
        + same.filter(receipt_date=req.receipt_date, pk__lte=req.pk).count()
    )


def assess_fee(req: Request, basis: str, pages=None) -> tuple[Decimal, str, int | None]:
    """Return (amount, detail text, month count) for one basis, without changing anything."""
    if basis == FeeBasis.PER_APPLICATION:
        nth = applications_in_month(req)
        return fees.per_application_fee(nth), fees.describe_per_application(nth), nth
    if basis == FeeBasis.PER_VOLUME:
        try:
            pages = int(pages)
        except (TypeError, ValueError):
            raise ValidationError({"pages": _("按量计收请填写页数。")}) from None
        if pages < 0:
            raise ValidationError({"pages": _("页数不能为负数。")})
        if pages > MAX_FEE_PAGES:
            raise ValidationError({"pages": _("页数不能超过%(n)s。") % {"n": MAX_FEE_PAGES}})
        return fees.per_volume_fee(pages), fees.describe_per_volume(pages), None
    raise ValidationError({"basis": _("请选择按件计收或按量计收（只能选择一种）。")})


@transaction.atomic
def issue_fee_notice(
    actor, request, *, basis: str, pages=None, on: dt.date | None = None, expected_version=None
) -> Request:
    """Charge the information-processing fee, on one basis; the clock pauses until payment."""
    req = begin(actor, request, "issue_fee_notice", expected_version=expected_version)
    amount, detail, nth = assess_fee(req, basis, pages)
    if amount <= Decimal(0):
        raise ValidationError(_("按所选标准本申请不收费（%(detail)s）。") % {"detail": detail})
    on = today(on)
    check_date(on, not_before=req.receipt_date)
    deadline = WorkingCalendar().add_working_days(on, clock.FEE_PAYMENT_WORKING_DAYS)
    req.fee_basis, req.fee_amount, req.fee_notice_on, req.fee_month_count = basis, amount, on, nth
    req.fee_pages = int(pages) if basis == FeeBasis.PER_VOLUME else None
    pause(req, PauseReason.FEE, on, deadline=deadline)
    perform(actor, req, "issue_fee_notice", comment=detail)
    issue_notice(
        actor,
        req,
        NoticeKind.FEE,
        on=on,
        fee_basis=FeeBasis(basis).label,
        fee_amount=amount,
        fee_detail=detail,
        fee_deadline=format_date(deadline),
    )
    return req


@transaction.atomic
def record_fee_payment(actor, request, *, on: dt.date | None = None, expected_version=None) -> Request:
    req = begin(actor, request, "record_fee_payment", expected_version=expected_version)
    on = today(on)
    check_date(on, not_before=req.fee_notice_on, label=_("缴费日期"))
    resume(req, (PauseReason.FEE,), on)
    req.fee_paid_on = on
    return perform(actor, req, "record_fee_payment", comment=str(on))


@transaction.atomic
def close_unpaid(actor, request, *, on: dt.date | None = None, expected_version=None) -> Request:
    """The fee was not paid in time: the application is no longer handled (其他处理 2)."""
    req = begin(actor, request, "close_unpaid", expected_version=expected_version)
    seg = open_pause(req)
    on = today(on)
    if on <= seg.deadline:
        raise ValidationError(_("缴费期限 %(date)s 尚未届满。") % {"date": seg.deadline})
    return conclude(
        actor,
        req,
        "close_unpaid",
        Outcome.OTHER_FEE_UNPAID,
        on,
        termination_reason=_(
            "本机关已于%(date)s向您发出收费通知，您逾期未按收费通知要求缴纳费用，本机关不再处理该政府信息公开申请。"
        )
        % {"date": format_date(req.fee_notice_on)},
    )
