"""Fixtures for the annual report: a small county, its staff, a pinned "today", request helpers."""

import datetime as dt
import itertools

import pytest

from portal import codes
from tests.requests_app.conftest import _isolated, today  # noqa: F401 - the same files, cache and clock

TODAY = dt.date(2026, 6, 1)

_ids = itertools.count(1)


def applicant(**overrides):
    n = next(_ids)
    category = overrides.get("applicant_category", "natural")
    if category == "natural":
        id_type, id_number = "resident_id", codes.make_resident_id(f"9901011990010{n % 10000:04d}")
    else:
        id_type, id_number = "uscc", codes.make_uscc("91990101" + codes.make_org_code(f"A{n:07d}"))
    data = {
        "applicant_category": category,
        "applicant_name": "测试申请人",
        "id_type": id_type,
        "id_number": id_number,
        "phone": "00005550100",
        "email": "",
        "address": "测试县测试路1号",
        "postcode": "",
        "contact_person": "" if category == "natural" else "联系人",
        "description": "测试申请的信息",
        "purpose": "",
        "form_wanted": "electronic",
        "delivery_method": "online",
    }
    data.update(overrides)
    return data


@pytest.fixture
def intake(county, today):  # noqa: F811 - the fixture imported above
    """Register a paper application through the requests services."""
    from requests_app import services

    def make(receipt, org=None, actor=None, **data):
        req, _code = services.intake(
            actor or county.officer, org or county.civil, channel="in_person", receipt_date=receipt, **applicant(**data)
        )
        return req

    return make


_numbers = itertools.count(1)


def request_row(organization, *, receipt=None, concluded=None, outcome="", category="natural", status=None):
    """An unsaved Request with only what the report reads: for bulk-built histories."""
    from requests_app.models import Request, Status

    n = next(_numbers)
    if status is None:
        status = Status.REPLIED if concluded else (Status.IN_HANDLING if receipt else Status.RECEIVED)
    return Request(
        organization=organization,
        tracking_number=f"T{n:011d}",
        query_code_hash="x",
        channel="in_person",
        status=status,
        outcome=outcome,
        applicant_category=category,
        applicant_name="测试",
        id_type="passport",
        id_number=f"P{n}",
        phone="00005550100",
        description="测试",
        form_wanted="electronic",
        delivery_method="online",
        receipt_date=receipt,
        concluded_on=concluded,
    )
