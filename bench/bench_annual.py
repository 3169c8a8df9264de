"""Annual report at county scale: 50,000 requests under the demo county, built with bulk_create.

Run through ``make bench`` (bench/run.py loads the demo first). The report's
numbers come from a fixed handful of grouped queries; the statistics' reply
times derive each reply's statutory clock in Python (two queries).
"""

import datetime as dt
import random

from bench.run import timed

SIZE = 50_000
PREFIX = "BA"


def _county():
    from portal.demo import demo_code
    from portal.models import Organization

    return Organization.objects.get(code=demo_code("D0000001"))


def _build():
    from requests_app.models import ApplicantCategory, ClockSegment, Outcome, Request, SegmentKind, Status

    if Request.objects.filter(tracking_number__startswith=PREFIX).exists():
        return
    county = _county()
    orgs = list(county.get_descendants(include_self=True))
    rng = random.Random(2025)
    rows = []
    for n in range(SIZE):
        receipt = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(730))
        concluded = receipt + dt.timedelta(days=rng.randrange(3, 45)) if rng.random() < 0.95 else None
        if concluded and concluded > dt.date(2025, 12, 31):
            concluded = None
        rows.append(
            Request(
                organization=rng.choice(orgs),
                tracking_number=f"{PREFIX}{n:010d}",
                query_code_hash="bench",
                channel="in_person",
                status=Status.REPLIED if concluded else Status.IN_HANDLING,
                outcome=rng.choice(Outcome.values) if concluded else "",
                applicant_category=rng.choice(ApplicantCategory.values),
                applicant_name="测试",
                id_type="passport",
                id_number=f"P{n}",
                phone="00005550100",
                description="基准测试",
                form_wanted="electronic",
                delivery_method="online",
                receipt_date=receipt,
                concluded_on=concluded,
                replied_on=concluded,
            )
        )
    created = Request.objects.bulk_create(rows, batch_size=2000)
    ClockSegment.objects.bulk_create(
        [
            ClockSegment(request=r, kind=SegmentKind.RUNNING, starts_on=r.receipt_date, ends_on=r.concluded_on)
            for r in created
        ],
        batch_size=2000,
    )
    print(f"built {SIZE} requests with their clock segments")


def bench_annual_report_50k():
    from annual import selectors
    from annual.models import ReportScope

    _build()
    county = _county()
    timed(
        "table 三, county subtree, 2025 (50,000 requests)", lambda: selectors.table3(county, ReportScope.SUBTREE, 2025)
    )
    timed(
        "whole report data (tables 二/三/四, fees), county subtree",
        lambda: selectors.report_data(county, ReportScope.SUBTREE, 2025),
    )


def bench_annual_statistics_50k():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annual import stats

    _build()
    county = _county()
    filters = stats.Filters(county, 2025)
    timed("statistics: applications per month", lambda: stats.monthly(filters))
    timed("statistics: reply times (statutory clock per reply)", lambda: stats.reply_times(filters), repeat=1)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="gk_admin"))
    timed(
        "GET /zwgk/annual-reports/statistics/?year=2025 (public page)",
        lambda: client.get("/zwgk/annual-reports/statistics/?year=2025"),
        repeat=1,
    )
