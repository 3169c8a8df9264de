"""The toolbar's display modes (大字版, 高对比度, 长辈版) work through plain links and a cookie.

What a visitor without JavaScript gets: the links on every page, the mode kept on the next
page as a class on <html>, the simplified 长辈版 home, 恢复默认 forgetting everything.
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


def test_elder_home_has_four_large_task_buttons_and_the_office_phone(client, root):
    assert "elder-tasks" not in client.get("/").content.decode()
    switch(client, "elder", "on")
    page = client.get("/").content.decode()
    tasks = re.findall(r'<a class="elder-task" href="([^"]+)"><strong>([^<]+)</strong>', page)
    assert tasks == [
        ("/zwgk/xxgk/", "看通知公告"),
        ("/ysqgk/status/", "查申请进度"),
        ("tel:00005550123", "打电话咨询"),
        ("/ysqgk/", "申请公开信息"),
    ]
    assert "政务公开办公室 0000-5550 123" in page
    assert 'class="latest-items"' in page
    assert "domain-grid" not in page  # the ordinary home's catalog grid is left out


def test_elder_home_without_an_office_phone_offers_no_dead_phone_button(client, make_org):
    make_org("示例县人民政府")
    switch(client, "elder", "on")
    page = client.get("/").content.decode()
    assert page.count('class="elder-task"') == 3
    assert "tel:" not in page


def test_elder_column_has_a_large_button_per_sub_column_and_task(client, root):
    """长辈版 of /zwgk/: the same cached URL, a simplified page once the mode is on, and back."""
    assert "elder-tasks" not in client.get("/zwgk/").content.decode()
    switch(client, "elder", "on", next_url="/zwgk/")
    page = client.get("/zwgk/").content.decode()
    tasks = re.findall(r'<a class="elder-task" href="([^"]+)"><strong>([^<]+)</strong>', page)
    assert [name for _href, name in tasks] == [
        "看通知公告",
        "政府信息公开指南",
        "查政策文件",
        "法定主动公开内容",
        "申请公开信息",
        "查申请进度",
        "打电话咨询",
    ]
    assert ("tel:00005550123", "打电话咨询") in tasks
    for href, _name in tasks[:-1]:
        assert client.get(href).status_code == 200, href
    switch(client, "elder", "off", next_url="/zwgk/")
    assert "elder-tasks" not in client.get("/zwgk/").content.decode()
