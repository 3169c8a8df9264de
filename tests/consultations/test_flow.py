"""The whole consultation: opened, commented, moderated, closed with feedback, linked to the final policy."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Comment, CommentState, ConsultationState, Phase
from portal.models import AuditEntry

from .conftest import solve, token_of

pytestmark = pytest.mark.django_db


def comment_via_form(client, consultation, body="建议第一条增加垃圾分类的内容。", **extra):
    url = reverse("consultations:comment", args=[consultation.pk])
    page = client.get(url).content.decode()
    data = {"body": body, "section": "", "name": "", "contact": "", "website": ""}
    data.update(token=token_of(page), answer=solve(page))
    data.update(extra)
    return client.post(url, data)


def test_citizen_comment_is_hidden_until_moderated_then_feedback_and_final_policy_appear(
    client, county, today, make_consultation, published_item
):
    consultation = make_consultation()
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "正在征集" in page and "2026-06-01 至 2026-06-30（30日）" in page

    response = comment_via_form(
        client, consultation, body="建议第一条写明村民参与。", section="第一条", name="王小明", contact="00005550199"
    )
    assert response.status_code == 200 and "感谢您的意见" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.state == CommentState.PENDING and comment.section == "第一条"

    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "建议第一条写明村民参与" not in page  # not before moderation
    assert "1 条" in page  # but it is counted as received

    services.approve_comment(county.clerk, comment)
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "建议第一条写明村民参与" in page
    assert "王*明" in page and "王小明" not in page and "00005550199" not in page

    # The period is not over: no feedback, no closing.
    with pytest.raises(ValidationError):
        services.record_feedback(county.clerk, consultation, offline_count=0, adopted_count=0, summary="x", groups=[])
    today(dt.date(2026, 7, 1))
    consultation.refresh_from_db()
    assert "close" not in services.available_steps(county.clerk, consultation)
    with pytest.raises(ValidationError):
        services.close(county.clerk, consultation)
    services.record_feedback(
        county.clerk,
        consultation,
        offline_count=2,
        adopted_count=1,
        summary="共收到意见3条，采纳1条。",
        groups=[
            {"summary": "建议写明村民参与", "count": 1, "adoption": "adopted", "reason": "已在第一条增加。"},
            {"summary": "建议取消收费", "count": 2, "adoption": "not_adopted", "reason": "本办法不涉及收费。"},
        ],
    )
    consultation.refresh_from_db()
    assert "close" in services.available_steps(county.clerk, consultation)
    services.close(county.clerk, consultation)
    item = published_item()
    # Seen before the link (the items with a consultation are remembered per content generation)…
    before = client.get(reverse("disclosure:item", args=[item.pk])).content.decode()
    assert reverse("consultations:detail", args=[consultation.pk]) not in before
    services.link_policy(county.clerk, consultation, item.pk)
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.CLOSED
    assert consultation.phase(today.date()) == Phase.FEEDBACK

    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "共收到意见 3 条，采纳 1 条。" in page
    assert "本办法不涉及收费。" in page and "未采纳" in page
    assert reverse("disclosure:item", args=[item.pk]) in page
    # …and the final policy's page links back to the consultation and its feedback.
    item_page = client.get(reverse("disclosure:item", args=[item.pk])).content.decode()
    assert reverse("consultations:detail", args=[consultation.pk]) in item_page
    assert "意见采纳情况" in item_page
    # The audit log holds codes, not sentences.
    events = set(AuditEntry.objects.filter(event__startswith="consultations.").values_list("event", flat=True))
    assert {
        "consultations.create",
        "consultations.publish",
        "consultations.comment",
        "consultations.approve",
        "consultations.record_feedback",
        "consultations.close",
        "consultations.link_policy",
    } <= events


def test_thirty_days_by_default_shorter_only_with_a_recorded_reason(county, today, make_consultation):
    short = make_consultation(publish=False, days=15)
    with pytest.raises(ValidationError) as refused:
        services.publish(county.clerk, short)
    assert "少于30日" in " ".join(refused.value.messages)
    short.refresh_from_db()
    assert short.state == ConsultationState.DRAFT

    services.update(county.clerk, short, short_period_reason="上级要求在汛期前出台，征集期缩短为15日。")
    published = services.publish(county.clerk, short)
    assert published.state == ConsultationState.PUBLISHED
    entry = AuditEntry.objects.get(event="consultations.publish")
    assert "汛期前" in entry.comment and entry.params["days"] == 15

    assert make_consultation(days=30).state == ConsultationState.PUBLISHED


def test_the_public_page_shows_the_reason_for_a_short_period(client, county, today, make_consultation):
    consultation = make_consultation(days=10, reason="紧急情况，缩短征集期。")
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "紧急情况，缩短征集期。" in page


def test_feedback_needs_every_comment_moderated_and_a_group_per_opinion(county, today, make_consultation):
    consultation = make_consultation()
    services.submit_comment(consultation, body="意见一")
    today(dt.date(2026, 7, 2))
    services.record_feedback(county.clerk, consultation, offline_count=0, adopted_count=0, summary="说明", groups=[])
    consultation.refresh_from_db()
    problems = services.feedback_problems(consultation)
    assert any("未审核" in p for p in problems) and any("至少填写一组" in p for p in problems)
    with pytest.raises(ValidationError):
        services.close(county.clerk, consultation)


def test_comments_are_refused_outside_the_period(client, county, today, make_consultation):
    consultation = make_consultation()
    today(dt.date(2026, 7, 1))
    with pytest.raises(ValidationError):
        services.submit_comment(consultation, body="太晚了")
    page = client.get(reverse("consultations:comment", args=[consultation.pk])).content.decode()
    assert "不在网上征集意见期内" in page
    assert Comment.objects.count() == 0


def test_a_draft_is_not_public_and_another_township_cannot_touch_it(client, county, today, make_consultation):
    consultation = make_consultation(publish=False)
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.publish(county.other_clerk, consultation)
    with pytest.raises(PermissionDenied):
        services.publish(county.other_reviewer, consultation)  # no permission at all
    assert services.available_steps(county.other_admin, consultation) == set()
    assert services.available_steps(county.clerk, consultation) == {"edit", "publish", "withdraw"}
    assert services.available_steps(county.reviewer, consultation) == set()


def test_the_list_filters_by_phase_and_the_feeds_list_public_consultations(client, county, today, make_consultation):
    open_one = make_consultation(title="正在征集的草案")
    make_consultation(title="未发布的草案", publish=False)
    page = client.get(reverse("consultations:list") + "?phase=open").content.decode()
    assert "正在征集的草案" in page and "未发布的草案" not in page
    page = client.get(reverse("consultations:list") + "?phase=feedback").content.decode()
    assert "正在征集的草案" not in page
    rss = client.get(reverse("consultations:feed_rss")).content.decode()
    assert "正在征集的草案" in rss and "未发布的草案" not in rss
    atom = client.get(reverse("consultations:feed_atom")).content.decode()
    assert reverse("consultations:detail", args=[open_one.pk]) in atom


def test_the_comment_form_is_rate_limited_per_address_in_the_shared_cache(
    client, county, today, make_consultation, settings
):
    settings.CONSULTATION_RATE_LIMITS = {"comment": 2}
    consultation = make_consultation()
    for n in range(3):
        response = comment_via_form(client, consultation, body=f"意见{n}")
    assert response.status_code == 429 and response["Retry-After"]
    assert Comment.objects.count() == 2


def test_the_real_client_address_behind_a_trusted_proxy_is_recorded(client, county, today, make_consultation, settings):
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    consultation = make_consultation()
    url = reverse("consultations:comment", args=[consultation.pk])
    page = client.get(url).content.decode()
    data = {
        "body": "意见",
        "section": "",
        "name": "",
        "contact": "",
        "website": "",
        "token": token_of(page),
        "answer": solve(page),
    }
    client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert Comment.objects.get().ip == "203.0.113.9"
