"""Two officers act on one letter at the same moment (PostgreSQL row locks): exactly one succeeds."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from letters import services
from letters.models import Letter, LetterState
from portal.models import AuditEntry

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    from portal.services import seed_calendar_from_package

    seed_calendar_from_package()


def race(functions):
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


def test_accept_and_reject_at_once_one_wins(county, today, write):
    letter, _ = write(county.civil)
    version = letter.version
    results, errors = race(
        [
            lambda: services.accept(county.officer, Letter.objects.get(pk=letter.pk), expected_version=version),
            lambda: services.reject(
                county.officer2,
                Letter.objects.get(pk=letter.pk),
                category="spam",
                reason="广告",
                expected_version=version,
            ),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    letter.refresh_from_db()
    assert letter.version == version + 1
    assert letter.state in (LetterState.ACCEPTED, LetterState.REJECTED)
    assert AuditEntry.objects.filter(event__in=["letters.accept", "letters.reject"]).count() == 1


def test_two_replies_at_once_one_wins(county, today, write):
    letter, _ = write(county.civil)
    letter = services.accept(county.officer, letter)
    version = letter.version
    results, errors = race(
        [
            (
                lambda n=n: services.reply(
                    county.officer, Letter.objects.get(pk=letter.pk), text=f"答复{n}", expected_version=version
                )
            )
            for n in range(4)
        ]
    )
    assert len(results) == 1 and len(errors) == 3
    assert AuditEntry.objects.filter(event="letters.reply").count() == 1


def test_two_officers_forward_one_request_at_once_one_letter(county, today, answered):
    from letters.forwarding import forward_request

    req = answered()
    results, errors = race(
        [lambda: forward_request(county.officer, req.pk), lambda: forward_request(county.officer2, req.pk)]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and "已经转为来信" in " ".join(errors[0].messages)
    assert Letter.objects.filter(from_request=req).count() == 1
    assert AuditEntry.objects.filter(event="letters.forward").count() == 1
