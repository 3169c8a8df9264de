"""An organisation's administrator sets its own reply deadlines in the admin, and only its own."""

from django.test import Client

from letters.models import ReplyDeadline


def test_admin_sets_own_deadline_only(county, today, write, civil_admin):
    client = Client()
    client.force_login(civil_admin)
    url = "/admin/letters/replydeadline/add/"
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert f'value="{county.civil.pk}"' in html and f'value="{county.east.pk}"' not in html
    client.post(url, {"organization": county.east.pk, "kind": "", "working_days": 3})
    assert not ReplyDeadline.objects.filter(organization=county.east).exists()
    client.post(url, {"organization": county.civil.pk, "kind": "complain", "working_days": 15})
    assert ReplyDeadline.objects.get(organization=county.civil).working_days == 15
    letter, _ = write(county.civil, kind="complain")
    assert letter.allowed_days == 15
