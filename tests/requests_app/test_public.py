"""The citizen's side: applying online, the one-time code, the status page, supplement, withdrawal."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app import services
from requests_app.models import Request, Status

from .conftest import applicant

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def number_of(words):
    if len(words) == 1:
        return DIGITS[words]
    if words.startswith("十"):
        return 10 + DIGITS[words[1:]]
    tens, _, ones = words.partition("十")
    return DIGITS[tens] * 10 + (DIGITS[ones] if ones else 0)


def solve(html):
    """Answer the form's question the way a person reads it."""
    question = re.search(r'<span class="rq-question">(.+?)等于几？</span>', html).group(1)
    if "加" in question:
        a, b = question.split("加")
        return str(number_of(a) + number_of(b))
    a, b = question.split("减")
    return str(number_of(a) - number_of(b))


def form_data(client, county, **overrides):
    page = client.get(reverse("requests_app:apply")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    data = applicant(email="citizen@example.invalid")
    data.update(organization=county.civil.pk, token=token, answer=solve(page), website="", consent="on")
    data.update(overrides)
    return data


def test_apply_online_shows_number_and_code_once_and_mails_them(
    client, county, django_capture_on_commit_callbacks, deliver_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("requests_app:apply"), form_data(client, county))
    assert deliver_outbox() == ["sent"]
    # The answer to the application itself carries the number and code: no redirect, no session.
    assert response.status_code == 200
    req = Request.objects.get()
    assert req.status == Status.RECEIVED and req.channel == "online"
    page = response.content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    assert number == req.tracking_number and len(code.replace("-", "")) == 16
    assert code in mail.outbox[0].body
    # Shown once: the old confirmation address no longer has it.
    again = client.get(reverse("requests_app:submitted"))
    assert again.status_code == 302 and code not in again.content.decode()
    # The page's button goes on to the status page with the code it shows.
    onward = client.post(reverse("requests_app:lookup"), {"tracking_number": number, "query_code": code})
    assert onward.status_code == 302 and onward["Location"] == reverse("requests_app:status", args=[number])
    assert client.get(onward["Location"]).status_code == 200


def test_an_application_that_fails_after_its_row_was_written_leaves_nothing(client, county, monkeypatch):
    """The database goes away between the insert and the answer: a 503, and no row whose code nobody saw."""
    from django.db import OperationalError

    from requests_app import antispam

    real_count = antispam.count

    def failing(kind, key):
        if kind == "apply":
            assert Request.objects.exists()  # the row was written in this transaction
            raise OperationalError("server closed the connection unexpectedly")
        return real_count(kind, key)

    monkeypatch.setattr(antispam, "count", failing)
    response = client.post(reverse("requests_app:apply"), form_data(client, county))
    assert response.status_code == 503 and response["Retry-After"]
    assert "服务暂时不可用" in response.content.decode()
    assert not Request.objects.exists()


def test_a_wrong_answer_changes_nothing_and_asks_again(client, county):
    data = form_data(client, county)
    data["answer"] = str(int(data["answer"]) + 1)
    response = client.post(reverse("requests_app:apply"), data)
    assert response.status_code == 200
    assert "验证问题回答不正确" in response.content.decode()
    assert 'class="rq-question"' in response.content.decode()
    assert not Request.objects.exists()


def test_a_filled_honeypot_or_a_replayed_token_is_refused(client, county):
    response = client.post(reverse("requests_app:apply"), form_data(client, county, website="http://spam"))
    assert "未通过校验" in response.content.decode() and not Request.objects.exists()
    data = form_data(client, county)
    assert 'id="query-code"' in client.post(reverse("requests_app:apply"), data).content.decode()
    replay = client.post(reverse("requests_app:apply"), data)
    assert "已经提交过" in replay.content.decode()
    assert Request.objects.count() == 1


def test_a_script_without_the_form_token_gets_nowhere(client, county):
    data = applicant()
    data.update(organization=county.civil.pk, answer="5", consent="on")
    response = client.post(reverse("requests_app:apply"), data)
    assert response.status_code == 200 and not Request.objects.exists()


def applied(response):
    return response.status_code == 200 and 'id="query-code"' in response.content.decode()


def test_rate_limit_per_address(client, county, settings):
    settings.REQUESTS_RATE_LIMITS = {"apply": 2, "failure": 20, "lookup": 30}
    for _ in range(2):
        assert applied(client.post(reverse("requests_app:apply"), form_data(client, county)))
    response = client.post(reverse("requests_app:apply"), form_data(client, county))
    body = response.content.decode()
    assert response.status_code == 429 and "提交过于频繁" in body
    # When to come back: the header for programs, minutes in words for people.
    assert 0 < int(response["Retry-After"]) <= 3600
    assert re.search(r"请 \d+ 分钟后再试", body)
    assert 'class="rq-question"' in body  # the form is still there, with what they typed
    assert Request.objects.count() == 2
    other = client.post(reverse("requests_app:apply"), form_data(client, county), REMOTE_ADDR="10.0.0.9")
    assert applied(other)


def test_a_forged_forwarded_for_header_does_not_buy_more_applications(client, county, settings):
    """A client talking to the portal directly cannot pick its counted address."""
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    settings.REQUESTS_RATE_LIMITS = {"apply": 2, "failure": 20, "lookup": 30}
    results = [
        client.post(
            reverse("requests_app:apply"),
            form_data(client, county),
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        for n in range(4)
    ]
    assert [applied(r) for r in results] == [True, True, False, False]
    assert results[2].status_code == 429
    assert Request.objects.count() == 2


def test_behind_the_trusted_proxy_each_citizen_has_their_own_allowance(client, county, settings):
    """nginx appends the address it saw; whatever the citizen wrote to the left of it does not count."""
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    settings.REQUESTS_RATE_LIMITS = {"apply": 2, "failure": 20, "lookup": 30}

    def via_nginx(citizen, forged=None):
        header = f"{forged}, {citizen}" if forged else citizen
        return client.post(
            reverse("requests_app:apply"),
            form_data(client, county),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=header,
        )

    for citizen in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        assert applied(via_nginx(citizen)) and applied(via_nginx(citizen, forged="10.9.9.9"))
        refused = via_nginx(citizen, forged=f"10.9.9.{len(citizen)}")
        assert refused.status_code == 429 and refused["Retry-After"]
    assert Request.objects.count() == 6


def test_a_bad_check_digit_is_explained_without_echoing_the_number(client, county):
    data = form_data(client, county)
    wrong = data["id_number"][:-1] + ("0" if data["id_number"][-1] != "0" else "1")
    data["id_number"] = wrong
    body = client.post(reverse("requests_app:apply"), data).content.decode()
    assert "居民身份证号码校验位不正确" in body
    assert body.count(wrong) <= 1  # only in the input the applicant is correcting
    assert not Request.objects.exists()


def lookup(client, number, code):
    return client.post(reverse("requests_app:lookup"), {"tracking_number": number, "query_code": code})


def test_wrong_code_and_unknown_number_get_the_same_answer(client, online):
    req, code = online()
    wrong = lookup(client, req.tracking_number, "A" * 16)
    unknown = lookup(client, "YS0000000000", code)
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda r: (
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())
        .replace(req.tracking_number, "")
        .replace("YS0000000000", "")
    )
    assert strip(wrong) == strip(unknown)
    assert "查询号或查询码不正确" in wrong.content.decode()
    assert client.get(reverse("requests_app:status", args=[req.tracking_number])).status_code == 302


def test_code_is_accepted_as_people_type_it(client, online):
    req, code = online()
    typed = " ".join(code[i : i + 4].lower() for i in range(0, 16, 4))
    response = lookup(client, req.tracking_number.lower(), typed)
    assert response.status_code == 302


def test_lookup_failures_are_limited(client, online, settings):
    settings.REQUESTS_RATE_LIMITS = {"apply": 5, "failure": 20, "lookup": 3}
    req, code = online()
    for _ in range(3):
        lookup(client, req.tracking_number, "B" * 16)
    blocked = lookup(client, req.tracking_number, code)
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 3600
    assert re.search(r"查询失败次数过多，请 \d+ 分钟后再试", blocked.content.decode())
    assert client.get(reverse("requests_app:status", args=[req.tracking_number])).status_code == 302
    # Another address (another citizen) is not affected.
    other = client.post(
        reverse("requests_app:lookup"),
        {"tracking_number": req.tracking_number, "query_code": code},
        REMOTE_ADDR="198.51.100.44",
    )
    assert other.status_code == 302


def test_guessing_from_many_addresses_never_locks_out_the_rightful_applicant(client, online):
    """69 wrong codes for one request from 23 addresses, then its applicant with the right code."""
    req, code = online()
    answers = []
    for n in range(69):
        attacker = f"203.0.113.{n // 3}"
        answers.append(
            client.post(
                reverse("requests_app:lookup"),
                {"tracking_number": req.tracking_number, "query_code": f"{n:016d}"},
                REMOTE_ADDR=attacker,
            ).status_code
        )
    assert answers[:20] == [200] * 20  # the number's own allowance of wrong codes (20 an hour)
    assert set(answers[20:]) == {429}  # then every further wrong code for it is refused

    applicant = client.post(
        reverse("requests_app:lookup"),
        {"tracking_number": req.tracking_number, "query_code": code},
        REMOTE_ADDR="198.51.100.7",
    )
    assert applicant.status_code == 302
    assert client.get(applicant["Location"]).status_code == 200

    again = client.post(
        reverse("requests_app:lookup"),
        {"tracking_number": req.tracking_number, "query_code": "C" * 16},
        REMOTE_ADDR="203.0.113.5",
    )
    assert again.status_code == 429 and again["Retry-After"]
    assert "查询失败次数过多" in again.content.decode()


def test_status_page_shows_progress_and_nothing_internal(client, in_handling, county, today):
    req = in_handling(delivery_method="online", address="保密路8号", phone="00005559876")
    services.add_note(county.officer, req, "内部意见：注意核实")
    services.start_consultation(county.officer, req, reason="third_party", party="甲乙丙有限公司")
    from requests_app.access import hash_query_code
    from requests_app.models import Request as R

    R.objects.filter(pk=req.pk).update(query_code_hash=hash_query_code("KNOWNCODE0000001"))
    assert lookup(client, req.tracking_number, "KNOWNCODE0000001").status_code == 302
    body = client.get(reverse("requests_app:status", args=[req.tracking_number])).content.decode()
    assert "办理中" in body and "暂停计时" in body and "征求第三方意见" in body
    assert req.registration_number in body
    for secret in (
        req.id_number,
        "保密路8号",
        "00005559876",
        "内部意见",
        "甲乙丙有限公司",
        str(county.officer),
        county.officer.username,
        "征求第三方意见书",
    ):
        assert secret not in body, secret
    # The acknowledgement is readable; the third-party letter is not the applicant's.
    ack = req.notices.get(kind="acknowledgement")
    letter = req.notices.get(kind="third_party")
    assert client.get(reverse("requests_app:notice", args=[req.tracking_number, ack.pk])).status_code == 200
    assert client.get(reverse("requests_app:notice", args=[req.tracking_number, letter.pk])).status_code == 404


def test_supplement_online_with_a_file_restarts_the_clock(client, intake, county, today):
    req, code = intake()
    services.request_supplement(county.officer, req, items="请写明文件名称")
    lookup(client, req.tracking_number, code)
    status_url = reverse("requests_app:status", args=[req.tracking_number])
    assert "请写明文件名称" in client.get(status_url).content.decode()
    upload = SimpleUploadedFile("补正.pdf", b"%PDF-1.4 supplement", content_type="application/pdf")
    response = client.post(
        reverse("requests_app:supplement", args=[req.tracking_number]),
        {"text": "文件名称为测试通知", "files": [upload]},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW and req.supplement_text == "文件名称为测试通知"
    item = req.files.get()
    download = client.get(reverse("requests_app:file", args=[req.tracking_number, item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 supplement"


def test_supplement_rejects_other_file_types(client, intake, county):
    req, code = intake()
    services.request_supplement(county.officer, req, items="请写明文件名称")
    lookup(client, req.tracking_number, code)
    upload = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("requests_app:supplement", args=[req.tracking_number]), {"text": "x", "files": [upload]}
    )
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    assert Request.objects.get(pk=req.pk).status == Status.SUPPLEMENT_REQUESTED


def test_withdraw_before_reply_only(client, intake, in_handling, county):
    req, code = intake()
    lookup(client, req.tracking_number, code)
    url = reverse("requests_app:withdraw", args=[req.tracking_number])
    assert client.post(url, {}).status_code == 400  # must tick the confirmation
    client.post(url, {"confirm": "on"})
    assert Request.objects.get(pk=req.pk).status == Status.WITHDRAWN
    body = client.get(reverse("requests_app:status", args=[req.tracking_number])).content.decode()
    assert "已撤回" in body and 'action="' + url not in body


def test_without_the_code_nothing_is_reachable(client, intake, county):
    req, code = intake()
    ack = req.notices.get()
    for url in (
        reverse("requests_app:notice", args=[req.tracking_number, ack.pk]),
        reverse("requests_app:notice_pdf", args=[req.tracking_number, ack.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("requests_app:withdraw", args=[req.tracking_number]), {"confirm": "on"}).status_code == 302
    )
    assert Request.objects.get(pk=req.pk).status == Status.REGISTERED


def test_a_session_for_one_request_does_not_open_another(client, intake):
    mine, code = intake()
    other, _ = intake()
    lookup(client, mine.tracking_number, code)
    other_ack = other.notices.get()
    assert client.get(reverse("requests_app:notice", args=[mine.tracking_number, other_ack.pk])).status_code == 404
    assert client.get(reverse("requests_app:status", args=[other.tracking_number])).status_code == 302


@pytest.mark.parametrize("name", ["apply", "lookup"])
def test_public_pages_render(client, county, name):
    assert client.get(reverse(f"requests_app:{name}")).status_code == 200


def test_a_postcode_must_be_six_digits(client, county):
    response = client.post(reverse("requests_app:apply"), form_data(client, county, postcode="ABCDEF"))
    assert response.status_code == 200
    assert "邮政编码应为6位数字" in response.content.decode()
    assert not Request.objects.exists()
    accepted = client.post(reverse("requests_app:apply"), form_data(client, county, postcode="９９９００１"))
    assert 'id="tracking-number"' in accepted.content.decode()
    assert Request.objects.get().postcode == "999001"


def test_an_application_with_control_characters_is_stored_clean_and_exports(client, county):
    response = client.post(
        reverse("requests_app:apply"), form_data(client, county, description="申请\x01公开\x1b2026年低保名单")
    )
    assert 'id="tracking-number"' in response.content.decode()
    assert Request.objects.get().description == "申请公开2026年低保名单"
