"""Publish scheduled items whose time has come. Run it from cron every few minutes."""

from django.core.management.base import BaseCommand

from disclosure import services


class Command(BaseCommand):
    help = "发布已到定时发布时间的政府信息（建议由 cron 每5分钟运行一次）。"

    def handle(self, *args, **options):
        published = services.publish_due()
        for item in published:
            self.stdout.write(f"{item.index_number} {item.title}")
        self.stdout.write(self.style.SUCCESS(f"published {len(published)} scheduled item(s)"))
