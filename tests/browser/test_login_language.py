"""Every demo account logs in with the keyboard, lands on its province's workbench in Chinese, and switches to English."""

import re
from typing import Any

import pytest

from portal.models import User

from .helpers import PROVINCE_NAMES, ROLE_HEADINGS, demo_accounts, new_context

pytestmark = pytest.mark.browser

PROVINCE_NAMES_EN = {"gd": "Guangdong", "sd": "Shandong", "gz": "Guizhou"}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese characters and full-width punctuation

def _tab_to(page: Any, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def _switch_language_with_keyboard(page: Any, language: str) -> None:
    _tab_to(page, "#language-select")
    # A closed <select> changes its value with the arrow keys: walk to the wanted option.
    options = page.eval_on_selector_all("#language-select option", "els => els.map(e => e.value)")
    current = options.index(page.evaluate("() => document.activeElement.value"))
    wanted = options.index(language)
    for _ in range(abs(wanted - current)):
        page.keyboard.press("ArrowDown" if wanted > current else "ArrowUp")
    assert page.evaluate("() => document.activeElement.value") == language
    _tab_to(page, ".lang-switch button[type=submit]", limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _check_account(page: Any, base_url: str, log_in: Any, slug: str, username: str, role: str, *,
                   switch_back: bool) -> None:
    chinese_role, english_role = ROLE_HEADINGS[role]

    log_in(page, base_url, username)

    assert page.url == f"{base_url}/{slug}/"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == f"{PROVINCE_NAMES[slug]}工作台"
    role_heading = page.locator(f"#role-{role}")
    assert role_heading.inner_text().startswith(chinese_role)

    _switch_language_with_keyboard(page, "en")

    assert page.url == f"{base_url}/{slug}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == f"{PROVINCE_NAMES_EN[slug]} Workbench"
    assert role_heading.inner_text().startswith(english_role)
    if role != "institution_member":  # an institution's name is its own, Chinese; a city's has an English name
        assert not CJK.search(role_heading.inner_text()), role_heading.inner_text()
    assert page.get_by_role("button", name=re.compile(r"^Log out")).is_visible()
    assert page.locator("#language-select").input_value() == "en"

    if switch_back:
        _switch_language_with_keyboard(page, "zh-hans")
        assert page.locator("h1").inner_text() == f"{PROVINCE_NAMES[slug]}工作台"


@pytest.mark.parametrize("slug", ["gd", "sd", "gz"])
def test_every_demo_account_logs_in_and_switches_to_english(
    demo_data: Any, browser: Any, log_in: Any, slug: str
) -> None:
    """One test per province (each live-server test reloads the demo), one fresh browser context per account."""
    failures = []
    for index, (username, role) in enumerate(demo_accounts(slug)):
        context = new_context(browser)
        try:
            _check_account(context.new_page(), demo_data.url, log_in, slug, username, role, switch_back=index == 0)
        except AssertionError as exc:  # report every account that fails, not only the first
            failures.append(f"{username} ({role}): {exc}")
        finally:
            context.close()
    assert not failures, "\n".join(failures)


def test_log_in_with_mobile_number(demo_data: Any, page: Any, log_in: Any) -> None:
    """The demo accounts have no mobile number; give one and log in with it instead of the username."""
    User.objects.filter(username="sd-city-3702").update(mobile="13800000002")

    log_in(page, demo_data.url, "13800000002")

    assert page.url == f"{demo_data.url}/sd/"
    assert page.locator("#role-city_officer").inner_text().startswith("地市经办人员")


def test_wrong_password_shows_the_error_and_keeps_the_username(demo_data: Any, page: Any, log_in: Any) -> None:
    log_in(page, demo_data.url, "gz-expert-1", password="not-the-password")

    assert page.url.endswith("/accounts/login/")
    assert page.get_by_role("alert").inner_text() == "用户名（或手机号）与密码不匹配，请重新输入。"
    assert page.locator("#id_username").input_value() == "gz-expert-1"


def test_english_browser_gets_english_login_page(demo_data: Any, browser: Any) -> None:
    """LocaleMiddleware follows Accept-Language until the person picks a language with the form."""
    context = new_context(browser, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{demo_data.url}/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "Log in"
        assert page.get_by_label("Username or mobile number").is_visible()
    finally:
        context.close()
