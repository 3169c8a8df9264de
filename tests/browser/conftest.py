"""A real Chromium driven by Playwright, against pytest-django's live server.

The browser is Debian's /usr/bin/chromium: nothing is downloaded at run time.
Without it the browser tests skip, unless REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _password_only_staff_logins(settings):
    """The browser walks log staff in with the demo passwords, as ``make run`` does: two-factor
    authentication is off for them (tests/portal/test_two_factor.py covers it)."""
    settings.OTP_REQUIRED_ROLES = ()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    return {"desktop": DESKTOP, "phone": PHONE}[request.param]


@pytest.fixture
def page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_no_horizontal_scroll(page):
    """The page fits its viewport: nothing sticks out to the right.

    Called right after a click, the page may be between two documents: wait until the new
    one has loaded (and has a root element) before measuring.
    """
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement !== null && document.readyState !== 'loading'")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
