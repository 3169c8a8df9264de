"""Reminders to handlers about requests due within 5 working days or overdue.

Once per due event (issue 8): each (request, kind of due, due date, handler)
is one outbox message with its own event key, so running the job twice a day,
or on two schedulers at once, mails nobody twice. A request that becomes
overdue is a new event; so is a due date that moved (an extension, a pause).

Unassigned requests go to every request officer of the target organisation.
The message names the request by registration number only: no applicant data.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import outbox

from . import clock, selectors, services


class DueKind:
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclasses.dataclass
class Reminder:
    user: object
    request: object
    kind: str
    due_date: object
    subject: str
    body: str

    @property
    def event_key(self):
        return outbox.event_key("reminder", self.request.pk, self.kind, self.due_date.isoformat(), self.user.pk)


def due_reminders(on=None, base_url=""):
    """Every reminder that is due on ``on`` (today), whether or not it was already sent."""
    on = on or clock.today()
    base = (base_url or getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    officers = {}
    reminders = []
    for req, state in sorted(selectors.due_soon_or_overdue(on), key=lambda pair: (pair[1].due_date, pair[0].pk)):
        if req.handler_id and req.handler.is_active and req.handler.email:
            recipients = [req.handler]
        else:
            if req.organization_id not in officers:
                officers[req.organization_id] = [u for u in services.eligible_handlers(req.organization) if u.email]
            recipients = officers[req.organization_id]
        overdue = on > state.due_date
        left = state.working_days_left(on)
        status = _("已超期%(n)d个工作日") % {"n": -left} if overdue else _("剩余%(n)d个工作日") % {"n": left}
        if state.paused:
            status += _("（暂停计时：%(r)s）") % {"r": state.pause_reason_label}
        link = base + reverse("requests_staff:detail", args=[req.pk])
        subject = (_("依申请公开：%(number)s已超期") if overdue else _("依申请公开：%(number)s即将到期")) % {
            "number": req.registration_number or req.tracking_number
        }
        body = _("以下政府信息公开申请需要您关注：\n\n%(lines)s\n") % {
            "lines": f"{req} {req.organization.display_name} {_('答复期限')} {state.due_date:%Y-%m-%d} "
            f"{status}\n  {link}"
        }
        for user in recipients:
            reminders.append(
                Reminder(user, req, DueKind.OVERDUE if overdue else DueKind.DUE_SOON, state.due_date, subject, body)
            )
    return reminders


def queue_reminders(on=None, base_url=""):
    """Record in the outbox the reminders not recorded before; returns ``(queued, already_sent)``."""
    queued = already = 0
    for reminder in due_reminders(on, base_url):
        with transaction.atomic():
            message = outbox.enqueue(
                recipient=reminder.user.email,
                subject=reminder.subject,
                body=reminder.body,
                event_key=reminder.event_key,
                about=reminder.request,
                organization=reminder.request.organization,
            )
        if message is None:
            already += 1
        else:
            queued += 1
    return queued, already
