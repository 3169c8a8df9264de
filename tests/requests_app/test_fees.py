"""The fee schedules of 国办函〔2020〕109号: progressive, one basis per application."""

from decimal import Decimal

import pytest

from requests_app.fees import per_application_fee, per_volume_fee


@pytest.mark.parametrize(
    "nth, fee",
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
    ],
)
def test_per_application_tiers(nth, fee):
    assert per_application_fee(nth) == Decimal(fee)


@pytest.mark.parametrize(
    "pages, fee",
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),
    ],
)
def test_per_volume_is_progressive(pages, fee):
    # 31-100: 10 元/page, 101-200: 20 元/page, 201+: 40 元/page, each on its own part only.
    assert per_volume_fee(pages) == Decimal(fee)


def test_the_volume_fee_never_falls_as_pages_grow():
    fees = [per_volume_fee(p) for p in range(0, 400)]
    assert fees == sorted(fees)
