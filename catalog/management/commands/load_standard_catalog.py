from django.core.management.base import BaseCommand

from catalog.standard import load_standard_catalog


class Command(BaseCommand):
    help = "Load the 26 domains and the shipped standard catalog rows (safe to run again)."

    def handle(self, *args, **options):
        domains, entries = load_standard_catalog()
        self.stdout.write(f"standard catalog: {domains} domains and {entries} entries created")
