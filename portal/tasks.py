"""Celery tasks of the core: delivering the outbox."""

from celery import shared_task

from . import outbox


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver(self, message_id):
    """Deliver one outbox message; on failure, come back after the message's back-off.

    The row counts the attempts and decides when to give up (OUTBOX_MAX_ATTEMPTS),
    so Celery's own retry limit is off; a retry that arrives early finds the
    message not yet due and does nothing (flush_outbox picks it up later).
    """
    attempt = outbox.deliver(message_id)
    if attempt.outcome == "retry" and not self.request.is_eager:
        raise self.retry(countdown=attempt.countdown)
    return attempt.outcome


@shared_task
def flush_outbox():
    """Every minute (beat): hand over messages left pending (broker was down, retry lost, worker died)."""
    reclaimed, handed = outbox.flush()
    return {"reclaimed": reclaimed, "handed_over": handed}
