"""``python manage.py export_catalog [--org ORG_CODE] --format xlsx|csv OUT``: the catalog as a spreadsheet."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog import importer, selectors, spreadsheet

from .import_catalog import find_organization


class Command(BaseCommand):
    help = _("按官方表格格式导出标准目录或某机构的目录（.xlsx 或 .csv），导出的文件可再导入。")

    def add_arguments(self, parser):
        parser.add_argument("out", help=_("输出文件；“-”表示标准输出（仅 csv）"))
        parser.add_argument("--org", help=_("导出该机构的目录（机构代码、全称或简称）；不填则导出标准目录"))
        parser.add_argument("--format", choices=["xlsx", "csv"], help=_("文件格式，默认按扩展名"))
        parser.add_argument("--domain", help=_("只导出这个领域（名称或别名）"))

    def handle(self, *args, **options):
        out = options["out"]
        kind = options["format"] or (Path(out).suffix.lower().lstrip(".") if out != "-" else "csv")
        if kind not in ("xlsx", "csv"):
            raise CommandError(_("请用 --format 指定 xlsx 或 csv。"))
        if out == "-" and kind != "csv":
            raise CommandError(_("只有 csv 可以写到标准输出。"))
        organization = find_organization(options["org"]) if options["org"] else None
        domain = None
        if options["domain"]:
            domain = selectors.domain_by_name(options["domain"])
            if domain is None:
                raise CommandError(_("没有找到领域“%(name)s”。") % {"name": options["domain"]})
        title, headers, rows = importer.export_table(organization=organization, domain=domain)
        writer = spreadsheet.write_xlsx if kind == "xlsx" else spreadsheet.write_csv
        data = writer(title, headers, rows)
        if out == "-":
            self.stdout.write(data.decode("utf-8-sig"), ending="")
            return
        Path(out).write_bytes(data)
        self.stdout.write(_("已导出 %(n)d 行到 %(path)s") % {"n": len(rows), "path": out})
