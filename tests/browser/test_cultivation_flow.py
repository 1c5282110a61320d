"""Cultivation to filing in real Chromium: a Guangdong organization signs its commitment letter and uploads question
banks for two occupations; the province accepts one and returns the other, which is accepted on the second round;
the city records the exam-affairs training; the province files the organization. The filing letter's PDF text shows
both occupations, and the public catalog lists the organization. axe-core finds no serious or critical violation on
the cultivation page (the organization's and the province's view) or the catalog."""

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from filings import services
from filings.models import Cultivation, CultivationTask, Filing, TaskKind
from portal.models import Institution, Occupation
from tests.factories import ApplicationFactory

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
WELDER, CARER = "6-18-02-04", "4-10-01-05"  # 焊工, 养老护理员
PDF = b"%PDF-1.4\n% question bank\n"


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _as(page: Any, base: str, log_in: Callable[..., None], username: str, url: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)
    page.goto(url)


def _upload_question_bank(page: Any, task: CultivationTask, name: str) -> None:
    page.set_input_files(f"#id_t{task.pk}-items", files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}])
    _submit(page, f"#occupation-{task.occupation_id} .question-bank-form button[type=submit]")
    assert page.get_by_text("试题资源已提交评审。").is_visible()


def _review(page: Any, task: CultivationTask, *, accept: bool, reasons: str = "") -> None:
    page.check(f"#id_t{task.pk}-decision_{0 if accept else 1}")
    if reasons:
        page.fill(f"#id_t{task.pk}-reasons", reasons)
    _submit(page, f"#occupation-{task.occupation_id} .review-form button[type=submit]")


def test_a_guangdong_organization_from_commitment_to_the_catalog(
    demo_data: Any, axe_page: Any, log_in: Callable[..., None], tmp_path: Path,
) -> None:
    page, base = axe_page, demo_data.url
    # given the demo's first Guangdong organization at the end of its publicity, with two occupations
    institution = Institution.objects.get(members__user__username="gd-org-1")
    application = ApplicationFactory(publicity_ended=True, province="gd", institution=institution, occupations=[
        Occupation.objects.get(code=WELDER), Occupation.objects.get(code=CARER)])
    cultivation = services.advance_after_publicity(application)
    assert isinstance(cultivation, Cultivation)
    url = f"{base}/gd/cultivations/{cultivation.pk}/"
    banks = {t.occupation.occupation.code: t for t in CultivationTask.objects.filter(
        occupation__cultivation=cultivation, kind=TaskKind.QUESTION_BANK).select_related("occupation__occupation")}
    trainings = list(CultivationTask.objects.filter(occupation__cultivation=cultivation, kind=TaskKind.EXAM_TRAINING))

    # the organization signs its commitment letter, then uploads a question bank for each occupation
    _as(page, base, log_in, "gd-org-1", url)
    assert "剩余 180 天" in page.locator("#days-left").inner_text()
    _axe_clean(page, "cultivation page, organization, before signing")
    page.fill("#id_signer_name", "张明")
    page.fill("#id_signer_title", "法定代表人")
    page.check("#id_confirm")
    _submit(page, "#commitment-form button[type=submit]")
    assert "张明（法定代表人）" in page.locator("#commitment-signed").inner_text()
    _upload_question_bank(page, banks[WELDER], "焊工题库.pdf")
    _upload_question_bank(page, banks[CARER], "养老护理员题库.pdf")

    # the province accepts the welder's bank and returns the carer's with reasons
    _as(page, base, log_in, "gd-province", url)
    _axe_clean(page, "cultivation page, province, with review forms")
    _review(page, banks[WELDER], accept=True)
    _review(page, banks[CARER], accept=False, reasons="操作技能考核试题不足，请补充")

    # the organization sees the reasons and submits a second round, which the province accepts
    _as(page, base, log_in, "gd-org-1", url)
    assert page.locator(f"#occupation-{banks[CARER].occupation_id} .round-reasons").inner_text() == "操作技能考核试题不足，请补充"
    _upload_question_bank(page, banks[CARER], "养老护理员题库-修订.pdf")
    _as(page, base, log_in, "gd-province", url)
    _review(page, banks[CARER], accept=True)

    # the Guangzhou city officer records the exam-affairs training for both occupations
    _as(page, base, log_in, "gd-city-4401", url)
    for task in trainings:
        _submit(page, f"#occupation-{task.occupation_id} .training-form button[type=submit]")
        assert page.get_by_text("已登记考务培训。").is_visible()

    # the province files the organization with both accepted occupations
    _as(page, base, log_in, "gd-province", url)
    assert page.locator(".occupation-state").all_inner_texts() == ["已验收，待备案", "已验收，待备案"]
    _submit(page, "#file-form button[type=submit]")
    filing = Filing.objects.get(institution=institution)
    assert page.url == f"{base}/gd/filings/{filing.pk}/"
    assert page.locator("#filing-number").inner_text() == filing.filing_number
    _axe_clean(page, "filing page, province")

    # the filing letter downloads as a PDF that names both occupations
    with page.expect_download() as download_info:
        page.click("#letters .letter-link")
    letter = tmp_path / "letter.pdf"
    download_info.value.save_as(letter)
    text = subprocess.run(["pdftotext", "-raw", str(letter), "-"], capture_output=True, check=True).stdout.decode()
    assert "焊工" in text and "养老护理员" in text and filing.filing_number in text

    # and the public catalog lists it, to anyone
    page.context.clear_cookies()
    page.goto(f"{base}/catalog/gd/")
    row = page.locator("#catalog tbody tr", has_text=institution.name)
    assert row.count() == 1
    assert "焊工" in row.inner_text() and "养老护理员" in row.inner_text() and "有效" in row.inner_text()
    _axe_clean(page, "public catalog")
