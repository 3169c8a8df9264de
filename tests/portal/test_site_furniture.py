"""Site furniture (issue 12): the footer's site information, 网站地图, favicon, feed discovery,
and staff landing on their own workbench with only the header links they may open."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.demo import _placeholder_logo
from portal.models import Role, SiteSettings, User


def body(response):
    return response.content.decode()


# --- the footer ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_shows_the_demo_footer_with_its_registration_numbers(client, demo):
    for url in ("/", "/zwgk/", "/zwgk/xxgk/", "/ysqgk/", "/wzdt/", "/no-such-page/"):
        page = body(client.get(url))
        assert "主办单位：示范县人民政府（示例）" in page, url
        assert "承办单位：示范县人民政府办公室（示例）" in page, url
        assert "网站标识码：9901010001" in page, url
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener">示ICP备00000001号-1</a>' in page, url
        assert "示公网安备 99010102000001号" in page, url
        assert "联系电话：0000-5550001" in page and "gk@example.invalid" in page, url
        assert 'href="/wzdt/">网站地图</a>' in page, url


@pytest.mark.django_db
def test_the_demo_logo_is_served_as_an_image_under_its_checksum(client, demo):
    settings = SiteSettings.objects.get()
    page = body(client.get("/"))
    assert f'src="/site-logo/{settings.conac_logo_sha}/" alt="党政机关网站标识"' in page
    logo = client.get(f"/site-logo/{settings.conac_logo_sha}/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo.content.startswith(b"\x89PNG") and "immutable" in logo["Cache-Control"]
    assert client.get("/site-logo/0000/").status_code == 404


@pytest.mark.django_db
def test_without_settings_the_footer_keeps_the_name_and_the_site_map(client, demo):
    SiteSettings.objects.all().delete()
    page = body(client.get("/"))
    assert "主办单位" not in page and "网站标识码" not in page
    assert "示范县人民政府 版权所有" in page and 'href="/wzdt/"' in page


@pytest.mark.django_db
def test_a_change_in_the_admin_reaches_the_cached_footer_at_once(client, demo):
    assert "主办单位：示范县人民政府（示例）" in body(client.get("/"))  # now cached
    settings = SiteSettings.objects.get()
    settings.sponsor = "示范县人民政府办公室（改）"
    settings.save()
    assert "主办单位：示范县人民政府办公室（改）" in body(client.get("/"))


@pytest.mark.django_db
def test_the_footer_costs_no_query_once_cached(client, demo, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import pagecache

    client.get("/zwgk/")  # warm the generation-keyed lists
    with CaptureQueriesContext(connection) as first:
        client.get("/zwgk/guide/", {"n": 1})
    # The footer's settings and the root organisation come from one cached lookup, not the database.
    sqls = [q["sql"] for q in first.captured_queries]
    assert not any("portal_sitesettings" in sql for sql in sqls), sqls
    assert pagecache.remember("site-furniture", lambda: None)["settings"].sponsor == "示范县人民政府（示例）"


@pytest.mark.parametrize(
    "field, value",
    [
        ("website_code", "12345"),
        ("website_code", "990101000A"),
        ("icp_number", "ICP备12345678号"),
        ("icp_number", "京ICP备12号"),
        ("police_number", "京公网安备 123号"),
    ],
)
@pytest.mark.django_db
def test_malformed_registration_numbers_are_refused_with_a_chinese_message(demo, field, value):
    settings = SiteSettings.objects.get()
    setattr(settings, field, value)
    with pytest.raises(ValidationError) as caught:
        settings.full_clean()
    assert re.search(r"[\u4e00-\u9fff]", " ".join(caught.value.message_dict[field]))


@pytest.mark.django_db
def test_site_settings_belong_to_a_root_organisation_only(demo):
    settings = SiteSettings(organization=demo["县民政局"], sponsor="示范县民政局")
    with pytest.raises(ValidationError) as caught:
        settings.full_clean()
    assert "最上级机构" in " ".join(caught.value.message_dict["organization"])


@pytest.fixture
def county_admin(demo):
    return User.objects.get(username="gk_admin")


def change_url():
    return f"/admin/portal/sitesettings/{SiteSettings.objects.get().pk}/change/"


def admin_form(client):
    from tests.portal.helpers import form_data

    return form_data(body(client.get(change_url())))


@pytest.mark.django_db
def test_the_county_admin_edits_the_footer_in_chinese_and_uploads_a_logo(client, county_admin):
    client.force_login(county_admin)
    page = body(client.get(change_url()))
    for label in ("主办单位", "承办单位", "网站标识码", "ICP备案号", "公安机关备案号", "党政机关网站标识图片"):
        assert label in page
    data = admin_form(client)
    data.update({"sponsor": "示范县人民政府", "website_code": "9901010002"})
    png = _placeholder_logo(20, 20)
    data["logo_upload"] = SimpleUploadedFile("标识.png", png, content_type="image/png")
    response = client.post(change_url(), data)
    assert response.status_code == 302, body(response)
    settings = SiteSettings.objects.get()
    assert settings.website_code == "9901010002" and bytes(settings.conac_logo) == png
    from portal import audit

    trail = [entry.comment for entry in audit.entries_for(settings)]
    assert any("网站标识码" in comment for comment in trail), trail
    assert "网站标识码：9901010002" in body(client.get("/"))


@pytest.mark.django_db
def test_a_logo_that_is_not_an_image_is_refused_and_nothing_changes(client, county_admin):
    client.force_login(county_admin)
    before = SiteSettings.objects.get()
    data = admin_form(client)
    data["sponsor"] = "不应保存"
    data["logo_upload"] = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = client.post(change_url(), data)
    assert response.status_code == 200
    assert "标识图片须为 PNG、JPEG、GIF 或 WebP 图片" in body(response)
    after = SiteSettings.objects.get()
    assert after.sponsor == before.sponsor and bytes(after.conac_logo) == bytes(before.conac_logo)


@pytest.mark.django_db
def test_a_township_admin_cannot_reach_the_county_footer(client, demo):
    user = User.objects.create_user(
        "cg_admin_footer", password="pw-for-tests", organization=demo["城关镇"], is_staff=True
    )
    user.groups.add(Group.objects.get(name=Role.ORG_ADMIN.value))
    client.force_login(user)
    assert client.get(change_url()).status_code in (302, 403, 404)
    listing = client.get("/admin/portal/sitesettings/")
    assert listing.status_code == 200 and "示范县人民政府（示例）" not in body(listing)


# --- 网站地图, favicon, feed discovery ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_site_map_lists_every_section_of_the_column(client, demo):
    from catalog.models import CatalogEntry

    response = client.get("/wzdt/")
    assert response.status_code == 200
    page = body(response)
    assert "<h1>网站地图</h1>" in page
    for href in (
        "/",
        "/zwgk/",
        "/zwgk/guide/",
        "/zwgk/rules/",
        "/zwgk/fdzdgknr/",
        "/zwgk/annual-reports/",
        "/zwgk/xxgk/",
        "/ysqgk/",
        "/ysqgk/status/",
        "/zwgk/xxgk/search/",
        "/zwgk/search/",
        "/zwgk/xxgk/feed/rss/",
        "/zwgk/xxgk/feed/atom/",
    ):
        assert f'href="{href}"' in page, href
    domains = CatalogEntry.objects.domains().standard()
    assert domains.count() >= 26
    for domain in domains:
        assert f'href="/zwgk/fdzdgknr/domain/{domain.pk}/">{domain.name}</a>' in page


@pytest.mark.django_db
def test_favicon_is_served_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon" and response.content[:4] == b"\x00\x00\x01\x00"


@pytest.mark.django_db
def test_pages_with_feeds_advertise_them_in_the_head(client, demo):
    for url in ("/", "/zwgk/xxgk/"):
        head = body(client.get(url)).split("</head>")[0]
        rss = r'<link rel="alternate" type="application/rss\+xml" title="[^"]+" href="/zwgk/xxgk/feed/rss/">'
        assert re.search(rss, head), url
        assert 'type="application/atom+xml"' in head and 'href="/zwgk/xxgk/feed/atom/"' in head, url
    domain = demo["县民政局"]
    head = body(client.get(f"/zwgk/xxgk/org/{domain.pk}/")).split("</head>")[0]
    assert f'href="/zwgk/xxgk/feed/org/{domain.pk}/atom/"' in head
    assert '<link rel="icon"' in head


# --- staff: the workbench of their role after login, header links they may open --------------------


def login(client, username, password, **extra):
    page = client.get("/admin/login/", extra)
    hidden = re.search(r'name="next" value="([^"]*)"', body(page))
    data = {"username": username, "password": password}
    if hidden:
        data["next"] = hidden.group(1)
    return client.post("/admin/login/" + (f"?next={extra['next']}" if "next" in extra else ""), data)


@pytest.mark.parametrize(
    "username, password, landing",
    [
        ("clerk", "demo-clerk-2026", "/gkgl/"),
        ("reviewer", "demo-reviewer-2026", "/gkgl/"),
        ("officer", "demo-officer-2026", "/staff/requests/"),
        ("admin", "demo-admin-2026", "/admin/"),
    ],
)
@pytest.mark.django_db
def test_staff_land_on_the_workbench_of_their_role(client, demo, settings, username, password, landing):
    settings.OTP_REQUIRED_ROLES = ()
    response = login(client, username, password)
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/account/")["Location"] == landing


@pytest.mark.django_db
def test_a_login_asked_for_by_a_page_goes_back_to_that_page(client, demo, settings):
    settings.OTP_REQUIRED_ROLES = ()
    response = login(client, "clerk", "demo-clerk-2026", next="/gkgl/queue/")
    assert response["Location"] == "/gkgl/queue/"


@pytest.mark.parametrize("username", ["clerk", "reviewer", "officer", "gk_admin", "cg_clerk"])
@pytest.mark.django_db
def test_the_header_links_only_what_the_user_may_open(client, demo, username):
    client.force_login(User.objects.get(username=username))
    page = body(client.get("/"))
    header = page.split('<nav class="site-nav"')[1].split("</nav>")[0]
    links = re.findall(r'href="(/(?:gkgl|staff|admin)/[^"]*)"', header)
    assert links, header
    for href in links:
        assert client.get(href).status_code == 200, (username, href)
    if username in ("clerk", "cg_clerk"):
        assert "申请办理" not in header and "/staff/requests/" not in header
