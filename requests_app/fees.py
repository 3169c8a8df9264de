"""The information-processing fee (信息处理费) of 国办函〔2020〕109号.

Both schedules are progressive (超额累进): each tier's rate applies to the part
that falls in it. An agency picks **one** basis per application, never both,
and charging at all is optional per organisation (:class:`RequestSettings`).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

FREE_APPLICATIONS_PER_MONTH = 10
FREE_PAGES = 30
# (first page of the tier, last page or None, yuan per page)
VOLUME_TIERS = ((31, 100, 10), (101, 200, 20), (201, None, 40))


def per_application_fee(nth: int) -> Decimal:
    """Fee for an applicant's ``nth`` application to the same agency in one calendar month.

    1–10 free; 11–30: 100 元 each; from the 31st the rate rises by 100 元 for
    every further block of ten (31–40: 200 元, 41–50: 300 元, …).
    """
    if nth < 1:
        raise ValueError("nth starts at 1")
    if nth <= FREE_APPLICATIONS_PER_MONTH:
        return Decimal(0)
    if nth <= 30:
        return Decimal(100)
    return Decimal(100 * (2 + (nth - 31) // 10))


def per_volume_fee(pages: int) -> Decimal:
    """Fee for one application by pages: the first 30 free, then 10/20/40 元 per page by tier."""
    if pages < 0:
        raise ValueError("pages cannot be negative")
    total = 0
    for first, last, rate in VOLUME_TIERS:
        upper = pages if last is None else min(pages, last)
        if upper >= first:
            total += (upper - first + 1) * rate
    return Decimal(total)


def describe_per_application(nth: int) -> str:
    return _("同一申请人本自然月内向本机关提出的第%(nth)d件申请，按件计收 %(fee)s 元") % {
        "nth": nth,
        "fee": per_application_fee(nth),
    }


def describe_per_volume(pages: int) -> str:
    parts = []
    for first, last, rate in VOLUME_TIERS:
        upper = pages if last is None else min(pages, last)
        if upper >= first:
            parts.append(
                _("第%(first)d—%(last)d页 %(count)d页×%(rate)d元")
                % {"first": first, "last": upper, "count": upper - first + 1, "rate": rate}
            )
    if not parts:
        return _("共%(pages)d页，30页以内不收费") % {"pages": pages}
    return _("共%(pages)d页：前30页不收费；%(parts)s；合计 %(fee)s 元") % {
        "pages": pages,
        "parts": "；".join(parts),
        "fee": per_volume_fee(pages),
    }
