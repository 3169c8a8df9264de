"""The parts of base.html every page repeats, rendered once ({% fragment %}, portal/templatetags/fragments.py).

A fragment must show exactly what rendering it again would show, for every visitor and
page; so pages are rendered with fragments on and off and compared, and a change of what
the chrome shows (site settings, the site's name) must show on the next page.
"""

import pytest
from django.test import Client
from django.urls import set_script_prefix

from portal.display import COOKIE_NAME
from portal.models import SiteSettings


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE = False  # pages built each time, so the fragments are what is compared
    return settings


def _visitors(settings):
    yield "anonymous", Client(), {}
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield "English", english, {}
    large = Client()
    large.cookies[COOKIE_NAME] = "large.elder"
    yield "大字版 长辈版", large, {}
    yield "under /gov/", Client(), {"prefix": "/gov/"}


@pytest.mark.django_db
def test_pages_are_the_same_with_and_without_fragments(demo, uncached):
    from disclosure.models import DisclosureItem

    item = DisclosureItem.objects.public().first()
    from catalog.models import CatalogEntry

    domain = CatalogEntry.objects.domains().first()
    paths = ["/", "/zwgk/", "/zwgk/xxgk/", f"/zwgk/xxgk/item/{item.pk}/", "/zwgk/xxgk/search/?q=低保", "/no-such-page/"]
    # The filter form is a fragment too, under every value it shows: each list and filter its own.
    paths += [
        f"/zwgk/xxgk/?kind=document&org={item.organization_id}",
        "/zwgk/xxgk/?kind=interpretation",
        f"/zwgk/xxgk/domain/{domain.pk}/",
        f"/zwgk/xxgk/org/{item.organization_id}/",
        "/zwgk/xxgk/search/?q=低保&kind=document",
    ]
    seen = set()
    for label, client, extra in _visitors(uncached):
        set_script_prefix(extra.get("prefix", "/"))  # a site served under a sub-path (as WSGI's SCRIPT_NAME sets it)
        try:
            for path in paths:
                uncached.TEMPLATE_FRAGMENTS = True
                client.get(path)  # the first render keeps the fragments
                with_fragments = client.get(path).content.decode()
                uncached.TEMPLATE_FRAGMENTS = False
                without = client.get(path).content.decode()
                assert with_fragments == without, (label, path)
                seen.add(with_fragments)
        finally:
            set_script_prefix("/")
    assert len(seen) == len(paths) * 4  # each visitor's pages differ from every other's


@pytest.mark.django_db
def test_a_change_of_the_site_settings_shows_on_the_next_page(client, demo, uncached):
    assert "主办单位：示范县人民政府（示例）" in client.get("/zwgk/").content.decode()
    site = SiteSettings.objects.get()
    site.sponsor = "示范县人民政府办公室（改）"
    site.save()
    page = client.get("/zwgk/xxgk/").content.decode()
    assert "主办单位：示范县人民政府办公室（改）" in page and "（示例）</span>" not in page.split("主办单位")[1][:40]


@pytest.mark.django_db
def test_staff_get_their_own_navigation_not_the_visitors(client, demo, uncached):
    from portal.models import User

    assert "公开管理" not in client.get("/zwgk/").content.decode()  # the anonymous fragment is kept
    client.force_login(User.objects.filter(is_staff=True, is_superuser=False).first())
    assert "公开管理" in client.get("/zwgk/").content.decode()
