"""Real threads and row locks (PostgreSQL only): gapless registration numbers, one winner per step."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from requests_app import services
from requests_app.models import Request, Status

from .conftest import applicant

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test before this one may have flushed the migrations' data: put it back.

    (post_migrate after each flush recreates permissions and role groups, not the calendar.)
    serialized_rollback is not used because its final flush skips post_migrate and would leave
    the role groups missing for transactional tests that run later.
    """
    from portal.services import seed_calendar_from_package
    from requests_app.notices import seed_templates

    seed_calendar_from_package()
    seed_templates()


THREADS = 8


def race(functions):
    """Start every function at the same moment; return (results, errors)."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_concurrent_intake_gives_gapless_unique_registration_numbers(county, today):
    def intake():
        return services.intake(
            county.officer, county.civil, channel="in_person", receipt_date=today.date(), **applicant()
        )

    results, errors = race([intake] * THREADS)
    assert errors == []
    serials = sorted(Request.objects.values_list("registration_serial", flat=True))
    assert serials == list(range(1, THREADS + 1))
    numbers = set(Request.objects.values_list("registration_number", flat=True))
    assert len(numbers) == THREADS
    # Notice numbers (one acknowledgement each) are gapless too.
    documents = sorted(
        int(n.split("〕")[1].rstrip("号")) for n in Request.objects.values_list("notices__document_number", flat=True)
    )
    assert documents == list(range(1, THREADS + 1))


def test_two_officials_replying_at_once_exactly_one_succeeds(county, today):
    req, _code = services.intake(
        county.officer, county.civil, channel="in_person", receipt_date=today.date(), **applicant()
    )
    services.begin_review(county.officer, req)
    services.accept(county.officer, req, handler=county.officer)
    results, errors = race(
        [
            lambda: services.reply(county.officer, req, outcome="1", decision="予以公开"),
            lambda: services.reply(
                county.officer2, req, outcome="5.2", decision="重复申请", legal_basis="《条例》第三十六条"
            ),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "当前状态为“已答复”" in " ".join(errors[0].messages)
    req.refresh_from_db()
    assert req.status == Status.REPLIED and req.notices.filter(kind="reply").count() == 1


def test_accept_and_supplement_at_once_one_wins(county, today):
    req, _code = services.intake(
        county.officer, county.civil, channel="in_person", receipt_date=today.date(), **applicant()
    )
    services.begin_review(county.officer, req)
    seen = Request.objects.get(pk=req.pk).version
    results, errors = race(
        [
            lambda: services.accept(county.officer, req, expected_version=seen),
            lambda: services.request_supplement(county.officer2, req, items="请写明文号", expected_version=seen),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert "刚刚已被其他人处理" in " ".join(errors[0].messages)
    assert Request.objects.get(pk=req.pk).status in (Status.IN_HANDLING, Status.SUPPLEMENT_REQUESTED)
