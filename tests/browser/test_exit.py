"""An ordered exit in real Chromium: the provincial officer orders it with reason and evidence, the announcement is
public, the organization uploads its wrap-up evidence, the province confirms and downloads the termination notice;
then the public catalog shows the organization terminated with its date and kind, and the verify page shows its
certificate valid with every checklist line passing. axe-core clean on every page."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from certificates.models import Certificate
from supervision.models import FilingExit
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    FilingFactory,
    approved_plan,
    issued,
    member_of,
    pdf_bytes,
)

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _world() -> tuple[Any, Certificate]:
    filing = FilingFactory(province="gz", with_scope=True, institution__name="黔中技能评价中心")
    member_of(filing.institution, username="gz-exit-member")
    plan = approved_plan(filing, candidates=0)
    CandidateFactory(plan=plan, level=3, name="赵六")
    issued(filing, plan=plan)
    return filing, Certificate.objects.get(filing=filing)


def test_ordered_exit_announcement_notice_catalog_and_verify(
    demo_data: Any, axe_page: Any, log_in: Callable[..., None],
) -> None:
    cache.clear()
    base = demo_data.url
    filing, certificate = _world()
    ui = axe_page

    # the provincial officer orders the exit from the lifecycle page, with the reason and the evidence
    log_in(ui, base, "gz-province")
    ui.goto(f"{base}/gz/supervision/lifecycle/")
    _axe_clean(ui, "lifecycle")
    ui.locator(f'tr[data-filing="{filing.pk}"]').get_by_role("link", name="责令退出").click()
    ui.wait_for_url("**/order-exit/")
    _axe_clean(ui, "order exit form")
    ui.fill("#id_reason", "冒名顶替参加考核，查证属实")
    ui.set_input_files("#id_evidence", files=[{"name": "检查记录.pdf", "mimeType": "application/pdf",
                                               "buffer": pdf_bytes()}])
    with ui.expect_navigation():
        ui.click("#submit-action")
    assert ui.inner_text("#exit-state") == "收尾中"
    assert "已责令终止评价活动，公告已发布。" in ui.content()
    _axe_clean(ui, "exit detail")
    exit_url = ui.url

    # the announcement is public
    with ui.expect_navigation():
        ui.click("#exit-announcement")
    assert "关于责令黔中技能评价中心终止职业技能等级认定活动的公告" in ui.content()
    _axe_clean(ui, "announcement")

    # the organization uploads its wrap-up evidence for both tasks
    ui.context.clear_cookies()
    log_in(ui, base, "gz-exit-member", PASSWORD)
    for kind in ("certificate_data", "archives"):
        ui.goto(exit_url)
        task = ui.locator(f'li[data-task="{kind}"]')
        task.locator('input[type="file"]').set_input_files(files=[
            {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
        with ui.expect_navigation():
            task.get_by_role("button", name="提交佐证并标记完成").click()
        assert "收尾事项已提交。" in ui.content()
    _axe_clean(ui, "exit detail (organization)")

    # the province confirms and downloads the termination notice
    ui.context.clear_cookies()
    log_in(ui, base, "gz-province")
    ui.goto(exit_url)
    with ui.expect_navigation():
        ui.click("#confirm-exit")
    assert ui.inner_text("#exit-state") == "已终止"
    filing_exit = FilingExit.objects.get(filing=filing)
    assert filing_exit.notice_number in ui.inner_text("#termination-notice")
    with ui.expect_download() as download:
        ui.click("#termination-notice")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # the public catalog keeps it, terminated, with the date and the kind
    ui.context.clear_cookies()
    ui.goto(f"{base}/catalog/gz/")
    row = ui.locator('tr[data-status="terminated"]:has-text("黔中技能评价中心")')
    text = row.inner_text()
    assert "已终止" in text and "责令终止" in text and f"终止日期：{filing_exit.terminated_on:%Y-%m-%d}" in text
    _axe_clean(ui, "catalog")

    # and its certificate still verifies, every checklist line passing
    ui.goto(f"{base}/verify/")
    ui.fill("#id_number-number", certificate.number)
    ui.fill("#id_number-name", "赵六")
    with ui.expect_navigation():
        ui.locator("form:has(#id_number-number)").get_by_role("button").first.click()
    assert ui.locator(".certificate-status").inner_text() == "有效"
    assert ui.locator('.verify-checklist li[data-state="pass"]').count() == 3
    assert "终止前颁发的证书继续有效" in ui.inner_text(".verify-checklist")
    _axe_clean(ui, "verify")
