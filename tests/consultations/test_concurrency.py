"""Two officers at once, with real threads and row locks (PostgreSQL only): exactly one succeeds."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from consultations import services
from consultations.models import Comment, CommentState, Consultation, ConsultationState

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A flush by an earlier transactional test removed the calendar: put it back."""
    from portal.services import seed_calendar_from_package

    seed_calendar_from_package()


def race(functions):
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_moderators_on_one_comment_exactly_one_succeeds(county, today, make_consultation):
    consultation = make_consultation()
    comment = services.submit_comment(consultation, body="意见")
    version = comment.version
    results, errors = race(
        [
            lambda: services.approve_comment(county.clerk, comment.pk, expected_version=version),
            lambda: services.reject_comment(county.clerk2, comment.pk, expected_version=version),
        ]
    )
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Comment.objects.get().state in (CommentState.PUBLISHED, CommentState.REJECTED)


def test_publishing_twice_at_once_publishes_once(county, today, make_consultation):
    draft = make_consultation(publish=False)
    results, errors = race(
        [lambda: services.publish(county.clerk, draft.pk, expected_version=draft.version) for _ in range(2)]
    )
    assert len(results) == 1 and len(errors) == 1
    assert Consultation.objects.get().state == ConsultationState.PUBLISHED
