"""The catalog admin: an organisation's own entries, and the read-only history list."""

import pytest

from catalog.models import Adjustment, AdjustmentAction, AdoptionStatus, CatalogEntry, Channel
from portal.models import User

from .admin_pages import ENTRIES, adoption, login, text, today

# --- local entries through the catalog admin --------------------------------------------------------


def local_entry_data(under, owner, **values):
    data = {
        "parent": under.pk,
        "name": "低保对象动态调整名单",
        "code": "",
        "sort_order": 0,
        "organization": owner.pk,
        "content_elements": "调整对象、调整原因",
        "legal_basis": "",
        "time_limit_text": "每季度结束后15个工作日内",
        "time_limit_days": "",
        "responsible_body": "城关镇人民政府",
        "channels": [Channel.NOTICE_BOARD, Channel.WEBSITE],
        "proactive": "on",
        "level_township": "on",
        "five_disclosures": "result",
        "adjustment_reason": "本镇每季度公示低保动态调整",
        "adjustment_date": today(),
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_a_clerk_adds_a_local_entry_with_channels_ticked(client, demo, social):
    chengguan = demo["城关镇"]
    login(client, "cg_clerk")
    form = client.get(f"{ENTRIES}add/")
    assert form.status_code == 200
    assert 'type="checkbox" name="channels" value="notice_board"' in text(form)
    assert 'name="adjustment_reason"' in text(form)

    response = client.post(f"{ENTRIES}add/", local_entry_data(social["dibao"], chengguan))
    assert response.status_code == 302, text(response)
    entry = CatalogEntry.objects.get(name="低保对象动态调整名单")
    assert (entry.organization, entry.parent, entry.time_limit_days) == (chengguan, social["dibao"], 15)
    assert entry.channels == [Channel.WEBSITE, Channel.NOTICE_BOARD]
    assert adoption(chengguan, entry).status == AdoptionStatus.ADOPTED
    record = Adjustment.objects.get(organization=chengguan, action=AdjustmentAction.ADD_LOCAL)
    assert (record.entry, record.reason, record.actor.username) == (entry, "本镇每季度公示低保动态调整", "cg_clerk")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"adjustment_reason": ""}, "请填写调整理由"),
        ({"channels": ["website", "pigeon"]}, "未知的公开渠道：pigeon"),
        ({"name": "办事指南"}, "“最低生活保障”下已有“办事指南”"),
        ({"organization": ""}, "这个字段是必填项"),
    ],
)
def test_bad_local_entries_are_refused_in_the_admin(client, demo, social, values, message):
    login(client, "cg_clerk")
    before = CatalogEntry.objects.count(), Adjustment.objects.count()
    response = client.post(f"{ENTRIES}add/", local_entry_data(social["dibao"], demo["城关镇"], **values))
    assert response.status_code == 200
    assert message in text(response)
    assert (CatalogEntry.objects.count(), Adjustment.objects.count()) == before


@pytest.mark.parametrize("where", ["organization", "parent"])
def test_a_clerk_cannot_add_an_entry_for_or_under_another_township(client, demo, social, where):
    login(client, "cg_clerk")
    values = {"organization": demo["河西乡"].pk} if where == "organization" else {"parent": social["hexi_local"].pk}
    before = CatalogEntry.objects.count()
    response = client.post(f"{ENTRIES}add/", local_entry_data(social["dibao"], demo["城关镇"], **values))
    assert response.status_code == 200 and "errorlist" in text(response)
    assert CatalogEntry.objects.count() == before


def test_standard_entries_are_read_only_for_clerks(client, demo, social):
    entry = social["guide"]
    login(client, "cg_clerk")
    page = client.get(f"{ENTRIES}{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in text(page)
    assert "公开渠道和载体" in text(page)
    refused = client.post(f"{ENTRIES}{entry.pk}/change/", {"name": "改名", "sort_order": 0})
    assert refused.status_code == 403
    entry.refresh_from_db()
    assert entry.name == "办事指南"


def test_only_the_owning_organisation_changes_a_local_entry(client, demo, social):
    local = social["hexi_local"]
    url = f"{ENTRIES}{local.pk}/change/"
    data = local_entry_data(
        local.parent,
        demo["河西乡"],
        name="冬春生活救助名单（本地）",
        time_limit_text="每月5个工作日内",
        adjustment_reason="改为每月公示",
    )

    login(client, "cg_clerk")
    assert client.get(url).status_code == 302  # not in 城关镇's subtree
    client.post(url, data)
    local.refresh_from_db()
    assert local.time_limit_text == "制定或获取信息之日起10个工作日内"

    client.logout()
    login(client, "hx_clerk")
    missing = client.post(url, {**data, "adjustment_reason": ""})
    assert missing.status_code == 200 and "请填写调整理由" in text(missing)
    local.refresh_from_db()
    assert local.time_limit_text == "制定或获取信息之日起10个工作日内"

    saved = client.post(url, data)
    assert saved.status_code == 302
    local.refresh_from_db()
    assert (local.time_limit_text, local.time_limit_days) == ("每月5个工作日内", 5)
    record = Adjustment.objects.get(organization=demo["河西乡"], entry=local, action=AdjustmentAction.OVERRIDE)
    assert record.reason == "改为每月公示"
    assert record.changes["time_limit_text"] == ["制定或获取信息之日起10个工作日内", "每月5个工作日内"]


def test_dragging_cannot_carry_an_entry_to_another_parent(client, demo, social):
    login(client, "cg_clerk")
    standard = client.post(
        ENTRIES,
        {"cmd": "move_node", "cut_item": social["review"].pk, "pasted_on": social["guide"].pk, "position": "left"},
    )
    assert standard.content.startswith(b"FAIL")
    client.logout()
    login(client, "hx_clerk")
    local = social["hexi_local"]
    moved = client.post(
        ENTRIES, {"cmd": "move_node", "cut_item": local.pk, "pasted_on": social["dibao"].pk, "position": "last-child"}
    )
    assert moved.content.startswith(b"FAIL")
    local.refresh_from_db()
    assert local.parent.name == "临时救助"


# --- the history list ----------------------------------------------------------------------------


def test_the_history_list_is_read_only_scoped_and_filterable(client, demo, social):
    from catalog import services

    services.exclude(User.objects.get(username="hx_clerk"), demo["河西乡"], social["review"], reason="河西乡理由")
    services.exclude(User.objects.get(username="cg_clerk"), demo["城关镇"], social["review"], reason="城关镇理由")
    login(client, "cg_clerk")
    listing = client.get("/admin/catalog/adjustment/")
    assert listing.status_code == 200
    assert "城关镇理由" in text(listing) and "河西乡理由" not in text(listing)
    excluded_only = client.get("/admin/catalog/adjustment/", {"action__exact": "exclude"})
    assert {a.action for a in excluded_only.context["cl"].result_list} == {AdjustmentAction.EXCLUDE}
    other_org = client.get("/admin/catalog/adjustment/", {"org": demo["河西乡"].pk})
    assert "河西乡理由" not in text(other_org)
    record = Adjustment.objects.get(reason="城关镇理由")
    page = client.get(f"/admin/catalog/adjustment/{record.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in text(page)
    assert "涉及事项：审核信息" in text(page)
    assert client.get("/admin/catalog/adjustment/add/").status_code == 403
    hexi_record = Adjustment.objects.get(reason="河西乡理由")
    assert client.get(f"/admin/catalog/adjustment/{hexi_record.pk}/change/").status_code == 302
