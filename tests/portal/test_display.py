"""The toolbar's display modes (大字版, 高对比度, 长辈版) work through plain links and a cookie.

What a visitor without JavaScript gets: the links on every page, the mode kept on the next
page as a class on <html>, 恢复默认 forgetting everything (the 长辈版 pages themselves:
tests/column/test_home.py).
"""

import re

import pytest

from portal.display import COOKIE_NAME

pytestmark = pytest.mark.django_db


def html_classes(response):
    tag = re.search(r"<html[^>]*>", response.content.decode()).group(0)
    found = re.search(r'class="([^"]*)"', tag)
    return set(found.group(1).split()) if found else set()


def switch(client, mode, state, next_url="/"):
    response = client.get(f"/display/{mode}/{state}/", {"next": next_url})
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    return response


@pytest.fixture
def root(make_org):
    return make_org("示例县人民政府", office_phone="0000-5550 123")


def test_every_page_has_the_toolbar_with_links_back_to_the_same_page(client, root):
    for path in ("/", "/zwgk/guide/", "/ysqgk/status/"):
        page = client.get(path).content.decode()
        assert 'aria-label="无障碍与适老化"' in page, path
        for mode in ("large", "contrast", "elder"):
            next_param = path.replace("/", "%2F")
            assert f'href="/display/{mode}/on/?next={next_param}"' in page, (path, mode)
        assert f'href="/display/reset/?next={path.replace("/", "%2F")}"' in page
        # 朗读 needs the browser's speech: hidden until static/js/a11y.js finds it.
        assert re.search(r'<button class="a11y-tool a11y-read" type="button" hidden[^>]*>朗读</button>', page)


def test_modes_are_switched_on_kept_combined_off_and_reset(client, root):
    response = switch(client, "large", "on", "/zwgk/guide/")
    assert response["Location"] == "/zwgk/guide/"
    assert client.cookies[COOKIE_NAME].value == "large"
    assert client.cookies[COOKIE_NAME]["httponly"]
    assert html_classes(client.get("/zwgk/guide/")) == {"mode-large"}

    switch(client, "contrast", "on")
    page = client.get("/ysqgk/status/")
    assert html_classes(page) == {"mode-large", "mode-contrast"}
    # The toolbar says what is on, and its link turns it off.
    assert re.search(
        r'href="/display/large/off/\?next=%2Fysqgk%2Fstatus%2F"[^>]*>大字版<span class="a11y-state">（已开启）',
        page.content.decode(),
    )

    switch(client, "large", "on")  # a second click, a reload: still on, nothing flips
    assert html_classes(client.get("/")) == {"mode-large", "mode-contrast"}
    switch(client, "large", "off")
    assert html_classes(client.get("/")) == {"mode-contrast"}

    response = client.get("/display/reset/", {"next": "/zwgk/guide/"})
    assert response.status_code == 302 and response["Location"] == "/zwgk/guide/"
    assert response.cookies[COOKIE_NAME]["max-age"] == 0
    assert html_classes(client.get("/zwgk/guide/")) == set()


def test_bad_input_changes_nothing_and_never_leaves_the_site(client, root):
    switch(client, "large", "on")
    response = switch(client, "huge", "on", "https://evil.example/phish")
    assert response["Location"] == "/"
    switch(client, "contrast", "maybe")
    assert html_classes(client.get("/")) == {"mode-large"}
    # A cookie written by hand: unknown words are dropped, nothing reaches the page unescaped.
    client.cookies[COOKIE_NAME] = 'elder."><script>x</script>.large'
    page = client.get("/zwgk/guide/")
    assert html_classes(page) == {"mode-large", "mode-elder"}
    assert "<script>x" not in page.content.decode()
