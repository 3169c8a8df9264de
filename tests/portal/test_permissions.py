"""A staff user sees and changes only its own organisation's subtree — tried by URL.

The demo county has two townships, 城关镇 and 河西乡. Their staff try every
admin URL of the other township's objects; the county's admin reaches them all.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from catalog import services as catalog_services
from catalog.models import Adjustment, Adoption, AdoptionStatus, CatalogEntry
from portal import services
from portal.models import AuditEntry, Organization, OrganizationKind, Role, ScheduleYear, User
from portal.roles import GRANTS as CORE_GRANTS
from portal.roles import role_permissions

from .helpers import form_data


@pytest.fixture
def county(demo):
    return demo


@pytest.fixture
def users(county, make_user):
    return {
        "cg_clerk": User.objects.get(username="cg_clerk"),
        "hx_clerk": User.objects.get(username="hx_clerk"),
        "gk_admin": User.objects.get(username="gk_admin"),
        "cg_admin": make_user("cg_admin", county["城关镇"], Role.ORG_ADMIN),
        "hx_admin": make_user("hx_admin", county["河西乡"], Role.ORG_ADMIN),
        "hx_nobody": make_user("hx_nobody", county["河西乡"]),
    }


def hexi_objects(county):
    """河西乡's objects, one of each kind an admin URL can reach."""
    hexi = county["河西乡"]
    return {
        "organization": ("portal", "organization", hexi),
        "village": ("portal", "organization", county["柳树村"]),
        "user": ("portal", "user", User.objects.get(username="hx_clerk")),
        "local_entry": ("catalog", "catalogentry", CatalogEntry.objects.get(organization=hexi)),
        "adoption": ("catalog", "adoption", Adoption.objects.filter(organization=hexi).first()),
        "exclusion": (
            "catalog",
            "adoption",
            Adoption.objects.filter(organization=hexi, status=AdoptionStatus.EXCLUDED).first(),
        ),
        "adjustment": ("catalog", "adjustment", Adjustment.objects.filter(organization=hexi).first()),
    }


def fill_reasons(data):
    """Forms that record an adjustment ask why; give a reason so only permissions can refuse."""
    for field in data:
        if "reason" in field and not data[field]:
            data[field] = "测试理由"


def url(app, model, obj, view="change"):
    return f"/admin/{app}/{model}/{obj.pk}/{view}/"


def snapshot(obj):
    fresh = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    assert fresh is not None, f"{obj!r} disappeared"
    return fresh


def refused(response, obj):
    """A 403 or 404, or the admin's redirect saying the object does not exist — and nothing shown."""
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        return response["Location"].rstrip("/") == "/admin"
    return False


KINDS = ["organization", "village", "user", "local_entry", "adoption", "exclusion", "adjustment"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_township_cannot_reach_the_other_townships_objects(county, users, kind):
    for attacker in ("cg_clerk", "cg_admin"):
        try_other_townships_object(Client(), county, users, attacker, kind)


def try_other_townships_object(client, county, users, attacker, kind):
    app, model, obj = hexi_objects(county)[kind]
    assert obj is not None
    before = snapshot(obj)

    # What the rightful admin of 河西乡 (or the county's, for 河西乡 itself) would submit.
    owner = client_for(users["gk_admin"] if kind in ("organization", "adjustment") else users["hx_admin"])
    page = owner.get(url(app, model, obj))
    assert page.status_code == 200
    data = form_data(page.content.decode())
    for field in ("name", "reason", "full_name", "office_phone"):
        if field in data:
            data[field] = "被篡改"
    fill_reasons(data)

    client.force_login(users[attacker])
    changelist = client.get(f"/admin/{app}/{model}/")
    assert changelist.status_code in (200, 403)
    assert url(app, model, obj) not in changelist.content.decode()

    for view in ("change", "delete", "history"):
        response = client.get(url(app, model, obj, view))
        assert refused(response, obj), (view, response.status_code, response.get("Location"))
    assert refused(client.post(url(app, model, obj), data), obj)
    assert refused(client.post(url(app, model, obj, "delete"), {"post": "yes"}), obj)
    if model == "user":
        assert refused(client.get(url(app, model, obj, "password")), obj)
        response = client.post(
            url(app, model, obj, "password"), {"password1": "Zz-taken-over-1", "password2": "Zz-taken-over-1"}
        )
        assert refused(response, obj)
    # The bulk delete action of the changelist sees only the user's own queryset.
    client.post(f"/admin/{app}/{model}/", {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})

    assert snapshot(obj) == before
    assert not AuditEntry.objects.filter(actor=users[attacker]).exclude(content_type=None).exists()


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("kind", KINDS)
def test_the_owner_can_reach_the_same_urls(county, users, kind):
    """The control: the URLs above are the right ones, they open for whoever may use them."""
    app, model, obj = hexi_objects(county)[kind]
    owner = client_for(users["hx_admin"] if kind != "organization" else users["gk_admin"])
    assert owner.get(url(app, model, obj)).status_code == 200
    assert owner.get(url(app, model, obj, "history")).status_code == 200
    assert url(app, model, obj) in owner.get(f"/admin/{app}/{model}/").content.decode()


def test_a_change_posted_by_the_owner_is_saved(county, users):
    """The same form data the attackers sent does work for the owner (so the refusal above is real)."""
    app, model, obj = hexi_objects(county)["local_entry"]
    owner = client_for(users["hx_admin"])
    data = form_data(owner.get(url(app, model, obj)).content.decode())
    data["name"] = "冬春生活救助名单（本地，已改）"
    fill_reasons(data)
    response = owner.post(url(app, model, obj), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    assert obj.name == "冬春生活救助名单（本地，已改）"


def test_the_county_admin_reaches_every_organisation_of_its_subtree(client, county, users):
    client.force_login(users["gk_admin"])
    changelist = client.get("/admin/portal/organization/").content.decode()
    for org in Organization.objects.all():
        assert url("portal", "organization", org) in changelist
        assert client.get(url("portal", "organization", org)).status_code == 200
    data = form_data(client.get(url("portal", "organization", county["柳树村"])).content.decode())
    data["office_phone"] = "0000-5559999"
    assert client.post(url("portal", "organization", county["柳树村"]), data).status_code == 302
    assert Organization.objects.get(pk=county["柳树村"].pk).office_phone == "0000-5559999"


def test_a_township_admin_sees_only_its_subtree(client, county, users):
    client.force_login(users["cg_admin"])
    changelist = client.get("/admin/portal/organization/").content.decode()
    visible = {o.short_name for o in Organization.objects.all() if url("portal", "organization", o) in changelist}
    assert visible == {"城关镇", "南关社区"}
    users_page = client.get("/admin/portal/user/").content.decode()
    assert "cg_clerk" in users_page and "hx_clerk" not in users_page and "gk_admin" not in users_page
    assert "河西乡" not in client.get("/admin/portal/user/?q=hx").content.decode()


def test_a_township_admin_edits_its_own_organisation_but_cannot_move_it(client, county, users):
    chengguan = county["城关镇"]
    client.force_login(users["cg_admin"])
    page = client.get(url("portal", "organization", chengguan))
    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert "parent" not in data  # shown, not editable
    data["office_phone"] = "0000-5551234"
    data["parent"] = str(county["南关社区"].pk)
    response = client.post(url("portal", "organization", chengguan), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    chengguan.refresh_from_db()
    assert chengguan.office_phone == "0000-5551234"
    assert chengguan.parent == county["示范县"]

    # Nor by drag and drop, nor by dropping one of its villages beside it (out of its subtree).
    for cut, pasted, position in [
        (chengguan, county["南关社区"], "last-child"),
        (county["南关社区"], chengguan, "left"),
        (county["南关社区"], chengguan, "right"),
        (county["南关社区"], county["河西乡"], "last-child"),
    ]:
        response = client.post(
            "/admin/portal/organization/",
            {"cmd": "move_node", "cut_item": cut.pk, "pasted_on": pasted.pk, "position": position},
        )
        assert response.content.startswith(b"FAIL"), (cut, pasted, position)
    assert Organization.objects.get(pk=county["南关社区"].pk).parent_id == chengguan.pk
    assert Organization.objects.get(pk=chengguan.pk).parent_id == county["示范县"].pk


def test_the_county_admin_may_drag_inside_its_subtree_and_the_move_is_audited(client, county, users):
    client.force_login(users["gk_admin"])
    village = county["柳树村"]
    response = client.post(
        "/admin/portal/organization/",
        {"cmd": "move_node", "cut_item": village.pk, "pasted_on": county["城关镇"].pk, "position": "last-child"},
    )
    assert response.content.startswith(b"OK")
    assert Organization.objects.get(pk=village.pk).parent_id == county["城关镇"].pk
    entry = AuditEntry.objects.get(object_id=str(village.pk), event="move")
    assert entry.actor == users["gk_admin"] and "城关镇" in entry.comment
    # Beside its own root would make a second root: refused.
    response = client.post(
        "/admin/portal/organization/",
        {"cmd": "move_node", "cut_item": village.pk, "pasted_on": county["示范县"].pk, "position": "left"},
    )
    assert response.content.startswith(b"FAIL")
    assert Organization.objects.filter(parent__isnull=True).count() == 1


def test_a_township_admin_cannot_create_an_organisation_outside_its_subtree(client, county, users):
    client.force_login(users["cg_admin"])
    page = client.get("/admin/portal/organization/add/")
    assert page.status_code == 200
    from portal import codes

    base = {
        "name": "新村村民委员会",
        "short_name": "新村",
        "kind": OrganizationKind.VILLAGE,
        "code": codes.make_uscc("11990101" + codes.make_org_code("N0000001")),
        "index_pattern": "{code}/{year}-{serial:05d}",
        "sort_order": "0",
        "_save": "保存",
    }
    for parent in ("", str(county["河西乡"].pk), str(county["示范县"].pk)):
        response = client.post("/admin/portal/organization/add/", {**base, "parent": parent})
        assert response.status_code == 200  # the form comes back with an error
        assert "errorlist" in response.content.decode()
        assert not Organization.objects.filter(name="新村村民委员会").exists()
    response = client.post("/admin/portal/organization/add/", {**base, "parent": str(county["城关镇"].pk)})
    assert response.status_code == 302
    created = Organization.objects.get(name="新村村民委员会")
    assert created.parent == county["城关镇"]
    assert AuditEntry.objects.filter(object_id=str(created.pk), event="add", actor=users["cg_admin"]).exists()


def test_an_org_admin_cannot_make_a_superuser_or_grant_single_permissions(client, county, users):
    target = users["cg_clerk"]
    other_group = Group.objects.create(name="其他组（测试）")
    other_group.permissions.add(Permission.objects.get(codename="delete_organization"))
    client.force_login(users["cg_admin"])
    page = client.get(url("portal", "user", target))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    assert "其他组（测试）" not in html
    data = form_data(html)
    data["is_superuser"] = "on"
    data["user_permissions"] = [str(Permission.objects.get(codename="delete_organization").pk)]
    data["full_name"] = "城关录入员（改）"
    response = client.post(url("portal", "user", target), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.full_name == "城关录入员（改）"
    assert not target.is_superuser
    assert not target.user_permissions.exists()
    assert not target.has_perm("portal.delete_organization")

    data["groups"] = [str(other_group.pk)]
    response = client.post(url("portal", "user", target), data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not target.groups.filter(pk=other_group.pk).exists()

    # Nor can it move a user out of its subtree.
    data.pop("groups")
    data["organization"] = str(county["河西乡"].pk)
    response = client.post(url("portal", "user", target), data)
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.organization == county["城关镇"]


def test_an_org_admin_cannot_take_over_the_superuser_of_its_organisation(client, county, users):
    superuser = User.objects.get(username="admin")
    assert superuser.organization == county["示范县"]
    client.force_login(users["gk_admin"])
    assert client.get(url("portal", "user", superuser, "password")).status_code == 403
    response = client.post(
        url("portal", "user", superuser, "password"), {"password1": "Zz-taken-over-1", "password2": "Zz-taken-over-1"}
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("Zz-taken-over-1")
    data = form_data(client.get(url("portal", "user", users["cg_clerk"])).content.decode())
    data.update(username="admin", full_name="改名")
    assert client.post(url("portal", "user", superuser), data).status_code == 403
    assert User.objects.get(pk=superuser.pk).full_name != "改名"


def test_an_org_admin_creates_users_only_in_its_subtree(client, county, users):
    client.force_login(users["cg_admin"])
    base = {
        "username": "new_clerk",
        "full_name": "新录入员",
        "password1": "Zz-long-pass-1",
        "password2": "Zz-long-pass-1",
        "_save": "保存",
    }
    for org in ("", str(county["河西乡"].pk)):
        response = client.post("/admin/portal/user/add/", {**base, "organization": org})
        assert response.status_code == 200
        assert not User.objects.filter(username="new_clerk").exists()
    response = client.post("/admin/portal/user/add/", {**base, "organization": str(county["南关社区"].pk)})
    assert response.status_code == 302
    assert User.objects.get(username="new_clerk").organization == county["南关社区"]


def test_a_clerk_cannot_hang_a_local_entry_under_another_townships_entry(client, county, users):
    hexi_entry = CatalogEntry.objects.get(organization=county["河西乡"])
    client.force_login(users["cg_clerk"])
    page = client.get("/admin/catalog/catalogentry/add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert hexi_entry.name not in html
    # Dragging its own local entry to the top level or under 河西乡's entry is refused too.
    own = catalog_services.add_local_entry(
        users["cg_clerk"],
        county["城关镇"],
        hexi_entry.parent,
        name="城关本地事项（测试）",
        reason="测试",
    )
    for pasted, position in ((hexi_entry, "last-child"), (CatalogEntry.objects.domains().first(), "left")):
        response = client.post(
            "/admin/catalog/catalogentry/",
            {"cmd": "move_node", "cut_item": own.pk, "pasted_on": pasted.pk, "position": position},
        )
        assert response.content.startswith(b"FAIL")
    assert CatalogEntry.objects.get(pk=own.pk).parent_id == hexi_entry.parent_id
    # A standard entry cannot be dragged by a clerk at all.
    standard = hexi_entry.parent
    response = client.post(
        "/admin/catalog/catalogentry/",
        {"cmd": "move_node", "cut_item": standard.pk, "pasted_on": standard.parent_id, "position": "right"},
    )
    assert response.content.startswith(b"FAIL")


def test_a_clerk_sees_only_its_subtrees_audit_log(client, county, users):
    client.force_login(users["cg_admin"])
    catalog_services.exclude(
        users["hx_admin"],
        county["河西乡"],
        CatalogEntry.objects.standard().filter(level_township=True).exclude(parent=None).first(),
        reason="河西的理由（测试）",
    )
    page = client.get("/admin/portal/auditentry/?q=")
    assert page.status_code == 200
    assert "河西的理由（测试）" not in client.get("/admin/portal/auditentry/?q=河西").content.decode()
    hx = client_for(users["hx_admin"]).get("/admin/portal/auditentry/").content.decode()
    assert AuditEntry.objects.filter(actor=users["hx_admin"]).exists() and "hx_admin" in hx


# --- services ------------------------------------------------------------------------------------


def some_township_entry():
    return CatalogEntry.objects.standard().filter(level_township=True).exclude(parent=None).first()


def test_catalog_services_refuse_out_of_scope_and_role_less_users(county, users):
    for actor in ("cg_clerk", "cg_admin", "hx_nobody", "anonymous"):
        try_catalog_services(county, users, AnonymousUser() if actor == "anonymous" else users[actor])


def try_catalog_services(county, users, user):
    hexi = county["河西乡"]
    entry = some_township_entry()
    before = Adoption.objects.filter(organization=hexi).count(), Adjustment.objects.count()
    with pytest.raises(PermissionDenied):
        catalog_services.exclude(user, hexi, entry, reason="越权（测试）")
    with pytest.raises(PermissionDenied):
        catalog_services.adopt(user, hexi, entry, reason="越权（测试）")
    with pytest.raises(PermissionDenied):
        catalog_services.override(user, hexi, entry, reason="越权（测试）", responsible_body="越权")
    with pytest.raises(PermissionDenied):
        catalog_services.add_local_entry(user, hexi, entry, name="越权事项", reason="越权（测试）")
    assert (Adoption.objects.filter(organization=hexi).count(), Adjustment.objects.count()) == before
    assert not CatalogEntry.objects.filter(name="越权事项").exists()


def test_catalog_services_work_for_the_owner(county, users):
    entry = some_township_entry()
    catalog_services.exclude(users["hx_clerk"], county["河西乡"], entry, reason="本乡无此业务（测试）")
    assert Adoption.objects.get(organization=county["河西乡"], entry=entry).status == AdoptionStatus.EXCLUDED
    # The county's staff act for every organisation below it.
    catalog_services.adopt(users["gk_admin"], county["河西乡"], entry, reason="恢复（测试）")
    assert Adoption.objects.get(organization=county["河西乡"], entry=entry).status == AdoptionStatus.ADOPTED


def test_a_township_cannot_use_another_townships_local_entry(county, users):
    hexi_entry = CatalogEntry.objects.get(organization=county["河西乡"])
    with pytest.raises((ValidationError, PermissionDenied)):
        catalog_services.exclude(users["cg_clerk"], county["城关镇"], hexi_entry, reason="测试")
    with pytest.raises((ValidationError, PermissionDenied)):
        catalog_services.add_local_entry(
            users["cg_clerk"], county["城关镇"], hexi_entry, name="挂在别人下面", reason="测试"
        )


def test_only_portal_wide_staff_may_load_a_years_schedule(county, users):
    for actor in ("cg_admin", "hx_nobody", "cg_clerk", "anonymous"):
        user = AnonymousUser() if actor == "anonymous" else users[actor]
        with pytest.raises(PermissionDenied):
            services.load_year_schedule(user, 2027, days_off="2027-10-01 国庆节", workdays="")
        assert not ScheduleYear.objects.filter(year=2027).exists()
    services.load_year_schedule(users["gk_admin"], 2027, days_off="2027-10-01 国庆节", workdays="")
    assert ScheduleYear.objects.filter(year=2027).exists()


# --- groups -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_role_groups_exist_after_migrate_with_their_permissions():
    for role in Role:
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        listed = set(role_permissions()[role])
        existing = {
            f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
        }
        assert listed <= existing, f"{role}: roles.py names permissions that do not exist: {listed - existing}"
        assert listed <= granted, f"{role} lacks {listed - granted}"
    assert not Group.objects.get(name=Role.CLERK).permissions.filter(codename__startswith="delete_organization")


@pytest.mark.django_db
def test_role_users_get_the_permissions(make_org, make_user):
    org = make_org()
    clerk = make_user("c1", org, Role.CLERK)
    admin = make_user("a1", org, Role.ORG_ADMIN)
    assert clerk.has_perm("catalog.change_adoption") and not clerk.has_perm("portal.change_organization")
    assert admin.has_perm("portal.change_organization") and admin.has_perm("portal.add_scheduleyear")
    assert not admin.has_perm("portal.delete_organization")


def test_each_app_declares_its_own_role_grants_and_the_core_names_only_its_own():
    """The core knows that roles exist; what a role may do with requests is the requests app's business."""
    for names in CORE_GRANTS.values():
        assert {name.split(".")[0] for name in names} == {"portal"}
    merged = role_permissions()
    assert "requests_app.approve_extension" in merged[Role.REVIEWER]
    assert "annual.publish_report" in merged[Role.REVIEWER]
    assert "requests_app.handle_request" not in merged[Role.CLERK]
