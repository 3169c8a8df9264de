"""The clerk's item form (catalog-entry picker, 主题分类, the 正文 editor) and the reviewer's page
(every metadata field, the preview of the public page)."""

import datetime as dt
import importlib

import pytest

from catalog.models import Adoption, AdoptionStatus, CatalogEntry
from disclosure import subjects
from disclosure.forms import ItemForm
from disclosure.models import DisclosureItem, ItemState

FORM = {
    "kind": "document",
    "title": "关于临时救助的通知",
    "disclosure_attribute": "proactive",
    "document_type": "other",
    "formed_on": "2026-03-02",
    "body": "第一段\n\n第二段",
}


def post_new(client, county, **fields):
    client.force_login(county.clerk)
    return client.post("/gkgl/new/", {**FORM, "organization": county.civil.pk, **fields})


# ---------------------------------------------------------------- the catalog-entry picker


def test_picker_offers_only_the_organisations_adopted_entries(county):
    not_adopted = CatalogEntry.objects.create(name="未纳入的事项", parent=county.land)
    form = ItemForm(user=county.clerk)
    offered = dict(form.fields["catalog_entries"].choices)
    assert offered[county.entry.pk] == "社会救助 › 最低生活保障 › 办事指南"
    assert county.land_entry.pk in offered
    assert not_adopted.pk not in offered
    assert county.domain.pk not in offered and county.land.pk not in offered  # domains are never offered


def test_picker_offers_the_organisations_local_entries_but_not_another_ones(county):
    own = CatalogEntry.objects.create(name="本局自定事项", parent=county.group, organization=county.civil)
    Adoption.objects.create(organization=county.civil, entry=own, status=AdoptionStatus.ADOPTED, reason="本地")
    other = CatalogEntry.objects.create(name="城关镇自定事项", parent=county.group, organization=county.east)
    Adoption.objects.create(organization=county.east, entry=other, status=AdoptionStatus.ADOPTED, reason="本地")
    offered = dict(ItemForm(user=county.clerk).fields["catalog_entries"].choices)
    assert own.pk in offered and other.pk not in offered


def test_an_excluded_entry_is_not_offered(county):
    Adoption.objects.filter(organization=county.civil, entry=county.land_entry).update(
        status=AdoptionStatus.EXCLUDED, reason="本局无征地职能"
    )
    offered = dict(ItemForm(user=county.clerk).fields["catalog_entries"].choices)
    assert county.land_entry.pk not in offered and county.entry.pk in offered


def test_posting_an_entry_outside_the_organisations_catalog_is_refused(client, county):
    not_adopted = CatalogEntry.objects.create(name="未纳入的事项", parent=county.land)
    response = post_new(client, county, catalog_entries=[not_adopted.pk])
    assert response.status_code == 200
    assert "“未纳入的事项”不在本机构已纳入的目录事项中" in response.content.decode()
    assert not DisclosureItem.objects.filter(title=FORM["title"]).exists()


def test_picker_follows_the_organisation_chosen_on_the_form(client, county):
    county_entry = CatalogEntry.objects.create(name="县政府专有事项", parent=county.group)
    Adoption.objects.create(organization=county.gov, entry=county_entry, status=AdoptionStatus.ADOPTED, reason="x")
    client.force_login(county.admin)
    # The county's admin files an item for the 民政局: the county's own entry is not the 民政局's.
    response = client.post(
        "/gkgl/new/", {**FORM, "organization": county.civil.pk, "catalog_entries": [county_entry.pk]}
    )
    assert response.status_code == 200 and "不在本机构已纳入的目录事项中" in response.content.decode()
    response = client.post("/gkgl/new/", {**FORM, "organization": county.gov.pk, "catalog_entries": [county_entry.pk]})
    assert response.status_code == 302
    assert list(DisclosureItem.objects.get(title=FORM["title"]).catalog_entries.all()) == [county_entry]


def test_an_organisation_without_a_catalog_gets_a_clear_message(client, county, make_user):
    from portal.models import Role

    clerk = make_user("village_clerk", county.village, Role.CLERK)
    client.force_login(clerk)
    page = client.get("/gkgl/new/").content.decode()
    assert "尚未纳入任何目录事项，暂无可选事项" in page
    assert "标准目录" in page


def test_editing_keeps_an_entry_the_organisation_no_longer_has(county, make_item):
    item = make_item(entries=[county.land_entry])
    Adoption.objects.filter(organization=county.civil, entry=county.land_entry).update(status=AdoptionStatus.EXCLUDED)
    offered = dict(ItemForm(instance=item, user=county.clerk).fields["catalog_entries"].choices)
    assert county.land_entry.pk in offered


# ---------------------------------------------------------------- 主题分类


def test_subject_is_chosen_from_the_standard_list(client, county):
    page = (client.force_login(county.clerk) or client.get("/gkgl/new/")).content.decode()
    assert '<optgroup label="综合政务">' in page and '<option value="综合政务\\政务公开">政务公开</option>' in page
    response = post_new(client, county, catalog_entries=[county.entry.pk], subject="民政、扶贫、救灾\\社会福利")
    assert response.status_code == 302
    assert DisclosureItem.objects.get(title=FORM["title"]).subject == "民政、扶贫、救灾\\社会福利"


def test_a_subject_outside_the_list_is_refused(client, county):
    response = post_new(client, county, catalog_entries=[county.entry.pk], subject="随便写的分类")
    assert response.status_code == 200
    assert "随便写的分类 不在可用的选项中" in response.content.decode()
    assert not DisclosureItem.objects.filter(title=FORM["title"]).exists()


def test_an_old_free_text_subject_is_shown_and_kept_when_editing(client, county, make_item):
    item = make_item(subject="低保专题")
    client.force_login(county.clerk)
    page = client.get(f"/gkgl/item/{item.pk}/edit/").content.decode()
    assert '<option value="低保专题" selected>低保专题</option>' in page
    assert "原有分类（不在标准分类中）" in page
    data = {**FORM, "title": item.title, "catalog_entries": [county.entry.pk], "subject": "低保专题"}
    assert client.post(f"/gkgl/item/{item.pk}/edit/", data).status_code == 302
    item.refresh_from_db()
    assert item.subject == "低保专题"
    detail = client.get(f"/gkgl/item/{item.pk}/").content.decode()
    assert "低保专题" in detail and "非标准分类" in detail


def test_the_subject_list_comes_from_the_configured_file(settings, tmp_path, county):
    path = tmp_path / "subjects.txt"
    path.write_text("# 本省主题分类\n乡村振兴\n  产业发展\n  人居环境\n其他\n", encoding="utf-8")
    settings.DISCLOSURE_SUBJECT_CATEGORIES_FILE = path
    assert subjects.values() == ["乡村振兴\\产业发展", "乡村振兴\\人居环境", "其他"]
    labels = [label for label, _group in ItemForm(user=county.clerk).fields["subject"].choices[1:]]
    assert labels == ["乡村振兴", "其他"]


@pytest.mark.parametrize(
    "typed, standard",
    [
        ("综合政务\\政务公开", "综合政务\\政务公开"),
        ("综合政务/政务公开", "综合政务\\政务公开"),
        (" 综合政务 ＼ 政务公开 ", "综合政务\\政务公开"),
        ("政务公开", "综合政务\\政务公开"),
        ("其他", "其他"),
        ("民政、扶贫、救灾\\社会救助", None),  # not a listed class: kept as typed
        ("低保专题", None),
    ],
)
def test_free_text_subjects_that_mean_a_listed_class_are_recognised(typed, standard):
    assert subjects.canonical(typed) == standard


def test_the_data_migration_maps_matching_free_text_values_only(county, make_item):
    matching = make_item(title="甲", subject="综合政务/政务公开")
    alone = make_item(title="乙", subject="公路")
    kept = make_item(title="丙", subject="低保专题")
    migration = importlib.import_module("disclosure.migrations.0006_subject_standard_values")
    from django.apps import apps

    migration.map_subjects(apps, None)
    for item in (matching, alone, kept):
        item.refresh_from_db()
    assert (matching.subject, alone.subject, kept.subject) == ("综合政务\\政务公开", "工业、交通\\公路", "低保专题")


# ---------------------------------------------------------------- the 正文 editor


def test_the_body_field_is_a_textarea_the_editor_enhances(client, county):
    client.force_login(county.clerk)
    page = client.get("/gkgl/new/").content.decode()
    assert '<textarea name="body"' in page and 'data-body-editor="/static/django_prose_editor/editor.js"' in page
    assert '<script src="/static/js/body-editor.js" type="module"></script>' in page
    assert "/static/django_prose_editor/editor.css" in page
    assert "importmap" not in page and "<style" not in page  # nothing inline: the CSP allows none
    csp = client.get("/gkgl/new/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_the_editors_dialogs_read_chinese_from_the_javascript_catalog(client, county):
    """The bundle labels its dialogs through window.gettext: /jsi18n/ (loaded before it) gives Chinese."""
    client.force_login(county.clerk)
    page = client.get("/gkgl/new/").content.decode()
    assert page.index('<script src="/jsi18n/">') < page.index('<script src="/static/js/body-editor.js"')
    chinese = '"Insert Table": "\\u63d2\\u5165\\u8868\\u683c"'  # 插入表格, as the catalog escapes it
    assert chinese in client.get("/jsi18n/").content.decode()
    client.get("/i18n/lang/en/", {"next": "/"})
    assert chinese not in client.get("/jsi18n/").content.decode()


def test_the_editor_bundle_is_served_from_the_installed_package(client):
    from django.contrib.staticfiles import finders

    found = finders.find("django_prose_editor/editor.js")
    assert found and "site-packages" in found
    assert finders.find("js/body-editor.js")


def test_plain_paragraphs_typed_without_javascript_are_kept(client, county):
    post_new(client, county, catalog_entries=[county.entry.pk], body="第一段<b>加粗</b>\n\n第二段")
    assert DisclosureItem.objects.get(title=FORM["title"]).body == "<p>第一段<b>加粗</b></p><p>第二段</p>"


# ---------------------------------------------------------------- the reviewer's page


@pytest.fixture
def full_item(county, make_item):
    from disclosure import services

    item = make_item(
        subject="民政、扶贫、救灾\\社会福利",
        keywords="低保 临时救助",
        document_number="示民发〔2026〕7号",
        written_on=dt.date(2026, 2, 27),
        effective_on=dt.date(2026, 4, 1),
        five_disclosures="decision",
        body="<p>第一段</p><p><strong>第二段</strong></p>",
    )
    services.submit(county.clerk, item)
    item.refresh_from_db()
    return item


def test_the_review_page_shows_every_metadata_field(client, county, full_item):
    client.force_login(county.reviewer)
    page = client.get(f"/gkgl/item/{full_item.pk}/").content.decode()
    for label, value in [
        ("成文日期", "2026-02-27"),
        ("主题分类", "民政、扶贫、救灾\\社会福利"),
        ("主题词", "低保 临时救助"),
        ("实施日期", "2026-04-01"),
        ("文号", "示民发〔2026〕7号"),
        ("发文机关", "测试县民政局"),
        ("有效性", "有效"),
        ("公开方式", "主动公开"),
        ("信息形成（变更）日期", "2026-03-02"),
        ("录入人", "录入甲"),
    ]:
        assert label in page and value in page, label
    assert "非标准分类" not in page
    assert f'href="/gkgl/item/{full_item.pk}/preview/"' in page


def test_the_preview_renders_the_public_page_for_staff_only(client, county, full_item):
    client.force_login(county.reviewer)
    response = client.get(f"/gkgl/item/{full_item.pk}/preview/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="item-heading">关于调整城乡居民最低生活保障标准的通知</h1>' in page
    assert '<table class="data fields metadata">' in page and "示民发〔2026〕7号" in page
    assert '<div class="item-body"><p>第一段</p><p><strong>第二段</strong></p></div>' in page
    assert "预览" in page and "待审核" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # The public address of a draft is still a 404, and the preview is not public.
    client.logout()
    assert client.get(f"/zwgk/xxgk/item/{full_item.pk}/").status_code == 404
    assert client.get(f"/gkgl/item/{full_item.pk}/preview/").status_code in (302, 403)


def test_staff_of_another_organisation_cannot_preview(client, county, full_item):
    client.force_login(county.west_reviewer)
    assert client.get(f"/gkgl/item/{full_item.pk}/preview/").status_code == 404


def test_preview_links_attachments_to_the_staff_download(client, county, full_item):
    from disclosure import services
    from tests.disclosure.conftest import pdf_upload

    full_item.state = ItemState.DRAFT
    DisclosureItem.objects.filter(pk=full_item.pk).update(state=ItemState.DRAFT)
    attachment = services.add_attachment(county.clerk, full_item, pdf_upload("名单.pdf"))
    client.force_login(county.clerk)
    page = client.get(f"/gkgl/item/{full_item.pk}/preview/").content.decode()
    assert f'href="/gkgl/file/{attachment.pk}/"' in page


def test_a_body_nested_too_deep_is_refused_with_a_message_and_saves_nothing(client, county):
    before = DisclosureItem.objects.count()
    response = post_new(client, county, body="<div>" * 5_000 + "正文")
    assert response.status_code == 200
    assert "正文的格式嵌套超过100层" in response.content.decode()
    assert DisclosureItem.objects.count() == before
