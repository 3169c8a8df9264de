"""Fixtures the catalog tests share: a superuser, 河西乡's catalog, the 社会救助 entries of the demo."""

import pytest

from catalog import services
from catalog.models import CatalogEntry, Channel
from portal.models import User

from .sheets import entry


@pytest.fixture
def admin(standard_catalog, django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-for-tests")


@pytest.fixture
def hexi_catalog(demo):
    """河西乡's demo catalog plus one adjustment of its own."""
    hexi = demo["河西乡"]
    admin = User.objects.get(username="admin")
    services.override(
        admin,
        hexi,
        entry("社会救助", "最低生活保障", "审核信息"),
        reason="本乡张榜",
        time_limit_text="制定或获取信息之日起5个工作日内",
        channels=[Channel.NOTICE_BOARD],
    )
    return hexi


@pytest.fixture
def social(demo):
    domain = CatalogEntry.objects.get(parent=None, name="社会救助")
    return {
        "domain": domain,
        "dibao": CatalogEntry.objects.get(parent=domain, name="最低生活保障"),
        "guide": CatalogEntry.objects.get(parent__name="最低生活保障", name="办事指南"),
        "review": CatalogEntry.objects.get(parent__name="最低生活保障", name="审核信息"),
        "hexi_local": CatalogEntry.objects.get(organization=demo["河西乡"]),
    }
