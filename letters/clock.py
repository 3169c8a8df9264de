"""The letters' reply deadline, counted in working days with the core's calendar.

Rule (decided for this portal, see README "领导信箱与部门信箱"): the deadline is the
organisation's own setting for the letter's kind (:class:`~letters.models.ReplyDeadline`),
else its setting for all kinds, else ``settings.LETTERS_REPLY_WORKING_DAYS`` (10). It is
counted from the day the organisation received the letter, that day itself not counted
(Civil Code Art 201, as for information requests); statutory holidays are skipped and
make-up workdays (调休上班) count, per :mod:`portal.workdays`. A transfer starts the
receiving organisation's own clock on the day of the transfer; an approved extension adds
its days once.
"""

from __future__ import annotations

from django.conf import settings

from portal.workdays import WorkingCalendar
from requests_app import clock as requests_clock

from .models import DEFAULT_REPLY_WORKING_DAYS, ReplyDeadline

DUE_SOON_WORKING_DAYS = 2
Colour = requests_clock.Colour
COLOUR_LABELS = {
    Colour.ON_TRACK: Colour.LABELS[Colour.ON_TRACK],
    Colour.OVERDUE: Colour.LABELS[Colour.OVERDUE],
    Colour.NONE: "",
}


def today():
    """The same "today" as every deadline of the portal (tests pin it in one place)."""
    return requests_clock.today()


def default_days():
    return int(getattr(settings, "LETTERS_REPLY_WORKING_DAYS", DEFAULT_REPLY_WORKING_DAYS))


def allowed_days(organization, kind):
    """The organisation's deadline for ``kind``: its own per-kind row, its all-kinds row, the site default."""
    rows = dict(
        ReplyDeadline.objects.filter(organization=organization, kind__in=[kind, ""]).values_list("kind", "working_days")
    )
    return rows.get(kind) or rows.get("") or default_days()


def due_date(letter, calendar=None):
    calendar = calendar or WorkingCalendar()
    return calendar.add_working_days(letter.clock_start, letter.allowed_days + (letter.extension_days or 0))


def due_soon_limit(on=None, calendar=None):
    """The last due date that counts as "due soon" on ``on``."""
    calendar = calendar or WorkingCalendar()
    return calendar.add_working_days(on or today(), DUE_SOON_WORKING_DAYS)


def colour(letter, on=None, calendar=None, soon_limit=None):
    if not letter.is_open or letter.due_on is None:
        return Colour.NONE
    on = on or today()
    if on > letter.due_on:
        return Colour.OVERDUE
    soon_limit = soon_limit or due_soon_limit(on, calendar)
    return Colour.DUE_SOON if letter.due_on <= soon_limit else Colour.ON_TRACK


def colour_label(value):
    if value == Colour.DUE_SOON:
        from django.utils.translation import gettext

        return gettext("%(n)d个工作日内到期") % {"n": DUE_SOON_WORKING_DAYS}
    return str(COLOUR_LABELS.get(value, ""))


def working_days_left(letter, on=None, calendar=None):
    if letter.due_on is None or not letter.is_open:
        return None
    calendar = calendar or WorkingCalendar()
    return calendar.working_days_between(on or today(), letter.due_on)


def working_days_taken(letter, replied_on, calendar=None):
    """Working days from the citizen's writing to the answer (a transfer does not reset this count)."""
    calendar = calendar or WorkingCalendar()
    return max(0, int(calendar.working_days_between(letter.received_on, replied_on)))
