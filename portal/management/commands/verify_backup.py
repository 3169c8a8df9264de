"""``manage.py verify_backup [SRC] [--database-url URL] [--files DIR]``: is every file there, unchanged?

With SRC, the backup set itself is checked (the dump's and every file's
checksum against the manifest). Then every file the database refers to is
read from the files location and compared with the manifest (if SRC is given)
and with the checksum or size its row records. Missing and mismatched files
are listed and the command exits non-zero.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import backup


class Command(BaseCommand):
    help = _("核对备份和恢复结果：数据库引用的每个文件都存在，且校验和与记录一致。")

    def add_arguments(self, parser):
        parser.add_argument("src", nargs="?", help=_("备份目录（含 manifest.json）；省略时只核对当前数据库和存储"))
        parser.add_argument("--database-url", help=_("要核对的数据库（默认当前配置的数据库）"))
        parser.add_argument("--files", metavar="DIR", help=_("要核对的本地文件目录（默认当前配置的存储）"))

    def handle(self, *args, **options):
        manifest = None
        problems = []
        checked = 0
        if options["src"]:
            manifest = backup.load_manifest(options["src"])
            report = backup.check_backup_set(options["src"], manifest)
            self.stdout.write(
                _("备份本身：核对 %(n)d 项，问题 %(p)d 项") % {"n": report.checked, "p": len(report.problems)}
            )
            problems += report.problems
            checked += report.checked
        alias = backup.connection_alias(options["database_url"]) if options["database_url"] else "default"
        target = backup.local_stores(options["files"]) if options["files"] else backup.configured_stores()
        report = backup.check_references(alias, target, manifest)
        self.stdout.write(
            _("数据库引用的文件：核对 %(n)d 个，问题 %(p)d 项") % {"n": report.checked, "p": len(report.problems)}
        )
        problems += report.problems
        checked += report.checked
        for problem in problems:
            self.stdout.write("  " + problem)
        if problems:
            raise CommandError(_("核对未通过：%(count)d 项问题。") % {"count": len(problems)})
        self.stdout.write(self.style.SUCCESS(_("核对通过：%(count)d 项全部一致。") % {"count": checked}))
