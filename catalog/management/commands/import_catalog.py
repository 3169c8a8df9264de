"""``python manage.py import_catalog FILE [--org ORG_CODE]``: a catalog spreadsheet into the database.

The same reading and the same rules as the admin's import (``catalog.spreadsheet``
and ``catalog.importer``), for files too large to upload comfortably. All or
nothing: any problem is printed with its row and column and nothing is imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from tqdm import tqdm

from catalog import importer, spreadsheet
from portal import codes
from portal.models import Organization, User


def find_organization(text):
    """An organisation by its code, or by its exact full or short name."""
    code = codes.normalize(text)
    found = Organization.objects.filter(code=code).first()
    if found is not None:
        return found
    matches = list(Organization.objects.filter(Q(name=text.strip()) | Q(short_name=text.strip()))[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CommandError(_("有多个机构名为“%(name)s”，请用机构代码指定。") % {"name": text})
    raise CommandError(_("没有找到机构“%(org)s”（可用机构代码、全称或简称）。") % {"org": text})


def find_actor(username):
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("没有找到启用的用户“%(name)s”。") % {"name": username})
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError(_("没有可用的系统管理员账号，请用 --user 指定以哪个用户的身份导入。"))
    return user


def read_file(path, file_format=None):
    path = Path(path)
    if not path.is_file():
        raise CommandError(_("文件不存在：%(path)s") % {"path": path})
    kind = file_format or path.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "csv"):
        raise CommandError(_("只支持 .xlsx 和 .csv 文件（可用 --format 指定）。"))
    data = path.read_bytes()
    try:
        return spreadsheet.read_xlsx(data) if kind == "xlsx" else spreadsheet.read_csv(data)
    except spreadsheet.SpreadsheetError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = _(
        "导入官方表格格式的政务公开事项目录（.xlsx 或 .csv）。指定 --org 时导入该机构的目录，"
        "否则导入标准目录（系统管理员）。任何一行无法识别时不导入任何数据，并逐条列出行号和列名。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("目录文件（.xlsx 或 .csv）"))
        parser.add_argument("--org", help=_("导入到该机构的目录：机构代码（或全称、简称）；不填则导入标准目录"))
        parser.add_argument("--user", help=_("以该用户的身份导入（检查其权限，记入操作日志）；默认第一个系统管理员"))
        parser.add_argument("--reason", help=_("调整理由，默认“导入目录文件 <文件名>”"))
        parser.add_argument("--format", choices=["xlsx", "csv"], help=_("文件格式，默认按扩展名"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查并报告将做的改动，不写入数据库"))
        parser.add_argument("--no-progress", action="store_true", help=_("不显示进度条"))

    def handle(self, *args, **options):
        organization = find_organization(options["org"]) if options["org"] else None
        actor = find_actor(options["user"])
        grid = read_file(options["file"], options["format"])
        sheet = spreadsheet.parse(grid)
        bar = tqdm(
            total=len(sheet.rows),
            desc=_("导入"),
            unit=_("行"),
            file=self.stderr._out,
            disable=options["no_progress"],
        )
        with bar:
            report = importer.import_sheet(
                sheet,
                actor=actor,
                organization=organization,
                file_name=Path(options["file"]).name,
                reason=options["reason"],
                dry_run=options["dry_run"],
                progress=bar.update,
            )
        for label in report.ignored:
            self.stdout.write(_("已忽略不属于目录表格的列：%(label)s") % {"label": label})
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("文件有 %(n)d 处无法导入，没有导入任何数据。") % {"n": len(report.problems)}, returncode=1
            )
        target = organization.name if organization else _("标准目录")
        summary = _("%(target)s：新增 %(new)d 项，更新 %(update)d 项，无变化 %(skip)d 项。") % {
            "target": target,
            "new": report.count("new"),
            "update": report.count("update"),
            "skip": report.count("skip"),
        }
        if options["dry_run"]:
            self.stdout.write(_("检查通过（未写入）：%(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成：%(summary)s") % {"summary": summary}))
        if options["verbosity"] > 1:
            for outcome in report.outcomes:
                notes = "；".join([outcome.summary, *outcome.notes])
                self.stdout.write(f"  {outcome.row.number}: {'／'.join(outcome.row.names)} — {notes}")
