"""The admin: scoped lists, read-only published items, bulk import of an old site's items and export."""
import io

import tablib
from django.utils import timezone

from disclosure import services
from disclosure.admin import DisclosureItemResource
from disclosure.models import DisclosureItem, IndexCounter, ItemState


def test_admin_list_is_scoped_to_the_subtree(client, county, make_item):
    mine = make_item(title="民政局的信息")
    other = make_item(title="河西乡的信息", organization=county.other_town, actor=county.other_clerk)
    client.force_login(county.clerk)
    page = client.get("/admin/disclosure/disclosureitem/").content.decode()
    assert mine.title in page and other.title not in page
    assert client.get(f"/admin/disclosure/disclosureitem/{other.pk}/change/").status_code in (302, 403, 404)


def test_published_item_is_read_only_in_admin(client, county, publish_item):
    item = publish_item()
    client.force_login(county.clerk)
    response = client.post(f"/admin/disclosure/disclosureitem/{item.pk}/change/", {"title": "偷偷改"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "偷偷改"


def _dataset(rows):
    headers = ["organization_code", "index_number", "title", "published_at", "document_number", "catalog_entry_ids",
               "body"]
    return tablib.Dataset(*rows, headers=headers)


def test_import_keeps_old_index_numbers_and_never_reuses_them(county, publish_item):
    code = county.civil.code
    year = timezone.localdate().year
    data = _dataset([
        [code, f"{code}/{year}-00007", "旧网站的信息一", f"{year}-01-05 09:00:00", "示民发[2024]3号",
         str(county.entry.pk), "<p>正文</p><script>x</script>"],
        [code, "", "旧网站的信息二（无索引号）", f"{year}-01-06 09:00:00", "", "", "正文"],
    ])
    result = DisclosureItemResource(user=county.county_admin).import_data(data, dry_run=False, user=county.county_admin)
    assert not result.has_errors() and not result.has_validation_errors(), [
        r.errors or r.validation_error for r in result.rows]
    first = DisclosureItem.objects.get(title="旧网站的信息一")
    second = DisclosureItem.objects.get(title="旧网站的信息二（无索引号）")
    assert first.state == ItemState.PUBLISHED and first.index_number == f"{code}/{year}-00007"
    assert first.document_number == "示民发〔2024〕3号" and "<script>" not in first.body
    assert list(first.catalog_entries.all()) == [county.entry]
    assert second.index_number == f"{code}/{year}-00008"
    assert IndexCounter.objects.get(organization=county.civil, year=year).last_serial == 8
    assert publish_item().index_number == f"{code}/{year}-00009"


def test_import_refuses_duplicate_numbers_and_other_organisations(county, publish_item, make_user):
    existing = publish_item()
    duplicate = _dataset([[county.civil.code, existing.index_number, "重复索引号", "2026-01-05 09:00:00", "", "", "x"]])
    result = DisclosureItemResource(user=county.county_admin).import_data(
        duplicate, dry_run=False, user=county.county_admin)
    assert result.has_errors() or result.has_validation_errors()
    town_admin = make_user("t_town_admin", county.town, "管理员")
    foreign = _dataset([[county.other_town.code, "", "别的乡的信息", "2026-01-05 09:00:00", "", "", "x"]])
    result = DisclosureItemResource(user=town_admin).import_data(foreign, dry_run=False, user=town_admin)
    assert result.has_errors() or result.has_validation_errors()
    assert not DisclosureItem.objects.filter(title__in=["重复索引号", "别的乡的信息"]).exists()


def test_export_lists_scoped_items(county, publish_item, make_item):
    item = publish_item()
    make_item(title="河西乡草稿", organization=county.other_town, actor=county.other_clerk)
    data = DisclosureItemResource(user=county.clerk).export()
    titles = data["title"]
    assert item.title in titles and "河西乡草稿" not in titles
    assert item.index_number in data["index_number"]
    csv = data.export("csv")
    assert "index_number" in io.StringIO(csv).readline()


def test_admin_pages_render_for_an_org_admin(client, county, publish_item):
    item = publish_item()
    client.force_login(county.county_admin)
    for url in ("/admin/disclosure/disclosureitem/", "/admin/disclosure/disclosureitem/add/",
                f"/admin/disclosure/disclosureitem/{item.pk}/change/", "/admin/disclosure/disclosureitem/import/",
                "/admin/disclosure/disclosureitem/export/", "/admin/disclosure/itemversion/"):
        assert client.get(url).status_code == 200, url
