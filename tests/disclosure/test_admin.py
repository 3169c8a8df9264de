"""The admin: scoped lists, read-only published items, bulk import of an old site's items and export."""

import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosure.admin import DisclosureItemResource
from disclosure.models import DisclosureItem, IndexCounter, ItemState


def test_admin_list_is_scoped_to_the_subtree(client, county, make_item):
    mine = make_item(title="民政局的信息")
    other = make_item(title="河西乡的信息", organization=county.west, actor=county.west_clerk)
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
    headers = [
        "organization_code",
        "index_number",
        "title",
        "published_at",
        "document_number",
        "catalog_entry_ids",
        "body",
    ]
    return tablib.Dataset(*rows, headers=headers)


def test_import_keeps_old_index_numbers_and_never_reuses_them(county, publish_item):
    code = county.civil.code
    year = timezone.localdate().year
    data = _dataset(
        [
            [
                code,
                f"{code}/{year}-00007",
                "旧网站的信息一",
                f"{year}-01-05 09:00:00",
                "示民发[2024]3号",
                str(county.entry.pk),
                "<p>正文</p><script>x</script>",
            ],
            [code, "", "旧网站的信息二（无索引号）", f"{year}-01-06 09:00:00", "", "", "正文"],
        ]
    )
    result = DisclosureItemResource(user=county.admin).import_data(data, dry_run=False, user=county.admin)
    assert not result.has_errors() and not result.has_validation_errors(), [
        r.errors or r.validation_error for r in result.rows
    ]
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
    result = DisclosureItemResource(user=county.admin).import_data(duplicate, dry_run=False, user=county.admin)
    assert result.has_errors() or result.has_validation_errors()
    town_admin = make_user("t_town_admin", county.east, "管理员")
    foreign = _dataset([[county.west.code, "", "别的乡的信息", "2026-01-05 09:00:00", "", "", "x"]])
    result = DisclosureItemResource(user=town_admin).import_data(foreign, dry_run=False, user=town_admin)
    assert result.has_errors() or result.has_validation_errors()
    assert not DisclosureItem.objects.filter(title__in=["重复索引号", "别的乡的信息"]).exists()


def test_export_lists_scoped_items(county, publish_item, make_item):
    item = publish_item()
    make_item(title="河西乡草稿", organization=county.west, actor=county.west_clerk)
    data = DisclosureItemResource(user=county.clerk).export()
    titles = data["title"]
    assert item.title in titles and "河西乡草稿" not in titles
    assert item.index_number in data["index_number"]
    csv = data.export("csv")
    assert "index_number" in io.StringIO(csv).readline()


def test_admin_pages_render_for_an_org_admin(client, county, publish_item):
    item = publish_item()
    client.force_login(county.admin)
    for url in (
        "/admin/disclosure/disclosureitem/",
        "/admin/disclosure/disclosureitem/add/",
        f"/admin/disclosure/disclosureitem/{item.pk}/change/",
        "/admin/disclosure/disclosureitem/import/",
        "/admin/disclosure/disclosureitem/export/",
        "/admin/disclosure/itemversion/",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_edits_the_body_in_the_editor_and_the_subject_from_the_list(client, county, make_item):
    item = make_item(subject="低保专题")
    client.force_login(county.clerk)
    page = client.get(f"/admin/disclosure/disclosureitem/{item.pk}/change/").content.decode()
    assert 'data-body-editor="/static/django_prose_editor/editor.js"' in page
    assert '<script src="/static/js/body-editor.js" type="module"></script>' in page
    assert '<optgroup label="综合政务">' in page
    assert '<option value="低保专题" selected>低保专题</option>' in page  # the old free text is kept


def _admin_form(county, item, user=None, **changes):
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from disclosure.admin import DisclosureItemAdmin

    request = RequestFactory().get("/admin/")
    request.user = user or county.clerk
    model_admin = DisclosureItemAdmin(DisclosureItem, django_admin.site)
    form_class = model_admin.get_form(request, item)
    data = {
        "organization": item.organization_id,
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "catalog_entries": [e.pk for e in item.catalog_entries.all()],
        "disclosure_attribute": "proactive",
        "document_type": item.document_type,
        "formed_on": "2026-03-02",
        "validity": "valid",
        **changes,
    }
    return form_class(data, instance=item)


def test_admin_refuses_an_entry_the_organisation_has_not_adopted(county, make_item):
    from catalog.models import Adoption, AdoptionStatus, CatalogEntry

    item = make_item()
    stray = CatalogEntry.objects.create(name="未纳入的事项", parent=county.land)
    form = _admin_form(county, item, catalog_entries=[stray.pk])
    assert not form.is_valid() and "catalog_entries" in form.errors  # not even offered
    town_only = CatalogEntry.objects.create(name="城关镇纳入的事项", parent=county.land)
    Adoption.objects.create(organization=county.east, entry=town_only, status=AdoptionStatus.ADOPTED, reason="x")
    form = _admin_form(county, item, user=county.admin, catalog_entries=[town_only.pk])
    assert not form.is_valid()
    assert "“城关镇纳入的事项”不在测试县民政局已纳入的目录事项中。" in form.errors["catalog_entries"]
    form = _admin_form(county, item, catalog_entries=[county.land_entry.pk], subject="综合政务\\政务公开")
    assert form.is_valid(), form.errors
    form = _admin_form(county, item, subject="随便写的分类")
    assert not form.is_valid() and "subject" in form.errors


def test_an_admin_edit_makes_a_staff_page_opened_before_it_stale(county, make_item):
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from disclosure import services
    from disclosure.admin import DisclosureItemAdmin

    item = make_item()
    seen = item.lock_version
    form = _admin_form(county, item, title="后台改过的标题")
    assert form.is_valid(), form.errors
    request = RequestFactory().post("/admin/")
    request.user = county.clerk
    DisclosureItemAdmin(DisclosureItem, django_admin.site).save_model(request, form.save(commit=False), form, True)
    with pytest.raises(ValidationError, match="刚刚已被其他人处理"):
        services.submit(county.clerk, item, expected_version=seen)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT and item.title == "后台改过的标题"
