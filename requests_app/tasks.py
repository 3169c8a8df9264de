"""Scheduled jobs of information requests (Celery beat; see CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def process_request_deadlines():
    """Daily: close unsupplemented and unpaid requests, resume the clock of silent third parties."""
    from . import services

    counts = services.process_deadlines()
    log.info("process_request_deadlines: %s", counts)
    return counts


@shared_task
def send_request_reminders():
    """Working mornings: record the reminders due today (each due event once) for the outbox to send."""
    from . import reminders

    queued, already = reminders.queue_reminders()
    log.info("send_request_reminders: %d queued, %d already recorded", queued, already)
    return {"queued": queued, "already": already}
