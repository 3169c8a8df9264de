"""Remind handlers of requests due within 5 working days or overdue, once per due event.

The Celery scheduler runs this every working morning (``send_request_reminders``
in CELERY_BEAT_SCHEDULE); this command is the manual trigger of the same code:

    .venv/bin/python manage.py send_request_reminders --base-url https://gk.example.gov.cn

It only records the reminders in the outbox; the worker sends them. A reminder
already recorded for the same due event is not recorded again.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand

from requests_app import reminders


class Command(BaseCommand):
    help = "E-mail handlers about information requests due within 5 working days or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "PORTAL_BASE_URL", ""),
            help="site address for links, e.g. https://gk.example.gov.cn",
        )
        parser.add_argument("--dry-run", action="store_true", help="print instead of queueing")

    def handle(self, *args, **options):
        on = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        if options["dry_run"]:
            due = reminders.due_reminders(on, options["base_url"])
            for reminder in due:
                self.stdout.write(f"To {reminder.user.email}: {reminder.subject}\n{reminder.body}")
            self.stdout.write(f"reminders due: {len(due)}")
            return
        queued, already = reminders.queue_reminders(on, options["base_url"])
        self.stdout.write(f"reminders: {queued} queued, {already} already sent or queued before")
