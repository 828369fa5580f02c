"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Chromium is installed by .ci/run (apt: chromium). On a machine without it these tests are skipped,
except when REQUIRE_BROWSER=1 (CI), where a missing browser fails the run."""

import os
import shutil
from importlib import import_module

import pytest
from django.apps import apps

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (REQUIRE_BROWSER is set)")
        pytest.skip("Chromium is not installed here; .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests flush the database between tests, data migrations included: reload the
    standards and lookup lists the product ships with."""
    for migration in (
        "households.migrations.0002_standards_and_lookups",
        "targets.migrations.0002_support_measures",
    ):
        import_module(migration).load(apps, None)


def _page(browser, live_server, viewport):
    context = browser.new_context(
        viewport=viewport, locale="vi-VN", base_url=live_server.url, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A 360-pixel-wide phone."""
    yield from _page(browser, live_server, PHONE)


@pytest.fixture
def desktop(browser, live_server):
    yield from _page(browser, live_server, DESKTOP)


def login(page, username: str, password: str = "Mat-khau-2026") -> None:
    """Log in through the real form (factories set this password)."""
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_menu(page) -> None:
    """On a phone the navigation is collapsed behind the toggler."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Bootstrap adds "show" once the collapse animation has ended; a click on a menu item
        # while it is still "collapsing" can land on nothing (CI saw a dropdown never open).
        page.locator("#main-nav.show").wait_for()
