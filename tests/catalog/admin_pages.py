"""What the catalog admin tests share: the pages, logging in, reading messages back."""

from django.contrib.messages import get_messages
from django.utils import timezone

from catalog.models import Adoption
from portal.models import User

CHANGELIST = "/admin/catalog/adoption/"
ENTRIES = "/admin/catalog/catalogentry/"


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def adoption(org, entry):
    return Adoption.objects.get(organization=org, entry=entry)


def page_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response):
    return response.content.decode()


def today():
    return timezone.localdate().isoformat()
