"""The catalog admin as clerks use it: adopting, excluding, rewording and adding local entries.

Every flow goes through the Django test client like a browser would, including
the intermediate reason page of the actions, and bad input must leave the
database as it was with a message saying why.
"""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry, Channel
from portal.models import OrganizationKind, User

CHANGELIST = "/admin/catalog/adoption/"
ENTRIES = "/admin/catalog/catalogentry/"


@pytest.fixture
def social(demo):
    domain = CatalogEntry.objects.get(parent=None, name="社会救助")
    return {
        "domain": domain,
        "dibao": CatalogEntry.objects.get(parent=domain, name="最低生活保障"),
        "guide": CatalogEntry.objects.get(parent__name="最低生活保障", name="办事指南"),
        "review": CatalogEntry.objects.get(parent__name="最低生活保障", name="审核信息"),
        "hexi_local": CatalogEntry.objects.get(organization=demo["河西乡"]),
    }


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def adoption(org, entry):
    return Adoption.objects.get(organization=org, entry=entry)


def page_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response):
    return response.content.decode()


def today():
    return timezone.localdate().isoformat()


# --- the organisation's catalog list -----------------------------------------------------------


def test_a_clerk_lists_only_its_own_subtrees_catalog(client, demo, social):
    login(client, "cg_clerk")
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    listed = {a.organization for a in response.context["cl"].result_list}
    assert listed == {demo["城关镇"]}
    page = text(response)
    # The organisation filter offers the clerk's subtree and nothing else.
    assert "南关社区居民委员会" in page and "河西乡人民政府" not in page
    assert "办事指南" in page and "制定或获取信息之日起10个工作日内" in page


def test_the_catalog_list_costs_a_bounded_number_of_queries(client, demo, django_assert_max_num_queries):
    login(client, "gk_admin")
    assert Adoption.objects.count() > 30
    with django_assert_max_num_queries(20):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == min(Adoption.objects.count(), 100)


# --- exclude with an intermediate reason page, then adopt again ----------------------------------


def test_exclude_asks_for_a_reason_then_keeps_history(client, demo, social):
    chengguan = demo["城关镇"]
    target = adoption(chengguan, social["review"])
    login(client, "cg_clerk")

    first = client.post(CHANGELIST, {"action": "exclude_selected", "_selected_action": [target.pk], "index": 0})
    assert first.status_code == 200
    assert "调整理由" in text(first) and "审核信息" in text(first)
    assert adoption(chengguan, social["review"]).status == AdoptionStatus.ADOPTED

    missing = client.post(
        CHANGELIST,
        {
            "action": "exclude_selected",
            "_selected_action": [target.pk],
            "apply": "1",
            "adjustment_reason": "  ",
            "adjustment_date": today(),
        },
    )
    assert missing.status_code == 200
    assert "请填写调整理由" in text(missing)
    assert adoption(chengguan, social["review"]).status == AdoptionStatus.ADOPTED
    assert not Adjustment.objects.filter(organization=chengguan, action=AdjustmentAction.EXCLUDE).exists()

    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    late = client.post(
        CHANGELIST,
        {
            "action": "exclude_selected",
            "_selected_action": [target.pk],
            "apply": "1",
            "adjustment_reason": "初审名单由社区公示",
            "adjustment_date": future,
        },
    )
    assert "不能晚于今天" in text(late)
    assert adoption(chengguan, social["review"]).status == AdoptionStatus.ADOPTED

    done = client.post(
        CHANGELIST,
        {
            "action": "exclude_selected",
            "_selected_action": [target.pk],
            "apply": "1",
            "adjustment_reason": "初审名单由社区公示",
            "adjustment_date": today(),
        },
    )
    assert done.status_code == 302
    assert any("已排除" in m for m in page_messages(done))
    excluded = adoption(chengguan, social["review"])
    assert (excluded.status, excluded.reason) == (AdoptionStatus.EXCLUDED, "初审名单由社区公示")
    record = Adjustment.objects.get(organization=chengguan, action=AdjustmentAction.EXCLUDE)
    assert (record.reason, record.actor.username, record.effective_date) == (
        "初审名单由社区公示",
        "cg_clerk",
        timezone.localdate(),
    )

    # The excluded row cannot be reworded: its page is read-only and says why.
    page = client.get(f"{CHANGELIST}{excluded.pk}/change/")
    assert page.status_code == 200
    assert 'name="adjustment_reason"' not in text(page)
    assert "初审名单由社区公示" in text(page)

    again = client.post(
        CHANGELIST,
        {
            "action": "adopt_selected",
            "_selected_action": [excluded.pk],
            "apply": "1",
            "adjustment_reason": "社区撤并，恢复由镇公示",
            "adjustment_date": today(),
        },
    )
    assert again.status_code == 302
    assert adoption(chengguan, social["review"]).status == AdoptionStatus.ADOPTED
    # The demo's own adoption of the row (its reasons end in （演示）) is not this test's history.
    history = list(
        Adjustment.objects.filter(organization=chengguan, entry=social["review"]).exclude(reason__endswith="（演示）")
    )
    assert [(a.action, a.reason) for a in history] == [
        (AdjustmentAction.ADOPT, "社区撤并，恢复由镇公示"),
        (AdjustmentAction.EXCLUDE, "初审名单由社区公示"),
    ]


def test_another_townships_rows_cannot_be_acted_on_by_url(client, demo, social):
    hexi_row = adoption(demo["河西乡"], social["review"])
    login(client, "cg_clerk")
    response = client.post(
        CHANGELIST,
        {
            "action": "exclude_selected",
            "_selected_action": [hexi_row.pk],
            "apply": "1",
            "adjustment_reason": "越权",
            "adjustment_date": today(),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert adoption(demo["河西乡"], social["review"]).status == AdoptionStatus.ADOPTED
    assert not Adjustment.objects.filter(organization=demo["河西乡"], reason="越权").exists()

    change_url = f"{CHANGELIST}{hexi_row.pk}/change/"
    assert client.get(change_url).status_code == 302  # "does not exist" for this clerk
    client.post(
        change_url,
        {
            "time_limit_text": "越权",
            "responsible_body": "越权",
            "adjustment_reason": "越权",
            "adjustment_date": today(),
        },
    )
    hexi_row.refresh_from_db()
    assert (hexi_row.time_limit_text, hexi_row.responsible_body) == ("", "")


def test_a_reviewer_sees_the_catalog_but_cannot_change_it(client, demo, social):
    civil = demo["县民政局"]
    row = adoption(civil, social["guide"])
    login(client, "reviewer")
    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    assert "exclude_selected" not in text(listing)
    client.post(
        CHANGELIST,
        {
            "action": "exclude_selected",
            "_selected_action": [row.pk],
            "apply": "1",
            "adjustment_reason": "审核员",
            "adjustment_date": today(),
        },
    )
    assert adoption(civil, social["guide"]).status == AdoptionStatus.ADOPTED

    page = client.get(f"{CHANGELIST}{row.pk}/change/")
    assert page.status_code == 200 and 'name="adjustment_reason"' not in text(page)
    refused = client.post(
        f"{CHANGELIST}{row.pk}/change/",
        {
            "time_limit_text": "审核员改",
            "adjustment_reason": "审核员",
            "adjustment_date": today(),
        },
    )
    assert refused.status_code == 403
    assert adoption(civil, social["guide"]).time_limit_text == ""
    assert client.get(f"{CHANGELIST}add/").status_code == 403


# --- the override form ------------------------------------------------------------------------


def override_data(row, **values):
    data = {
        "time_limit_text": row.effective_time_limit_text,
        "responsible_body": row.effective_responsible_body,
        "channels": list(row.effective_channels),
        "adjustment_reason": "本镇调整",
        "adjustment_date": today(),
    }
    data.update(values)
    return data


def test_the_override_form_shows_the_values_in_force_and_records_old_and_new(client, demo, social):
    chengguan = demo["城关镇"]
    row = adoption(chengguan, social["guide"])
    url = f"{CHANGELIST}{row.pk}/change/"
    login(client, "cg_clerk")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["time_limit_text"] == "制定或获取信息之日起10个工作日内"
    for code, _label in Channel.choices:
        assert f'value="{code}"' in text(page)  # every channel of the vocabulary as a checkbox
    assert 'type="checkbox" name="channels"' in text(page)

    response = client.post(
        url,
        override_data(
            row,
            time_limit_text="制定或获取信息之日起5个工作日内",
            responsible_body="城关镇人民政府",
            channels=[Channel.WEBSITE, Channel.NOTICE_BOARD],
            adjustment_reason="本镇承诺五个工作日内公开",
            status="excluded",
        ),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == AdoptionStatus.ADOPTED  # not a field of the form
    assert (row.effective_time_limit_text, row.effective_time_limit_days) == ("制定或获取信息之日起5个工作日内", 5)
    assert row.effective_responsible_body == "城关镇人民政府"
    assert row.effective_channels == [Channel.WEBSITE, Channel.NOTICE_BOARD]
    record = Adjustment.objects.get(organization=chengguan, action=AdjustmentAction.OVERRIDE)
    assert record.changes["time_limit_text"] == ["制定或获取信息之日起10个工作日内", "制定或获取信息之日起5个工作日内"]
    assert record.reason == "本镇承诺五个工作日内公开" and record.actor.username == "cg_clerk"
    # The history shows on the row's page, old → new.
    page = text(client.get(url))
    assert "公开时限：制定或获取信息之日起10个工作日内 → 制定或获取信息之日起5个工作日内" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"adjustment_reason": ""}, "请填写调整理由"),
        ({"channels": ["website", "pigeon"]}, "未知的公开渠道：pigeon"),
        ({"adjustment_date": "明天"}, "调整日期无法识别"),
        ({"time_limit_text": "时" * 301}, "300"),
    ],
)
def test_bad_override_input_is_refused_with_a_message(client, demo, social, values, message):
    chengguan = demo["城关镇"]
    row = adoption(chengguan, social["guide"])
    login(client, "cg_clerk")
    response = client.post(
        f"{CHANGELIST}{row.pk}/change/", override_data(row, responsible_body="城关镇人民政府", **values)
    )
    assert response.status_code == 200
    assert message in text(response)
    row.refresh_from_db()
    assert (row.responsible_body, row.channels, row.time_limit_text) == ("", None, "")
    assert not Adjustment.objects.filter(organization=chengguan, action=AdjustmentAction.OVERRIDE).exists()


def test_saving_the_override_form_unchanged_writes_no_history(client, demo, social):
    row = adoption(demo["城关镇"], social["guide"])
    login(client, "cg_clerk")
    response = client.post(f"{CHANGELIST}{row.pk}/change/", override_data(row), follow=True)
    assert any("未作改动" in m for m in page_messages(response))
    assert not Adjustment.objects.filter(action=AdjustmentAction.OVERRIDE).exists()


# --- adopting: the add form, the tree's action, the whole level ------------------------------------


def test_adopting_through_the_add_form(client, demo, social):
    nanguan = demo["南关社区"]
    login(client, "cg_clerk")
    page = client.get(f"{CHANGELIST}add/")
    assert page.status_code == 200
    assert "冬春生活救助名单（本地）" not in text(page)  # 河西乡's own entry is not on offer
    response = client.post(
        f"{CHANGELIST}add/",
        {
            "organization": nanguan.pk,
            "entry": social["dibao"].pk,
            "adjustment_reason": "社区承担低保初审",
            "adjustment_date": today(),
        },
    )
    assert response.status_code == 302
    # The group and every shipped row below it.
    assert set(Adoption.objects.filter(organization=nanguan).values_list("entry__name", flat=True)) == {
        e.name for e in social["dibao"].get_descendants(include_self=True)
    }
    refused = client.post(
        f"{CHANGELIST}add/",
        {
            "organization": demo["河西乡"].pk,
            "entry": social["dibao"].pk,
            "adjustment_reason": "越权",
            "adjustment_date": today(),
        },
    )
    assert refused.status_code == 200 and "errorlist" in text(refused)
    assert not Adjustment.objects.filter(reason="越权").exists()


def test_adopting_from_the_tree_for_an_organisation_of_the_subtree(client, demo, social):
    nanguan = demo["南关社区"]
    login(client, "cg_clerk")
    ask = client.post(ENTRIES, {"action": "adopt_into_catalog", "_selected_action": [social["dibao"].pk], "index": 0})
    assert ask.status_code == 200 and 'name="organization"' in text(ask)
    hexi = client.post(
        ENTRIES,
        {
            "action": "adopt_into_catalog",
            "_selected_action": [social["dibao"].pk],
            "apply": "1",
            "organization": demo["河西乡"].pk,
            "adjustment_reason": "越权",
            "adjustment_date": today(),
        },
    )
    assert hexi.status_code == 200 and "errorlist" in text(hexi)
    done = client.post(
        ENTRIES,
        {
            "action": "adopt_into_catalog",
            "_selected_action": [social["dibao"].pk],
            "apply": "1",
            "organization": nanguan.pk,
            "adjustment_reason": "社区承担低保初审",
            "adjustment_date": today(),
        },
    )
    assert done.status_code == 302
    assert Adoption.objects.filter(organization=nanguan, status=AdoptionStatus.ADOPTED).count() == (
        social["dibao"].get_descendant_count() + 1
    )
    assert not Adjustment.objects.filter(reason="越权").exists()


def test_excluding_another_organisations_local_entry_from_the_tree_changes_nothing(client, demo, social):
    login(client, "gk_admin")  # sees 河西乡's entry, but it is not 城关镇's to exclude
    response = client.post(
        ENTRIES,
        {
            "action": "exclude_from_catalog",
            "_selected_action": [social["hexi_local"].pk, social["guide"].pk],
            "apply": "1",
            "organization": demo["城关镇"].pk,
            "adjustment_reason": "测试",
            "adjustment_date": today(),
        },
    )
    assert response.status_code == 302
    assert any("其他机构的本地事项" in m and "未作任何改动" in m for m in page_messages(response))
    # All or nothing: the valid row was not excluded either.
    assert adoption(demo["城关镇"], social["guide"]).status == AdoptionStatus.ADOPTED


def test_compiling_a_new_townships_catalog_by_level(client, demo, make_org):
    township = make_org("示范县新建镇人民政府", parent=demo["示范县"], kind=OrganizationKind.TOWNSHIP)
    login(client, "gk_admin")
    assert "按本级标准目录编制" in text(client.get(CHANGELIST))
    url = f"{CHANGELIST}adopt-level/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"organization": township.pk, "adjustment_reason": "新设镇编制目录", "adjustment_date": today()}
    )
    assert response.status_code == 302
    assert (
        Adoption.objects.filter(organization=township).count()
        == CatalogEntry.objects.standard().filter(level_township=True).count()
    )


def test_a_clerk_cannot_compile_another_townships_catalog(client, demo):
    login(client, "cg_clerk")
    before = Adoption.objects.count()
    response = client.post(
        f"{CHANGELIST}adopt-level/",
        {"organization": demo["河西乡"].pk, "adjustment_reason": "越权", "adjustment_date": today()},
    )
    assert response.status_code == 200 and "errorlist" in text(response)
    assert Adoption.objects.count() == before


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
