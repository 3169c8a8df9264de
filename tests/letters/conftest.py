"""Fixtures for the letters mailbox: the requests tests' small county and pinned "today"."""

import pytest

from tests.requests_app.conftest import TODAY, _isolated, today  # noqa: F401


@pytest.fixture
def write(db):
    """A citizen's letter through the service; returns ``(letter, code)``."""
    from letters import services

    def make(org, **overrides):
        data = {
            "organization": org,
            "kind": "consult",
            "title": "关于低保申请条件的咨询",
            "body": "请问低保申请需要哪些材料？我的电话13800001111。",
            "name": "张测试",
            "phone": "00005550100",
            "email": "",
            "publish_consent": True,
        }
        data.update(overrides)
        return services.submit(**data)

    return make


@pytest.fixture
def civil_admin(county, make_user):
    """The bureau's own administrator (the canonical county's ``admin`` sits at the county government)."""
    from portal.models import Role

    return make_user("civil_admin", county.civil, Role.ORG_ADMIN)
