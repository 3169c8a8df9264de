"""The officials' pages: exactly the available steps, moderation, the feedback deadline warning,
another township's staff kept out of every URL, hostile input, bounded queries."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Comment, CommentState, Consultation, ConsultationState

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
D = dt.date


def buttons(html):
    return set(re.findall(r'/act/([a-z_]+)/"', html))


def test_the_page_offers_exactly_the_available_steps(client, county, today, make_consultation):
    draft = make_consultation(publish=False)
    client.force_login(county.clerk)
    page = client.get(reverse("consultations_staff:detail", args=[draft.pk])).content.decode()
    assert buttons(page) == {"publish", "withdraw"} == services.available_steps(county.clerk, draft) - {"edit"}
    assert "编辑草案" in page
    client.force_login(county.reviewer)  # may read, may not act
    page = client.get(reverse("consultations_staff:detail", args=[draft.pk])).content.decode()
    assert buttons(page) == set() and "编辑草案</h2>" not in page


def test_moderation_through_the_page_and_contact_details_masked_for_a_superior_body(
    client, county, today, make_consultation
):
    consultation = make_consultation()
    comment = services.submit_comment(consultation, body="意见", name="赵示例", contact="00005550177")
    client.force_login(county.county_admin)  # the county supervises 城关镇: sees it, masked
    page = client.get(reverse("consultations_staff:detail", args=[consultation.pk])).content.decode()
    assert "赵*" in page and "00005550177" not in page and "个人信息已脱敏显示" in page
    client.force_login(county.clerk)
    page = client.get(reverse("consultations_staff:detail", args=[consultation.pk])).content.decode()
    assert "赵示例" in page and "00005550177" in page
    assert set(re.findall(r"/comments/\d+/([a-z]+)/", page)) == {"approve", "withhold", "reject"}
    client.post(reverse("consultations_staff:moderate", args=[comment.pk, "approve"]), {"version": comment.version})
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED and comment.moderated_by == county.clerk


def test_the_board_warns_about_the_feedback_deadline(client, county, today, make_consultation):
    consultation = make_consultation()
    client.force_login(county.clerk)
    assert "意见采纳情况应于" not in client.get(reverse("consultations_staff:board")).content.decode()
    today(D(2026, 7, 1))  # ended 06-30; feedback due 15 working days later
    page = client.get(reverse("consultations_staff:detail", args=[consultation.pk])).content.decode()
    assert "请在2026-07-21前公布意见采纳情况（还剩14个工作日）" in page
    today(D(2026, 7, 22))
    page = client.get(reverse("consultations_staff:board")).content.decode()
    assert "意见采纳情况应于2026-07-21前公布，已逾期" in page


def test_feedback_form_through_the_page_and_close(client, county, today, make_consultation):
    consultation = make_consultation()
    today(D(2026, 7, 1))
    client.force_login(county.clerk)
    data = {
        "version": consultation.version,
        "offline_count": "1",
        "adopted_count": "0",
        "summary": "共收到意见1条，未采纳。",
        "g-TOTAL_FORMS": "2",
        "g-INITIAL_FORMS": "0",
        "g-MIN_NUM_FORMS": "0",
        "g-MAX_NUM_FORMS": "50",
        "g-0-summary": "建议延长征集期",
        "g-0-count": "1",
        "g-0-adoption": "not_adopted",
        "g-0-reason": "征集期已满30日。",
    }
    client.post(reverse("consultations_staff:feedback", args=[consultation.pk]), data)
    consultation.refresh_from_db()
    assert consultation.feedback_groups.count() == 1 and consultation.offline_count == 1
    page = client.get(reverse("consultations_staff:detail", args=[consultation.pk])).content.decode()
    assert "close" in buttons(page)
    client.post(reverse("consultations_staff:act", args=[consultation.pk, "close"]), {"version": consultation.version})
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.CLOSED


def test_a_stale_version_is_refused_with_a_clear_message(client, county, today, make_consultation):
    """Two officers opened the page at the same version; the second click changes nothing."""
    consultation = make_consultation()
    comment = services.submit_comment(consultation, body="意见")
    version = comment.version
    services.approve_comment(county.clerk, comment, expected_version=version)
    with pytest.raises(ValidationError) as refused:
        services.reject_comment(county.clerk2, comment, expected_version=version)
    assert "刚刚已被其他人处理" in " ".join(refused.value.messages)
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
    client.force_login(county.clerk2)
    response = client.post(
        reverse("consultations_staff:act", args=[consultation.pk, "withdraw"]),
        {"version": consultation.version - 1, "comment": "撤回"},
        follow=True,
    )
    assert "刚刚已被其他人处理" in response.content.decode()
    assert Consultation.objects.get().state == ConsultationState.PUBLISHED


def staff_urls(consultation, comment):
    return [
        ("get", reverse("consultations_staff:detail", args=[consultation.pk])),
        ("post", reverse("consultations_staff:edit", args=[consultation.pk])),
        ("post", reverse("consultations_staff:act", args=[consultation.pk, "withdraw"])),
        ("post", reverse("consultations_staff:act", args=[consultation.pk, "close"])),
        ("post", reverse("consultations_staff:feedback", args=[consultation.pk])),
        ("post", reverse("consultations_staff:link", args=[consultation.pk])),
        ("post", reverse("consultations_staff:attach", args=[consultation.pk])),
        ("post", reverse("consultations_staff:moderate", args=[comment.pk, "approve"])),
        ("post", reverse("consultations_staff:moderate", args=[comment.pk, "reject"])),
    ]


@pytest.mark.parametrize("who", ["other_clerk", "other_admin", "other_reviewer", "other_officer"])
def test_another_townships_staff_get_403_or_404_on_every_staff_url(client, county, today, make_consultation, who):
    consultation = make_consultation()
    comment = services.submit_comment(consultation, body="意见", name="赵示例")
    client.force_login(getattr(county, who))
    for method, url in staff_urls(consultation, comment):
        response = getattr(client, method)(
            url, {"version": "1", "comment": "越权", "title": "越权", "final_item": "1", "file": pdf_upload()}
        )
        assert response.status_code in (403, 404), (who, url, response.status_code)
    board = client.get(reverse("consultations_staff:board"))
    assert board.status_code == 403 or consultation.title not in board.content.decode()
    consultation.refresh_from_db()
    comment.refresh_from_db()
    assert consultation.state == ConsultationState.PUBLISHED and consultation.title != "越权"
    assert comment.state == CommentState.PENDING
    assert consultation.attachments.count() == 0


def test_anonymous_visitors_are_sent_to_the_login(client, county, today, make_consultation):
    consultation = make_consultation()
    for url in (reverse("consultations_staff:board"), reverse("consultations_staff:detail", args=[consultation.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


HOSTILE = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "第一条" * 2000,
    "%00",
    "../../etc/passwd",
    "１２",
    "NaN",
]


def test_hostile_input_never_gives_a_server_error(client, county, today, make_consultation):
    consultation = make_consultation()
    comment = services.submit_comment(consultation, body="意见")
    public = [
        reverse("consultations:list"),
        reverse("consultations:detail", args=[consultation.pk]),
        reverse("consultations:comment", args=[consultation.pk]),
    ]
    for value in HOSTILE:
        for url in public:
            assert client.get(url, {"phase": value, "page": value, "section": value}).status_code < 500
            assert (
                client.post(url, {"body": value, "section": value, "token": value, "answer": value}).status_code < 500
            )
    client.force_login(county.clerk)
    for value in HOSTILE:
        fields = {
            "version": value,
            "title": value,
            "starts_on": value,
            "ends_on": value,
            "offline_count": value,
            "adopted_count": value,
            "g-TOTAL_FORMS": value,
            "g-INITIAL_FORMS": value,
            "g-0-adoption": value,
            "g-0-count": value,
            "final_item": value,
            "comment": value,
            "file": value,
            "organization": value,
        }
        for method, url in staff_urls(consultation, comment) + [("post", reverse("consultations_staff:create"))]:
            assert getattr(client, method)(url, fields).status_code < 500, (url, value)
        assert (
            client.get(reverse("consultations_staff:detail", args=[consultation.pk]), {"comments": value}).status_code
            < 500
        )
    assert Comment.objects.count() == 1


def test_an_attachment_is_checked_and_downloadable_once_public(client, county, today, make_consultation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = make_consultation(publish=False)
    with pytest.raises(ValidationError):
        services.add_attachment(county.clerk, draft, SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    attachment = services.add_attachment(county.clerk, draft, pdf_upload())
    url = reverse("consultations:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404  # a draft's files are not public
    services.publish(county.clerk, draft)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_every_list_has_a_bounded_number_of_queries(
    client, county, today, make_consultation, django_assert_max_num_queries
):
    for n in range(6):
        consultation = make_consultation(title=f"草案{n}")
        for m in range(3):
            comment = services.submit_comment(consultation, body=f"意见{m}", name="钱示例")
            services.approve_comment(county.clerk, comment)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:feed_rss")).status_code == 200
    client.force_login(county.clerk)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("consultations_staff:board")).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("consultations_staff:detail", args=[consultation.pk])).status_code == 200


def test_creating_through_the_page_offers_the_organisations_own_catalog(client, county, today):
    from catalog.models import Adoption, AdoptionStatus, CatalogEntry

    domain = CatalogEntry.objects.create(name="农业农村")
    entry = CatalogEntry.objects.create(name="农村人居环境", parent=domain, proactive=True)
    CatalogEntry.objects.create(name="不相关的事项", parent=domain, proactive=True)
    Adoption.objects.create(organization=county.town, entry=entry, status=AdoptionStatus.ADOPTED, reason="测试")
    client.force_login(county.clerk)
    page = client.get(reverse("consultations_staff:create")).content.decode()
    assert "农业农村 › 农村人居环境" in page and "不相关的事项" not in page
    assert 'value="2026-06-30"' in page  # the end date suggested: 30 days, both ends counted
    response = client.post(
        reverse("consultations_staff:create"),
        {
            "organization": county.town.pk,
            "title": "城关镇农村人居环境整治办法（征求意见稿）",
            "draft_text": "第一条 示例。",
            "catalog_entry": entry.pk,
            "starts_on": "2026-06-01",
            "ends_on": "2026-06-30",
            "accepts_online": "on",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and consultation.catalog_entry == entry
    assert consultation.state == ConsultationState.DRAFT and consultation.organization == county.town
