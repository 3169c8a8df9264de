"""``python manage.py load_standard_catalog [--check FILE]``: the shipped standard catalog.

Loads the 26 domains and every domain file of ``fixtures/catalog/standard/``
through the importer (see ``catalog.standard``). Safe to run again: an
unchanged file changes nothing. ``--check`` reads one file and reports what
loading it would do, changing nothing (for whoever compiles a domain's file).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.utils import OperationalError, ProgrammingError
from django.utils.translation import gettext as _

from catalog.standard import StandardCatalogError, check_file, load_standard_catalog


class Command(BaseCommand):
    help = _("载入随系统提供的26个领域标准目录（可重复运行，未改动的文件不会改变任何数据）。")

    def add_arguments(self, parser):
        parser.add_argument("--check", metavar="FILE", help=_("只检查一个目录文件，报告读到的事项和问题，不写入数据库"))

    def handle(self, *args, **options):
        if options["check"]:
            path = Path(options["check"])
            if not path.is_file():
                raise CommandError(_("文件不存在：%(path)s") % {"path": path})
            try:
                sheet, problems = check_file(path)
            except (OperationalError, ProgrammingError) as exc:
                raise CommandError(
                    _("数据库尚未建立，请先运行 python manage.py migrate。（%(error)s）") % {"error": exc}
                ) from exc
            for row in sheet.rows:
                self.stdout.write(f"{row.number}: {' / '.join(row.names)} | {row.values.get('time_limit_text', '')}")
            self.stdout.write(_("读到 %(n)d 个事项") % {"n": len(sheet.rows)})
            if problems:
                raise CommandError("\n".join(problems))
            self.stdout.write(_("没有发现问题"))
            return
        try:
            report = load_standard_catalog()
        except StandardCatalogError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"standard catalog: {report.domains_created} domains and {report.entries_created} entries created, "
            f"{report.entries_updated} updated, from {len(report.files)} files"
        )
