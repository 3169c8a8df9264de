"""The daily deadline job: lapsed supplements, unpaid fees, third parties who stayed silent."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import ClockSegment, PauseReason, Request, SegmentKind, Status
from .workflow import today

# The package's name: operators filter the job's warnings on it (it predates the split).
logger = logging.getLogger("requests_app.services")


def process_deadlines(on: dt.date | None = None) -> dict[str, int]:
    """What the daily command does; returns counts. Each request is handled in its own transaction."""
    # The steps are looked up on the package at call time, so a test can stand in for one.
    from requests_app import services

    on = today(on)
    counts = {"not_supplemented": 0, "fee_unpaid": 0, "third_party_lapsed": 0}
    for req in Request.objects.filter(status=Status.SUPPLEMENT_REQUESTED, supplement_deadline__lt=on):
        try:
            services.close_unsupplemented(None, req, on=on)
            counts["not_supplemented"] += 1
        except ValidationError as exc:
            # Skipped, not lost: the next run tries again, and staff can see why in the log.
            logger.warning(
                "process_deadlines: request %s not closed as unsupplemented: %s",
                req.tracking_number,
                " ".join(exc.messages),
            )
    open_pauses = ClockSegment.objects.filter(
        ends_on__isnull=True,
        kind=SegmentKind.PAUSED,
        deadline__lt=on,
        request__status=Status.IN_HANDLING,
    ).select_related("request")
    for seg in open_pauses:
        try:
            if seg.reason == PauseReason.FEE:
                services.close_unpaid(None, seg.request, on=on)
                counts["fee_unpaid"] += 1
            elif seg.reason == PauseReason.THIRD_PARTY:
                # Silence for 15 working days: the agency decides, and the clock runs from the deadline.
                services.end_consultation(None, seg.request, on=seg.deadline, note=_("第三方逾期未提出意见"))
                counts["third_party_lapsed"] += 1
        except ValidationError as exc:
            logger.warning(
                "process_deadlines: request %s, lapsed %s pause not handled: %s",
                seg.request.tracking_number,
                seg.reason,
                " ".join(exc.messages),
            )
    return counts
