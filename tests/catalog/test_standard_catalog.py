"""The standard catalog that ships with the portal (issue 13).

These tests read the fixture files themselves (fixtures/catalog/standard/*.csv and
their .source.json), so they hold for whichever domains have a file: every row of
every file must arrive, through the importer, as one standard entry with its
columns, its parsed time limit, its channels and its source.
"""

import csv
import io
import json
import re
import shutil

import pytest
from django.urls import reverse

from catalog import services, spreadsheet
from catalog.models import (
    Adjustment,
    AdjustmentAction,
    Adoption,
    CatalogEntry,
    CatalogSource,
)
from catalog.standard import (
    STANDARD,
    StandardCatalogError,
    catalog_files,
    domain_rows,
    load_standard_catalog,
    read_sheet,
    read_source,
)
from portal.models import AuditEntry, User

REQUIRED = {
    "content_elements": "公开内容",
    "legal_basis": "公开依据",
    "time_limit_text": "公开时限",
    "responsible_body": "公开主体",
}
WORKING_DAYS = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*个?\s*工作\s*日")


def fixture_rows():
    """(domain name, path, source, sheet row, raw cells) for every row of every shipped file."""
    for name, path in catalog_files():
        source = read_source(path)
        sheet = read_sheet(path)
        grid = spreadsheet.read_csv(path.read_bytes()).rows
        for row in sheet.rows:
            yield name, path, source, row, grid[row.number - 1]


def entry_for(domain_name, names):
    node = CatalogEntry.objects.get(parent=None, name=domain_name, organization=None)
    for name in names:
        node = CatalogEntry.objects.get(parent=node, name=name, organization=None)
    return node


def snapshot():
    return (
        list(CatalogEntry.objects.order_by("pk").values()),
        list(CatalogSource.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
        Adjustment.objects.count(),
    )


def test_the_26_domains_are_loaded_and_at_least_one_domain_file_ships(standard_catalog):
    domains = CatalogEntry.objects.domains().standard()
    assert domains.count() == 26
    assert [d.name for d in domains.order_by("sort_order")] == [row["name"] for row in domain_rows()]
    assert len([p for _n, p in catalog_files() if p.parent == STANDARD]) >= 1


def test_every_row_of_every_file_is_an_entry_with_its_columns_and_source(standard_catalog):
    seen = 0
    for name, path, source, row, _cells in fixture_rows():
        entry = entry_for(name, row.names)
        for field in ("content_elements", "legal_basis", "time_limit_text", "responsible_body"):
            assert getattr(entry, field) == row.values[field], (path.name, row.number, field)
            if not row.values[field]:
                # A cell may be empty only where the source itself leaves it so, and the fixture says so.
                assert REQUIRED[field] in source.get("empty_cells", ""), (path.name, row.number, field)
        assert entry.source is not None and entry.source.domain.name == name
        assert entry.source.file_name == path.name
        seen += 1
    assert seen >= 1


def test_each_domain_has_at_least_the_entries_of_its_file_and_no_duplicates(standard_catalog):
    for name, path in catalog_files():
        sheet = read_sheet(path)
        paths = [tuple(row.names) for row in sheet.rows]
        assert len(paths) == len(set(paths)), path.name
        domain = CatalogEntry.objects.get(parent=None, name=name)
        leaves = [e for e in domain.get_descendants().filter(organization=None) if e.is_leaf_node()]
        assert len(leaves) >= len({p for p in paths if not any(q[: len(p)] == p and q != p for q in paths)})
    # No entry twice: no two standard siblings share a name anywhere.
    names = list(CatalogEntry.objects.standard().values_list("parent_id", "name"))
    assert len(names) == len(set(names))


def test_every_time_limit_stating_working_days_is_parsed(standard_catalog):
    for name, path, _source, row, _cells in fixture_rows():
        text = row.values["time_limit_text"]
        entry = entry_for(name, row.names)
        if WORKING_DAYS.search(re.sub(r"\s+", "", text)):
            assert entry.time_limit_days is not None, (path.name, row.number, text)


def test_every_channel_cell_is_mapped_to_the_vocabulary(standard_catalog):
    for name, path, _source, row, cells in fixture_rows():
        cell = cells[read_sheet(path).column("channels").index]
        entry = entry_for(name, row.names)
        if cell.strip():
            ticked = "■" in cell or not any(mark in cell for mark in "□☐")
            assert entry.channels or not ticked, (path.name, row.number, cell)
        assert len(entry.channel_labels()) == len(entry.channels)


def test_each_domain_page_shows_its_source(client, standard_catalog):
    for name, path in catalog_files():
        source = read_source(path)
        domain = CatalogEntry.objects.get(parent=None, name=name)
        page = client.get(reverse("column:domain", args=[domain.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert "来源：" in text and source["title"] in text, path.name
        if source.get("url"):
            assert source["url"] in text


def test_loading_twice_changes_nothing(standard_catalog):
    before = snapshot()
    report = load_standard_catalog()
    assert (report.domains_created, report.entries_created, report.entries_updated) == (0, 0, 0)
    assert snapshot() == before


@pytest.fixture
def one_domain_copy(tmp_path):
    """A copy of the first shipped standard file, to revise as a ministry would."""
    name, path = next((n, p) for n, p in catalog_files() if p.parent == STANDARD)
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    shutil.copy(path.with_name(f"{path.stem}.source.json"), tmp_path / f"{path.stem}.source.json")
    return name, copy


def _rewrite_first_row(path, change):
    grid = spreadsheet.read_csv(path.read_bytes()).rows
    sheet = read_sheet(path)
    row = sheet.rows[0]
    cells = grid[row.number - 1]
    change(cells, sheet)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(grid)
    path.write_text(out.getvalue(), encoding="utf-8")
    return row


def test_a_revised_row_updates_the_entry_and_reaches_adopters_history_without_overwriting_their_wording(
    standard_catalog,
    make_org,
    one_domain_copy,
):
    name, copy = one_domain_copy
    admin = User.objects.create_superuser("root", "root@example.invalid", "x-Very-long-pass-1")
    keeps, follows = make_org("甲县人民政府"), make_org("乙县人民政府")
    row = read_sheet(copy).rows[0]
    entry = entry_for(name, row.names)
    for org in (keeps, follows):
        services.adopt(admin, org, entry, reason="按标准目录编制")
    services.override(admin, keeps, entry, reason="本县由县应急局统一公开", responsible_body="甲县应急管理局")

    def revise(cells, sheet):
        cells[sheet.column("time_limit_text").index] = "信息形成或变更之日起15个工作日内"
        cells[sheet.column("responsible_body").index] = "县级人民政府有关部门"

    _rewrite_first_row(copy, revise)
    report = load_standard_catalog([(name, copy)])
    assert report.entries_updated == 1

    entry.refresh_from_db()
    assert entry.time_limit_text == "信息形成或变更之日起15个工作日内"
    assert entry.time_limit_days == 15
    assert entry.responsible_body == "县级人民政府有关部门"
    # Both adopters see the revision in their history.
    for org in (keeps, follows):
        revision = services.history(org, entry).filter(action=AdjustmentAction.STANDARD).get()
        assert revision.changes["time_limit_text"][1] == "信息形成或变更之日起15个工作日内"
        assert revision.entry == entry
    # 甲县 keeps its own wording of the responsible body; its history says so.
    adoption = Adoption.objects.get(organization=keeps, entry=entry)
    assert adoption.effective_responsible_body == "甲县应急管理局"
    assert adoption.effective_time_limit_text == "信息形成或变更之日起15个工作日内"
    lines = services.describe_changes(services.history(keeps, entry).filter(action=AdjustmentAction.STANDARD).get())
    assert any("继续沿用" in line and "公开主体" in line for line in lines)
    assert Adoption.objects.get(organization=follows, entry=entry).effective_responsible_body == "县级人民政府有关部门"

    # Loading the revised file again changes nothing more.
    count = Adjustment.objects.count()
    assert load_standard_catalog([(name, copy)]).entries_updated == 0
    assert Adjustment.objects.count() == count


def test_rows_from_elsewhere_carry_their_own_source(standard_catalog, one_domain_copy):
    name, copy = one_domain_copy
    json_path = copy.with_name(f"{copy.stem}.source.json")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    sheet = read_sheet(copy)
    first = sheet.rows[0]
    seq = spreadsheet.read_csv(copy.read_bytes()).rows[first.number - 1][sheet.column("seq").index]
    data["rows_from_elsewhere"] = [
        {
            "rows": seq,
            "title": "某县目录（测试）",
            "issuer": "某县人民政府",
            "published": "2020-01-01",
            "url": "https://example.invalid/x",
        }
    ]
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    load_standard_catalog([(name, copy)])
    entry = entry_for(name, first.names)
    assert entry.source.title == "某县目录（测试）" and not entry.source.primary
    others = [entry_for(name, r.names) for r in sheet.rows[1:]]
    assert all(e.source.primary for e in others)


def test_a_file_the_importer_rejects_fails_the_load_and_changes_nothing(standard_catalog, one_domain_copy):
    name, copy = one_domain_copy

    def break_channels(cells, sheet):
        cells[sheet.column("channels").index] = "■飞鸽传书"
        cells[sheet.column("time_limit_text").index] = "改动不应保存"

    row = _rewrite_first_row(copy, break_channels)
    before = snapshot()
    with pytest.raises(StandardCatalogError, match="飞鸽传书"):
        load_standard_catalog([(name, copy)])
    assert snapshot() == before
    assert entry_for(name, row.names).time_limit_text != "改动不应保存"


def test_the_demo_county_compiles_its_catalog_from_the_shipped_rows(demo):
    from django.core.management import call_command

    from disclosure.models import DisclosureItem

    # Townships adopt every 乡级 standard entry, the county every 县级 one.
    for short_name, level in (("城关镇", "level_township"), ("河西乡", "level_township"), ("示范县", "level_county")):
        wanted = set(CatalogEntry.objects.standard().filter(**{level: True}).values_list("pk", flat=True))
        adopted = set(Adoption.objects.filter(organization=demo[short_name]).values_list("entry_id", flat=True))
        assert wanted and wanted <= adopted, short_name
    # A department adopts the domains it is responsible for, shipped rows included.
    finance = CatalogEntry.objects.get(parent=None, name="财政预决算")
    shipped = finance.get_descendants().filter(organization=None, is_example=False)
    assert shipped.exists()
    assert set(shipped.values_list("pk", flat=True)) <= set(
        Adoption.objects.filter(organization=demo["县财政局"]).values_list("entry_id", flat=True)
    )
    # No invented example beside shipped guideline rows.
    for domain in CatalogEntry.objects.domains():
        if domain.get_descendants().filter(organization=None, is_example=False).exists():
            assert not domain.get_descendants().filter(is_example=True).exists(), domain.name
    # Published demo items fulfil real entries of several domains.
    linked = {
        entry.get_root().name
        for item in DisclosureItem.objects.public()
        for entry in item.catalog_entries.all()
        if not entry.is_example and entry.source is not None
    }
    assert len(linked) >= 4, linked
    # Loading the demo again changes nothing.
    before = (
        CatalogEntry.objects.count(),
        Adoption.objects.count(),
        Adjustment.objects.count(),
        DisclosureItem.objects.count(),
    )
    call_command("load_demo", "--without-debug", stdout=io.StringIO())
    assert (
        CatalogEntry.objects.count(),
        Adoption.objects.count(),
        Adjustment.objects.count(),
        DisclosureItem.objects.count(),
    ) == before
