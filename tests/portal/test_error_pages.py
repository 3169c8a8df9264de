from portal.models import User


def test_unknown_url_gets_the_chinese_not_found_page(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "返回首页" in body


def test_page_title_names_the_page_and_the_site(client, demo):
    body = client.get("/zwgk/").content.decode()
    assert "<title>政府信息公开专栏 - 示范县人民政府</title>" in body


def test_staff_see_their_workplaces_in_the_header_and_citizens_do_not(client, demo):
    anonymous = client.get("/").content.decode()
    for url in ("/gkgl/", "/staff/requests/", "/staff/annual/", "/admin/"):
        assert f'href="{url}"' not in anonymous
    client.force_login(User.objects.get(username="officer"))
    body = client.get("/").content.decode()
    for label in ("公开管理", "申请办理", "年报管理", "管理后台"):
        assert label in body
    for url in ("/gkgl/", "/staff/requests/", "/staff/annual/"):
        assert f'href="{url}"' in body
