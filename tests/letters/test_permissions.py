"""Every staff URL of the letters app, tried by another township's staff: 403 or 404, nothing changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from letters import services
from letters.models import Letter, LetterFile
from letters.staff_views import FORMS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def foreign(county, today, write):
    letter, _ = write(county.east, files=[SimpleUploadedFile("a.png", PNG)])
    services.accept(county.east_officer, letter)
    answered, _ = write(county.east, title="已答复的来信")
    services.accept(county.east_officer, answered)
    services.reply(county.east_officer, answered, text="答复", files=[SimpleUploadedFile("b.png", PNG)])
    return [Letter.objects.get(pk=letter.pk), Letter.objects.get(pk=answered.pk)]


def _snapshot():
    return list(Letter.objects.order_by("pk").values_list("pk", "state", "version", "organization_id", "published"))


@pytest.mark.parametrize("attacker", ["west_officer", "west_admin"])
def test_other_township_gets_404_on_every_staff_url(county, foreign, attacker):
    client = Client()
    client.force_login(getattr(county, attacker))
    before = _snapshot()
    queue = client.get(reverse("letters_staff:queue") + "?state=all")
    assert queue.status_code == 200
    for letter in foreign:
        assert letter.tracking_number not in queue.content.decode()
        assert client.get(reverse("letters_staff:detail", args=[letter.pk])).status_code == 404
        for verb in FORMS:
            response = client.post(
                reverse("letters_staff:act", args=[letter.pk, verb]),
                {"version": letter.version, "text": "越权", "reason": "越权", "category": "spam", "days": "3"},
            )
            assert response.status_code == 404, verb
    for item in LetterFile.objects.all():
        assert client.get(reverse("letters_staff:file", args=[item.pk])).status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("attacker", ["clerk", None])
def test_without_the_view_permission_every_staff_url_is_refused(county, foreign, attacker):
    client = Client()
    if attacker:
        client.force_login(getattr(county, attacker))
    before = _snapshot()
    letter = foreign[0]
    urls = [
        ("get", reverse("letters_staff:queue")),
        ("get", reverse("letters_staff:detail", args=[letter.pk])),
        ("post", reverse("letters_staff:act", args=[letter.pk, "accept"])),
        ("get", reverse("letters_staff:file", args=[LetterFile.objects.first().pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"version": letter.version} if method == "post" else None)
        if attacker:
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], url
    assert _snapshot() == before


def test_a_superior_office_sees_the_letter_but_not_the_contact(county, foreign):
    client = Client()
    client.force_login(county.county_officer)
    page = client.get(reverse("letters_staff:detail", args=[foreign[0].pk])).content.decode()
    assert "张**" in page and "00005550100" not in page
    own = Client()
    own.force_login(county.east_officer)
    assert "00005550100" in own.get(reverse("letters_staff:detail", args=[foreign[0].pk])).content.decode()


def test_citizen_files_only_with_the_code(county, foreign, write):
    item = LetterFile.objects.filter(letter=foreign[0]).first()
    other, code = write(county.civil)
    client = Client()
    client.post(reverse("letters:lookup"), {"tracking_number": other.tracking_number, "query_code": code})
    # Logged in as another letter's writer: not this letter's file.
    assert client.get(reverse("letters:file", args=[other.tracking_number, item.pk])).status_code == 404
    assert client.get(reverse("letters:file", args=[foreign[0].tracking_number, item.pk])).status_code == 404
