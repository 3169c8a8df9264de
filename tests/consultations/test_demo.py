"""The demo county's consultations and error reports: what ``make run`` shows, loaded twice."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from consultations.models import Comment, CommentState, Consultation, ConsultationState
from corrections.models import ErrorReport, ReportState

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_and_a_closed_consultation_and_reports_in_every_state(demo, client):
    open_one = Consultation.objects.get(organization=demo["城关镇"])
    closed = Consultation.objects.get(organization=demo["县民政局"])
    assert open_one.state == ConsultationState.PUBLISHED and open_one.is_open()
    assert set(open_one.comments.values_list("state", flat=True)) == {
        CommentState.PUBLISHED,
        CommentState.PENDING,
        CommentState.REJECTED,
    }
    assert closed.state == ConsultationState.CLOSED and closed.final_item is not None
    assert closed.period_days == 30
    page = client.get(reverse("consultations:detail", args=[closed.pk])).content.decode()
    assert "共收到意见 4 条，采纳 2 条。" in page
    item_page = client.get(reverse("disclosure:item", args=[closed.final_item_id])).content.decode()
    assert reverse("consultations:detail", args=[closed.pk]) in item_page
    assert set(ErrorReport.objects.values_list("state", flat=True)) == set(ReportState.values)

    counts = (Consultation.objects.count(), Comment.objects.count(), ErrorReport.objects.count())
    call_command("load_demo", without_debug=True, stdout=io.StringIO())
    assert (Consultation.objects.count(), Comment.objects.count(), ErrorReport.objects.count()) == counts
