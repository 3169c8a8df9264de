from django.core.management.base import BaseCommand

from portal.services import seed_calendar_from_package


class Command(BaseCommand):
    help = (
        "Load holiday years from the installed chinese-calendar package that the database "
        "does not have yet (run after upgrading the package). Years already loaded, by the "
        "package or an administrator, are left alone."
    )

    def handle(self, *args, **options):
        seeded = seed_calendar_from_package()
        self.stdout.write(f"calendar: {seeded} new year(s) loaded from chinese-calendar")
