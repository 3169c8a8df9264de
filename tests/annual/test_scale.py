"""A subtree report costs the same few queries for 10 requests as for 200 (and so for 50,000)."""

import datetime as dt
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from annual import selectors, services
from annual.models import ReportScope
from requests_app.models import ApplicantCategory, Outcome, Request

from .conftest import request_row


def grow(county, n, seed):
    rng = random.Random(seed)
    orgs = [county.civil, county.east, county.west, county.village, county.gov]
    rows = []
    for _ in range(n):
        receipt = dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(600))
        concluded = receipt + dt.timedelta(days=rng.randrange(60)) if rng.random() < 0.9 else None
        rows.append(
            request_row(
                rng.choice(orgs),
                receipt=receipt,
                concluded=concluded,
                outcome=rng.choice(Outcome.values) if concluded else "",
                category=rng.choice(ApplicantCategory.values),
            )
        )
    Request.objects.bulk_create(rows)


def queries_of(func):
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx), result


def test_the_subtree_report_data_is_a_fixed_number_of_queries(county):
    grow(county, 10, seed=1)
    few, small = queries_of(lambda: selectors.report_data(county.gov, ReportScope.SUBTREE, 2025))
    grow(county, 190, seed=2)
    many, large = queries_of(lambda: selectors.report_data(county.gov, ReportScope.SUBTREE, 2025))
    assert few == many <= 6
    assert large["table3"]["received"]["total"] > small["table3"]["received"]["total"]


def test_generating_the_report_does_not_grow_with_the_requests(county, today):
    grow(county, 10, seed=3)
    few, report = queries_of(lambda: services.generate(county.admin, county.gov, 2025, ReportScope.SUBTREE))
    grow(county, 190, seed=4)
    many, report = queries_of(lambda: services.regenerate(county.admin, report))
    assert many <= few + 2  # regenerating locks the row it already has; nothing per request
    assert many <= 16
