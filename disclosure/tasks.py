"""Scheduled jobs of disclosure items (Celery beat; see CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def publish_scheduled():
    """Every minute: publish the items whose 发布日期 has come (subscribers' notices go to the outbox)."""
    from . import services

    published = services.publish_due()
    if published:
        log.info("publish_scheduled: published %s", ", ".join(i.index_number for i in published))
    return len(published)
