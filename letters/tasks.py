"""Scheduled jobs of the letters mailbox (Celery beat; see CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def send_letter_reminders():
    """Working mornings: refresh due dates, remind of letters due soon, report overdue ones (each event once)."""
    from . import reminders, services

    refreshed = services.refresh_deadlines()
    queued, already = reminders.queue_reminders()
    log.info("send_letter_reminders: %d due dates moved, %d queued, %d already recorded", refreshed, queued, already)
    return {"refreshed": refreshed, "queued": queued, "already": already}
