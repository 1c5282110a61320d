"""Browser fixtures: one headless Chromium per session, a fresh context per test, the demo accounts on a live server.

Chromium is Debian's (/usr/bin/chromium); Playwright never downloads a browser here. axe-core comes from
node_modules (installed by `npm ci` from package.json).
"""

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from .helpers import AXE_JS, CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, new_context


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") is not None:
            # WhiteNoise warns that STATIC_ROOT (var/staticfiles) has not been collected; the live server serves
            # static files from the finders instead, so the warning says nothing about these tests.
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    """Headless Chromium for the whole session.

    Depends on django_db_setup so that it is closed before the test database is dropped: Chromium keeps HTTP
    connections alive, and each live-server thread holds its database connection until its socket closes.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (set PORTAL_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM calls from a thread with
    # a running loop. The fixtures and tests here call the ORM only between browser actions, never concurrently.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        _wait_for_live_server_requests()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _wait_for_live_server_requests(timeout: float = 5.0) -> None:
    """Let the live server's request threads finish (and close their database connections)."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and "process_request_thread" in thread.name:
            thread.join(timeout)


@pytest.fixture
def demo_data(live_server: Any, transactional_db: None) -> Any:
    """The live server with the demo accounts. A transactional test flushes every table when it ends, reference
    data included, so each test loads the reference data and the demo again (both idempotent, well under a second).
    """
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    call_command("seed_demo", verbosity=0)
    return live_server


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context (own cookies, own session); the portal's CSP is enforced."""
    context = new_context(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A page whose context ignores the CSP, so that axe-core can be injected as an inline script."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` (package.json lists it)")
    context = new_context(browser, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in() -> Callable[..., None]:
    """log_in(page, base_url, username): fill the login form with the keyboard and submit with Enter."""

    def do(page: Any, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{base_url}/accounts/login/")
        username_field = page.locator("#id_username")
        username_field.focus()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        with page.expect_navigation():
            page.keyboard.press("Enter")

    return do
