"""Two-step verification in Chromium: a provincial officer enrols at first login and signs in again with a code.

The codes come from the secret the enrolment page shows, computed here as an authenticator app would
(django_otp.oath.totp). axe-core checks every two-factor page.
"""

import base64
import re
from typing import Any

import pytest
from django_otp.oath import totp

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def assert_accessible(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def code_for(secret: str, *, drift: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=drift):06d}"


def submit_code(page: Any, code: str) -> None:
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.press("#id_code", "Enter")


def test_an_officer_enrols_then_signs_in_with_a_code(demo_data: Any, axe_page: Any, log_in: Any,
                                                      settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    page, base = axe_page, demo_data.url

    # given a provincial officer with no authenticator: the password leads to enrolment
    log_in(page, base, "gd-province")
    assert page.url.startswith(f"{base}/accounts/two-factor/enrol/")
    assert page.locator("h1").inner_text() == "设置两步验证"
    assert page.get_by_label("验证码").is_visible()
    assert page.locator("#enrol-qr").get_attribute("alt")
    assert_accessible(page, "enrolment")
    secret = page.locator("#enrol-secret").inner_text()

    # when the officer types the code their app shows, then backup codes are shown once
    submit_code(page, code_for(secret))
    assert page.locator("h1").inner_text() == "备用验证码"
    codes = page.locator("#backup-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, "backup codes")
    with page.expect_navigation():
        page.get_by_role("link", name="我已保存，继续").click()
    assert page.url == f"{base}/gd/"

    # when they log out and in again, then the code page comes after the password
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^退出")).click()
    log_in(page, base, "gd-province")
    assert page.url.startswith(f"{base}/accounts/two-factor/verify/")
    assert_accessible(page, "code page")

    # a wrong code is refused with a message beside the field
    submit_code(page, f"{(int(code_for(secret, drift=1)) + 1) % 10**6:06d}")
    assert "验证码不正确或已过期，请重新输入。" in page.locator(".field-error").inner_text()
    assert_accessible(page, "code page with an error")

    # and the next code of their app (after the second a failure makes them wait) lets them in
    page.wait_for_timeout(1100)
    submit_code(page, code_for(secret, drift=1))
    assert page.url == f"{base}/gd/"
    assert page.locator("h1").inner_text() == "广东省工作台"

    # the account page says it is on, with the backup codes left
    page.goto(f"{base}/accounts/two-factor/")
    assert page.locator("#two-factor-status").inner_text() == "已启用。剩余备用验证码 10 个。"
    assert_accessible(page, "account security")
