"""身份鉴别: failed-login lockout, password policy, session limits, the staff login link.

Finding 5 of the penetration test: 100 wrong passwords in 41 s were all answered and then the
right one worked; sessions lasted 14 days; "zwgk2026", "shifanxian", "Zwgk@2026" were accepted.
"""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.models import AuditEntry, AuditEvent, AuditOutcome, Role, User
from portal.security import SESSION_LOGIN_AT, SESSION_SEEN_AT

LOGIN = "/admin/login/"
PASSWORD = "Lz7#qWx9-tk"


@pytest.fixture
def org(make_org):
    return make_org()


@pytest.fixture
def clerk(make_user, org):
    user = make_user("clerk1", org, Role.CLERK)
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/gkgl/"}, **extra)


# --------------------------------------------------------------------------- lockout


def test_the_fifth_wrong_password_locks_the_account_and_the_right_one_is_then_refused_in_chinese(client, clerk):
    for _i in range(4):
        response = attempt(client, "clerk1", "wrong-password")
        assert response.status_code == 200  # the login form again, with its error
    locked = attempt(client, "clerk1", "wrong-password")
    assert locked.status_code == 429
    response = attempt(client, "clerk1", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录已被暂时锁定" in body and "请在15分钟后" in body
    assert response["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session
    # Counted in the database, where every worker sees it.
    assert AccessAttempt.objects.filter(username="clerk1", failures_since_start__gte=5).exists()


def test_an_administrator_unlocks_the_account_in_the_admin(client, clerk, make_user, org):
    for _i in range(5):
        attempt(client, "clerk1", "wrong-password", REMOTE_ADDR="198.51.100.20")
    assert attempt(client, "clerk1", PASSWORD, REMOTE_ADDR="198.51.100.21").status_code == 429

    admin = make_user("orgadmin", org, Role.ORG_ADMIN)
    staff = client.__class__()
    staff.force_login(admin)
    response = staff.post("/admin/portal/user/", {"action": "unlock_logins", "_selected_action": [clerk.pk]})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(event=AuditEvent.UNLOCK, actor=admin, object_id=str(clerk.pk)).exists()

    response = attempt(client, "clerk1", PASSWORD, REMOTE_ADDR="198.51.100.21")
    assert response.status_code == 302 and response["Location"] == "/gkgl/"


def test_failures_from_one_address_lock_that_address_for_every_account(client, clerk, make_user, org):
    other = make_user("clerk2", org, Role.CLERK)
    other.set_password(PASSWORD)
    other.save()
    for i in range(5):
        attempt(client, f"guess{i}", "wrong-password", REMOTE_ADDR="203.0.113.9")
    assert attempt(client, "clerk2", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    # The account itself is not locked: from another address it logs in.
    assert attempt(client, "clerk2", PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_lockout_and_failures_are_audited_with_the_address_behind_a_trusted_proxy(client, clerk, settings):
    settings.TRUSTED_PROXIES = ("127.0.0.1",)
    behind = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.44"}
    for _i in range(5):
        attempt(client, "clerk1", "wrong-password", **behind)
    failed = AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED, username="clerk1")
    assert failed.count() == 5
    assert set(failed.values_list("ip", flat=True)) == {"192.0.2.44"}
    assert set(failed.values_list("outcome", flat=True)) <= {AuditOutcome.FAILURE, AuditOutcome.DENIED}
    lockout = AuditEntry.objects.get(event=AuditEvent.LOCKOUT, username="clerk1")
    assert lockout.ip == "192.0.2.44" and lockout.outcome == AuditOutcome.DENIED
    assert AccessAttempt.objects.filter(ip_address="192.0.2.44").exists()


def test_login_and_logout_are_audited_with_user_address_and_time(client, clerk, settings):
    settings.TRUSTED_PROXIES = ("10.0.0.0/8",)
    before = timezone.now()
    response = attempt(client, "clerk1", PASSWORD, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    login = AuditEntry.objects.get(event=AuditEvent.LOGIN)
    assert (login.actor, login.username, login.ip, login.outcome) == (clerk, "clerk1", "198.51.100.7", "success")
    assert login.at >= before
    client.post("/admin/logout/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.7")
    logout = AuditEntry.objects.get(event=AuditEvent.LOGOUT)
    assert (logout.actor, logout.ip) == (clerk, "198.51.100.7")


# --------------------------------------------------------------------------- password policy


@pytest.mark.parametrize("password", ["zwgk2026", "shifanxian", "Zwgk@2026", "Password@2026", "12345678Ab"])
def test_weak_and_predictable_passwords_are_refused(clerk, password):
    with pytest.raises(ValidationError):
        validate_password(password, clerk)


def test_a_password_similar_to_the_username_is_refused(make_user, org):
    user = make_user("zhangwei88", org)
    with pytest.raises(ValidationError):
        validate_password("Zhangwei88!", user)


def test_a_strong_password_is_accepted(clerk):
    validate_password("Tq7#mLp2xV", clerk)


def test_the_last_five_passwords_cannot_be_chosen_again(client, clerk):
    passwords = [f"Rk{i}#vQp8-m{i}" for i in range(6)]
    for password in passwords:
        clerk.set_password(password)
        clerk.save()
    clerk.refresh_from_db()
    for recent in passwords[1:]:
        with pytest.raises(ValidationError, match="最近5次"):
            validate_password(recent, clerk)
    validate_password(passwords[0], clerk)  # the sixth-last is allowed again

    client.force_login(clerk)
    response = client.post(
        "/account/password/",
        {
            "old_password": passwords[-1],
            "new_password1": passwords[-2],
            "new_password2": passwords[-2],
        },
    )
    assert response.status_code == 200
    assert "不能使用最近5次用过的密码" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(passwords[-1])


def test_changing_ones_own_password_is_audited(client, clerk):
    client.force_login(clerk)
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nv4$kTr8-pw",
            "new_password2": "Nv4$kTr8-pw",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(event=AuditEvent.PASSWORD_CHANGE)
    assert entry.actor == clerk and entry.ip == "127.0.0.1"
    clerk.refresh_from_db()
    assert clerk.password_changed_at is not None


def test_an_expired_password_must_be_changed_before_any_staff_page(client, clerk, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(clerk)
    response = client.get("/gkgl/")
    assert response.status_code == 302 and response["Location"].startswith("/account/password/")
    assert "请先修改密码" in client.get(response["Location"]).content.decode()
    User.objects.filter(pk=clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get("/gkgl/").status_code == 200


# --------------------------------------------------------------------------- sessions


def _age(client, key, seconds):
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_an_idle_staff_session_ends_after_30_minutes(client, clerk):
    client.force_login(clerk)
    assert client.get("/gkgl/").status_code == 200
    _age(client, SESSION_SEEN_AT, 29 * 60)
    assert client.get("/gkgl/").status_code == 200  # still active: the clock restarts
    _age(client, SESSION_SEEN_AT, 31 * 60)
    response = client.get("/gkgl/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event=AuditEvent.SESSION_EXPIRED, actor=clerk).exists()


def test_a_staff_session_ends_12_hours_after_login_however_active(client, clerk):
    client.force_login(clerk)
    assert client.get("/gkgl/").status_code == 200
    _age(client, SESSION_LOGIN_AT, 12 * 3600 + 60)
    response = client.get("/gkgl/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_a_citizens_session_ends_after_30_minutes_idle(client, db):
    session = client.session
    session["citizen-data"] = "remembered request"
    session[SESSION_SEEN_AT] = time.time() - 31 * 60
    session.save()
    client.get("/")
    assert "citizen-data" not in client.session


# --------------------------------------------------------------------------- staff login link


@pytest.mark.parametrize(
    "role,landing",
    [
        (Role.CLERK, "/gkgl/"),
        (Role.REQUEST_OFFICER, "/staff/requests/"),
        (Role.ORG_ADMIN, "/admin/"),
    ],
)
def test_the_public_staff_login_link_lands_on_the_users_workbench(client, make_user, org, role, landing):
    home = client.get("/").content.decode()
    assert "工作人员登录" in home
    assert 'href="/admin/login/?next=/account/"' in home
    user = make_user("someone", org, role)
    user.set_password(PASSWORD)
    user.save()
    response = client.post(LOGIN, {"username": "someone", "password": PASSWORD, "next": "/account/"})
    assert response["Location"] == "/account/"
    assert client.get("/account/")["Location"] == landing
