"""Daily (cron): close requests not supplemented or not paid in time; end lapsed third-party consultations.

0 1 * * *  cd /srv/portal && .venv/bin/python manage.py process_request_deadlines
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.management.dates import date_option
from requests_app import services


class Command(BaseCommand):
    help = _("执行依申请公开的法定期限：逾期未补正、逾期未缴费的申请终止办理，第三方逾期未答复的恢复计时。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("按这一天计算（年-月-日，如 2026-10-08），默认今天"))

    def handle(self, *args, **options):
        on = date_option(options.get("date"))
        counts = services.process_deadlines(on)
        self.stdout.write(
            _("逾期未补正、终止办理：%(a)d 件；逾期未缴费、终止办理：%(b)d 件；第三方逾期未答复、恢复计时：%(c)d 件。")
            % {"a": counts["not_supplemented"], "b": counts["fee_unpaid"], "c": counts["third_party_lapsed"]}
        )
