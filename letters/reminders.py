"""Reminders about letters due soon, and overdue letters reported to the organisation's admin.

Each (letter, kind, due date, recipient) is one outbox message with its own event key, so
the job may run twice a day or on two schedulers without mailing anyone twice; a moved
due date (an extension, a transfer) is a new event. Due within
:data:`letters.clock.DUE_SOON_WORKING_DAYS` working days: the handler, or every officer of
the office who handles letters. Overdue: the same people, and (escalation) every
administrator (管理员) of the office. A message names the letter by its number and title,
never the writer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import outbox
from portal.models import Role, User
from portal.workdays import WorkingCalendar

from . import clock, services
from .models import Letter, mailbox_name


def _officers(organization, cache):
    if organization.pk not in cache:
        users = User.objects.filter(organization=organization, is_active=True).exclude(email="").order_by("username")
        handlers = [u for u in users if u.has_perm(services.HANDLE)]
        admins = [u for u in users if u.groups.filter(name=Role.ORG_ADMIN.value).exists()]
        cache[organization.pk] = (handlers, admins)
    return cache[organization.pk]


def due_messages(on=None, base_url=""):
    """``(letter, user, kind, subject, body)`` for every reminder due on ``on``, sent before or not."""
    on = on or clock.today()
    calendar = WorkingCalendar()
    soon = clock.due_soon_limit(on, calendar)
    base = (base_url or getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    cache = {}
    result = []
    letters = Letter.objects.open().filter(due_on__lte=soon).select_related("organization", "handler")
    for letter in letters.order_by("due_on", "pk"):
        handlers, admins = _officers(letter.organization, cache)
        if letter.handler_id and letter.handler.is_active and letter.handler.email:
            recipients = [letter.handler]
        else:
            recipients = list(handlers)
        overdue = on > letter.due_on
        left = calendar.working_days_between(on, letter.due_on)
        link = base + reverse("letters_staff:detail", args=[letter.pk])
        status = _("已超期%(n)d个工作日") % {"n": -left} if overdue else _("剩余%(n)d个工作日") % {"n": left}
        subject = (_("来信办理：%(number)s已超期") if overdue else _("来信办理：%(number)s即将到期")) % {
            "number": letter.tracking_number
        }
        body = _("%(mailbox)s的来信“%(title)s”（%(number)s）答复期限 %(due)s，%(status)s。\n%(link)s\n") % {
            "mailbox": mailbox_name(letter.organization),
            "title": letter.title,
            "number": letter.tracking_number,
            "due": f"{letter.due_on:%Y-%m-%d}",
            "status": status,
            "link": link,
        }
        if overdue:
            # The administrators get the escalation (once), not a second plain reminder.
            recipients = [u for u in recipients if u not in admins]
        for user in recipients:
            result.append((letter, user, "overdue" if overdue else "due_soon", subject, body))
        if overdue:
            for user in admins:
                result.append((letter, user, "escalate", subject, body))
    return result


def queue_reminders(on=None, base_url=""):
    """Record in the outbox the messages not recorded before; returns ``(queued, already)``."""
    queued = already = 0
    for letter, user, kind, subject, body in due_messages(on, base_url):
        key = outbox.event_key("letter-reminder", letter.pk, kind, letter.due_on.isoformat(), user.pk)
        with transaction.atomic():
            message = outbox.enqueue(
                recipient=user.email,
                subject=subject,
                body=body,
                event_key=key,
                about=letter,
                organization=letter.organization,
            )
            if message is not None:
                verb = "escalate" if kind == "escalate" else "remind"
                services.WORKFLOW.record(None, letter, verb, recipient=user.pk, kind=kind)
        if message is None:
            already += 1
        else:
            queued += 1
    return queued, already
