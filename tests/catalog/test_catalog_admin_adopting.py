"""The catalog admin: the override form, adopting by the add form, from the tree and by level."""

import pytest

from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry, Channel
from portal.models import OrganizationKind

from .admin_pages import CHANGELIST, ENTRIES, adoption, login, page_messages, text, today

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
