"""Hostile input on every letters URL never gives a 5xx; every list runs a bounded number of queries."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from letters import services

HOSTILE = ["\x00", "²", "9" * 30, "字" * 3000, "１２", "-1", "1e30", "<script>x</script>", "' OR 1=1 --"]
FIELDS = [
    "organization", "kind", "title", "body", "name", "phone", "email", "token", "answer", "website",
    "tracking_number", "query_code", "rating", "version", "text", "reason", "category", "days",
    "to_organization", "into_number", "public_title", "public_body", "public_reply", "comment",
    "applicant_category", "id_type", "id_number", "form_wanted", "delivery_method",
]  # fmt: skip
QUERY = ["org", "kind", "year", "q", "page", "state", "colour", "sort"]


@pytest.fixture(autouse=True)
def _quiet():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.fixture
def answered(county, today, write):
    letter, code = write(county.civil)
    services.accept(county.officer, letter)
    letter = services.reply(county.officer, letter, text="答复")
    return services.publish(county.reviewer, letter), code


def test_no_server_error_on_hostile_values(county, answered, settings):
    settings.LETTERS_RATE_LIMITS = {"write": 1000, "failure": 1000, "lookup": 1000, "lookup_number": 1000, "rate": 1000}
    letter, code = answered
    anonymous, staff = Client(), Client()
    staff.force_login(county.officer)
    anonymous.post(reverse("letters:lookup"), {"tracking_number": letter.tracking_number, "query_code": code})
    public = [
        reverse("letters:list"),
        reverse("letters:write"),
        reverse("letters:lookup"),
        reverse("letters:statistics"),
        reverse("letters:statistics_csv"),
        reverse("letters:detail", args=[letter.pk]),
        reverse("letters:status", args=[letter.tracking_number]),
        reverse("letters:rate", args=[letter.tracking_number]),
    ]
    staff_urls = [reverse("letters_staff:queue"), reverse("letters_staff:detail", args=[letter.pk])] + [
        reverse("letters_staff:act", args=[letter.pk, verb]) for verb in ("publish", "unpublish", "accept", "reply")
    ]
    for client, urls in ((anonymous, public), (staff, staff_urls)):
        for url in urls:
            for value in HOSTILE:
                response = client.get(url, {name: value for name in QUERY})
                assert response.status_code < 500, (url, value)
                response = client.post(url, {name: value for name in FIELDS})
                assert response.status_code < 500, (url, value)
    for value in ("%00", "9" * 30, "a" * 2000, "%FF"):
        assert anonymous.get(f"/hdjl/xx/status/{value}/").status_code < 500
        assert anonymous.get(f"/hdjl/xx/{value}/").status_code < 500
    letter.refresh_from_db()
    assert letter.published and letter.state == "answered"


def _many(county, write, n=12):
    letters = []
    for i in range(n):
        org = county.civil if i % 2 else county.east
        letter, _ = write(org, title=f"来信{i}")
        if i % 3 == 0:
            officer = county.officer if org == county.civil else county.east_officer
            services.accept(officer, letter)
            letter = services.reply(officer, letter, text="答复")
            services.publish(
                county.reviewer if org == county.civil else county.admin, letter
            ) if org == county.civil else None
        letters.append(letter)
    return letters


@pytest.mark.parametrize("n", [3, 12])
def test_bounded_queries_on_every_list(county, today, write, n, django_assert_max_num_queries):
    _many(county, write, n)
    staff = Client()
    staff.force_login(county.county_officer)
    public = Client()
    with django_assert_max_num_queries(25):
        assert staff.get(reverse("letters_staff:queue") + "?state=all").status_code == 200
    with django_assert_max_num_queries(12):
        assert public.get(reverse("letters:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert public.get(reverse("letters:statistics")).status_code == 200
    with django_assert_max_num_queries(12):
        assert public.get(reverse("letters:statistics_csv")).status_code == 200
