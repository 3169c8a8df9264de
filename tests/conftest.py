"""Fixtures shared by every test module: the standard catalog and the demo county."""

import io

import pytest
from django.contrib.auth.models import Group

from portal import codes
from portal.models import Organization, OrganizationKind, Role, User


@pytest.fixture(autouse=True)
def _file_stores(settings, tmp_path):
    """Every test keeps its files (attachments, applicants' files, media) in its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DISCLOSURE_FILES_ROOT = tmp_path / "disclosure-files"
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"


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
def _default_language():
    """Each test starts in the site's default language (Chinese).

    A request leaves its language active in the thread after the response, so a test after one
    that read an English page would otherwise see English labels in plain function calls.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache (its own key namespace, in every thread).

    A namespace rather than ``cache.clear()``: clearing Redis would wipe other runs' keys,
    and clearing the database cache needs database access that not every test has. The
    namespace is read by ``portal.settings_test.namespaced_cache_key``.
    """
    from portal import settings_test

    settings_test.NAMESPACE = f"t{_RUN}:{next(_cache_namespace)}"
    yield
    settings_test.NAMESPACE = "-"


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
            name=name,
            short_name=extra.pop("short_name", name[:6]),
            kind=kind,
            parent=parent,
            code=code,
            **extra,
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


class County:
    """The canonical test county: attributes named once for every app's tests."""


@pytest.fixture
def county(make_org, make_user, db):
    """测试县: the government, its 民政局, two townships and a village, with staff in each.

    One builder for every app's tests (an app's conftest may extend it, as disclosure adds
    its catalog entries): the same names mean the same organisation and role everywhere.

    - ``gov`` 测试县人民政府 — ``admin`` (管理员), ``county_officer``, ``county_reviewer``
    - ``civil`` 测试县民政局 — ``officer`` (with an e-mail), ``officer2``, ``clerk`` (录入甲),
      ``reviewer`` (审核乙)
    - ``east`` 测试县东乡人民政府 — ``east_officer``, ``east_clerk``, ``east_reviewer``;
      ``village`` 东乡某村村民委员会 below it
    - ``west`` 测试县西乡人民政府 — ``west_officer``, ``west_clerk``, ``west_reviewer``, ``west_admin``
    """
    gov = make_org("测试县人民政府", short_name="测试县")
    civil = make_org("测试县民政局", parent=gov, kind=OrganizationKind.DEPARTMENT, short_name="县民政局")
    east = make_org("测试县东乡人民政府", parent=gov, kind=OrganizationKind.TOWNSHIP, short_name="东乡")
    west = make_org("测试县西乡人民政府", parent=gov, kind=OrganizationKind.TOWNSHIP, short_name="西乡")
    village = make_org("东乡某村村民委员会", parent=east, kind=OrganizationKind.VILLAGE, short_name="某村")
    for org in (gov, civil, east, west, village):
        org.refresh_from_db()  # tree positions moved as siblings were added
    c = County()
    c.gov, c.civil, c.east, c.west, c.village = gov, civil, east, west, village
    c.admin = make_user("county_admin", gov, Role.ORG_ADMIN)
    c.county_officer = make_user("county_officer", gov, Role.REQUEST_OFFICER)
    c.county_reviewer = make_user("county_reviewer", gov, Role.REVIEWER)
    c.officer = make_user("civil_officer", civil, Role.REQUEST_OFFICER, email="officer@example.invalid")
    c.officer2 = make_user("civil_officer2", civil, Role.REQUEST_OFFICER)
    c.clerk = make_user("civil_clerk", civil, Role.CLERK, full_name="录入甲")
    c.reviewer = make_user("civil_reviewer", civil, Role.REVIEWER, full_name="审核乙")
    c.east_officer = make_user("east_officer", east, Role.REQUEST_OFFICER)
    c.east_clerk = make_user("east_clerk", east, Role.CLERK)
    c.east_reviewer = make_user("east_reviewer", east, Role.REVIEWER)
    c.west_officer = make_user("west_officer", west, Role.REQUEST_OFFICER)
    c.west_clerk = make_user("west_clerk", west, Role.CLERK)
    c.west_reviewer = make_user("west_reviewer", west, Role.REVIEWER)
    c.west_admin = make_user("west_admin", west, Role.ORG_ADMIN)
    return c


@pytest.fixture
def deliver_outbox(db):
    """Send every due outbox message now, in this process (the worker's code, without the worker).

    Mail is recorded in the outbox by the services and sent by a Celery worker;
    tests about what a message says call this, then read ``mail.outbox``.
    """
    from portal import outbox

    def deliver():
        return [attempt.outcome for attempt in outbox.deliver_due()]

    return deliver


# --- A real S3 API server (moto's server mode) for the object-storage tests ---------------


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a loopback port for the whole session; yields its endpoint URL."""
    import socket

    pytest.importorskip("moto.server", reason="moto[server] is in the test extra")
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


_buckets = iter(range(1, 1_000_000))


class S3Store:
    """The bucket a test's stores point at, with a boto3 client to look inside it."""

    def __init__(self, endpoint, bucket, client):
        self.endpoint, self.bucket, self.client = endpoint, bucket, client

    def keys(self, prefix=""):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))

    def body(self, key):
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def anonymous_get(self, key, bucket=None):
        """(status, body) of a plain unsigned GET of the object's URL, as anyone on the net could."""
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.endpoint}/{bucket or self.bucket}/{key}", timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()


@pytest.fixture
def s3(s3_server, settings):
    """Point every store (attachments, private, default) at a fresh bucket of the S3 server."""
    import boto3

    from portal.storage_config import storages_setting

    bucket = f"zwgk-test-{next(_buckets)}"
    environ = {
        "STORAGE_S3_BUCKET": bucket,
        "STORAGE_S3_ENDPOINT_URL": s3_server,
        "STORAGE_S3_ACCESS_KEY_ID": "test-key",
        "STORAGE_S3_SECRET_ACCESS_KEY": "test-secret",
        "STORAGE_S3_REGION": "us-east-1",
        "STORAGE_S3_PREFIX": "county",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = storages_setting(environ, base=settings.STORAGES)
    return S3Store(s3_server, bucket, client)
