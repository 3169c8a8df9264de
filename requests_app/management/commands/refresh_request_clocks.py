from django.core.management.base import BaseCommand

from requests_app import clockstore
from requests_app.models import Request


class Command(BaseCommand):
    help = "Recompute the due date stored beside every request's clock (after an upgrade or a data repair)."

    def add_arguments(self, parser):
        parser.add_argument("--open", action="store_true", help="only requests not yet concluded")

    def handle(self, *args, **options):
        qs = Request.objects.all()
        if options["open"]:
            qs = qs.filter(status__in=clockstore.OPEN_STATUSES)
        changed = clockstore.refresh(qs)
        self.stdout.write(f"request clocks: {changed} updated")
