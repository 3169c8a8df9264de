"""适老化与无障碍 in a real Chromium: the toolbar's modes, 长辈版, reflow and axe-core.

Every public page type is walked in the normal, 大字版 (large text) and 高对比度 (high contrast)
modes. axe-core (shipped inside the ``axe-playwright-python`` wheel, injected by Playwright:
nothing from a CDN) must report no WCAG 2.1 A/AA violation on any of them.

"200 % text at 320 px" is emulated as the issue measured it (375 px, 200 % text: 137 px of
overflow before the fix): the root font size doubled (what the browser's text-size setting, a
phone's system font scale and an elder's "字体放大" do), on a 320-px-wide viewport. A second
check also covers whole-page zoom to 200 % at 320 px, which a browser reports as a 160-px CSS
viewport (WCAG 1.4.10 reflow). Both must leave nothing to scroll sideways.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from annual.models import AnnualReport, ReportState
from catalog.models import CatalogEntry
from disclosure.models import DisclosureItem
from portal import selectors
from requests_app.demo import demo_query_code
from tests.browser.conftest import DESKTOP, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = {"normal": (), "large": ("大字版",), "contrast": ("高对比度",)}

# The contrast ratio (WCAG 2.x) of an element's text against the background it is drawn on:
# the first non-transparent background of the element or its ancestors.
CONTRAST_JS = """
(el) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const fg = rgb(getComputedStyle(el).color);
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0)) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def public_pages(demo):
    """One page of every public page type, with the demo's data in it: (name, path)."""
    social = CatalogEntry.objects.domains().standard().get(name="社会救助")
    entry = social.get_descendants().get(name="审核信息")
    items = DisclosureItem.objects.public()
    item = items.exclude(document_number="").order_by("-published_at").first() or items.first()
    report = AnnualReport.objects.filter(state=ReportState.PUBLISHED).order_by("-year").first()
    word = re.sub(r"[^\u4e00-\u9fff]", "", item.title)[:2]
    pages = [
        ("home", "/"),
        ("column", "/zwgk/"),
        ("guide", "/zwgk/guide/"),
        ("rules", "/zwgk/rules/"),
        ("policies", "/zwgk/xxgk/policies/"),
        ("statutory", "/zwgk/fdzdgknr/"),
        ("domain", f"/zwgk/fdzdgknr/domain/{social.pk}/"),
        ("entry", f"/zwgk/fdzdgknr/entry/{entry.pk}/"),
        ("org-catalog", f"/zwgk/fdzdgknr/org/{demo['河西乡'].pk}/"),
        ("catalog-search", "/zwgk/search/?q=救助"),
        ("item-list", "/zwgk/xxgk/"),
        ("item-domain-list", f"/zwgk/xxgk/domain/{social.pk}/"),
        ("item", f"/zwgk/xxgk/item/{item.pk}/"),
        ("search", f"/zwgk/xxgk/search/?q={word}"),
        ("apply", "/ysqgk/"),
        ("lookup", "/ysqgk/status/"),
        ("annual-list", "/zwgk/annual-reports/"),
        ("statistics", "/zwgk/annual-reports/statistics/"),
        ("site-map", "/wzdt/"),
    ]
    if report is not None:
        pages.append(("annual-report", f"/zwgk/annual-reports/{report.pk}/"))
    return pages


def open_status_page(page, base):
    """The applicant's status page: reached through the look-up form, as an applicant does."""
    page.goto(f"{base}/ysqgk/status/")
    page.fill("#id_tracking_number", "YS0000000005")
    page.fill("#id_query_code", demo_query_code(5))
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/ysqgk/status/YS0000000005/")


def toolbar(page):
    return page.get_by_role("navigation", name="无障碍与适老化")


def switch_on(page, label):
    """Click a toolbar mode that is off; the page comes back with it on."""
    toolbar(page).get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()
    assert toolbar(page).get_by_role("link", name=f"{label}（已开启）").is_visible()


def root_font_px(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def html_classes(page):
    return set((page.locator("html").get_attribute("class") or "").split())


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_large_text_and_high_contrast_switched_on_from_the_toolbar_are_kept_across_pages(page, live_server, demo):
    base = live_server.url
    page.goto(base + "/")
    normal_text = page.locator("main .home-entry").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    normal_body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert toolbar(page).is_visible()

    switch_on(page, "大字版")
    assert html_classes(page) == {"mode-large"}
    assert page.url == base + "/"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal_body * 1.2
    assert (
        page.locator("main .home-entry").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        >= normal_text * 1.2
    )
    # Touch targets: the main navigation's links are at least 44 px high.
    assert min(link.bounding_box()["height"] for link in page.locator(".site-nav a").all()) >= 44

    # Kept on the next page, reached by an ordinary link.
    page.locator("a.home-entry", has_text="政务公开").click()
    assert page.locator("h1").inner_text() == "政府信息公开专栏"
    assert "mode-large" in html_classes(page)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal_body * 1.2

    # High contrast on top: both at once; body text and links at least 7:1 (AAA).
    switch_on(page, "高对比度")
    assert html_classes(page) == {"mode-large", "mode-contrast"}
    for selector in ("main p", "main h1", "main a", ".site-nav a", ".breadcrumb a", ".site-footer p"):
        ratio = page.locator(selector).first.evaluate(CONTRAST_JS)
        assert ratio >= 7, f"{selector}: contrast {ratio:.2f}:1"
    page.locator("ol.subcolumns").get_by_role("link", name="政府信息公开指南").click()
    assert html_classes(page) == {"mode-large", "mode-contrast"}
    assert page.locator("main p").first.evaluate(CONTRAST_JS) >= 7
    # Normal mode's text is only AA-level dark grey on near-white: the mode really changed it.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"

    # Switching one off keeps the other; 恢复默认 switches everything off.
    toolbar(page).get_by_role("link", name="大字版（已开启）").click()
    assert html_classes(page) == {"mode-contrast"}
    assert abs(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") - normal_body) < 0.5
    toolbar(page).get_by_role("link", name="恢复默认").click()
    assert html_classes(page) == set()
    assert page.url.endswith("/zwgk/guide/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(0, 0, 0)"


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_elder_mode_home_shows_large_buttons_for_the_tasks_elders_do(page, live_server, demo):
    base = live_server.url
    page.goto(base + "/zwgk/")
    switch_on(page, "长辈版")
    assert "mode-elder" in html_classes(page)
    page.locator(".site-header").get_by_role("link", name="首页").click()

    tasks = page.locator("ul.elder-tasks a.elder-task")
    labels = [t.split("\n")[0] for t in tasks.all_inner_texts()]
    assert labels == ["看通知公告", "查申请进度", "打电话咨询", "申请公开信息", "写信反映问题"]
    for task in tasks.all():
        box = task.bounding_box()
        assert box["height"] >= 80 and box["width"] >= 300, box  # a thumb's target, full width on a phone
    root = selectors.root_organization()
    phone = tasks.filter(has_text="打电话咨询")
    assert phone.get_attribute("href") == "tel:" + re.sub(r"[^0-9+]", "", root.office_phone)
    assert root.office_phone in phone.inner_text()
    # The latest notices are on the page itself; the ordinary home's clutter is not.
    latest = page.locator(".latest-items .item-title")
    assert latest.count() == 5
    assert page.locator("ul.domain-grid").count() == 0
    assert_no_horizontal_scroll(page)

    tasks.filter(has_text="查申请进度").click()
    assert page.url == base + "/ysqgk/status/"
    assert page.locator("h1").inner_text() == "查询办理进度"
    page.go_back()
    latest.first.click()
    assert "/zwgk/xxgk/item/" in page.url

    # Off again: the ordinary home.
    page.goto(base + "/")
    toolbar(page).get_by_role("link", name="长辈版（已开启）").click()
    assert page.locator("ul.elder-tasks").count() == 0
    assert page.locator("a.home-entry").count() == 2


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_modes_work_with_javascript_off_and_read_aloud_only_appears_with_speech(browser, page, live_server, demo):
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", java_script_enabled=False)
    noscript = context.new_page()
    noscript.goto(base + "/zwgk/guide/")
    assert not noscript.locator(".a11y-read").is_visible()
    for label in ("大字版", "高对比度", "长辈版"):
        switch_on(noscript, label)
    assert html_classes(noscript) == {"mode-large", "mode-contrast", "mode-elder"}
    assert root_font_px(noscript) > 16 * 1.3
    noscript.goto(base + "/")
    assert noscript.locator("ul.elder-tasks a.elder-task").count() == 5
    context.close()

    # With script, the 朗读 button is offered exactly when the browser can speak.
    page.goto(base + "/zwgk/guide/")
    can_speak = page.evaluate("'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function'")
    assert page.locator(".a11y-read").is_visible() == can_speak


REFLOW_MODES = {"normal": [], "large": ["large"], "elder": ["elder"]}


def emulations(browser, base, modes):
    """Two ways of 200 %: text doubled at 320 px; whole page zoomed (a 160-px CSS viewport)."""
    cookie = [{"name": "zwgk_display", "value": ".".join(modes), "url": base}] if modes else []
    for name, width, double_text in (("320px, text 200%", 320, True), ("320px, zoom 200%", 160, False)):
        context = browser.new_context(viewport={"width": width, "height": 640}, locale="zh-CN")
        context.add_cookies(cookie)
        yield name, context.new_page(), double_text
        context.close()


@pytest.mark.parametrize("mode", REFLOW_MODES)
def test_every_public_page_reflows_at_320_px_with_200_percent_text(browser, live_server, demo, mode):
    base = live_server.url
    pages = public_pages(demo)
    failures = []
    for emulation, page, double_text in emulations(browser, base, REFLOW_MODES[mode]):
        for name, path in [*pages, ("status", None)]:
            if path is None:
                open_status_page(page, base)
            else:
                page.goto(base + path)
            if double_text:
                page.evaluate("""() => { const r = document.documentElement;
                    r.style.fontSize = (2 * parseFloat(getComputedStyle(r).fontSize)) + 'px'; }""")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
                failures.append(f"{emulation} {name} ({page.url}): {overflow}px, e.g. {wide}")
    assert not failures, "\n".join(failures)


def axe_violations(page, axe):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_wcag_21_aa_violation_on_any_public_page(page, live_server, demo, mode):
    base = live_server.url
    axe = Axe()
    page.goto(base + "/")
    for label in MODES[mode]:
        switch_on(page, label)
    report = []
    for name, path in [*public_pages(demo), ("status", None)]:
        if path is None:
            open_status_page(page, base)
        else:
            page.goto(base + path)
        assert page.locator("html").get_attribute("class") == (None if mode == "normal" else f"mode-{mode}"), (
            f"{name}: mode not kept"
        )
        report += [f"{name} {page.url}: {line}" for line in axe_violations(page, axe)]
    assert not report, f"{len(report)} axe violation(s) in {mode} mode:\n" + "\n".join(report)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_axe_check_does_catch_what_it_is_there_to_catch(page):
    """A page with an unlabelled field, grey-on-white text and no lang fails the same check."""
    page.set_content("""<!DOCTYPE html><html><head><title>x</title></head><body><main>
        <p style="color:#aaa">浅灰色的正文</p><form><input type="text" name="q"></form></main></body></html>""")
    found = {line.split(" ")[0] for line in axe_violations(page, Axe())}
    assert {"color-contrast", "label", "html-has-lang"} <= found
