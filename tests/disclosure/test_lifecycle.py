import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from disclosure import services
from disclosure.models import (
    DisclosureAttribute,
    DisclosureItem,
    IndexCounter,
    ItemState,
    ItemVersion,
    Reassessment,
    Validity,
)
from portal import audit


def verbs(item):
    return [e.verb for e in audit.entries_for(item)]


def test_draft_to_published_through_review(county, make_item):
    item = make_item()
    assert item.state == ItemState.DRAFT
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item, note="不涉及国家秘密")
    published = services.publish(county.reviewer, item)
    published.refresh_from_db()
    assert published.state == ItemState.PUBLISHED
    year = timezone.localdate().year
    assert published.index_number == f"{county.civil.code}/{year}-00001"
    assert published.published_at is not None
    assert published.confidentiality_signed_by == county.reviewer
    assert published.versions.count() == 1
    assert {"新建草稿", "提交审核", "保密审查签发", "发布"} <= set(verbs(published))


def test_submit_requires_attribute_and_reason(county, make_item):
    item = make_item(disclosure_attribute="")
    with pytest.raises(ValidationError, match="公开属性"):
        services.submit(county.clerk, item)
    services.update_draft(county.clerk, item, disclosure_attribute=DisclosureAttribute.ON_REQUEST)
    with pytest.raises(ValidationError, match="理由"):
        services.submit(county.clerk, item)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    services.update_draft(county.clerk, item, attribute_reason="涉及个人隐私，依《条例》第十五条")
    assert services.submit(county.clerk, item).state == ItemState.SUBMITTED


def test_publish_without_sign_off_is_refused_and_changes_nothing(county, make_item):
    item = make_item()
    services.submit(county.clerk, item)
    with pytest.raises(ValidationError, match="保密审查"):
        services.publish(county.reviewer, item)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    assert item.index_number == ""
    assert not IndexCounter.objects.exists()


def test_sign_off_only_by_reviewer_of_the_same_organisation(county, make_item):
    item = make_item()
    services.submit(county.clerk, item)
    with pytest.raises(PermissionDenied, match="保密审查"):
        services.sign_off_confidentiality(county.county_reviewer, item)
    with pytest.raises(PermissionDenied):
        services.sign_off_confidentiality(county.clerk, item)
    item.refresh_from_db()
    assert item.confidentiality_signed_at is None


def test_clerk_cannot_publish_and_reviewer_of_other_township_cannot_touch(county, make_item):
    item = make_item(organization=county.east, actor=county.east_clerk)
    services.submit(county.east_clerk, item)
    with pytest.raises(PermissionDenied):
        services.publish(county.east_clerk, item)
    with pytest.raises(PermissionDenied):
        services.return_item(county.west_reviewer, item, comment="不行")
    with pytest.raises(PermissionDenied):
        services.update_draft(county.west_clerk, item, title="改")
    with pytest.raises(PermissionDenied):
        services.create_draft(county.west_clerk, county.east, title="越权", body="x")


def test_return_requires_comment_and_clears_sign_off(county, make_item):
    item = make_item()
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    with pytest.raises(ValidationError, match="退回意见"):
        services.return_item(county.reviewer, item, comment="  ")
    returned = services.return_item(county.reviewer, item, comment="请补充办理流程")
    assert returned.state == ItemState.RETURNED
    assert returned.review_comment == "请补充办理流程"
    assert returned.confidentiality_signed_at is None
    services.update_draft(county.clerk, returned, body="<p>补充了办理流程</p>")
    assert services.submit(county.clerk, returned).state == ItemState.SUBMITTED


@pytest.mark.parametrize(
    "call",
    [
        lambda c, i: services.publish(c.reviewer, i),
        lambda c, i: services.withdraw(c.reviewer, i, reason="误发"),
        lambda c, i: services.sign_off_confidentiality(c.reviewer, i),
        lambda c, i: services.return_item(c.reviewer, i, comment="x"),
        lambda c, i: services.begin_revision(c.clerk, i, note="x"),
        lambda c, i: services.change_validity(c.reviewer, i, Validity.REPEALED, on_date=dt.date(2026, 5, 1)),
    ],
)
def test_impossible_transitions_from_draft_say_why_and_change_nothing(county, make_item, call):
    item = make_item()
    before = verbs(item)
    with pytest.raises(ValidationError) as info:
        call(county, item)
    assert "草稿" in " ".join(info.value.messages)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    assert verbs(item) == before


def test_published_item_cannot_be_edited_directly(county, publish_item):
    item = publish_item()
    with pytest.raises(ValidationError, match="已发布"):
        services.update_draft(county.clerk, item, title="偷偷改")


def test_index_numbers_are_gapless_per_org_and_year_and_never_reused(county, make_item, publish_item):
    first = publish_item()
    second = publish_item(title="第二条")
    services.withdraw(county.reviewer, second, reason="误发")
    third = publish_item(title="第三条")
    town = publish_item(
        make_item(title="镇里的", organization=county.east, actor=county.east_clerk),
        clerk=county.east_clerk,
        reviewer=county.east_reviewer,
    )
    serials = [i.index_number.rsplit("-", 1)[1] for i in (first, second, third)]
    assert serials == ["00001", "00002", "00003"]
    assert town.index_number.endswith("-00001")
    assert town.index_number.startswith(county.east.code)


def test_index_pattern_of_the_organisation_is_used(county, make_item, publish_item):
    county.civil.index_pattern = "MZ-{year}-{serial:04d}"
    county.civil.save()
    item = publish_item()
    assert item.index_number == f"MZ-{timezone.localdate().year}-0001"


def test_scheduled_publication_publishes_itself(county, make_item):
    item = make_item()
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    when = timezone.now() + dt.timedelta(days=2)
    scheduled = services.publish(county.reviewer, item, publish_at=when)
    assert scheduled.state == ItemState.SCHEDULED
    assert scheduled.index_number == ""
    assert services.publish_due() == []
    published = services.publish_due(now=when + dt.timedelta(minutes=1))
    assert [p.pk for p in published] == [item.pk]
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED
    assert item.published_at == when
    assert item.index_number.endswith("-00001")
    assert "定时发布生效" in verbs(item)


def test_publish_scheduled_command(county, make_item):
    from django.core.management import call_command

    item = make_item()
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    DisclosureItem.objects.filter(pk=item.pk).update(
        state=ItemState.SCHEDULED, scheduled_for=timezone.now() - dt.timedelta(minutes=5)
    )
    call_command("publish_scheduled", stdout=__import__("io").StringIO())
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED


def test_revision_keeps_every_earlier_version(county, publish_item):
    item = publish_item(title="低保标准（2026年）", body="<p>每人每月800元</p>")
    revision = services.begin_revision(county.clerk, item, note="更正标准金额")
    item.refresh_from_db()
    assert item.is_public and item.body == "<p>每人每月800元</p>"
    services.update_draft(county.clerk, revision, body="<p>每人每月850元</p>")
    services.submit(county.clerk, revision)
    services.sign_off_confidentiality(county.reviewer, revision)
    result = services.publish(county.reviewer, revision)
    assert result.pk == item.pk
    item.refresh_from_db()
    revision.refresh_from_db()
    assert item.body == "<p>每人每月850元</p>"
    assert item.version_number == 2
    assert revision.state == ItemState.MERGED
    versions = list(ItemVersion.objects.filter(item=item).order_by("number"))
    assert [v.body for v in versions] == ["<p>每人每月800元</p>", "<p>每人每月850元</p>"]
    assert versions[1].change_note == "更正标准金额"
    assert item.index_number.endswith("-00001")  # a revision keeps the number


def test_only_one_open_revision(county, publish_item):
    item = publish_item()
    services.begin_revision(county.clerk, item, note="一")
    with pytest.raises(ValidationError, match="正在办理的修订"):
        services.begin_revision(county.clerk, item, note="二")


def test_repeal_with_date_keeps_item_public(county, publish_item):
    item = publish_item()
    with pytest.raises(ValidationError, match="日期"):
        services.change_validity(county.reviewer, item, Validity.REPEALED, on_date=None)
    services.change_validity(county.reviewer, item, Validity.EXPIRED, on_date=dt.date(2026, 6, 30))
    services.change_validity(county.reviewer, item, Validity.REPEALED, on_date=dt.date(2026, 7, 1))
    item.refresh_from_db()
    assert item.validity == Validity.REPEALED and item.repealed_on == dt.date(2026, 7, 1)
    assert item.is_public
    with pytest.raises(ValidationError, match="废止"):
        services.change_validity(county.reviewer, item, Validity.EXPIRED, on_date=dt.date(2026, 8, 1))


def test_withdraw_needs_reason_and_leaves_tombstone_fields(county, publish_item):
    item = publish_item()
    with pytest.raises(ValidationError, match="撤回原因"):
        services.withdraw(county.reviewer, item, reason="")
    with pytest.raises(PermissionDenied):
        services.withdraw(county.clerk, item, reason="误发")
    services.withdraw(county.reviewer, item, reason="信息有误，已重新发布")
    item.refresh_from_db()
    assert item.state == ItemState.WITHDRAWN
    assert item.withdrawn_at and item.withdrawal_reason == "信息有误，已重新发布"
    assert not DisclosureItem.objects.public().filter(pk=item.pk).exists()


def test_withheld_item_is_filed_and_reassessed(county, make_item):
    item = make_item(disclosure_attribute=DisclosureAttribute.WITHHELD, attribute_reason="涉及商业秘密")
    services.submit(county.clerk, item)
    services.sign_off_confidentiality(county.reviewer, item)
    with pytest.raises(ValidationError, match="不予公开"):
        services.publish(county.reviewer, item)
    services.file_withheld(county.reviewer, item)
    item.refresh_from_db()
    assert item.state == ItemState.WITHHELD
    with pytest.raises(PermissionDenied):
        services.reassess(county.clerk, item, "keep", reason="x")
    services.reassess(county.reviewer, item, "keep", reason="仍涉及商业秘密")
    item.refresh_from_db()
    assert item.state == ItemState.WITHHELD and item.last_reassessed_on == timezone.localdate()
    services.reassess(county.reviewer, item, "release", reason="合同已履行完毕，可以公开")
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    assert item.disclosure_attribute == DisclosureAttribute.PROACTIVE
    assert Reassessment.objects.filter(item=item).count() == 2


def test_due_date_uses_working_days_and_shorter_catalog_limit(county, make_item):
    # 2026-09-25 + 20 working days spans the National Day holiday: 2026-10-29.
    plain = make_item(entries=[], formed_on=dt.date(2026, 9, 25))
    assert plain.due_date == dt.date(2026, 10, 29)
    # The entry's own limit (10 working days) is shorter.
    short = make_item(entries=[county.entry], formed_on=dt.date(2026, 3, 2))
    assert short.due_date == dt.date(2026, 3, 16)
    on_request = make_item(disclosure_attribute=DisclosureAttribute.ON_REQUEST, attribute_reason="依申请")
    assert on_request.due_date is None


def test_late_item_is_flagged(county, make_item):
    item = make_item(formed_on=timezone.localdate() - dt.timedelta(days=60))
    assert item.is_late
    assert any("应公开日期" in w for w in services.review_warnings(item))
    fresh = make_item(formed_on=timezone.localdate())
    assert not fresh.is_late


def test_interpretation_links_both_ways_and_missing_one_warns(county, make_item, publish_item):
    from disclosure.models import ItemKind

    policy = make_item(title="关于印发低保办法的通知", entries=[county.policy_entry])
    assert any("解读" in w for w in services.review_warnings(policy))
    interpretation = make_item(
        title="《低保办法》政策解读",
        kind=ItemKind.INTERPRETATION,
        interpretation_form="qa",
        entries=[],
        interprets=[policy],
    )
    assert not any("解读" in w for w in services.review_warnings(policy))
    assert list(policy.interpretations.all()) == [interpretation]
    assert list(interpretation.interprets.all()) == [policy]


def test_interpretation_must_link_a_policy(county, make_item):
    from disclosure.models import ItemKind

    item = make_item(title="解读", kind=ItemKind.INTERPRETATION, entries=[])
    with pytest.raises(ValidationError, match="政策文件"):
        services.submit(county.clerk, item)


def test_create_draft_for_requests_app(county):
    from portal.models import Role

    officer = __import__("portal.models", fromlist=["User"]).User.objects.create_user(
        "t_officer", password="x", organization=county.civil, is_staff=True
    )
    officer.groups.add(
        __import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.get(name=Role.REQUEST_OFFICER)
    )
    item = services.create_draft(
        officer,
        county.civil,
        title="依申请公开答复转主动公开",
        body="答复内容",
        source_note="由依申请公开答复转为主动公开（条例第四十四条）",
    )
    assert item.state == ItemState.DRAFT
    assert item.disclosure_attribute == DisclosureAttribute.PROACTIVE
    assert item.source_note.startswith("由依申请公开")
