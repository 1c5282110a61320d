"""Keyboard use: the skip link comes first and lands in <main>; every control of the login page takes the focus."""

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ACTIVE = "() => { const e = document.activeElement; return e ? (e.id || e.className || e.tagName) : null; }"
FOCUSABLE = """() => [...document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea'
  )].filter(e => e.getClientRects().length > 0)
    .map((e, i) => { e.dataset.kbd = String(i); return i; })"""


def _skip_link_moves_focus_to_main(page: Any) -> None:
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})")
    assert first == {"cls": "skip-link", "href": "#main"}, "the skip link is not the first Tab stop"
    assert page.locator(".skip-link").is_visible(), "the focused skip link is not visible"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues inside main, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_skip_link_is_first_and_moves_focus_to_main(demo_data: Any, page: Any, log_in: Callable[..., None]) -> None:
    page.goto(f"{demo_data.url}/")
    _skip_link_moves_focus_to_main(page)

    log_in(page, demo_data.url, "gd-province")
    page.goto(f"{demo_data.url}/gd/audit/")
    _skip_link_moves_focus_to_main(page)


def test_every_login_page_control_is_reachable_with_tab(demo_data: Any, page: Any) -> None:
    page.goto(f"{demo_data.url}/accounts/login/")
    controls = page.evaluate(FOCUSABLE)  # numbered in document order
    assert len(controls) >= 7  # skip link, brand, login link, language select and button, username, password, ...
    reached: list[int] = []
    for _ in range(len(controls) + 5):  # enough to wrap around once, wherever the focus starts
        page.keyboard.press("Tab")
        marker = page.evaluate("() => document.activeElement && document.activeElement.dataset.kbd")
        if marker is not None and int(marker) not in reached:
            reached.append(int(marker))
    missing = page.evaluate(
        "(reached) => [...document.querySelectorAll('[data-kbd]')].filter(e => !reached.includes(+e.dataset.kbd))"
        ".map(e => e.outerHTML.slice(0, 120))",
        reached,
    )
    assert not missing, f"not reachable with Tab: {missing}"
    # The focus order is the document order (no positive tabindex): header, form fields, submit, links.
    start = reached.index(0)
    assert reached[start:] + reached[:start] == sorted(reached)


def test_login_form_error_receives_focus(demo_data: Any, page: Any) -> None:
    """After a failed login the alert is announced and the focus is on the first field in error, or the username."""
    page.goto(f"{demo_data.url}/accounts/login/")
    page.keyboard.type("gd-province")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # no password
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
