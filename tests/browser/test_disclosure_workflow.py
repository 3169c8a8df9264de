"""A clerk drafts and submits an item with a file, a reviewer signs it off and publishes it,
a citizen finds it with a two-character query and downloads the file — on a desktop and a phone."""

from catalog.models import CatalogEntry
from disclosure.demo import tiny_pdf
from disclosure.models import DisclosureItem, ItemState
from tests.browser.conftest import assert_no_horizontal_scroll

TITLE = "关于发放2026年春节困难群众一次性补贴的通知"
FILE_NAME = "春节补贴发放名单.pdf"


def staff_page(browser, page, live_server, username, password, next_url):
    context = browser.new_context(viewport=page.viewport_size, locale="zh-CN")
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(f"{live_server.url}/admin/login/?next={next_url}")
    staff.fill("#id_username", username)
    staff.fill("#id_password", password)
    staff.locator("input[type=submit], button[type=submit]").first.click()
    staff.wait_for_url(f"**{next_url}")
    return staff


def test_from_draft_to_citizen_download(browser, page, live_server, demo):
    entry = CatalogEntry.objects.get(name="办事指南", parent__name="最低生活保障")

    clerk = staff_page(browser, page, live_server, "clerk", "demo-clerk-2026", "/gkgl/new/")
    assert_no_horizontal_scroll(clerk)
    clerk.fill("#id_title", TITLE)
    clerk.select_option("#id_catalog_entries", value=str(entry.pk))
    clerk.select_option("#id_disclosure_attribute", value="proactive")
    clerk.fill("#id_document_number", "示民发[2026]9号")
    clerk.get_by_role("textbox", name="正文编辑器").fill("春节前向全县低保、特困对象每户发放一次性补贴500元。")
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url("**/gkgl/item/*/")
    clerk.set_input_files(
        "#id_file", files=[{"name": FILE_NAME, "mimeType": "application/pdf", "buffer": tiny_pdf("Subsidy list")}]
    )
    clerk.get_by_role("button", name="上传附件").click()
    assert FILE_NAME in clerk.content()
    clerk.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in clerk.content()
    assert_no_horizontal_scroll(clerk)
    item = DisclosureItem.objects.get(title=TITLE)
    assert item.state == ItemState.SUBMITTED
    clerk.context.close()

    reviewer = staff_page(browser, page, live_server, "reviewer", "demo-reviewer-2026", "/gkgl/queue/")
    reviewer.get_by_role("link", name=TITLE).click()
    reviewer.get_by_role("button", name="保密审查签发").click()
    assert "保密审查已签发" in reviewer.content()
    reviewer.get_by_role("button", name="发布", exact=True).click()
    assert "已发布" in reviewer.content()
    assert_no_horizontal_scroll(reviewer)
    reviewer.context.close()
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED and item.index_number

    page.goto(live_server.url + "/")
    page.fill("#site-search", "补贴")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/zwgk/xxgk/search/**")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name=TITLE).click()
    assert page.locator("h1").inner_text() == TITLE
    content = page.content()
    assert item.index_number in content and "示民发〔2026〕9号" in content and "主动公开" in content
    assert_no_horizontal_scroll(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=FILE_NAME).click()
    download = download_info.value
    assert download.suggested_filename == FILE_NAME
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_repealed_item_and_tombstone_fit_a_phone(page, live_server, demo):
    repealed = DisclosureItem.objects.get(title__startswith="示范县城乡低保审核审批操作规程")
    page.goto(f"{live_server.url}/zwgk/xxgk/item/{repealed.pk}/")
    assert "已废止" in page.locator(".validity-banner").inner_text()
    assert_no_horizontal_scroll(page)
    withdrawn = DisclosureItem.objects.get(state=ItemState.WITHDRAWN)
    page.goto(f"{live_server.url}/zwgk/xxgk/item/{withdrawn.pk}/")
    assert "该信息已撤回" in page.content()
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/zwgk/xxgk/")
    assert_no_horizontal_scroll(page)
