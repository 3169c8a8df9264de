from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from requests_app import clockstore
from requests_app.models import Request


class Command(BaseCommand):
    help = _("重新计算每件申请保存的办理期限（升级或修复数据之后运行）。")

    def add_arguments(self, parser):
        parser.add_argument("--open", action="store_true", help=_("只处理尚未办结的申请"))

    def handle(self, *args, **options):
        qs = Request.objects.all()
        if options["open"]:
            qs = qs.filter(status__in=clockstore.OPEN_STATUSES)
        changed = clockstore.refresh(qs)
        self.stdout.write(_("办理期限已重新计算：更新 %(n)d 件。") % {"n": changed})
