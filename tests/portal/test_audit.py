"""The audit log: admin changes and service calls leave a line saying who did what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from catalog import services as catalog_services
from catalog.models import CatalogEntry
from portal import audit, codes
from portal.models import AuditEntry, Organization, OrganizationKind, User

from .helpers import form_data


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def trail(obj):
    return list(audit.entries_for(obj))


@pytest.fixture
def superuser(demo):
    return User.objects.get(username="admin")


@pytest.fixture
def gk_admin(demo):
    return User.objects.get(username="gk_admin")


def test_admin_add_change_delete_of_an_organisation_is_audited(demo, gk_admin, superuser):
    client = client_for(gk_admin)
    data = form_data(client.get("/admin/portal/organization/add/").content.decode())
    data.update(
        parent=str(demo["河西乡"].pk),
        name="河西乡杨树村村民委员会",
        short_name="杨树村",
        kind=OrganizationKind.VILLAGE,
        code=codes.make_uscc("11990101" + codes.make_org_code("A0000009")),
    )
    response = client.post("/admin/portal/organization/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    village = Organization.objects.get(short_name="杨树村")
    [added] = trail(village)
    assert (added.actor, added.verb, added.object_repr) == (gk_admin, "新增", "河西乡杨树村村民委员会")

    change_url = f"/admin/portal/organization/{village.pk}/change/"
    data = form_data(client.get(change_url).content.decode())
    data.update(office_phone="0000-5550999", office_hours="工作日 9:00—17:00")
    assert client.post(change_url, data).status_code == 302
    changed = trail(village)[0]
    assert changed.verb == "修改" and changed.actor == gk_admin
    assert "咨询电话" in changed.comment and "办公时间" in changed.comment
    assert "名称" not in changed.comment and "机构代码" not in changed.comment

    # Saving without a change adds nothing.
    assert client.post(change_url, form_data(client.get(change_url).content.decode())).status_code == 302
    assert len(trail(village)) == 2

    page = client.get(change_url).content.decode()
    assert 'class="audit-trail"' in page
    assert "操作日志" in page and "咨询电话" in page and "示例管理员" in page

    # The county's admin has no delete permission; the superuser does, and the line outlives the row.
    pk = village.pk
    assert client.post(f"/admin/portal/organization/{pk}/delete/", {"post": "yes"}).status_code == 403
    response = client_for(superuser).post(f"/admin/portal/organization/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=pk).exists()
    deleted = AuditEntry.objects.get(object_id=str(pk), content_type__model="organization", event="delete")
    assert deleted.actor == superuser and deleted.object_repr == "河西乡杨树村村民委员会"


def test_admin_add_change_delete_of_a_standard_catalog_entry_is_audited(demo, superuser):
    client = client_for(superuser)
    domain = CatalogEntry.objects.domains().get(name="社会救助")
    data = form_data(client.get("/admin/catalog/catalogentry/add/").content.decode())
    data.update(parent=str(domain.pk), name="测试事项（审计）", time_limit_text="信息形成之日起20个工作日内")
    response = client.post("/admin/catalog/catalogentry/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = CatalogEntry.objects.get(name="测试事项（审计）")
    assert [(e.verb, e.actor) for e in trail(entry)] == [("新增", superuser)]

    change_url = f"/admin/catalog/catalogentry/{entry.pk}/change/"
    data = form_data(client.get(change_url).content.decode())
    data.update(responsible_body="县民政局（测试）", time_limit_text="信息形成之日起10个工作日内", time_limit_days="10")
    response = client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = trail(entry)[0]
    assert changed.verb == "修改" and "公开主体" in changed.comment and "公开时限" in changed.comment
    page = client.get(change_url).content.decode()
    assert 'class="audit-trail"' in page and "公开主体" in page

    pk = entry.pk
    response = client.post(f"/admin/catalog/catalogentry/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CatalogEntry.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(
        object_id=str(pk), content_type__model="catalogentry", event="delete", actor=superuser
    ).exists()


def test_a_local_entry_added_in_the_admin_is_audited_through_the_service(demo):
    hx_clerk = User.objects.get(username="hx_clerk")
    client = client_for(hx_clerk)
    parent = CatalogEntry.objects.get(parent__name="社会救助", name="临时救助")
    data = form_data(client.get("/admin/catalog/catalogentry/add/").content.decode())
    data.update(parent=str(parent.pk), organization=str(demo["河西乡"].pk), name="河西本地事项（审计）")
    for field in data:
        if "reason" in field:
            data[field] = "本乡需要（测试）"
    response = client.post("/admin/catalog/catalogentry/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = CatalogEntry.objects.get(name="河西本地事项（审计）")
    lines = trail(entry)
    assert len(lines) == 1
    assert lines[0].actor == hx_clerk and "本乡需要（测试）" in lines[0].comment


def test_catalog_services_write_the_audit_log(demo):
    hx_clerk = User.objects.get(username="hx_clerk")
    hexi = demo["河西乡"]
    entry = CatalogEntry.objects.standard().filter(level_township=True).exclude(parent=None).first()
    before = AuditEntry.objects.count()
    catalog_services.exclude(hx_clerk, hexi, entry, reason="本乡无此业务（测试）")
    line = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() > before
    assert line.actor == hx_clerk and "本乡无此业务（测试）" in line.comment
    assert line.verb  # the adjustment's own verb, whatever the catalog calls it
    catalog_services.adopt(hx_clerk, hexi, entry, reason="恢复（测试）")
    assert AuditEntry.objects.order_by("-id").first().comment.count("恢复（测试）") == 1


@pytest.mark.django_db
def test_record_and_entries_for(make_org):
    org = make_org()
    first = audit.record(AnonymousUser(), org, "导入", from_state="草稿", to_state="已发布", comment="批量")
    second = audit.record(None, org, "修改")
    assert first.actor is None and first.object_repr == org.name
    assert (first.from_state, first.to_state) == ("草稿", "已发布")
    assert [e.pk for e in audit.entries_for(org)] == [second.pk, first.pk]
    other = make_org("另一县人民政府")
    assert audit.entries_for(other).count() == 0


@pytest.mark.django_db
def test_long_labels_are_cut_to_their_columns_instead_of_failing(make_org):
    org = make_org()
    entry = audit.record(None, org, "很长的操作" * 20, from_state="状" * 50, to_state="态" * 50, comment="说明" * 500)
    entry.refresh_from_db()
    assert entry.verb == ("很长的操作" * 20)[:60]
    assert len(entry.from_state) == 40 and len(entry.to_state) == 40
    assert entry.comment == "说明" * 500
