"""The clerk's 正文 editor (django-prose-editor, served from its wheel): a clerk types and
pastes formatted text, a reviewer checks the metadata and the preview and publishes, and
the public page keeps the paragraphs, bold, list and table. No CSP violation on the way."""

from catalog.models import CatalogEntry
from disclosure.models import DisclosureItem, ItemState
from tests.browser.conftest import PHONE, assert_no_horizontal_scroll
from tests.browser.test_disclosure_workflow import staff_page

TITLE = "关于2026年度临时救助标准的通知"
PASTED = (
    "<style>p.MsoNormal{margin:0cm;font-family:宋体}</style><!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->"  # noqa: E501
    '<p class="MsoNormal"><b><span style="font-size:16pt">二、救助标准</span></b><o:p></o:p></p>'
    '<p class="MsoNormal">按当地低保标准的<b>3倍</b>确定。</p>'
    "<ul><li>急难型救助</li><li>支出型救助</li></ul>"
    '<table border="1"><tr><td><p class="MsoNormal">类别</p></td><td><p class="MsoNormal">标准</p></td></tr>'
    "<tr><td>急难型</td><td>2460元</td></tr></table>"
)
PASTE_JS = """([selector, html]) => {
  const target = document.querySelector(selector)
  const data = new DataTransfer()
  data.setData("text/html", html)
  data.setData("text/plain", "二、救助标准")
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}))
}"""


def watch_csp(page, violations):
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))


def test_clerk_formats_the_body_and_the_public_page_keeps_it(browser, page, live_server, demo):
    entry = CatalogEntry.objects.get(name="办事指南", parent__name="最低生活保障")
    violations = []

    clerk = staff_page(browser, page, live_server, "clerk", "demo-clerk-2026", "/gkgl/new/")
    watch_csp(clerk, violations)
    clerk.reload()
    editor = clerk.get_by_role("textbox", name="正文编辑器")
    editor.wait_for()
    assert clerk.locator("#id_body").is_hidden()  # the textarea stays in the form, behind the editor
    # The editor's dialogs are labelled in Chinese (the JavaScript catalog, /jsi18n/).
    assert clerk.evaluate("window.gettext('Insert Table')") == "插入表格"
    assert_no_horizontal_scroll(clerk)
    clerk.fill("#id_title", TITLE)
    clerk.select_option("#id_catalog_entries", value=str(entry.pk))
    clerk.select_option("#id_disclosure_attribute", value="proactive")
    clerk.select_option("#id_subject", label="社会福利")
    editor.click()
    clerk.keyboard.type("一、救助对象")
    clerk.keyboard.press("Enter")
    clerk.keyboard.type("因急难事件陷入困境的家庭，")
    clerk.keyboard.press("Control+b")
    clerk.keyboard.type("均可申请")
    clerk.keyboard.press("Control+b")
    clerk.keyboard.press("Enter")
    clerk.evaluate(PASTE_JS, [".prose-editor .tiptap", PASTED])
    assert editor.locator("table").count() == 1
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url("**/gkgl/item/*/")
    item = DisclosureItem.objects.get(title=TITLE)
    assert "<strong>均可申请</strong>" in item.body and "<strong>3倍</strong>" in item.body
    clerk.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in clerk.content()
    clerk.context.close()

    reviewer = staff_page(browser, page, live_server, "reviewer", "demo-reviewer-2026", "/gkgl/queue/")
    watch_csp(reviewer, violations)
    reviewer.get_by_role("link", name=TITLE).click()
    fields = reviewer.locator("table.fields").inner_text()
    for label in ("成文日期", "主题分类", "主题词", "实施日期", "文号", "发文机关", "有效性"):
        assert label in fields
    reviewer.get_by_role("link", name="预览公开页面").click()
    assert reviewer.locator("h1").inner_text() == TITLE
    assert reviewer.locator(".item-body p").count() >= 4
    reviewer.go_back()
    reviewer.get_by_role("button", name="保密审查签发").click()
    reviewer.get_by_role("button", name="发布", exact=True).click()
    assert "已发布" in reviewer.content()
    reviewer.context.close()
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED

    watch_csp(page, violations)
    page.goto(f"{live_server.url}/zwgk/xxgk/item/{item.pk}/")
    assert "民政、扶贫、救灾\\社会福利" in page.locator("table.metadata").inner_text()
    body = page.locator(".item-body")
    paragraphs = body.locator("p").all_inner_texts()
    assert paragraphs[:2] == ["一、救助对象", "因急难事件陷入困境的家庭，均可申请"]
    assert "二、救助标准" in paragraphs and "按当地低保标准的3倍确定。" in paragraphs
    assert body.locator("strong, b").filter(has_text="均可申请").count() == 1
    assert body.locator("strong, b").filter(has_text="3倍").count() == 1
    assert body.locator("li").all_inner_texts() == ["急难型救助", "支出型救助"]
    assert body.locator("table td").filter(has_text="2460元").count() == 1
    assert "MsoNormal" not in body.inner_html() and "style=" not in body.inner_html()
    assert violations == []


def test_without_javascript_the_textarea_takes_plain_paragraphs(browser, live_server, demo):
    entry = CatalogEntry.objects.get(name="办事指南", parent__name="最低生活保障")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    clerk = context.new_page()
    clerk.goto(f"{live_server.url}/admin/login/?next=/gkgl/new/")
    clerk.fill("#id_username", "clerk")
    clerk.fill("#id_password", "demo-clerk-2026")
    clerk.locator("input[type=submit], button[type=submit]").first.click()
    clerk.wait_for_url("**/gkgl/new/")
    clerk.fill("#id_title", "无脚本录入的通知")
    clerk.select_option("#id_catalog_entries", value=str(entry.pk))
    clerk.fill("#id_body", "第一段，含<b>加粗</b>。\n\n第二段。")
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url("**/gkgl/item/*/")
    assert clerk.locator(".item-body p").all_inner_texts() == ["第一段，含加粗。", "第二段。"]
    context.close()


def test_the_toolbar_fits_a_phone_even_before_its_icon_font_loads(browser, live_server, demo):
    # Until the icon font arrives each button shows its ligature's name ("format_bold"); the
    # toolbar used to push the page 346 px wider than a phone.
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    clerk = context.new_page()
    clerk.route("**/*.woff2", lambda route: route.abort())
    clerk.goto(f"{live_server.url}/admin/login/?next=/gkgl/new/")
    clerk.fill("#id_username", "clerk")
    clerk.fill("#id_password", "demo-clerk-2026")
    clerk.locator("input[type=submit], button[type=submit]").first.click()
    clerk.wait_for_url("**/gkgl/new/")
    clerk.get_by_role("textbox", name="正文编辑器").wait_for()
    assert_no_horizontal_scroll(clerk)
    context.close()
