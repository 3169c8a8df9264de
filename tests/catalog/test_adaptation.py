"""Each organisation's own catalog (因地制宜): the services behind every adjustment."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog import services
from catalog.models import Adjustment, AdjustmentAction, Adoption, AdoptionStatus, CatalogEntry, Channel
from portal import audit
from portal.models import OrganizationKind, User


@pytest.fixture
def social(demo):
    """社会救助 and a few of its entries, as the demo county has them."""
    domain = CatalogEntry.objects.get(parent=None, name="社会救助")
    return {
        "domain": domain,
        "dibao": CatalogEntry.objects.get(parent=domain, name="最低生活保障"),
        "guide": CatalogEntry.objects.get(parent__name="最低生活保障", name="办事指南"),
        "review": CatalogEntry.objects.get(parent__name="最低生活保障", name="审核信息"),
        "relief": CatalogEntry.objects.get(parent=domain, name="临时救助"),
        "hexi_local": CatalogEntry.objects.get(organization=demo["河西乡"]),
    }


def user(name):
    return User.objects.get(username=name)


def status(org, entry):
    adoption = Adoption.objects.filter(organization=org, entry=entry).first()
    return adoption.status if adoption else None


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


# --- adopt -------------------------------------------------------------------------------------


def test_adopting_a_domain_adopts_its_whole_subtree_but_not_other_organisations_entries(demo, social):
    nanguan = demo["南关社区"]  # the demo compiles no catalog for communities
    assert not Adoption.objects.filter(organization=nanguan).exists()

    changed = services.adopt(user("cg_clerk"), nanguan, social["domain"], reason="社区承担低保初审公示")

    standard = social["domain"].get_descendants(include_self=True).filter(organization=None)
    adopted = set(
        Adoption.objects.filter(organization=nanguan, status=AdoptionStatus.ADOPTED).values_list("entry_id", flat=True)
    )
    assert adopted == set(standard.values_list("pk", flat=True))
    assert changed == len(adopted)
    # 河西乡's own entry under 临时救助 is 河西乡's, not the community's.
    assert social["hexi_local"].pk not in adopted
    adjustment = services.history(nanguan).get()
    assert (adjustment.action, adjustment.entry, adjustment.reason) == (
        AdjustmentAction.ADOPT,
        social["domain"],
        "社区承担低保初审公示",
    )
    assert adjustment.actor.username == "cg_clerk"
    assert adjustment.effective_date == timezone.localdate()
    assert len(adjustment.changes["entries"]) == changed


def test_adopting_what_is_already_adopted_changes_nothing_and_writes_no_history(demo, social):
    chengguan = demo["城关镇"]
    before = Adjustment.objects.filter(organization=chengguan).count()
    assert services.adopt(user("cg_clerk"), chengguan, social["guide"], reason="重复操作") == 0
    assert Adjustment.objects.filter(organization=chengguan).count() == before


def test_adopting_a_domain_costs_a_bounded_number_of_queries(demo, social, django_assert_max_num_queries):
    nanguan, clerk = demo["南关社区"], user("cg_clerk")
    clerk.organization  # noqa: B018 - load the user's organisation as a logged-in request would
    with django_assert_max_num_queries(12):
        assert services.adopt(clerk, nanguan, social["domain"], reason="编制社区目录") > 5


def test_adopt_for_level_is_idempotent_and_respects_exclusions(demo, make_org):
    township = make_org("示范县新建镇人民政府", parent=demo["示范县"], kind=OrganizationKind.TOWNSHIP)
    admin = user("gk_admin")
    count = services.adopt_for_level(admin, township, reason="按标准目录编制本级目录")
    expected = CatalogEntry.objects.standard().filter(level_township=True).count()
    assert count == expected > 0
    excluded = Adoption.objects.filter(organization=township).first().entry
    services.exclude(admin, township, excluded, reason="本镇不涉及")

    assert services.adopt_for_level(admin, township, reason="再次编制") == 0
    assert status(township, excluded) == AdoptionStatus.EXCLUDED
    # One dated adjustment per domain, each naming the entries it brought in.
    level_adjustments = Adjustment.objects.filter(organization=township, action=AdjustmentAction.ADOPT)
    assert all(a.entry.is_domain for a in level_adjustments)
    assert sum(len(a.changes["entries"]) for a in level_adjustments) == expected


# --- exclude and adopt again ---------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_exclude_requires_a_reason_and_changes_nothing_without_one(demo, social, reason):
    chengguan = demo["城关镇"]
    before = Adjustment.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.exclude(user("cg_clerk"), chengguan, social["guide"], reason=reason)
    assert "请填写调整理由" in str(excinfo.value)
    assert status(chengguan, social["guide"]) == AdoptionStatus.ADOPTED
    assert Adjustment.objects.count() == before


def test_a_reason_longer_than_the_column_is_refused_with_a_message(demo, social):
    with pytest.raises(ValidationError) as excinfo:
        services.exclude(user("cg_clerk"), demo["城关镇"], social["guide"], reason="因" * 301)
    assert "不能超过300个字" in str(excinfo.value)
    assert status(demo["城关镇"], social["guide"]) == AdoptionStatus.ADOPTED


def test_exclude_keeps_history_and_the_audit_trail(demo, social):
    chengguan = demo["城关镇"]
    changed = services.exclude(
        user("cg_clerk"), chengguan, social["review"], reason="初审由社区公示", effective_date=days_ago(3)
    )
    assert changed == 1
    adoption = Adoption.objects.get(organization=chengguan, entry=social["review"])
    assert (adoption.status, adoption.reason) == (AdoptionStatus.EXCLUDED, "初审由社区公示")
    adjustment = services.history(chengguan).filter(action=AdjustmentAction.EXCLUDE).get()
    assert (adjustment.action, adjustment.reason, adjustment.effective_date) == (
        AdjustmentAction.EXCLUDE,
        "初审由社区公示",
        days_ago(3),
    )
    assert adjustment.changes["entries"] == [
        {"id": social["review"].pk, "name": "审核信息", "from": AdoptionStatus.ADOPTED}
    ]
    trail = audit.entries_for(adoption).first()
    assert (trail.verb, trail.from_state, trail.to_state) == ("排除", "已纳入", "不适用")
    assert trail.actor.username == "cg_clerk" and "初审由社区公示" in trail.comment


def _adopted_in(org, group):
    """How many of the group and its rows the organisation has adopted (the shipped rows vary)."""
    return Adoption.objects.filter(
        organization=org, status=AdoptionStatus.ADOPTED, entry__in=group.get_descendants(include_self=True)
    ).count()


def test_excluding_a_group_excludes_what_is_below_it(demo, social):
    chengguan = demo["城关镇"]
    adopted = _adopted_in(chengguan, social["dibao"])
    assert adopted >= 3
    assert services.exclude(user("cg_clerk"), chengguan, social["dibao"], reason="低保业务由县民政局公开") >= adopted
    for entry in (social["dibao"], social["guide"], social["review"]):
        assert status(chengguan, entry) == AdoptionStatus.EXCLUDED


def test_excluding_twice_writes_history_once(demo, social):
    chengguan, clerk = demo["城关镇"], user("cg_clerk")
    services.exclude(clerk, chengguan, social["review"], reason="不适用")
    assert services.exclude(clerk, chengguan, social["review"], reason="再次排除") == 0
    assert Adjustment.objects.filter(organization=chengguan, action=AdjustmentAction.EXCLUDE).count() == 1


def test_adopting_again_after_exclusion(demo, social):
    chengguan, clerk = demo["城关镇"], user("cg_clerk")
    excluded = services.exclude(clerk, chengguan, social["dibao"], reason="暂不适用")
    assert excluded >= 3
    assert services.adopt(clerk, chengguan, social["dibao"], reason="本镇恢复低保审核") >= excluded
    for entry in (social["dibao"], social["guide"], social["review"]):
        assert status(chengguan, entry) == AdoptionStatus.ADOPTED
    assert Adoption.objects.get(organization=chengguan, entry=social["dibao"]).reason == "本镇恢复低保审核"
    latest, previous = list(services.history(chengguan)[:2])
    assert (latest.action, latest.reason) == (AdjustmentAction.ADOPT, "本镇恢复低保审核")
    assert (previous.action, previous.reason) == (AdjustmentAction.EXCLUDE, "暂不适用")


def test_adopting_an_entry_brings_back_its_excluded_parent(demo, social):
    chengguan, clerk = demo["城关镇"], user("cg_clerk")
    services.exclude(clerk, chengguan, social["dibao"], reason="暂不适用")
    services.adopt(clerk, chengguan, social["guide"], reason="办事指南仍需公开")
    assert status(chengguan, social["guide"]) == AdoptionStatus.ADOPTED
    assert status(chengguan, social["dibao"]) == AdoptionStatus.ADOPTED
    assert status(chengguan, social["review"]) == AdoptionStatus.EXCLUDED


# --- override ----------------------------------------------------------------------------------


def test_override_changes_the_effective_values_and_records_old_and_new(demo, social):
    chengguan, entry = demo["城关镇"], social["guide"]
    adoption = Adoption.objects.get(organization=chengguan, entry=entry)
    old_limit, old_body = adoption.effective_time_limit_text, adoption.effective_responsible_body
    adjustment = services.override(
        user("cg_clerk"),
        chengguan,
        entry,
        reason="本镇承诺更短时限",
        time_limit_text="制定或获取信息之日起5个工作日内",
        responsible_body="城关镇人民政府",
        channels=[Channel.NOTICE_BOARD, Channel.WEBSITE, Channel.WEBSITE],
    )
    adoption.refresh_from_db()
    assert adoption.effective_time_limit_text == "制定或获取信息之日起5个工作日内"
    assert adoption.effective_time_limit_days == 5
    assert adoption.effective_responsible_body == "城关镇人民政府"
    # Vocabulary order, each channel once.
    assert adoption.effective_channels == [Channel.WEBSITE, Channel.NOTICE_BOARD]
    assert adjustment.changes["time_limit_text"] == [old_limit, "制定或获取信息之日起5个工作日内"]
    assert adjustment.changes["time_limit_days"] == [10, 5]
    assert adjustment.changes["responsible_body"] == [old_body, "城关镇人民政府"]
    lines = services.describe_changes(adjustment)
    assert f"公开时限：{old_limit} → 制定或获取信息之日起5个工作日内" in lines
    # Whatever the shipped row's channels were, the new ones are named in vocabulary order.
    assert any(
        line.startswith("公开渠道和载体：") and line.endswith(" → 政府网站、社区/企事业单位/村公示栏（电子屏）")
        for line in lines
    )
    # The standard entry itself is untouched.
    entry.refresh_from_db()
    assert entry.time_limit_text == old_limit


def test_override_back_to_the_standard_wording_follows_the_standard_again(demo, social):
    chengguan, entry, clerk = demo["城关镇"], social["guide"], user("cg_clerk")
    services.override(clerk, chengguan, entry, reason="临时调整", responsible_body="城关镇党政办")
    services.override(clerk, chengguan, entry, reason="恢复标准", responsible_body=entry.responsible_body)
    adoption = Adoption.objects.get(organization=chengguan, entry=entry)
    assert adoption.responsible_body == ""
    entry.responsible_body = "标准目录修订后的主体"
    entry.save()
    adoption.refresh_from_db()
    assert adoption.effective_responsible_body == "标准目录修订后的主体"


def test_override_without_a_change_writes_no_history(demo, social):
    chengguan = demo["城关镇"]
    before = Adjustment.objects.count()
    assert (
        services.override(
            user("cg_clerk"),
            chengguan,
            social["guide"],
            reason="无变化",
            responsible_body=social["guide"].responsible_body,
        )
        is None
    )
    assert Adjustment.objects.count() == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"channels": ["website", "carrier_pigeon"]}, "未知的公开渠道：carrier_pigeon"),
        ({"time_limit_text": "时" * 301}, "不能超过300个字"),
        ({"status": "excluded"}, "不能调整这些字段：status"),
    ],
)
def test_override_with_bad_values_says_why_and_changes_nothing(demo, social, values, message):
    chengguan = demo["城关镇"]
    before = Adoption.objects.get(organization=chengguan, entry=social["guide"])
    with pytest.raises(ValidationError) as excinfo:
        services.override(user("cg_clerk"), chengguan, social["guide"], reason="测试", **values)
    assert message in str(excinfo.value)
    after = Adoption.objects.get(organization=chengguan, entry=social["guide"])
    assert (after.status, after.channels, after.time_limit_text) == (
        before.status,
        before.channels,
        before.time_limit_text,
    )


def test_an_excluded_entry_cannot_be_overridden(demo, social):
    chengguan, clerk = demo["城关镇"], user("cg_clerk")
    services.exclude(clerk, chengguan, social["review"], reason="不适用")
    with pytest.raises(ValidationError) as excinfo:
        services.override(clerk, chengguan, social["review"], reason="调整", responsible_body="城关镇")
    assert "请先重新纳入" in str(excinfo.value)


def test_a_future_effective_date_is_refused(demo, social):
    with pytest.raises(ValidationError) as excinfo:
        services.override(
            user("cg_clerk"),
            demo["城关镇"],
            social["guide"],
            reason="调整",
            responsible_body="城关镇",
            effective_date=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "不能晚于今天" in str(excinfo.value)
    assert Adoption.objects.get(organization=demo["城关镇"], entry=social["guide"]).responsible_body == ""


# --- local entries -------------------------------------------------------------------------------


def test_add_a_local_entry_under_a_standard_parent(demo, social):
    chengguan = demo["城关镇"]
    entry = services.add_local_entry(
        user("cg_clerk"),
        chengguan,
        social["dibao"],
        name="  低保对象动态调整名单 ",
        reason="本镇每季度公示",
        time_limit_text="每季度结束后15个工作日内",
        channels=[Channel.NOTICE_BOARD],
        proactive=True,
        level_township=True,
    )
    assert (entry.organization, entry.parent, entry.name) == (chengguan, social["dibao"], "低保对象动态调整名单")
    assert entry.time_limit_days == 15
    assert status(chengguan, entry) == AdoptionStatus.ADOPTED
    adjustment = services.history(chengguan).first()
    assert (adjustment.action, adjustment.entry, adjustment.reason) == (
        AdjustmentAction.ADD_LOCAL,
        entry,
        "本镇每季度公示",
    )
    assert "在“最低生活保障”下增加“低保对象动态调整名单”" in services.describe_changes(adjustment)
    # Not part of anyone else's catalog, nor of the standard catalog.
    assert not CatalogEntry.objects.standard().filter(pk=entry.pk).exists()
    assert status(demo["河西乡"], entry) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "办事指南"}, "“最低生活保障”下已有“办事指南”"),
        (
            {
                "name": "",
            },
            "请填写事项名称",
        ),
        ({"name": "本地事项", "reason": ""}, "请填写调整理由"),
        ({"name": "本地事项", "channels": ["pigeon"]}, "未知的公开渠道：pigeon"),
        ({"name": "本地事项", "is_example": True}, "不能填写这些字段：is_example"),
    ],
)
def test_bad_local_entries_are_refused_with_a_message(demo, social, kwargs, message):
    kwargs = {"reason": "本镇需要", **kwargs}
    before = CatalogEntry.objects.count(), Adjustment.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.add_local_entry(user("cg_clerk"), demo["城关镇"], social["dibao"], **kwargs)
    assert message in str(excinfo.value)
    assert (CatalogEntry.objects.count(), Adjustment.objects.count()) == before


def test_a_local_entry_cannot_hang_under_another_organisations_local_entry(demo, social):
    with pytest.raises(ValidationError) as excinfo:
        services.add_local_entry(user("gk_admin"), demo["城关镇"], social["hexi_local"], name="借用", reason="测试")
    assert "其他机构的本地事项" in str(excinfo.value)


def test_changing_a_local_entry_is_a_dated_adjustment(demo, social):
    local, hexi = social["hexi_local"], demo["河西乡"]
    adjustment = services.change_local_entry(
        user("hx_clerk"),
        local,
        reason="改为每月公示",
        time_limit_text="每月5个工作日内",
        channels=[Channel.WEBSITE],
    )
    local.refresh_from_db()
    assert (local.time_limit_text, local.time_limit_days, local.channels) == ("每月5个工作日内", 5, ["website"])
    assert adjustment.organization == hexi and adjustment.action == AdjustmentAction.OVERRIDE
    assert adjustment.changes["time_limit_text"] == ["制定或获取信息之日起10个工作日内", "每月5个工作日内"]


# --- who may do it -------------------------------------------------------------------------------


def _snapshot(org):
    return (
        sorted(Adoption.objects.filter(organization=org).values_list("entry_id", "status", "responsible_body")),
        Adjustment.objects.filter(organization=org).count(),
        CatalogEntry.objects.filter(organization=org).count(),
    )


@pytest.mark.parametrize(
    "attempt",
    [
        lambda s, hexi, actor: services.adopt(actor, hexi, s["review"], reason="越权"),
        lambda s, hexi, actor: services.exclude(actor, hexi, s["guide"], reason="越权"),
        lambda s, hexi, actor: services.override(actor, hexi, s["guide"], reason="越权", responsible_body="越权"),
        lambda s, hexi, actor: services.add_local_entry(actor, hexi, s["dibao"], name="越权事项", reason="越权"),
        lambda s, hexi, actor: services.change_local_entry(actor, s["hexi_local"], reason="越权", name="越权"),
        lambda s, hexi, actor: services.adopt_for_level(actor, hexi, reason="越权"),
    ],
    ids=["adopt", "exclude", "override", "add_local", "change_local", "adopt_for_level"],
)
def test_a_chengguan_clerk_cannot_change_hexis_catalog(demo, social, attempt):
    hexi = demo["河西乡"]
    before = _snapshot(hexi)
    with pytest.raises(PermissionDenied):
        attempt(social, hexi, user("cg_clerk"))
    assert _snapshot(hexi) == before


@pytest.mark.parametrize(
    "attempt",
    [
        lambda s, org, actor: services.adopt(actor, org, s["domain"], reason="审核员不能纳入"),
        lambda s, org, actor: services.exclude(actor, org, s["guide"], reason="审核员不能排除"),
        lambda s, org, actor: services.override(actor, org, s["guide"], reason="审核员", responsible_body="x"),
        lambda s, org, actor: services.add_local_entry(actor, org, s["dibao"], name="审核员事项", reason="x"),
    ],
    ids=["adopt", "exclude", "override", "add_local"],
)
def test_a_reviewer_sees_but_cannot_change_its_own_catalog(demo, social, attempt):
    civil = demo["县民政局"]
    reviewer = user("reviewer")
    assert reviewer.has_perm("catalog.view_adoption")
    before = _snapshot(civil)
    with pytest.raises(PermissionDenied):
        attempt(social, civil, reviewer)
    assert _snapshot(civil) == before


def test_the_county_admin_may_adapt_a_townships_catalog(demo, social):
    assert services.exclude(user("gk_admin"), demo["河西乡"], social["review"], reason="县统一公示") == 1


# --- history -----------------------------------------------------------------------------------


def test_history_is_ordered_by_date_with_reason_and_actor(demo, social):
    chengguan = demo["城关镇"]
    Adjustment.objects.filter(organization=chengguan).delete()  # only this test's adjustments
    services.override(
        user("gk_admin"),
        chengguan,
        social["guide"],
        reason="一调",
        responsible_body="城关镇",
        effective_date=days_ago(30),
    )
    services.adopt(user("cg_clerk"), chengguan, social["domain"], reason="三纳", effective_date=days_ago(5))
    services.exclude(user("cg_clerk"), chengguan, social["review"], reason="二排", effective_date=days_ago(20))

    rows = [(a.effective_date, a.get_action_display(), a.reason, a.actor.username) for a in services.history(chengguan)]
    assert rows == [
        (days_ago(5), "纳入", "三纳", "cg_clerk"),
        (days_ago(20), "排除", "二排", "cg_clerk"),
        (days_ago(30), "调整", "一调", "gk_admin"),
    ]
    # An entry's own history includes what was done to the groups above it.
    assert [a.reason for a in services.history(chengguan, social["review"])] == ["三纳", "二排"]
