"""The demo county's letters: answered and pending ones in several mailboxes, loaded once."""

import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from letters.demo import demo_query_code
from letters.models import Letter, LetterState


def test_demo_letters(demo):
    letters = Letter.objects.all()
    assert letters.count() == 8
    assert letters.values("organization").distinct().count() >= 4
    assert {LetterState.ANSWERED, LetterState.ACCEPTED, LetterState.SUBMITTED, LetterState.REJECTED} <= set(
        letters.values_list("state", flat=True)
    )
    assert letters.filter(published=True).count() == 3
    call_command("load_demo", without_debug=True, stdout=io.StringIO())
    assert Letter.objects.count() == 8

    client = Client()
    listing = client.get(reverse("letters:list")).content.decode()
    assert "高龄津贴如何申领" in listing and "赵演示" not in listing
    client.post(reverse("letters:lookup"), {"tracking_number": "XX0000000001", "query_code": demo_query_code(1)})
    status = client.get(reverse("letters:status", args=["XX0000000001"])).content.decode()
    assert "增设两处站点" in status
