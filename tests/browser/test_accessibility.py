"""axe-core finds no serious or critical accessibility violation on the core pages, in Chinese and in English."""

from collections.abc import Callable
from typing import Any

import pytest

from portal.models import Notification, Province, User

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


class AxeReport:
    """Collects axe's findings page by page, so that one run reports every page that fails."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, label: str) -> None:
        violations = run_axe(self.page)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        self.checked.append(label)
        if blocking:
            self.failures.append(f"--- {label} ({self.page.url})\n{describe_violations(blocking)}")

    def assert_clean(self) -> None:
        assert not self.failures, (
            f"axe-core found serious/critical violations on {len(self.failures)} of {len(self.checked)} pages:\n"
            + "\n".join(self.failures)
        )


def _use_english(page: Any) -> None:
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".lang-switch button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages(demo_data: Any, axe_page: Any, language: str) -> None:
    page, base = axe_page, demo_data.url
    report = AxeReport(page)
    page.goto(f"{base}/")
    if language == "en":
        _use_english(page)
    report.check("landing page")

    page.goto(f"{base}/accounts/login/")
    report.check("login page")

    page.fill("#id_username", "gd-province")
    page.fill("#id_password", "wrong-password")
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert page.get_by_role("alert").is_visible()
    report.check("login page with a validation error")

    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")  # empty password: field errors as well
    report.check("login page with field errors")

    page.goto(f"{base}/accounts/password/reset/")
    report.check("password reset")

    response = page.goto(f"{base}/no/such/page/")
    assert response is not None and response.status == 404
    report.check("404 page")
    report.assert_clean()


def test_each_role_home(demo_data: Any, axe_page: Any, log_in: Callable[..., None]) -> None:
    page, base = axe_page, demo_data.url
    report = AxeReport(page)
    for username in ("gd-province", "gd-city-4401", "gd-expert-1", "gd-supervisor", "gd-org-1"):
        page.context.clear_cookies()
        log_in(page, base, username)
        assert page.url == f"{base}/gd/"
        report.check(f"province home of {username}")
    _use_english(page)
    report.check("province home of gd-org-1 in English")
    report.assert_clean()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_officer_pages(demo_data: Any, axe_page: Any, log_in: Callable[..., None], language: str) -> None:
    page, base = axe_page, demo_data.url
    officer = User.objects.get(username="gd-province")
    Notification.objects.create(
        recipient=officer, province=Province.objects.get(slug="gd"), title="2027年日历待录入",
        body="请在11月国务院办公厅通知发布后录入。", link="/gd/calendar/",
    )
    report = AxeReport(page)
    log_in(page, base, "gd-province")
    if language == "en":
        _use_english(page)

    page.goto(f"{base}/gd/audit/")
    report.check("audit list")
    page.fill("#id_actor", "gd-province")
    page.fill("#id_date_from", "2026-01-01")
    page.fill("#id_date_to", "2026-12-31")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "actor=gd-province" in page.url
    report.check("audit list with filters")
    page.goto(f"{base}/gd/audit/?date_from=2026-12-31&date_to=2026-01-01")
    report.check("audit list with a filter error")

    page.goto(f"{base}/gd/calendar/")
    report.check("working-day calendar")
    page.fill("#id_year", "2026")  # exists already: the server refuses it
    page.fill("#id_source", "国办发明电〔2025〕7号")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert page.locator(".field-error").count() == 1
    report.check("working-day calendar with a form error")

    page.goto(f"{base}/gd/calendar/2026/")
    report.check("calendar year 2026")

    page.goto(f"{base}/inbox/")
    assert page.get_by_text("2027年日历待录入").is_visible()
    report.check("inbox")

    page.goto(f"{base}/accounts/password/change/")
    report.check("password change")
    page.fill("#id_old_password", "not-my-password")
    page.fill("#id_new_password1", "Zz-2026-new-secret")
    page.fill("#id_new_password2", "Zz-2026-other-secret")
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert page.locator(".field-error").count() == 2
    report.check("password change with errors")

    response = page.goto(f"{base}/gd/audit/999999/")
    assert response is not None and response.status == 404
    report.check("404 page (logged in)")
    report.assert_clean()
