"""The staff pages end to end, and the organisation boundary tried on every URL."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from disclosure import services
from disclosure.models import DisclosureAttribute, DisclosureItem, ItemState
from tests.disclosure.conftest import pdf_upload


def login(client, user):
    client.force_login(user)
    return client


def test_clerk_drafts_uploads_submits_and_reviewer_publishes(client, county):
    login(client, county.clerk)
    response = client.post(
        "/gkgl/new/",
        {
            "organization": county.civil.pk,
            "kind": "document",
            "title": "关于发放2026年春节低保一次性补贴的通知",
            "catalog_entries": [county.entry.pk],
            "disclosure_attribute": "proactive",
            "document_type": "other",
            "document_number": "示民发【2026】5号",
            "formed_on": "2026-01-10",
            "body": "每户发放500元。",
        },
    )
    item = DisclosureItem.objects.get(title__startswith="关于发放2026年春节")
    assert response.status_code == 302 and response["Location"] == f"/gkgl/item/{item.pk}/"
    assert item.document_number == "示民发〔2026〕5号"
    client.post(f"/gkgl/item/{item.pk}/attachments/", {"file": pdf_upload("补贴名单.pdf")})
    assert item.attachments.get().original_name == "补贴名单.pdf"
    client.post(f"/gkgl/item/{item.pk}/submit/")
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED

    login(client, county.reviewer)
    queue = client.get("/gkgl/queue/").content.decode()
    assert item.title in queue
    client.post(f"/gkgl/item/{item.pk}/sign-off/", {"comment": "不涉密"})
    client.post(f"/gkgl/item/{item.pk}/publish/", {"publish_at": ""})
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED and item.index_number
    assert item.title in client.get("/zwgk/xxgk/").content.decode()


def test_bad_form_input_gets_a_chinese_message_and_changes_nothing(client, county):
    login(client, county.clerk)
    response = client.post(
        "/gkgl/new/",
        {
            "organization": county.civil.pk,
            "kind": "document",
            "title": "文号错误",
            "document_type": "other",
            "document_number": "第十号文件",
            "formed_on": "2026-01-10",
            "body": "x",
        },
    )
    assert response.status_code == 200
    assert "文号“第十号文件”格式不正确" in response.content.decode()
    assert not DisclosureItem.objects.filter(title="文号错误").exists()


def test_impossible_action_by_url_shows_a_message(client, county, make_item):
    item = make_item()
    login(client, county.reviewer)
    response = client.post(f"/gkgl/item/{item.pk}/publish/", follow=True)
    assert "当前状态为“草稿”，不能发布" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


def test_upload_of_a_disguised_file_is_refused_on_the_page(client, county, make_item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_item()
    login(client, county.clerk)
    response = client.post(
        f"/gkgl/item/{item.pk}/attachments/",
        {"file": SimpleUploadedFile("通知.pdf", b"<script>alert(1)</script>")},
        follow=True,
    )
    assert "无法识别文件“通知.pdf”的内容" in response.content.decode()
    assert item.attachments.count() == 0


def test_reviewer_is_warned_when_interpretation_is_missing(client, county, make_item):
    item = make_item(title="低保办法", entries=[county.policy_entry])
    services.submit(county.clerk, item)
    login(client, county.reviewer)
    assert "尚无政策解读" in client.get("/gkgl/queue/").content.decode()
    assert "尚无政策解读" in client.get(f"/gkgl/item/{item.pk}/").content.decode()


def test_late_items_are_flagged_on_the_dashboard(client, county, make_item):
    late = make_item(title="逾期的信息", formed_on=timezone.localdate() - dt.timedelta(days=90))
    fresh = make_item(title="新信息", formed_on=timezone.localdate())
    login(client, county.clerk)
    page = client.get("/gkgl/").content.decode()
    section = page.split("逾期未公开", 1)[1].split("本机构信息", 1)[0]
    assert late.title in section and fresh.title not in section


def test_reassessment_page_lists_due_withheld_items_and_records_decision(client, county, make_item):
    item = make_item(
        title="内部请示", disclosure_attribute=DisclosureAttribute.WITHHELD, attribute_reason="内部事务信息"
    )
    services.submit(county.clerk, item)
    services.file_withheld(county.reviewer, item)
    DisclosureItem.objects.filter(pk=item.pk).update(withheld_on=timezone.localdate() - dt.timedelta(days=400))
    login(client, county.reviewer)
    page = client.get("/gkgl/reassessment/").content.decode()
    assert "内部请示" in page and "应复核" in page
    client.post("/gkgl/reassessment/", {"item": item.pk, "decision": "release", "reason": "已不属于内部事务"})
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and item.disclosure_attribute == DisclosureAttribute.PROACTIVE
    assert client.post("/gkgl/reassessment/", {"item": "abc"}).status_code == 404


def test_coverage_flags_missing_and_late_entries(client, county, make_item, publish_item):
    publish_item(title="按时发布的办事指南", formed_on=timezone.localdate())
    late = make_item(
        title="逾期的征地信息", entries=[county.land_entry], formed_on=timezone.localdate() - dt.timedelta(days=90)
    )
    login(client, county.reviewer)
    response = client.get("/gkgl/coverage/")
    rows = {r.adoption.entry.name: r for r in response.context["rows"]}
    assert rows["办事指南"].status == "ok" and rows["办事指南"].latest.title == "按时发布的办事指南"
    assert rows["政策法规文件"].status == "missing"
    assert rows["征收土地信息"].status == "missing"  # nothing published yet, one late pending
    assert "最低生活保障" not in rows  # groups are covered through their entries
    publish_item(late)
    rows = {r.adoption.entry.name: r for r in client.get("/gkgl/coverage/").context["rows"]}
    assert rows["征收土地信息"].status == "late"


def test_coverage_query_count_is_bounded(client, county, publish_item, django_assert_max_num_queries):
    for n in range(3):
        publish_item(title=f"信息{n}")
    login(client, county.reviewer)
    with django_assert_max_num_queries(12):
        client.get("/gkgl/coverage/")


STAFF_URLS = [
    ("get", "/gkgl/item/{item}/"),
    ("get", "/gkgl/item/{item}/edit/"),
    ("post", "/gkgl/item/{item}/edit/"),
    ("post", "/gkgl/item/{item}/attachments/"),
    ("post", "/gkgl/item/{item}/attachments/{attachment}/delete/"),
    ("post", "/gkgl/item/{item}/submit/"),
    ("post", "/gkgl/item/{item}/sign-off/"),
    ("post", "/gkgl/item/{item}/publish/"),
    ("post", "/gkgl/item/{item}/return/"),
    ("post", "/gkgl/item/{item}/withhold/"),
    ("post", "/gkgl/item/{item}/withdraw/"),
    ("post", "/gkgl/item/{item}/validity/"),
    ("post", "/gkgl/item/{item}/revise/"),
    ("get", "/gkgl/file/{attachment}/"),
    ("get", "/gkgl/coverage/?org={org}"),
]


@pytest.mark.parametrize("method, url", STAFF_URLS)
@pytest.mark.parametrize("intruder", ["west_clerk", "west_reviewer"])
def test_another_township_cannot_reach_any_staff_url(client, county, make_item, method, url, intruder):
    item = make_item(organization=county.east, actor=county.east_clerk, title="城关镇草稿")
    attachment = services.add_attachment(county.east_clerk, item, pdf_upload())
    login(client, getattr(county, intruder))
    url = url.format(item=item.pk, attachment=attachment.pk, org=county.east.pk)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {"comment": "x", "reason": "x", "title": "改"})
    assert response.status_code in (403, 404), url
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT and item.title == "城关镇草稿"
    assert item.attachments.count() == 1


def test_another_township_does_not_see_items_in_lists(client, county, make_item):
    item = make_item(organization=county.east, actor=county.east_clerk, title="城关镇的秘密草稿")
    services.submit(county.east_clerk, item)
    login(client, county.west_reviewer)
    assert item.title not in client.get("/gkgl/").content.decode()
    assert item.title not in client.get("/gkgl/queue/").content.decode()
    assert item.title not in client.get("/gkgl/reassessment/").content.decode()


def test_county_reviewer_sees_township_items_but_cannot_sign_off(client, county, make_item):
    item = make_item(organization=county.east, actor=county.east_clerk, title="城关镇信息")
    services.submit(county.east_clerk, item)
    login(client, county.county_reviewer)
    assert item.title in client.get("/gkgl/queue/").content.decode()
    response = client.post(f"/gkgl/item/{item.pk}/sign-off/")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.confidentiality_signed_at is None


def test_anonymous_and_roleless_users_are_kept_out(client, county, make_user):
    assert client.get("/gkgl/").status_code == 302
    login(client, make_user("nobody", county.civil))
    assert client.get("/gkgl/").status_code == 403


def test_clerk_cannot_open_reviewer_pages(client, county):
    login(client, county.clerk)
    assert client.get("/gkgl/queue/").status_code == 403
    assert client.get("/gkgl/reassessment/").status_code == 403


def test_subscription_confirm_notify_unsubscribe(client, county, publish_item, deliver_outbox):
    client.post("/zwgk/xxgk/subscribe/", {"email": "Citizen@Example.invalid", "domain": county.domain.pk})
    assert deliver_outbox() == ["sent"]
    assert len(mail.outbox) == 1
    confirm = next(line for line in mail.outbox[0].body.splitlines() if "/subscribe/confirm/" in line).strip()
    publish_item(title="确认前发布")  # not confirmed yet: nothing sent
    assert deliver_outbox() == []
    assert len(mail.outbox) == 1
    assert client.get(confirm[confirm.index("/zwgk/") :]).status_code == 200
    from disclosure import subscriptions

    item = publish_item(title="确认后发布的低保信息")
    # The publication recorded the notice; announcing the same version again records nothing more.
    assert subscriptions.notify_published(item.pk) == 0
    assert deliver_outbox() == ["sent"]
    message = mail.outbox[-1]
    assert message.to == ["citizen@example.invalid"] and item.title in message.subject
    unsubscribe = next(line for line in message.body.splitlines() if "/unsubscribe/" in line).strip()
    path = unsubscribe[unsubscribe.index("/zwgk/") :]
    assert "确认退订" in client.get(path).content.decode()
    client.post(path)
    assert subscriptions.notify_published(item.pk) == 0
    assert deliver_outbox() == []


def test_publication_sends_notifications_after_commit(
    county, publish_item, django_capture_on_commit_callbacks, deliver_outbox
):
    from disclosure import subscriptions

    sub = subscriptions.subscribe("a@example.invalid", organization=county.gov)
    subscriptions.confirm(sub.token)
    deliver_outbox()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = publish_item(title="城关镇上级也能收到")
    assert mail.outbox == []  # the publication only records the notice
    assert deliver_outbox() == ["sent"]
    assert [m.to for m in mail.outbox] == [["a@example.invalid"]]
    assert "/unsubscribe/" in mail.outbox[0].body and item.title in mail.outbox[0].body


def test_subscription_needs_a_target(client, county):
    response = client.post("/zwgk/xxgk/subscribe/", {"email": "a@example.invalid"})
    assert "请选择要订阅的领域或机构" in response.content.decode()
    assert len(mail.outbox) == 0
