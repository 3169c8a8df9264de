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

    call_command("load_demo", stdout=io.StringIO())
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

    namespace = next(_cache_namespace)
    saved = {}
    for alias in ("default", "pages"):  # pages: the page cache (portal/pagecache.py)
        cache = caches[alias]
        saved[alias] = cache.key_prefix
        cache.key_prefix = f"{saved[alias]}:t{_RUN}:{namespace}"
    yield
    for alias, prefix in saved.items():
        caches[alias].key_prefix = prefix


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
