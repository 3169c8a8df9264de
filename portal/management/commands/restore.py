"""``manage.py restore SRC --database-url URL [--files DIR]``: into a new database and a new files location.

The backup set is checked against its manifest first; a database that already
has tables, or a files location that already has files, is refused unless
``--force``. Without ``--files`` the files go into the stores configured for
this process (e.g. a new bucket named by STORAGE_S3_*).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import backup


class Command(BaseCommand):
    help = _("把备份恢复到新的数据库和新的文件位置；先校验备份，再恢复数据库，最后恢复文件。")

    def add_arguments(self, parser):
        parser.add_argument("src", help=_("备份目录（含 manifest.json）"))
        parser.add_argument(
            "--database-url",
            required=True,
            help=_("目标数据库，例如 postgres://user@127.0.0.1:5432/zwgk_restored 或 sqlite:////srv/zwgk/new.sqlite3"),
        )
        parser.add_argument(
            "--files",
            metavar="DIR",
            help=_("目标文件目录（本地）；省略时恢复到当前配置的存储（如 STORAGE_S3_* 指定的新存储桶）"),
        )
        parser.add_argument("--force", action="store_true", help=_("允许覆盖已有数据的数据库或文件位置"))

    def handle(self, *args, **options):
        src = options["src"]
        manifest = backup.load_manifest(src)
        self.stdout.write(_("1/3 校验备份……"))
        report = backup.check_backup_set(src, manifest)
        if not report.ok:
            raise CommandError(_("备份已损坏，未做任何恢复：\n%(problems)s") % {"problems": "\n".join(report.problems)})
        if options["files"]:
            target = backup.local_stores(options["files"])
        else:
            target = backup.configured_stores()
        if not options["force"]:
            backup.ensure_empty(target)  # refused before the database is touched
        self.stdout.write(_("2/3 恢复数据库……"))
        backup.restore_database(src, manifest, options["database_url"], force=options["force"])
        self.stdout.write(_("3/3 恢复文件……"))
        count = backup.restore_files(src, manifest, target, force=options["force"])
        self.stdout.write(self.style.SUCCESS(_("恢复完成：%(count)d 个文件。") % {"count": count}))
        self.stdout.write(_("下一步：用新数据库运行 migrate，然后运行 verify_backup 核对文件。"))
        if options["files"]:
            root = Path(options["files"]).resolve()
            self.stdout.write(_("新位置的环境变量："))
            for alias, setting in backup.LOCAL_SETTINGS.items():
                self.stdout.write(f"  {setting}={root / backup.LOCAL_FOLDERS[alias]}")
