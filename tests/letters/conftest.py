"""Fixtures for the letters mailbox: the requests tests' small county and pinned "today"."""

import pytest

from tests.requests_app.conftest import TODAY, _isolated, applicant, today  # noqa: F401


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


@pytest.fixture
def answered(county, today):  # noqa: F811 - the imported fixture, requested by name
    """A request of the bureau answered with the given outcome (5.1 by default)."""
    from requests_app import services

    def make(outcome="5.1", receipt=None, **data):
        req, _code = services.intake(
            county.officer,
            county.civil,
            channel="in_person",
            receipt_date=receipt or today.date(),
            **applicant(description="某路段夜间施工噪声扰民，要求查处。", email="applicant@example.invalid", **data),
        )
        services.begin_review(county.officer, req)
        services.accept(county.officer, req, handler=county.officer)
        basis = "" if outcome == "1" else "《中华人民共和国政府信息公开条例》第三十九条"
        services.reply(county.officer, req, outcome=outcome, decision="答复", legal_basis=basis)
        req.refresh_from_db()
        return req

    return make
