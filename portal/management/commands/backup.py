"""``manage.py backup DEST``: the database (pg_dump -Fc, or SQLite's online backup), then every stored file.

See portal/backup.py for the layout and why the database comes first.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal import backup


class Command(BaseCommand):
    help = _("备份数据库和全部文件（附件、申请材料、其他文件）到一个新目录，并写出校验清单 manifest.json。")

    def add_arguments(self, parser):
        parser.add_argument("dest", help=_("新的（或空的）备份目录，例如 /srv/backup/zwgk-2026-06-01"))
        parser.add_argument("--database", default="default", help=_("要备份的数据库别名（默认 default）"))

    def handle(self, *args, **options):
        manifest = backup.backup(options["dest"], database=options["database"], log=self.stdout.write)
        totals = manifest["totals"]
        self.stdout.write(
            self.style.SUCCESS(
                _("备份完成：%(dest)s（数据库 %(vendor)s %(dump)d 字节；%(files)d 个文件，共 %(bytes)d 字节）")
                % {
                    "dest": options["dest"],
                    "vendor": manifest["database"]["vendor"],
                    "dump": manifest["database"]["size"],
                    "files": totals["files"],
                    "bytes": totals["bytes"],
                }
            )
        )
