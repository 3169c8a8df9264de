"""The outbox: every message the portal sends goes through here (issue 8).

Why: mail sent inside a web request turned a dead or hanging mail server into
a 500 for the citizen (after the application was already written) and for the
reviewer (after the item was already published), and nothing recorded what was
sent. So a service only *records* the message, in the same transaction as the
change (:func:`enqueue`), and hands its delivery to a Celery worker once that
transaction has committed. The worker claims the row with one conditional
UPDATE (pending → sending), so however many workers receive the task, exactly
one sends it; a failure is retried with exponential back-off and, after the
last attempt, recorded as 发送失败 with the error, for staff to 重新发送.

If the broker cannot be reached when the change commits, the row simply stays
pending: the beat task ``flush_outbox`` hands over every pending message that is
due, every minute.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MessageChannel, MessageStatus, OutboundMessage
from .permissions import ensure_org_access, ensure_perm, organization_scope
from .workflow import Step, Workflow

log = logging.getLogger(__name__)

RESEND = "portal.resend_outboundmessage"
VIEW = "portal.view_outboundmessage"
# Rows whose hand-over or scheduled retry should have happened this long ago are handed over again.
FLUSH_GRACE = dt.timedelta(seconds=30)
FLUSH_BATCH = 500
_KEY_LENGTH = OutboundMessage._meta.get_field("event_key").max_length


def event_key(*parts):
    """``a:b:c`` from the parts; a key longer than the column keeps its head and a hash of the whole."""
    key = ":".join(str(p) for p in parts)
    if len(key) > _KEY_LENGTH:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        key = key[: _KEY_LENGTH - 33] + ":" + digest
    return key


def address_key(address):
    """A short stable stand-in for an address in an event key (keys are shown to staff, addresses are not)."""
    return hashlib.sha256((address or "").strip().lower().encode()).hexdigest()[:16]


def mask_address(address):
    """``c***@example.invalid``: enough for staff to tell messages apart, not to read an address off."""
    local, at, domain = (address or "").partition("@")
    if not at:
        return (local[:1] + "***") if local else ""
    return f"{local[:1]}***@{domain}"


def enqueue(
    *, recipient, subject, body, event_key, about=None, organization=None, sensitive=False, channel=MessageChannel.EMAIL
):
    """Record one message for ``event_key`` and deliver it after the surrounding transaction commits.

    Call it inside the transaction of the change the message is about: a
    rolled-back change leaves no message. A second call with the same key does
    nothing and returns ``None`` (the event was already recorded). ``sensitive``
    marks a body holding a secret (the query code): it is erased once sent.
    """
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    if OutboundMessage.objects.filter(event_key=event_key).exists():
        return None
    fields = {
        "channel": channel,
        "recipient": recipient,
        "subject": str(subject)[:255],
        "body": str(body),
        "event_key": event_key,
        "sensitive": sensitive,
        "organization": organization,
        "next_attempt_at": timezone.now(),
    }
    if about is not None:
        fields["content_type"] = ContentType.objects.get_for_model(about, for_concrete_model=False)
        fields["object_id"] = str(about.pk)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin must not break the caller's transaction
            message = OutboundMessage.objects.create(**fields)
    except IntegrityError:
        return None
    pk = message.pk
    transaction.on_commit(lambda: hand_over([pk]), robust=True)
    return message


def hand_over(ids):
    """Publish one delivery task per message; if the broker is unreachable, leave them to ``flush_outbox``.

    Never raises: this runs right after a citizen's or an official's change
    committed, and their page must show the result whatever the broker does.
    """
    from .tasks import deliver

    handed = 0
    for pk in ids:
        try:
            deliver.apply_async((pk,))
        except Exception as exc:  # kombu.exceptions.OperationalError and friends
            log.warning(
                "outbox: broker unreachable, %d message(s) left pending for flush_outbox: %s", len(ids) - handed, exc
            )
            break
        handed += 1
    return handed


@dataclasses.dataclass(frozen=True)
class Attempt:
    """What one :func:`deliver` call did: ``sent``, ``retry`` (in ``countdown`` seconds), ``failed`` or ``skipped``."""

    outcome: str
    countdown: float | None = None
    error: str = ""


def backoff(attempts):
    """Seconds to wait after the ``attempts``-th failed try: base, 2×base, 4×base … capped."""
    return get_exponential_backoff_interval(
        factor=settings.OUTBOX_RETRY_BASE,
        retries=max(attempts - 1, 0),
        maximum=settings.OUTBOX_RETRY_MAX,
        full_jitter=False,
    )


def _send(message):
    if message.channel != MessageChannel.EMAIL:
        raise ValueError(f"no delivery for channel {message.channel!r}")
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    EmailMessage(message.subject, message.body, None, [message.recipient], connection=connection).send()


def deliver(message_id):
    """Send one message if it is pending and due; safe to call any number of times, from any number of workers.

    The conditional UPDATE is the claim: of two workers running this at once,
    one changes the row and sends, the other changes nothing and skips.
    """
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message_id,
        status=MessageStatus.PENDING,
        next_attempt_at__lte=now,
    ).update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now)
    if not claimed:
        return Attempt("skipped")
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        _send(message)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        done = timezone.now()
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            OutboundMessage.objects.filter(pk=message_id).update(
                status=MessageStatus.FAILED, last_error=error, updated_at=done
            )
            log.error(
                "outbox: message %s (%s) failed after %d attempts: %s",
                message_id,
                message.event_key,
                message.attempts,
                error,
            )
            return Attempt("failed", error=error)
        countdown = backoff(message.attempts)
        OutboundMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.PENDING,
            last_error=error,
            updated_at=done,
            next_attempt_at=done + dt.timedelta(seconds=countdown),
        )
        log.warning(
            "outbox: message %s (%s) attempt %d failed, next in %ss: %s",
            message_id,
            message.event_key,
            message.attempts,
            countdown,
            error,
        )
        return Attempt("retry", countdown=countdown, error=error)
    done = timezone.now()
    fields = {"status": MessageStatus.SENT, "sent_at": done, "updated_at": done, "last_error": ""}
    if message.sensitive:
        fields["body"] = ""
    OutboundMessage.objects.filter(pk=message_id).update(**fields)
    log.info("outbox: message %s (%s) sent", message_id, message.event_key)
    return Attempt("sent")


def deliver_due(limit=None):
    """Deliver, in this process, every pending message that is due; returns the :class:`Attempt` list.

    The worker's code without the worker: for ``manage.py`` triggers and tests.
    """
    ids = list(
        OutboundMessage.objects.filter(
            status=MessageStatus.PENDING,
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return [deliver(pk) for pk in ids]


def flush(now=None):
    """The beat task: put back messages of a worker that died mid-send, hand over what is due.

    Returns ``(reclaimed, handed_over)``.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.OUTBOX_STALE_AFTER)
    reclaimed = OutboundMessage.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=stale).update(
        status=MessageStatus.PENDING,
        next_attempt_at=now,
        updated_at=now,
        last_error=_("发送过程中断（处理进程退出），已重新排队。"),
    )
    if reclaimed:
        log.warning("outbox: %d message(s) interrupted mid-send put back in the queue", reclaimed)
    ids = list(
        OutboundMessage.objects.filter(
            status=MessageStatus.PENDING,
            next_attempt_at__lte=now - FLUSH_GRACE,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:FLUSH_BATCH]
    )
    return reclaimed, hand_over(ids)


# --- staff: what is waiting or failed, and 重新发送 ----------------------------------


def visible_to(user):
    """Messages ``user`` may see: those of its organisation subtree; superusers see all
    (also those of no organisation)."""
    qs = OutboundMessage.objects.select_related("organization")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(organization__in=organization_scope(user))


def _ensure_message_access(actor, message):
    if message.organization_id is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("您只能处理本机构及下级机构的数据。"))
    else:
        ensure_org_access(actor, message.organization)


#: 重新发送 is the outbox's one staff step; the worker's own moves (claimed, sent, failed) are
#: conditional UPDATEs so that two workers never send one mail, not steps of this workflow.
WORKFLOW = Workflow(
    OutboundMessage,
    state_field="status",
    version_field=None,
    noun=gettext_lazy("消息"),
    messages={"wrong_state": gettext_lazy("该消息当前状态为“%(state)s”，不能重新发送。")},
    steps=[
        Step(
            "resend_message",
            gettext_lazy("重新发送"),
            [MessageStatus.FAILED, MessageStatus.PENDING],
            MessageStatus.PENDING,
            RESEND,
        )
    ],
)


@transaction.atomic
def resend(actor, message):
    """Queue a failed (or still waiting) message again, with a fresh set of attempts; audited."""
    ensure_perm(actor, RESEND)
    message = WORKFLOW.lock(message)
    _ensure_message_access(actor, message)
    WORKFLOW.check(actor, message, "resend_message")
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    WORKFLOW.perform(actor, message, "resend_message", comment=message.subject)
    pk = message.pk
    transaction.on_commit(lambda: hand_over([pk]), robust=True)
    return message


def status_for(obj, prefix=None):
    """The messages recorded about ``obj`` (oldest first), for pages that tell whether a mail went out."""
    qs = OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).order_by("created_at", "pk")
    if prefix:
        qs = qs.filter(event_key__startswith=prefix)
    return qs
