"""转为来信: a request answered 不予处理 as 信访举报投诉类 becomes a letter of the same office."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from letters.forwarding import forward_request
from letters.models import Letter, LetterState
from portal.models import AuditEntry


def _staff(user):
    client = Client()
    client.force_login(user)
    return client


def test_forward_creates_the_letter_and_links_both_ways(county, today, answered):
    req = answered(receipt=dt.date(2026, 5, 25))
    request_page = reverse("requests_staff:detail", args=[req.pk])
    forward_url = reverse("letters_staff:forward_request", args=[req.pk])
    officer = _staff(county.officer)
    assert forward_url in officer.get(request_page).content.decode()

    response = officer.post(forward_url, {"kind": "complain", "title": ""})
    assert response.status_code == 200
    letter = Letter.objects.get(from_request=req)
    page = response.content.decode()
    assert letter.tracking_number in page and "来信查询码" in page
    assert letter.organization == county.civil and letter.state == LetterState.SUBMITTED
    assert letter.kind == "complain" and letter.body == req.description
    assert (letter.name, letter.phone, letter.email) == (req.applicant_name, req.phone, req.email)
    assert letter.received_on == dt.date(2026, 5, 25) and letter.clock_start == today.date()
    entry = AuditEntry.objects.get(event="letters.forward")
    assert entry.params.get("request_id") == req.pk and entry.comment == req.tracking_number

    request_html = officer.get(request_page).content.decode()
    assert letter.tracking_number in request_html
    assert reverse("letters_staff:detail", args=[letter.pk]) in request_html
    assert forward_url not in request_html  # forwarded once, the step is gone
    letter_html = officer.get(reverse("letters_staff:detail", args=[letter.pk])).content.decode()
    assert req.tracking_number in letter_html and request_page in letter_html


def test_the_officer_may_choose_the_kind_and_title(county, today, answered):
    req = answered()
    letter, code = forward_request(county.officer, req, kind="report", title="举报夜间施工")
    assert (letter.kind, letter.title) == ("report", "举报夜间施工")
    assert code


def test_refused_for_another_outcome_and_nothing_changes(county, today, answered):
    req = answered(outcome="5.2")  # 不予处理, but 重复申请: not a complaint
    with pytest.raises(ValidationError, match="信访举报投诉类申请"):
        forward_request(county.officer, req)
    assert not Letter.objects.exists()
    officer = _staff(county.officer)
    assert (
        reverse("letters_staff:forward_request", args=[req.pk])
        not in officer.get(reverse("requests_staff:detail", args=[req.pk])).content.decode()
    )
    response = officer.post(reverse("letters_staff:forward_request", args=[req.pk]), {"kind": "complain"}, follow=True)
    assert "信访举报投诉类申请" in response.content.decode() and not Letter.objects.exists()


def test_refused_when_already_forwarded(county, today, answered):
    req = answered()
    forward_request(county.officer, req)
    with pytest.raises(ValidationError, match="已经转为来信"):
        forward_request(county.officer2, req)
    response = _staff(county.officer).post(
        reverse("letters_staff:forward_request", args=[req.pk]), {"kind": "complain"}, follow=True
    )
    assert "已经转为来信" in response.content.decode()
    assert Letter.objects.count() == 1


def test_an_unknown_kind_is_refused(county, today, answered):
    req = answered()
    with pytest.raises(ValidationError):
        forward_request(county.officer, req, kind="nonsense")
    response = _staff(county.officer).post(reverse("letters_staff:forward_request", args=[req.pk]), {"kind": "x"})
    assert response.status_code == 400 and not Letter.objects.exists()


def test_another_townships_staff_get_404_and_the_service_refuses(county, today, answered):
    req = answered()
    response = _staff(county.east_officer).post(
        reverse("letters_staff:forward_request", args=[req.pk]), {"kind": "complain"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        forward_request(county.east_officer, req)
    assert not Letter.objects.exists()


def test_needs_both_letter_and_request_handling(county, today, answered, make_user):
    from django.contrib.auth.models import Permission

    letters_only = make_user("letters_only_fwd", county.civil)
    letters_only.user_permissions.set(
        Permission.objects.filter(content_type__app_label="letters", codename__in=["view_letter", "handle_letter"])
    )
    letters_only = type(letters_only).objects.get(pk=letters_only.pk)
    req = answered()
    with pytest.raises(PermissionDenied):
        forward_request(letters_only, req)
    assert not Letter.objects.exists()
