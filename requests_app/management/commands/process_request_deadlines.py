"""Daily (cron): close requests not supplemented or not paid in time; end lapsed third-party consultations.

0 1 * * *  cd /srv/portal && .venv/bin/python manage.py process_request_deadlines
"""

import datetime as dt

from django.core.management.base import BaseCommand

from requests_app import services


class Command(BaseCommand):
    help = "Apply the statutory deadlines of information requests (补正、缴费、第三方意见)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        on = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        counts = services.process_deadlines(on)
        self.stdout.write(
            f"not supplemented → closed: {counts['not_supplemented']}; "
            f"fee unpaid → closed: {counts['fee_unpaid']}; "
            f"third party silent → clock resumed: {counts['third_party_lapsed']}"
        )
