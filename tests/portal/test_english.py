"""The English translation: a visitor who picks English in the footer reads the portal in English.

The catalog checks read the committed .po/.mo themselves, because a broken
placeholder only shows up at runtime on the one page that uses the string
(as a KeyError or a half-Chinese sentence), and a stale .mo silently serves
old text.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from catalog.models import CatalogEntry

from .pofile import is_translated, parse_po

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

SUBCOLUMNS_EN = [
    "Government Information Disclosure Guide",
    "Government Information Disclosure Rules",
    "Statutory Proactive Disclosure",
    "Annual Reports on Government Information Disclosure",
]
SUBCOLUMNS_ZH = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]


def _switch(client, language, next_url="/"):
    response = client.get(f"/i18n/lang/{language}/", {"next": next_url})
    assert response.status_code == 302
    return response


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def domain_and_entry(demo):
    """A domain of the demo county that has items, and one of its level-1 items."""
    entry = (
        CatalogEntry.objects.filter(parent__parent__isnull=True, parent__isnull=False, organization__isnull=True)
        .select_related("parent")
        .order_by("tree_id", "lft")
        .first()
    )
    assert entry is not None, "the demo county should have standard catalog items"
    return entry.parent, entry


def test_chinese_is_the_default_for_a_new_visitor(client, demo):
    html = _page(client, "/zwgk/")
    assert '<html lang="zh-hans">' in html
    for name in SUBCOLUMNS_ZH:
        assert name in html
    assert "Government Information Disclosure Guide" not in html


def test_switching_to_english_translates_the_public_pages(client, domain_and_entry):
    domain, entry = domain_and_entry
    response = _switch(client, "en", "/zwgk/")
    assert response["Location"] == "/zwgk/"

    home = _page(client, "/")
    assert '<html lang="en">' in home
    assert "Government Information Disclosure Column" in home
    assert "Request government information online" in home
    for name in SUBCOLUMNS_EN:
        assert name in home

    column = _page(client, "/zwgk/")
    assert '<html lang="en">' in column
    assert "<h1>Government Information Disclosure Column</h1>" in column
    for english, chinese in zip(SUBCOLUMNS_EN, SUBCOLUMNS_ZH):
        assert english in column
        assert chinese not in column

    guide = _page(client, "/zwgk/guide/")
    assert '<html lang="en">' in guide
    for heading in (
        "I. Proactive Disclosure",
        "II. Disclosure on Request",
        "III. Receiving Offices",
        "IV. Supervision and Remedies",
    ):
        assert heading in guide
    assert "二、依申请公开" not in guide

    domain_page = _page(client, f"/zwgk/fdzdgknr/domain/{domain.pk}/")
    assert '<html lang="en">' in domain_page
    assert "Statutory Proactive Disclosure" in domain_page
    assert domain.name in domain_page  # data stays as entered

    entry_page = _page(client, f"/zwgk/fdzdgknr/entry/{entry.pk}/")
    assert '<html lang="en">' in entry_page
    for label in ("Disclosure Time Limit", "Disclosing body", "Organization catalogs", "Audience"):
        assert label in entry_page
    assert "公开时限" not in entry_page


def test_switching_back_to_chinese(client, demo):
    _switch(client, "en")
    assert "Statutory Proactive Disclosure" in _page(client, "/zwgk/")
    _switch(client, "zh-hans")
    html = _page(client, "/zwgk/")
    assert '<html lang="zh-hans">' in html
    assert "法定主动公开内容" in html


# --- the catalog itself -------------------------------------------------

_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|\{[^{}]*\}")


def _placeholders(text):
    return sorted(_PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def po_entries():
    entries = parse_po(PO_FILE)
    header = entries[0]
    assert header["msgid"] == ""
    return entries[1:]


def test_the_catalog_is_complete_and_not_fuzzy(po_entries):
    assert len(po_entries) > 1000  # the whole portal, not a sample
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    assert fuzzy == []
    untranslated = [e["msgid"] for e in po_entries if not is_translated(e)]
    assert untranslated == []


def test_every_translation_keeps_the_placeholders(po_entries):
    broken = []
    for e in po_entries:
        if "msgid_plural" in e:
            pairs = [(e["msgid"], e.get("msgstr[0]", "")), (e["msgid_plural"], e.get("msgstr[1]", ""))]
        else:
            pairs = [(e["msgid"], e.get("msgstr", ""))]
        for source, translation in pairs:
            if translation and _placeholders(source) != _placeholders(translation):
                broken.append((source, translation))
    assert broken == []


def test_the_compiled_catalog_matches_the_po(po_entries):
    with MO_FILE.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in po_entries:
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            if (
                compiled.ngettext(msgid, e["msgid_plural"], 1) != e["msgstr[0]"]
                or compiled.ngettext(msgid, e["msgid_plural"], 5) != e["msgstr[1]"]
            ):
                stale.append(e["msgid"])
        elif compiled.gettext(msgid) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []
