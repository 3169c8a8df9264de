"""Remind handlers of requests due within 5 working days or overdue, once per due event.

The Celery scheduler runs this every working morning (``send_request_reminders``
in CELERY_BEAT_SCHEDULE); this command is the manual trigger of the same code:

    .venv/bin/python manage.py send_request_reminders --base-url https://gk.example.gov.cn

It only records the reminders in the outbox; the worker sends them. A reminder
already recorded for the same due event is not recorded again.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.management.dates import date_option
from requests_app import reminders


class Command(BaseCommand):
    help = _("向办理人发送提醒邮件：5个工作日内到期或已超期的依申请公开件。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("按这一天计算（年-月-日，如 2026-10-08），默认今天"))
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "PORTAL_BASE_URL", ""),
            help=_("邮件中链接使用的网站地址，如 https://gk.example.gov.cn"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将发送的提醒，不放入发件队列"))

    def handle(self, *args, **options):
        on = date_option(options.get("date"))
        if options["dry_run"]:
            due = reminders.due_reminders(on, options["base_url"])
            for reminder in due:
                heading = _("收件人 %(to)s：%(subject)s") % {"to": reminder.user.email, "subject": reminder.subject}
                self.stdout.write(f"{heading}\n{reminder.body}")
            self.stdout.write(_("应发提醒：%(n)d 条。") % {"n": len(due)})
            return
        queued, already = reminders.queue_reminders(on, options["base_url"])
        self.stdout.write(
            _("提醒：新放入发件队列 %(queued)d 条，此前已发送或已排队 %(already)d 条。")
            % {"queued": queued, "already": already}
        )
