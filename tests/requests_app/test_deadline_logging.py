"""The daily deadline job never drops a refusal silently: it is logged with the request's number."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError

from requests_app import services
from requests_app.models import PauseReason

D = dt.date


def test_a_refused_step_is_logged_with_the_number_and_the_others_still_run(
    in_handling, county, today, caplog, monkeypatch
):
    stuck = in_handling(D(2026, 6, 1))
    fine = in_handling(D(2026, 6, 1))
    for req in (stuck, fine):
        services.start_consultation(county.officer, req, reason=PauseReason.THIRD_PARTY, party="某公司")
    deadline = stuck.segments.get(ends_on__isnull=True).deadline
    today(deadline + dt.timedelta(days=3))
    real = services.end_consultation

    def end_consultation(actor, request, **kwargs):
        if request.pk == stuck.pk:
            raise ValidationError("该申请已被他人修改，请刷新后重试。")
        return real(actor, request, **kwargs)

    monkeypatch.setattr(services, "end_consultation", end_consultation)
    with caplog.at_level(logging.WARNING, logger="requests_app.services"):
        counts = services.process_deadlines()
    assert counts["third_party_lapsed"] == 1
    fine.refresh_from_db()
    assert not fine.clock.paused
    record = next(r for r in caplog.records if r.name == "requests_app.services")
    assert record.levelno == logging.WARNING
    assert stuck.tracking_number in record.getMessage() and "已被他人修改" in record.getMessage()
