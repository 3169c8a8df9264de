"""Two officers answering one report at once (PostgreSQL only): exactly one answer is kept."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from corrections import services
from corrections.models import ErrorReport
from portal.models import AuditEntry
from tests.consultations.test_concurrency import _reference_data, race  # noqa: F401

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_fixed_and_not_an_error_at_once_one_wins(county, today):
    report = services.submit(page_url="/", kind="typo", description="错字")
    version = report.version
    results, errors = race(
        [
            lambda: services.fix(county.county_clerk, report.pk, answer="已改", expected_version=version),
            lambda: services.dismiss(county.county_admin, report.pk, answer="无误", expected_version=version),
        ]
    )
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    report = ErrorReport.objects.get()
    assert report.answer == ("已改" if report.state == "fixed" else "无误")
    assert AuditEntry.objects.filter(event__in=["corrections.fix", "corrections.dismiss"]).count() == 1
