from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.services import seed_calendar_from_package


class Command(BaseCommand):
    help = _(
        "从已安装的 chinese-calendar 包载入数据库中还没有的年度放假安排（升级该包后运行）；"
        "已有的年份（无论来自该包还是管理员录入）保持不变。"
    )

    def handle(self, *args, **options):
        seeded = seed_calendar_from_package()
        self.stdout.write(_("工作日历：从 chinese-calendar 新载入 %(n)d 个年度。") % {"n": seeded})
