"""Catalog import at county scale (issue 10): 2,000 rows, standard catalog and an organisation.

Run with ``make bench-import`` (SQLite in a temporary directory by default;
``DATABASE_URL=postgres://…`` for PostgreSQL, where a throw-away ``test_…``
database is created and dropped). On a fresh database holding only the shipped
standard catalog it times, parse and import together, in the project's own
CSV layout (fixtures/catalog/standard/FORMAT.md):

  (a) 2,000 new rows (40 一级事项 × 50 二级事项) into the standard catalog (superuser);
  (b) 2,000 new rows into an organisation's catalog: all become local entries (clerk);
  (c) the 2,000 rows of (a) into the organisation with its own 公开时限: adopt + override each,
      decided in memory and written in bulk (``services.AdoptionBatch``; ``BENCH_IMPORT_ADOPT=0``
      leaves it out).

Each is printed with its wall time, its query count and the ratio to a bare
baseline measured in the same run: a ``bulk_create`` of 2,000 audit-log rows
(AuditEntry, one short comment each) in one transaction, rolled back — the
bare cost of writing 2,000 rows on this database.
"""

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="zwgk-bench-import-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROWS = 2000
GROUPS = 40
DOMAIN = "社会救助"
HEADER = [
    [
        "序号",
        "领域",
        "公开事项",
        "",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "",
        "公开方式",
        "",
        "公开层级",
        "",
    ],
    ["", "", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "县级", "乡级"],
]


def sheet_bytes(prefix, time_limit="信息形成或变更之日起20个工作日内", rows=ROWS, groups=GROUPS):
    """A CSV catalog file of ``rows`` entries under ``groups`` 一级事项 of 社会救助."""
    table = [[f"{DOMAIN}领域基层政务公开标准目录"] + [""] * 14, *HEADER]
    per_group = rows // groups
    for n in range(rows):
        group, leaf = divmod(n, per_group)
        table.append(
            [
                str(n + 1),
                DOMAIN,
                f"{prefix}事项{group + 1:02d}",
                f"{prefix}子项{group + 1:02d}-{leaf + 1:03d}",
                f"第{n + 1}项的公开内容：办理条件、办理流程、办理结果",
                "《社会救助暂行办法》",
                time_limit,
                "县民政局、乡镇政府（街道办事处）",
                "■政府网站 □政府公报 ■两微一端",
                "√",
                "",
                "√",
                "",
                "√",
                "√",
            ]
        )
    out = io.StringIO(newline="")
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8-sig")


def measure(label, func, baseline=None):
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    ratio = f"{seconds / baseline:7.1f}× baseline" if baseline else ""
    print(f"{label:<62} {seconds * 1000:9.1f} ms {queries:6d} queries {ratio}", flush=True)
    return seconds, result


def baseline():
    """bulk_create of 2,000 audit-log rows in one transaction (rolled back): the bare cost of writing rows."""
    from portal.models import AuditEntry

    def write():
        with transaction.atomic():
            AuditEntry.objects.bulk_create(
                [AuditEntry(event="legacy", comment=f"基准 {n}") for n in range(ROWS)], batch_size=500
            )
            transaction.set_rollback(True)

    write()  # warm up
    seconds, _ = measure(f"baseline: bulk_create of {ROWS} AuditEntry rows", write)
    return seconds


def run():
    from django.contrib.auth.models import Group

    from catalog import importer, spreadsheet
    from catalog.models import Adjustment, CatalogEntry
    from catalog.standard import load_standard_catalog
    from portal import codes
    from portal.models import AuditEntry, Organization, OrganizationKind, Role, User

    start = time.perf_counter()
    load_standard_catalog()
    print(
        f"database: {connection.vendor}; shipped standard catalog loaded in {time.perf_counter() - start:.1f} s "
        f"({CatalogEntry.objects.count()} entries)",
        flush=True,
    )
    root = User.objects.create_superuser("bench_root", password="bench-pw-1234")
    org = Organization.objects.create(
        name="基准乡人民政府",
        short_name="基准乡",
        kind=OrganizationKind.GOVERNMENT,
        code=codes.make_uscc("11990199" + codes.make_org_code("B0000001")),
    )
    clerk = User.objects.create_user("bench_clerk", password="bench-pw-1234", organization=org, is_staff=True)
    clerk.groups.add(Group.objects.get(name=Role.CLERK.value))

    def importing(data, **kwargs):
        def go():
            report = importer.import_sheet(
                spreadsheet.parse(spreadsheet.read_csv(data)), file_name="基准.csv", **kwargs
            )
            assert report.ok, [str(p) for p in report.problems[:5]]
            return report

        return go

    bare = baseline()
    data_a = sheet_bytes("甲")
    data_b = sheet_bytes("乙")
    data_c = sheet_bytes("甲", time_limit="信息形成或变更之日起5个工作日内")
    counts = lambda: (CatalogEntry.objects.count(), Adjustment.objects.count(), AuditEntry.objects.count())  # noqa: E731
    before = counts()
    _, report = measure(f"(a) {ROWS} new rows into the standard catalog", importing(data_a, actor=root), bare)
    after = counts()
    print(f"    {report.count('new')} new; +{after[0] - before[0]} entries, +{after[2] - before[2]} audit entries")
    before = after
    _, report = measure(
        f"(b) {ROWS} new rows into an organisation (local entries)",
        importing(data_b, actor=clerk, organization=org),
        bare,
    )
    after = counts()
    print(
        f"    {report.count('new')} new; +{after[0] - before[0]} entries, +{after[1] - before[1]} adjustments, "
        f"+{after[2] - before[2]} audit entries"
    )
    if os.environ.get("BENCH_IMPORT_ADOPT", "1") == "0":
        return
    before = after
    _, report = measure(
        f"(c) the {ROWS} standard rows into the organisation, own 公开时限",
        importing(data_c, actor=clerk, organization=org),
        bare,
    )
    after = counts()
    print(f"    {report.count('new')} new; +{after[1] - before[1]} adjustments, +{after[2] - before[2]} audit entries")


def main():
    setup_test_environment()
    settings.DEBUG = False
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(Path(os.environ["PORTAL_VAR_DIR"]) / "bench-import.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
