"""The queue and the report page: kept inside the organisation, hostile input, bounded queries, rate limits."""

import re

import pytest
from django.urls import reverse

from corrections import services
from corrections.models import ErrorReport, ReportState
from tests.consultations.conftest import solve, token_of

pytestmark = pytest.mark.django_db


def staff_urls(report):
    return [
        ("get", reverse("corrections_staff:detail", args=[report.pk])),
        ("post", reverse("corrections_staff:act", args=[report.pk, "accept"])),
        ("post", reverse("corrections_staff:act", args=[report.pk, "fix"])),
        ("post", reverse("corrections_staff:act", args=[report.pk, "dismiss"])),
        ("post", reverse("corrections_staff:act", args=[report.pk, "transfer"])),
    ]


@pytest.mark.parametrize("who", ["other_clerk", "other_admin", "other_reviewer", "other_officer"])
def test_another_townships_staff_get_403_or_404_on_every_staff_url(client, county, today, published_item, who):
    item = published_item()
    report = services.submit(page_url=reverse("disclosure:item", args=[item.pk]), kind="typo", description="错字")
    assert report.organization == county.town
    client.force_login(getattr(county, who))
    for method, url in staff_urls(report):
        response = getattr(client, method)(
            url, {"version": report.version, "answer": "越权", "organization": county.other_town.pk}
        )
        assert response.status_code in (403, 404), (who, url, response.status_code)
    for url in (reverse("corrections_staff:queue"), reverse("corrections_staff:statistics")):
        response = client.get(url)
        assert response.status_code == 403 or report.reference not in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.NEW and report.organization == county.town and not report.answer


def test_the_page_offers_exactly_the_available_steps(client, county, today):
    report = services.submit(page_url="/", kind="typo", description="错字")
    client.force_login(county.county_clerk)
    page = client.get(reverse("corrections_staff:detail", args=[report.pk])).content.decode()
    offered = set(re.findall(r"/act/([a-z]+)/", page))
    assert offered == services.available_steps(county.county_clerk, report) == {"accept", "fix", "dismiss", "transfer"}
    services.fix(county.county_clerk, report, answer="已改")
    page = client.get(reverse("corrections_staff:detail", args=[report.pk])).content.decode()
    assert set(re.findall(r"/act/([a-z]+)/", page)) == set()


HOSTILE = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "错" * 6000,
    "javascript:alert(1)",
    "//evil.example/",
    "http://[::1",
    "%0d%0aSet-Cookie:x=1",
]


def test_hostile_input_never_gives_a_server_error_nor_a_foreign_link(client, county, today):
    report = services.submit(page_url="/", kind="typo", description="错字")
    for value in HOSTILE:
        response = client.get(reverse("corrections:report"), {"url": value})
        assert response.status_code < 500
        assert 'id="jc-page"' not in response.content.decode()  # none of these is a page of this site
        data = {"url": value, "kind": value, "description": value, "token": value, "answer": value}
        assert client.post(reverse("corrections:report"), data).status_code < 500
        assert client.get(reverse("corrections:lookup"), {"reference": value}).status_code < 500
    client.force_login(county.county_admin)
    for value in HOSTILE:
        for method, url in staff_urls(report):
            data = {"version": value, "answer": value, "organization": value, "comment": value}
            assert getattr(client, method)(url, data).status_code < 500, (url, value)
        for params in ({"state": value, "page": value}, {"start": value, "end": value, "year": value}):
            assert client.get(reverse("corrections_staff:queue"), params).status_code < 500
            assert client.get(reverse("corrections_staff:statistics"), params).status_code < 500
    assert ErrorReport.objects.count() == 1


def test_a_javascript_address_in_the_form_is_dropped(client, county, today):
    page = client.get(reverse("corrections:report"), {"url": "javascript:alert(1)"}).content.decode()
    data = {
        "url": "javascript:alert(1)",
        "kind": "typo",
        "description": "错字",
        "name": "",
        "contact": "",
        "website": "",
        "token": token_of(page),
        "answer": solve(page),
    }
    client.post(reverse("corrections:report"), data)
    assert ErrorReport.objects.get().page_url == ""


def test_the_form_is_rate_limited_per_address(client, county, today, settings):
    settings.CORRECTION_RATE_LIMITS = {"report": 2}
    for n in range(3):
        page = client.get(reverse("corrections:report")).content.decode()
        data = {
            "url": "/",
            "kind": "typo",
            "description": f"错字{n}",
            "name": "",
            "contact": "",
            "website": "",
            "token": token_of(page),
            "answer": solve(page),
        }
        response = client.post(reverse("corrections:report"), data)
    assert response.status_code == 429 and response["Retry-After"]
    assert ErrorReport.objects.count() == 2


def test_the_queue_and_statistics_have_a_bounded_number_of_queries(
    client, county, today, published_item, django_assert_max_num_queries
):
    item = published_item()
    for n in range(12):
        services.submit(page_url=reverse("disclosure:item", args=[item.pk]), kind="typo", description=f"错字{n}")
    for report in ErrorReport.objects.all()[:5]:
        services.fix(county.clerk, report, answer="已改")
    client.force_login(county.county_admin)
    for state in ("open", "all", "fixed"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse("corrections_staff:queue"), {"state": state}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("corrections_staff:statistics")).status_code == 200
