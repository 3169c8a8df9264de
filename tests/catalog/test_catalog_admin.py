"""The catalog admin as clerks use it: adopting, excluding, rewording and adding local entries.

Every flow goes through the Django test client like a browser would, including
the intermediate reason page of the actions, and bad input must leave the
database as it was with a message saying why.
"""

import datetime as dt

from django.utils import timezone

from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus

from .admin_pages import CHANGELIST, adoption, login, page_messages, text, today

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
