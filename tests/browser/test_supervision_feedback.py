"""Supervision in real Chromium: a certificate holder finds their certificate on /verify/, follows its feedback link,
proves the last 6 of the ID and answers; the provincial officer refreshes the indicators (the sweep); the
organization's page shows each rate with its denominator and 95% interval, the definition on focus. axe-core clean."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import (
    PASSWORD,
    CandidateFactory,
    FilingFactory,
    certificates_of,
    plan_with_results,
    provincial_officer,
)

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
NAME, ID_NUMBER = "欧阳晓东", "44010619900307123X"


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def test_trainee_feedback_sweep_and_indicators_with_intervals(
    demo_data: Any, axe_page: Any, log_in: Callable[..., None],
) -> None:
    cache.clear()
    base = demo_data.url
    # given an organization whose 10 candidates sat this quarter: 9 passed (one of them 欧阳晓东) and were certified
    filing = FilingFactory(province="gd", organization_sequence="000468")
    plan = plan_with_results(filing, on=timezone.localdate(), passed=8, failed=1)
    CandidateFactory(plan=plan, name=NAME, id_number=ID_NUMBER)
    certificate = next(c for c in certificates_of(plan) if c.holder_name == NAME)
    officer = provincial_officer("gd")
    officer.set_password(PASSWORD)
    officer.save()
    page = axe_page

    # when the holder verifies the certificate and follows its feedback link
    page.goto(f"{base}/verify/")
    page.fill("#lookup-by-number input[name='number-number']", certificate.number)
    page.fill("#lookup-by-number input[name='number-name']", NAME)
    with page.expect_navigation():
        page.click("#lookup-by-number button[type=submit]")
    with page.expect_navigation():
        page.click(".feedback-link a")
    assert page.input_value("#id_number") == certificate.number
    _axe_clean(page, "feedback step 1")
    page.fill("#id_name", NAME)
    page.fill("#id_id_tail", "07123X")
    with page.expect_navigation():
        page.click("#feedback-identity button[type=submit]")
    page.check("input[name='employment_status'][value='employed']")
    page.fill("#id_employer_name", "广州某机械制造有限公司")
    page.select_option("#id_job_matches", "yes")
    page.select_option("#id_wage_band", "3")
    page.check("input[name='training_satisfaction'][value='5']")
    page.check("input[name='evaluation_satisfaction'][value='4']")
    _axe_clean(page, "feedback step 2")
    with page.expect_navigation():
        page.click("#feedback-answers button[type=submit]")
    assert "感谢您的反馈" in page.inner_text("#feedback-done")
    _axe_clean(page, "feedback done")

    # and the provincial officer runs the sweep now
    log_in(page, base, officer.username, PASSWORD)
    page.goto(f"{base}/gd/supervision/indicators/")
    with page.expect_navigation():
        page.click("#refresh-indicators")
    assert "已安排刷新指标" in page.inner_text("main")
    _axe_clean(page, "indicator table")

    # then the organization's page shows each rate with its denominator and Wilson interval
    with page.expect_navigation():
        page.click(f"#indicator-table a[href*='/organizations/{filing.institution_id}/']")
    rows = {row.get_attribute("data-indicator"): row.inner_text() for row in page.locator("tr[data-indicator]").all()}
    assert "90.0%" in rows["pass_rate"] and "59.6%–98.2%" in rows["pass_rate"] and "9 / 10" in rows["pass_rate"]
    assert "100.0%" in rows["participation"] and "10 / 10" in rows["participation"]
    assert "11.1%" in rows["response_rate"] and "2.0%–43.5%" in rows["response_rate"] and "1 / 9" in rows["response_rate"]
    assert "5000–6999元" in rows["wage_median"]
    assert "0.0" in rows["complaints"] and "尚未采集" not in rows["complaints"]  # collected: none filed
    page.focus("tr[data-indicator='pass_rate'] .tip-trigger")
    assert page.is_visible("#tip-" + page.get_attribute("tr[data-indicator='pass_rate'] .tip-trigger",
                                                         "aria-describedby").removeprefix("tip-"))
    assert "合格人数 ÷ 参评人数" in page.inner_text("tr[data-indicator='pass_rate'] .tip")
    _axe_clean(page, "organization indicators")
