"""Fixtures shared by every test module: the standard catalog and the demo county."""
import io

import pytest
from django.contrib.auth.models import Group

from portal import codes
from portal.models import Organization, OrganizationKind, Role, User


@pytest.fixture
def standard_catalog(db):
    from catalog.standard import load_standard_catalog

    load_standard_catalog()


@pytest.fixture
def demo(db):
    """The whole demo county as ``make run`` loads it; returns its organisations by short name."""
    from django.core.management import call_command

    call_command("load_demo", without_debug=True, stdout=io.StringIO())
    return {o.short_name: o for o in Organization.objects.all()}


_serial = iter(range(1, 10_000_000))
_cache_namespace = iter(range(1, 10_000_000))
_RUN = __import__("uuid").uuid4().hex[:8]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache (its own key namespace).

    A namespace rather than ``cache.clear()``: clearing Redis would wipe other runs' keys,
    and clearing the database cache needs database access that not every test has.
    """
    from django.core.cache import caches

    cache = caches["default"]
    saved = cache.key_prefix
    cache.key_prefix = f"{saved}:t{_RUN}:{next(_cache_namespace)}"
    yield
    cache.key_prefix = saved


def verify_session(client, user):
    """Mark ``client``'s session as having passed the second factor (django-otp), as
    ``/account/2fa/verify/`` does after a right code: a confirmed device of the user whose
    persistent id the session holds."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _created = StaticDevice.objects.get_or_create(user=user, name="tests", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _verified_force_login(monkeypatch):
    """``client.force_login(user)`` gives a session that passed two-factor authentication.

    The staff tests are about their pages, not the login; the 2FA tests themselves log in
    with ``force_login(user, verified=False)`` or through the real pages.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None, verified=True):
        original(self, user, backend)
        if verified:
            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def make_org(db):
    """Create an organisation with a well-formed, invented credit code."""

    def make(name="测试县人民政府", parent=None, kind=OrganizationKind.GOVERNMENT, **extra):
        body = f"T{next(_serial):07d}"
        code = codes.make_uscc("11990199" + codes.make_org_code(body))
        return Organization.objects.create(
            name=name, short_name=extra.pop("short_name", name[:6]), kind=kind, parent=parent,
            code=code, **extra,
        )

    return make


@pytest.fixture
def make_user(db):
    """Create a staff user of an organisation holding one role."""

    def make(username, organization, role=None, **extra):
        user = User.objects.create_user(
            username=username, password="pw-for-tests", organization=organization, is_staff=True, **extra
        )
        if role is not None:
            user.groups.add(Group.objects.get(name=Role(role).value))
        return user

    return make
