"""身份鉴别: who must use a second factor, session limits, and the audit of account events.

* Two-factor authentication (django-otp, TOTP with static recovery codes) is required for the
  roles in ``OTP_REQUIRED_ROLES`` ("superuser" stands for superusers, the others are role group
  names): by default superusers, 管理员 and 审核员 — the accounts that publish, approve and hand
  out rights. Everybody else may enrol. A session of such a user that has not passed the second
  step is refused on every staff page (the admin, /gkgl/, /staff/…) and sent to verify or enrol.
* A staff session ends after ``STAFF_SESSION_IDLE_SECONDS`` without a request (default 30 min)
  and ``STAFF_SESSION_MAX_SECONDS`` after the login (default 12 h); a citizen's session (the
  request status page) after ``CITIZEN_SESSION_IDLE_SECONDS`` without a request (30 min).
* A password older than ``PASSWORD_MAX_AGE_DAYS`` must be changed before any staff page opens.
* Login, logout, failed login, lockout and changes of a user's roles or permissions are written
  to the audit log with the client address (``portal.net.client_ip``).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from . import audit, places
from .models import AuditEvent, AuditOutcome, Role

SESSION_LOGIN_AT = "_portal_login_at"
SESSION_SEEN_AT = "_portal_seen_at"
# Refresh the last-seen stamp at most this often: a session write per click is not needed.
SEEN_RESOLUTION = 60


# --- who needs a second factor -----------------------------------------------------------------


def otp_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(getattr(settings, "OTP_REQUIRED_ROLES", ()))
    if not roles:
        return False
    if user.is_superuser and "superuser" in roles:
        return True
    names = {r for r in roles if r != "superuser"}
    return bool(names) and user.groups.filter(name__in=names).exists()


def has_confirmed_device(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def is_staff_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in getattr(settings, "STAFF_PATH_PREFIXES", ()))


def _exempt(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in getattr(settings, "STAFF_EXEMPT_PATHS", ()))


def safe_next(request, default=None):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("portal:workbench")


def workbench_url(user) -> str:
    """Where a staff user starts: clerks and reviewers at disclosure management, request
    officers at their workbench, an administrator without a working role at the admin."""
    roles = set(user.groups.values_list("name", flat=True))
    # The workbenches belong to the apps above the core, which serve them as places (portal/places.py).
    if roles & {Role.CLERK, Role.REVIEWER} and places.url("items_workbench"):
        return places.url("items_workbench")
    if Role.REQUEST_OFFICER in roles and places.url("requests_workbench"):
        return places.url("requests_workbench")
    return reverse("admin:index")


# --- middleware ----------------------------------------------------------------------------------


def _database_guard(check):
    """Run a middleware's check; a database fault becomes the runtime's 503 page, as in a view.

    The check must not be skipped on a fault (that would let an unverified session through),
    and the test client, unlike production's handler500, re-raises what a middleware raises.
    """

    def call(self, request):
        from .middleware import DATABASE_ERRORS, service_unavailable

        try:
            refusal = check(self, request)
        except DATABASE_ERRORS:
            return service_unavailable(request)
        return refusal or self.get_response(request)

    return call


class SessionLimitMiddleware:
    """End idle and over-long sessions (staff: 30 min idle / 12 h; citizens: 30 min idle)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @_database_guard
    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None:
            now = time.time()
            seen = session.get(SESSION_SEEN_AT)
            if user is not None and user.is_authenticated:
                idle = settings.STAFF_SESSION_IDLE_SECONDS
                login_at = session.get(SESSION_LOGIN_AT) or now
                too_old = now - login_at > settings.STAFF_SESSION_MAX_SECONDS
                if (seen is not None and now - seen > idle) or too_old:
                    audit.record_event(
                        AuditEvent.SESSION_EXPIRED, actor=user, request=request, reason="max_age" if too_old else "idle"
                    )
                    logout(request)
                    messages.info(
                        request, _("您已较长时间未操作或登录已超过时限，为保护数据安全已自动退出，请重新登录。")
                    )
                    if is_staff_path(request.path):
                        return HttpResponseRedirect(
                            f"{reverse('admin:login')}?{urlencode({'next': request.get_full_path()})}"
                        )
                    seen = None
                elif session.get(SESSION_LOGIN_AT) is None:
                    session[SESSION_LOGIN_AT] = now
            elif seen is not None and now - seen > settings.CITIZEN_SESSION_IDLE_SECONDS:
                session.flush()
                seen = None
            if not session.is_empty() and (seen is None or now - seen > SEEN_RESOLUTION):
                session[SESSION_SEEN_AT] = now
        return None


class StaffAccessMiddleware:
    """On staff pages: refuse a session without its required second factor or with an expired password."""

    def __init__(self, get_response):
        self.get_response = get_response

    @_database_guard
    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if user is not None and user.is_authenticated and is_staff_path(path) and not _exempt(path):
            # A verified session needs no role lookup: checked first, it costs no query.
            if not user.is_verified() and otp_required(user):
                target = "portal:otp_verify" if has_confirmed_device(user) else "portal:otp_setup"
                return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
            from .passwords import password_expired

            if user.is_staff and password_expired(user):
                messages.warning(
                    request,
                    _("您的密码已超过%(days)d天未更换，请先修改密码。") % {"days": settings.PASSWORD_MAX_AGE_DAYS},
                )
                return HttpResponseRedirect(
                    f"{reverse('portal:password_change')}?{urlencode({'next': request.get_full_path()})}"
                )
        return None


def axes_client_ip(request):
    """django-axes' client address: ``client_ip``, or None when there is none (axes stores an IP field)."""
    from .net import UNKNOWN, client_ip

    address = client_ip(request)
    return None if address == UNKNOWN else address


# --- lockout page (django-axes) ------------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked account or address gets: in Chinese, with the time to retry (HTTP 429)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request) or timedelta(minutes=15)
    retry_at = timezone.localtime(timezone.now() + cool_off)
    minutes = max(1, int(cool_off.total_seconds() // 60))
    response = render(
        request,
        "portal/account/locked.html",
        {
            "minutes": minutes,
            "retry_at": retry_at,
            "limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# --- audit of account events ---------------------------------------------------------------------


def _username(credentials):
    return str((credentials or {}).get("username", ""))[:150]


@receiver(user_logged_in, dispatch_uid="portal_audit_login")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = time.time()
        request.session[SESSION_SEEN_AT] = time.time()
    audit.record_event(AuditEvent.LOGIN, actor=user, request=request, path=getattr(request, "path", ""))


@receiver(user_logged_out, dispatch_uid="portal_audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record_event(AuditEvent.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="portal_audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    from .models import User

    name = _username(credentials)
    actor = User.objects.filter(username=name).first() if name else None
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record_event(
        AuditEvent.LOGIN_FAILED,
        actor=None,
        username=name,
        request=request,
        outcome=AuditOutcome.DENIED if locked else AuditOutcome.FAILURE,
        known_user=actor is not None,
        locked=locked,
        path=getattr(request, "path", ""),
    )


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    audit.record_event(
        AuditEvent.LOCKOUT,
        actor=None,
        username=username or "",
        request=request,
        outcome=AuditOutcome.DENIED,
        failures=settings.AXES_FAILURE_LIMIT,
        path=getattr(request, "path", ""),
    )


def connect_axes():
    from axes.signals import user_locked_out

    user_locked_out.connect(_on_locked_out, dispatch_uid="portal_audit_lockout")


def password_saved(user):
    """A user changed their own password (an admin's reset is audited by the admin)."""
    request = audit.current_request()
    if request is None:
        return
    actor = getattr(request, "user", None)
    if getattr(actor, "pk", None) == user.pk:
        audit.record_event(AuditEvent.PASSWORD_CHANGE, actor=user, request=request, target=user)


def _names(model, pks):
    if not pks:
        return []
    if model._meta.model_name == "group":
        return sorted(model.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(
        f"{app}.{code}"
        for app, code in model.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename")
    )


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A user's roles (groups) or own permissions changed through a page (the admin)."""
    from .models import User

    if action not in ("post_add", "post_remove", "pre_clear") or reverse or not isinstance(instance, User):
        return
    request = audit.current_request()
    if request is None:
        # Scripts, migrations and the demo loader: not a change made by a person through a page.
        return
    actor = getattr(request, "user", None)
    event = AuditEvent.GROUPS_CHANGED if model._meta.model_name == "group" else AuditEvent.PERMISSIONS_CHANGED
    params = {}
    if action == "post_add":
        params["added"] = _names(model, pk_set)
    elif action == "post_remove":
        params["removed"] = _names(model, pk_set)
    else:
        current = list(
            getattr(instance, "groups" if event == AuditEvent.GROUPS_CHANGED else "user_permissions").values_list(
                "pk", flat=True
            )
        )
        if not current:
            return
        params["removed"] = _names(model, current)
    audit.record_event(event, actor=actor, request=request, target=instance, **params)


def connect_m2m():
    from .models import User

    m2m_changed.connect(_on_m2m, sender=User.groups.through, dispatch_uid="portal_audit_groups")
    m2m_changed.connect(_on_m2m, sender=User.user_permissions.through, dispatch_uid="portal_audit_perms")
