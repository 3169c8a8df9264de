"""Daily (cron): e-mail each handler the requests due within 5 working days or overdue.

    30 7 * * 1-5  cd /srv/portal && .venv/bin/python manage.py send_request_reminders \
        --base-url https://gk.example.gov.cn

Unassigned requests go to every request officer of the target organisation.
The e-mail names requests by registration number only: no applicant data.
"""
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import User
from requests_app import clock, selectors, services


class Command(BaseCommand):
    help = "E-mail handlers about information requests due within 5 working days or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--base-url", default=getattr(settings, "PORTAL_BASE_URL", ""),
                            help="site address for links, e.g. https://gk.example.gov.cn")
        parser.add_argument("--dry-run", action="store_true", help="print instead of sending")

    def handle(self, *args, **options):
        on = dt.date.fromisoformat(options["date"]) if options.get("date") else clock.today()
        base = (options["base_url"] or "").rstrip("/")
        by_user = defaultdict(list)
        officers = {}
        for req, state in selectors.due_soon_or_overdue(on):
            if req.handler_id and req.handler.is_active and req.handler.email:
                recipients = [req.handler]
            else:
                if req.organization_id not in officers:
                    officers[req.organization_id] = [
                        u for u in services.eligible_handlers(req.organization) if u.email]
                recipients = officers[req.organization_id]
            for user in recipients:
                by_user[user.pk].append((req, state))
        sent = 0
        for user_pk, items in by_user.items():
            user = User.objects.get(pk=user_pk)
            lines = []
            for req, state in sorted(items, key=lambda item: item[1].due_date):
                left = state.working_days_left(on)
                status = _("已超期%(n)d个工作日") % {"n": -left} if on > state.due_date else \
                    _("剩余%(n)d个工作日") % {"n": left}
                if state.paused:
                    status += _("（暂停计时：%(r)s）") % {"r": state.pause_reason_label}
                link = base + reverse("requests_staff:detail", args=[req.pk])
                lines.append(f"{req} {req.organization.display_name} {_('答复期限')} {state.due_date:%Y-%m-%d} "
                             f"{status}\n  {link}")
            subject = _("依申请公开：%(n)d件申请即将到期或已超期") % {"n": len(items)}
            body = _("以下政府信息公开申请需要您关注：\n\n%(lines)s\n") % {"lines": "\n".join(lines)}
            if options["dry_run"]:
                self.stdout.write(f"To {user.email}: {subject}\n{body}")
            else:
                send_mail(subject, body, None, [user.email])
            sent += 1
        self.stdout.write(f"reminders: {sent} handler(s), {sum(len(v) for v in by_user.values())} request(s)")
