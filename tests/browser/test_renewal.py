"""Renewal in real Chromium: the demo Guizhou employer, in its window with 150 certificates issued, applies with its
declarations and materials; the provincial officer returns it; the organization corrects and resubmits; the officer
approves and the renewal letter downloads as a PDF. axe-core clean on every page."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filings.models import Filing
from tests.factories import approved_plan, issued, pdf_bytes, the_member

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}
MATERIALS = ("renewal_form", "work_report", "conditions_evidence", "pay_link_evidence")


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _switch_user(page: Any, log_in: Callable[..., None], base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def _upload(page: Any, key: str, path: Path) -> None:
    page.select_option("#id_checklist_key", key)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("#upload-document")
    assert f"已上传：{path.name}" in page.inner_text("#renewal-upload")


def _apply(ui: Any, base: str, filing: Filing, material: Path) -> None:
    ui.goto(f"{base}/gz/supervision/renewal/")
    assert "续期申请期已开始" in ui.inner_text(f"#due-{filing.pk}")
    _axe_clean(ui, "renewal home")
    with ui.expect_navigation():
        ui.click(f"#start-renewal-{filing.pk}")
    ui.check("#id_fact_in_good_standing")
    ui.check("#id_fact_certificates_linked_to_pay")
    with ui.expect_navigation():
        ui.click("#save-declarations")
    for key in MATERIALS:
        _upload(ui, key, material)
    assert "150" in ui.inner_text("#count-table")
    _axe_clean(ui, "renewal draft")
    with ui.expect_navigation():
        ui.click("#submit-renewal")
    assert ui.inner_text("#renewal-state") == "待审核"


def test_renewal_applied_returned_corrected_and_approved_with_its_letter(
    demo_data: Any, axe_page: Any, log_in: Callable[..., None], tmp_path: Path,
) -> None:
    base = demo_data.url
    filing = Filing.objects.get(filing_number="黔技评备〔演示〕52号")
    issued(filing, plan=approved_plan(filing, candidates=150, occupation=filing.occupations.get().occupation))
    assert the_member(filing).username == "gz-org-renewal"
    material = tmp_path / "材料.pdf"
    material.write_bytes(pdf_bytes("renewal material"))
    ui = axe_page

    log_in(ui, base, "gz-org-renewal")
    _apply(ui, base, filing, material)
    detail = ui.url

    _switch_user(ui, log_in, base, "gz-province")
    ui.goto(f"{base}/gz/supervision/renewals/?state=submitted")
    _axe_clean(ui, "renewal list")
    ui.goto(detail)
    _axe_clean(ui, "renewal review")
    ui.fill("#id_reason", "工作报告缺少获证人员明细，请补充。")
    with ui.expect_navigation():
        ui.click("#return-renewal")
    assert ui.inner_text("#renewal-state") == "退回补正"

    _switch_user(ui, log_in, base, "gz-org-renewal")
    ui.goto(detail)
    assert "工作报告缺少获证人员明细" in ui.inner_text("#return-reason")
    _upload(ui, "work_report", material)
    with ui.expect_navigation():
        ui.click("#submit-renewal")
    assert ui.inner_text("#renewal-state") == "待审核"

    _switch_user(ui, log_in, base, "gz-province")
    ui.goto(detail)
    with ui.expect_navigation():
        ui.click("#approve-renewal")
    assert ui.inner_text("#renewal-state") == "准予续期"
    _axe_clean(ui, "renewal approved")
    with ui.expect_download() as download:
        ui.click("#renewal-letter")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    filing.refresh_from_db()
    assert ui.inner_text("#new-valid-until") == f"{filing.valid_until:%Y-%m-%d}"
