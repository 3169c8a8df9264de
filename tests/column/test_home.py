"""The home page (/) and the 长辈版 home and column, as the column composes them.

The home page puts together what the apps below publish: the column's entry and the
依申请公开 entry, the column's sub-columns (the 年报 link is the annual app's own list), the
newest items (``disclosure_tags``) and the 26 domains (``catalog.selectors``).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from annual import views as annual_views

pytestmark = pytest.mark.django_db


def switch(client, mode, state, next_url="/"):
    response = client.get(f"/display/{mode}/{state}/", {"next": next_url})
    assert response.status_code == 302
    return response


@pytest.fixture
def root(make_org):
    return make_org("示例县人民政府", office_phone="0000-5550 123")


def test_home_page_names_the_county_and_links_the_column(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "示范县人民政府" in response.content.decode()
    assert "/zwgk/" in response.content.decode()


def test_the_home_quick_links_lead_to_each_sub_column_and_the_real_annual_list(client, demo):
    body = client.get("/").content.decode()
    links = re.search(r'<ul class="quick-links">(.*?)</ul>', body, flags=re.S).group(1)
    hrefs = dict((name, href) for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', links))
    assert hrefs == {
        "政府信息公开指南": "/zwgk/guide/",
        "政府信息公开制度": "/zwgk/rules/",
        "法定主动公开内容": "/zwgk/fdzdgknr/",
        "政府信息公开年报": "/zwgk/annual-reports/",
    }
    assert resolve(hrefs["政府信息公开年报"]).func is annual_views.report_list
    for href in hrefs.values():
        assert client.get(href).status_code == 200, href


def test_the_home_page_is_cheap_uncached_and_served_from_the_page_cache(
    client, demo, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) <= 10, [q["sql"][:120] for q in queries.captured_queries]
    settings.PAGE_CACHE = True
    first = client.get("/")
    with django_assert_max_num_queries(0):
        again = client.get("/")
    assert again.content == first.content


def test_elder_home_has_five_large_task_buttons_and_the_office_phone(client, root):
    assert "elder-tasks" not in client.get("/").content.decode()
    switch(client, "elder", "on")
    page = client.get("/").content.decode()
    tasks = re.findall(r'<a class="elder-task" href="([^"]+)"><strong>([^<]+)</strong>', page)
    assert tasks == [
        ("/zwgk/xxgk/", "看通知公告"),
        ("/ysqgk/status/", "查申请进度"),
        ("tel:00005550123", "打电话咨询"),
        ("/ysqgk/", "申请公开信息"),
        ("/hdjl/xx/write/", "写信反映问题"),
    ]
    assert "政务公开办公室 0000-5550 123" in page
    assert 'class="latest-items"' in page
    assert "domain-grid" not in page  # the ordinary home's catalog grid is left out


def test_elder_home_without_an_office_phone_offers_no_dead_phone_button(client, make_org):
    make_org("示例县人民政府")
    switch(client, "elder", "on")
    page = client.get("/").content.decode()
    assert page.count('class="elder-task"') == 4
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
