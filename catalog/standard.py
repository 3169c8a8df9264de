"""Loading the standard catalog that ships with the portal (fixtures/catalog).

国办发〔2019〕54号 asks every county and township to compile its catalog from the
26 domain guidelines (标准指引). The portal ships those rows so a county does not
have to copy them from PDFs: one file per domain in ``fixtures/catalog/standard/``
in the official two-header-row layout, with the published text it was copied
from beside it (``<stem>.source.json``; format in ``standard/FORMAT.md``).

Every file goes **through the importer** (``catalog.spreadsheet`` reads it,
``catalog.importer`` applies it), so the shipped catalog obeys exactly the rules
an administrator's upload does, and a revised guideline is shipped by editing
its file: the importer updates the standard entry, and every organisation that
adopted it sees the revision in its history while keeping its own wording.

``fixtures/catalog/fallback/`` holds older rows for a domain whose standard file
is not there yet (社会救助, quoted from county catalogs in the spec); a file in
``standard/`` for the same domain supersedes it.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from . import importer, spreadsheet
from .models import CatalogEntry, CatalogSource, SourceKind

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "catalog"
STANDARD = FIXTURES / "standard"
FALLBACK = FIXTURES / "fallback"
_STEM = re.compile(r"^(\d{2})-(.+)$")
SOURCE_KEYS = ("domain", "kind", "title", "issuer", "published", "url", "notes", "empty_cells")


class StandardCatalogError(Exception):
    """A shipped fixture file cannot be loaded; the message names the file, row and column."""


@dataclass
class LoadReport:
    domains_created: int = 0
    entries_created: int = 0
    entries_updated: int = 0
    files: list = field(default_factory=list)


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def domain_rows():
    """The 26 domains of domains.csv, in their official order."""
    return _read(FIXTURES / "domains.csv")


def _files_in(folder):
    found = {}
    for path in sorted(folder.glob("*.csv")):
        match = _STEM.match(path.stem)
        if match:
            found[match.group(2)] = path
    return found


def catalog_files():
    """[(domain name, path)] of every domain that has a fixture file, in domain order."""
    names = [row["name"] for row in domain_rows()]
    standard, fallback = _files_in(STANDARD), _files_in(FALLBACK)
    unknown = sorted(set(standard) - set(names))
    if unknown:
        raise StandardCatalogError(
            _("目录文件的领域名称不在 domains.csv 中：%(names)s") % {"names": "、".join(unknown)}
        )
    result = []
    for name in names:
        path = standard.get(name) or fallback.get(name)
        if path is not None:
            result.append((name, path))
    return result


def source_path(path):
    return path.with_name(f"{path.stem}.source.json")


def read_source(path):
    """The source.json beside a fixture file, checked for the keys FORMAT.md requires."""
    json_path = source_path(path)
    if not json_path.is_file():
        raise StandardCatalogError(
            _("%(file)s 缺少来源说明文件 %(json)s") % {"file": path.name, "json": json_path.name}
        )
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise StandardCatalogError(
            _("%(json)s 不是有效的 JSON：%(error)s") % {"json": json_path.name, "error": exc}
        ) from exc
    required = ("domain", "kind", "title") + (("issuer", "url") if path.parent == STANDARD else ())
    missing = [key for key in required if not str(data.get(key) or "").strip()]
    if missing or data.get("kind") not in SourceKind.values:
        raise StandardCatalogError(
            _("%(json)s 缺少或写错了：%(keys)s（kind 应为 national 或 county）")
            % {"json": json_path.name, "keys": "、".join(missing or ["kind"])}
        )
    return data


def parse_row_numbers(text):
    """ "12-14, 18" → {"12", "13", "14", "18"} (序号 values of the fixture file)."""
    numbers = set()
    for part in re.split(r"[,，、;；\s]+", str(text or "").strip()):
        if not part:
            continue
        bounds = re.split(r"[-–~～至]", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            numbers.update(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            numbers.add(part)
    return numbers


def _ensure_domains(report):
    existing = {d.name: d for d in CatalogEntry.objects.filter(parent=None, organization=None)}
    domains = {}
    for row in domain_rows():
        domain = existing.get(row["name"])
        if domain is None:
            domain = CatalogEntry.objects.create(
                parent=None,
                name=row["name"],
                organization=None,
                sort_order=int(row["order"]),
                aliases=row["aliases"].replace(";", "、"),
                issuing_department=row["issuing_department"],
            )
            report.domains_created += 1
        domains[domain.name] = domain
    return domains


def read_sheet(path):
    return spreadsheet.parse(spreadsheet.read_csv(path.read_bytes()))


def _check_sheet(name, path, sheet):
    problems = [str(p) for p in sheet.problems]
    for row in sheet.rows:
        if row.domain and row.domain != name:
            problems.append(
                _("第 %(row)d 行：领域“%(domain)s”与文件名的领域“%(name)s”不符")
                % {"row": row.number, "domain": row.domain, "name": name}
            )
    if not sheet.rows and not problems:
        problems.append(_("没有任何事项行"))
    if problems:
        raise StandardCatalogError(f"{path.name}：" + "；".join(problems))


def _save_source(source, values):
    changed = [key for key, value in values.items() if getattr(source, key) != value]
    for key in changed:
        setattr(source, key, values[key])
    if changed or source.pk is None:
        source.full_clean(exclude=["domain"])
        source.save()
    return source


def _store_sources(domain, path, data, sheet, grid_rows, outcomes):
    """The domain's sources, and which entries each row's source is."""
    base = {
        "kind": data["kind"],
        "title": str(data["title"]).strip(),
        "issuer": str(data.get("issuer") or "").strip(),
        "published": str(data.get("published") or "").strip(),
        "url": str(data.get("url") or "").strip(),
        "file_name": path.name,
    }
    primary = CatalogSource.objects.filter(domain=domain, primary=True).first() or CatalogSource(
        domain=domain, primary=True
    )
    primary = _save_source(
        primary,
        {
            **base,
            "notes": str(data.get("notes") or "").strip(),
            "empty_cells": str(data.get("empty_cells") or "").strip(),
            "rows": "",
        },
    )
    others = []
    kept = set()
    for item in data.get("rows_from_elsewhere") or []:
        values = {
            "kind": item.get("kind") or SourceKind.COUNTY,
            "title": str(item.get("title") or "").strip(),
            "issuer": str(item.get("issuer") or "").strip(),
            "published": str(item.get("published") or "").strip(),
            "url": str(item.get("url") or "").strip(),
            "notes": str(item.get("notes") or "").strip(),
            "empty_cells": "",
            "rows": str(item.get("rows") or "").strip(),
            "file_name": path.name,
        }
        if not values["title"] or not values["rows"]:
            raise StandardCatalogError(
                _("%(json)s：rows_from_elsewhere 的每一项都要写明 rows 和 title") % {"json": source_path(path).name}
            )
        source = CatalogSource.objects.filter(
            domain=domain, primary=False, rows=values["rows"], title=values["title"]
        ).first() or CatalogSource(domain=domain, primary=False)
        source = _save_source(source, values)
        kept.add(source.pk)
        others.append((parse_row_numbers(values["rows"]), source))
    CatalogSource.objects.filter(domain=domain, primary=False).exclude(pk__in=kept).delete()

    seq = sheet.column("seq")
    # The domain's standard entries in one query: each row's entry and its groups get a source.
    current = dict(CatalogEntry.objects.standard().filter(tree_id=domain.tree_id).values_list("pk", "source_id"))
    parents = dict(CatalogEntry.objects.standard().filter(tree_id=domain.tree_id).values_list("pk", "parent_id"))
    wanted = {}  # entry pk → source pk
    for outcome in outcomes:
        number = grid_rows[outcome.row.number - 1][seq.index].strip() if seq else ""
        source = next((s for numbers, s in others if number and number in numbers), primary)
        wanted[outcome.entry.pk] = source.pk
        ancestor = parents.get(outcome.entry.pk)
        while ancestor is not None and ancestor != domain.pk:
            wanted.setdefault(ancestor, primary.pk)
            ancestor = parents.get(ancestor)
    by_source = {}
    for pk, source_pk in wanted.items():
        if current.get(pk) != source_pk:
            by_source.setdefault(source_pk, []).append(pk)
    for source_pk, pks in by_source.items():
        CatalogEntry.objects.filter(pk__in=pks).update(source_id=source_pk)


@transaction.atomic
def load_standard_catalog(files=None):
    """Create the 26 domains and load every shipped domain file through the importer; safe to run again.

    ``files`` ([(domain name, path)]) defaults to :func:`catalog_files`. Raises
    :class:`StandardCatalogError` (and changes nothing) when a file cannot be read.
    """
    report = LoadReport()
    domains = _ensure_domains(report)
    for name, path in catalog_files() if files is None else files:
        data = read_source(path)
        if data["domain"] != name:
            raise StandardCatalogError(
                _("%(json)s 的 domain 应为“%(name)s”") % {"json": source_path(path).name, "name": name}
            )
        grid = spreadsheet.read_csv(path.read_bytes())
        sheet = spreadsheet.parse(grid)
        _check_sheet(name, path, sheet)
        before = CatalogEntry.objects.standard().filter(tree_id=domains[name].tree_id).count()
        result = importer.import_sheet(
            sheet,
            actor=importer.SYSTEM,
            file_name=path.name,
            reason=_("载入标准目录文件 %(name)s") % {"name": path.name},
        )
        if result.problems:
            raise StandardCatalogError(f"{path.name}：" + "；".join(str(p) for p in result.problems))
        domain = CatalogEntry.objects.get(pk=domains[name].pk)
        report.entries_created += CatalogEntry.objects.standard().filter(tree_id=domain.tree_id).count() - before
        report.entries_updated += result.count("update")
        _store_sources(domain, path, data, sheet, grid.rows, result.outcomes)
        primary = CatalogSource.objects.get(domain=domain, primary=True)
        if domain.source_id != primary.pk:
            CatalogEntry.objects.filter(pk=domain.pk).update(source=primary)
        report.files.append(path.name)
    return report


def check_file(path):
    """What loading one file would do, without changing anything: (rows read, problems)."""
    match = _STEM.match(path.stem)
    name = match.group(2) if match else ""
    problems = []
    with transaction.atomic():
        _ensure_domains(LoadReport())
        try:
            load_standard_catalog([(name, path)])
        except StandardCatalogError as exc:
            problems.append(str(exc))
        transaction.set_rollback(True)
    sheet = read_sheet(path)
    return sheet, problems
