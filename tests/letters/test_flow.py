"""A citizen writes, gets number and code, the office answers, the letter is published masked, the citizen rates it."""

import re

import pytest
from django.urls import reverse

from letters.models import Letter, LetterState


def _post_letter(client, org, **extra):
    page = client.get(reverse("letters:write"))
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    question = re.search(r'class="rq-question">([^<]+)<', html).group(1)
    answer = _solve(question)
    data = {
        "organization": org.pk,
        "kind": "complain",
        "title": "小区路灯长期不亮",
        "body": "我住在测试县幸福路12号3栋401室，小区路灯坏了三个月。联系电话13912345678。",
        "name": "李四明",
        "phone": "13912345678",
        "email": "writer@example.invalid",
        "publish_consent": "on",
        "token": token,
        "answer": str(answer),
        "website": "",
    }
    data.update(extra)
    return client.post(reverse("letters:write"), data)


def _solve(question):
    from requests_app.antispam import parse_answer

    match = re.match(r"(.+?)(加|减)(.+?)等于几", question)
    a, op, b = parse_answer(match.group(1)), match.group(2), parse_answer(match.group(3))
    return a + b if op == "加" else a - b


@pytest.mark.django_db
def test_write_answer_publish_rate(client, county, today, deliver_outbox):
    response = _post_letter(client, county.civil)
    assert response.status_code == 200, response.content.decode()[:3000]
    html = response.content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', html).group(1)
    code = re.search(r'id="query-code">([^<]+)<', html).group(1)
    letter = Letter.objects.get(tracking_number=number)
    assert letter.state == LetterState.SUBMITTED
    assert letter.organization == county.civil
    assert code not in letter.query_code_hash

    # The citizen looks it up.
    page = client.post(reverse("letters:lookup"), {"tracking_number": number, "query_code": code}, follow=True)
    assert "已收到，等待受理" in page.content.decode()

    # The office accepts and answers on the staff page.
    staff = client.__class__()
    staff.force_login(county.officer)
    detail = staff.get(reverse("letters_staff:detail", args=[letter.pk])).content.decode()
    assert 'id="action-accept"' in detail and 'id="action-reply"' not in detail
    staff.post(reverse("letters_staff:act", args=[letter.pk, "accept"]), {"version": letter.version})
    letter.refresh_from_db()
    assert letter.state == LetterState.ACCEPTED
    staff.post(
        reverse("letters_staff:act", args=[letter.pk, "reply"]),
        {"version": letter.version, "text": "已安排维修，李四明同志请留意。"},
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.ANSWERED and letter.days_taken == 0

    # Not public until a reviewer approves.
    assert client.get(reverse("letters:detail", args=[letter.pk])).status_code == 404
    reviewer = client.__class__()
    reviewer.force_login(county.reviewer)
    reviewer.post(reverse("letters_staff:act", args=[letter.pk, "publish"]), {"version": letter.version})
    letter.refresh_from_db()
    assert letter.published

    public = client.__class__()
    listing = public.get(reverse("letters:list")).content.decode()
    assert "小区路灯长期不亮" in listing
    shown = public.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "李**" in shown
    for secret in ("李四明", "13912345678", "幸福路12号", "writer@example.invalid"):
        assert secret not in shown

    # The citizen sees the answer and rates it once.
    status = client.get(reverse("letters:status", args=[number])).content.decode()
    assert "已安排维修" in status
    client.post(reverse("letters:rate", args=[number]), {"rating": "satisfied"})
    letter.refresh_from_db()
    assert letter.rating == "satisfied"
    client.post(reverse("letters:rate", args=[number]), {"rating": "unsatisfied"})
    letter.refresh_from_db()
    assert letter.rating == "satisfied"

    stats = public.get(reverse("letters:statistics") + f"?year={today.date().year}").content.decode()
    assert "100.0%" in stats


@pytest.mark.django_db
def test_rate_limits_per_address_and_wrong_codes(client, county, today, settings):
    settings.LETTERS_RATE_LIMITS = {"write": 1, "failure": 20, "lookup": 3, "lookup_number": 20, "rate": 10}
    assert _post_letter(client, county.civil).status_code == 200
    refused = _post_letter(client, county.civil, title="第二封")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Letter.objects.count() == 1
    number = Letter.objects.get().tracking_number
    for _attempt in range(3):
        wrong = client.post(reverse("letters:lookup"), {"tracking_number": number, "query_code": "WRONG-CODE"})
        assert wrong.status_code == 200 and "查询号或查询码不正确" in wrong.content.decode()
    assert client.post(reverse("letters:lookup"), {"tracking_number": number, "query_code": "X"}).status_code == 429


@pytest.mark.django_db
def test_bad_input_gets_a_chinese_message_and_changes_nothing(client, county, today):
    response = _post_letter(client, county.civil, phone="", email="", title="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "请至少填写联系电话或电子邮箱中的一项" in html and "这个字段是必填项" in html
    fake_pdf = __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
        "a.pdf", b"<html><script>alert(1)</script></html>"
    )
    response = _post_letter(client, county.civil, files=fake_pdf)
    assert "内容与其扩展名不符" in response.content.decode()
    assert Letter.objects.count() == 0
