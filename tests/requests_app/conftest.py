"""Fixtures for information requests: a small county, its staff, a fixed "today", applicants."""

import datetime as dt
import itertools

import pytest

from portal import codes

TODAY = dt.date(2026, 6, 1)  # a Monday with no holiday near it

_ids = itertools.count(1)


def resident_id():
    """A fresh, well-formed, invented resident ID (division 990101 belongs to no real place)."""
    return codes.make_resident_id(f"9901011990010{next(_ids) % 10000:04d}")


def applicant(**overrides):
    data = {
        "applicant_category": "natural",
        "applicant_name": "张测试",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "00005550100",
        "email": "",
        "address": "测试县测试路1号",
        "postcode": "",
        "contact_person": "",
        "description": "2026年度低保资金发放情况",
        "purpose": "",
        "form_wanted": "electronic",
        "delivery_method": "online",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, monkeypatch):
    """Files in a temporary directory, no waiting on the form's minimum time.

    The cache starts empty for every test (tests/conftest.py gives each its own namespace).
    """
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    settings.REQUESTS_FORM_MIN_SECONDS = 0


@pytest.fixture
def today(monkeypatch):
    """Pin the requests clock's "today"; returns a setter to move it."""
    from requests_app import clock

    state = {"date": TODAY}
    monkeypatch.setattr(clock, "today", lambda: state["date"])

    def move(date):
        state["date"] = date
        return date

    move.date = lambda: state["date"]
    return move


@pytest.fixture
def intake(county, today):
    """Register a paper application at the bureau (or elsewhere) on a given receipt date."""
    from requests_app import services

    def make(receipt=None, org=None, actor=None, channel="in_person", **data):
        return services.intake(
            actor or county.officer,
            org or county.civil,
            channel=channel,
            receipt_date=receipt or today.date(),
            **applicant(**data),
        )

    return make


@pytest.fixture
def in_handling(intake, county):
    """A request accepted for handling, with the bureau's officer as handler."""
    from requests_app import services

    def make(receipt=None, **data):
        req, code = intake(receipt, **data)
        services.begin_review(county.officer, req)
        services.accept(county.officer, req, handler=county.officer)
        req.refresh_from_db()
        return req

    return make


@pytest.fixture
def online(county, today):
    """Submit an online application "today" (the pinned date, not the machine's)."""
    from django.utils import timezone

    from requests_app import services
    from requests_app.models import Request

    def make(org=None, **data):
        req, code = services.submit_online(organization=org or county.civil, **applicant(**data))
        submitted = timezone.make_aware(dt.datetime.combine(today.date(), dt.time(9, 30)))
        Request.objects.filter(pk=req.pk).update(submitted_at=submitted)
        req.refresh_from_db()
        return req, code

    return make
