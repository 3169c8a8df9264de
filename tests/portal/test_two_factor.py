"""Two-factor authentication (django-otp): required for superusers, 管理员 and 审核员."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEntry, AuditEvent, AuditOutcome, Role

PASSWORD = "Lz7#qWx9-tk"


@pytest.fixture
def org(make_org):
    return make_org()


@pytest.fixture
def reviewer(make_user, org):
    return make_user("reviewer1", org, Role.REVIEWER)


def code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


def enrol(client):
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/account/2fa/setup/", {"token": code(device), "next": "/admin/"})
    return device, response


@pytest.mark.parametrize("path", ["/admin/", "/gkgl/", "/staff/requests/", "/staff/annual/", "/staff/audit/"])
def test_an_unverified_reviewer_is_sent_to_enrol_on_every_staff_page(client, reviewer, path):
    client.force_login(reviewer, verified=False)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/setup/?next=")


def test_enrolment_shows_a_server_rendered_qr_code_and_the_key(client, reviewer):
    client.force_login(reviewer, verified=False)
    body = client.get("/account/2fa/setup/").content.decode()
    assert "<svg" in body and "<path" in body
    # The QR code is drawn by the server: no inline script on the page (the only script is the
    # display toolbar's static file, which CSP allows).
    assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/js/a11y.js" defer>']
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    from base64 import b32encode

    assert b32encode(device.bin_key).decode() in body


def test_a_wrong_code_at_enrolment_is_refused_and_audited(client, reviewer):
    client.force_login(reviewer, verified=False)
    client.get("/account/2fa/setup/")
    response = client.post("/account/2fa/setup/", {"token": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()
    entry = AuditEntry.objects.get(event=AuditEvent.OTP_FAILED)
    assert entry.actor == reviewer and entry.outcome == AuditOutcome.FAILURE and entry.ip == "127.0.0.1"


def test_enrolment_shows_recovery_codes_once_and_opens_the_admin(client, reviewer):
    client.force_login(reviewer, verified=False)
    device, response = enrol(client)
    body = response.content.decode()
    tokens = list(StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True))
    assert len(tokens) == 10 and all(t in body for t in tokens)
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(event=AuditEvent.OTP_ENROLLED, actor=reviewer).exists()
    assert client.get("/admin/").status_code == 200
    # Shown once: the page does not give them again.
    again = client.get("/account/2fa/setup/").content.decode()
    assert not any(t in again for t in tokens)


def test_after_the_password_a_reviewer_must_give_the_code_and_a_wrong_one_is_refused(client, reviewer, settings):
    # django-otp makes the device wait 1 s, 2 s, 4 s … after each wrong code; not in this test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    reviewer.set_password(PASSWORD)
    reviewer.save()
    client.force_login(reviewer, verified=False)
    device, _response = enrol(client)
    client.post("/admin/logout/")

    response = client.post("/admin/login/", {"username": "reviewer1", "password": PASSWORD, "next": "/gkgl/"})
    assert response["Location"] == "/gkgl/"
    redirect = client.get("/gkgl/")
    assert redirect["Location"].startswith("/account/2fa/verify/")
    refused = client.post("/account/2fa/verify/", {"token": "123456", "next": "/gkgl/"})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert client.get("/gkgl/").status_code == 302
    assert AuditEntry.objects.filter(event=AuditEvent.OTP_FAILED, actor=reviewer, params__stage="verify").exists()

    accepted = client.post("/account/2fa/verify/", {"token": code(device, 30), "next": "/gkgl/"})
    assert accepted["Location"] == "/gkgl/"
    assert client.get("/gkgl/").status_code == 200
    assert AuditEntry.objects.filter(event=AuditEvent.OTP_VERIFIED, actor=reviewer).exists()


def test_a_recovery_code_works_once(client, reviewer):
    client.force_login(reviewer, verified=False)
    enrol(client)
    token = StaticToken.objects.filter(device__user=reviewer).first().token
    for _attempt, expected in ((1, 302), (2, 200)):
        other = client.__class__()
        other.force_login(reviewer, verified=False)
        response = other.post("/account/2fa/verify/", {"token": token, "next": "/admin/"})
        assert response.status_code == expected
    assert AuditEntry.objects.filter(event=AuditEvent.OTP_RECOVERY_USED, actor=reviewer).count() == 1


def test_a_password_alone_cannot_replace_an_enrolled_device(client, reviewer):
    client.force_login(reviewer, verified=False)
    enrol(client)
    intruder = client.__class__()
    intruder.force_login(reviewer, verified=False)
    response = intruder.get("/account/2fa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/verify/")


def test_a_request_officer_may_work_without_a_second_factor(client, make_user, org):
    officer = make_user("officer1", org, Role.REQUEST_OFFICER)
    client.force_login(officer, verified=False)
    assert client.get("/staff/requests/").status_code == 200


def test_superusers_and_org_admins_need_it_too(client, make_user, org):
    admin = make_user("orgadmin", org, Role.ORG_ADMIN)
    root = make_user("root", org, is_superuser=True)
    for user in (admin, root):
        client.force_login(user, verified=False)
        assert client.get("/admin/")["Location"].startswith("/account/2fa/setup/")


def test_the_required_roles_are_configurable(client, make_user, org, settings):
    settings.OTP_REQUIRED_ROLES = ("superuser", "管理员", "审核员", "办理人")
    officer = make_user("officer1", org, Role.REQUEST_OFFICER)
    client.force_login(officer, verified=False)
    assert client.get("/staff/requests/")["Location"].startswith("/account/2fa/setup/")
    settings.OTP_REQUIRED_ROLES = ()
    reviewer = make_user("reviewer2", org, Role.REVIEWER)
    client.force_login(reviewer, verified=False)
    assert client.get("/gkgl/").status_code == 200


def test_production_settings_refuse_to_drop_a_mandatory_role(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import portal.settings as real

    monkeypatch.setenv("OTP_REQUIRED_ROLES", "superuser")
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    with pytest.raises(ImproperlyConfigured, match="OTP_REQUIRED_ROLES"):
        importlib.reload(real)
    monkeypatch.delenv("OTP_REQUIRED_ROLES")
    importlib.reload(real)
