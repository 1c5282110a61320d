"""Certificates in real Chromium: an organization issues a batch and watches the progress bar of its PDFs (rendered by
a real Celery worker, the page under the portal's CSP), downloads a PDF whose text and embedded CJK font are checked;
the public finds the certificate by number + name and by ID + name with the ID masked, and not with a wrong name;
after a revocation (asked by the organization, approved by its city) it shows "revoked" with the reason; after a
correction the old number shows "superseded" and links to the new one. axe-core on /verify/ and the batch page."""

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from tests.factories import PASSWORD, CandidateFactory, FilingFactory, approved_plan, city_officer_of, member_of

from .helpers import describe_violations, new_context, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
NAME, ID_NUMBER, MASKED = "欧阳晓东", "44010619900307123X", "4401**********123X"


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


@pytest.fixture
def celery_worker() -> Iterator[None]:
    """A real worker thread consuming the configured broker (tasks are queued, not run eagerly, meanwhile)."""
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = eager


def _lookup(page: Any, base: str, **fields: str) -> str:
    page.goto(f"{base}/verify/")
    form = "#lookup-by-number" if "number" in fields else "#lookup-by-id"
    for name, value in fields.items():
        page.fill(f"{form} input[name$='-{name}']", value)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")
    return str(page.inner_text("main"))


def test_issue_watch_download_verify_revoke_and_correct(
    demo_data: Any, browser: Any, axe_page: Any, log_in: Callable[..., None], celery_worker: None, tmp_path: Path,
) -> None:
    cache.clear()
    base = demo_data.url
    # given a Guangdong organization with three passed welders approved by the province
    filing = FilingFactory(province="gd", organization_sequence="000246")
    plan = approved_plan(filing, candidates=2)
    CandidateFactory(plan=plan, name=NAME, id_number=ID_NUMBER)
    org = member_of(filing.institution, username="gd-cert-org")
    officer = city_officer_of(filing)
    officer.set_password(PASSWORD)
    officer.save()

    # when the organization issues them, under the portal's CSP (no inline script)
    context = new_context(browser, accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, org.username, PASSWORD)
    page.goto(f"{base}/gd/certificates/issue/")
    with page.expect_navigation():
        page.click(f"tr[data-plan='{plan.pk}'] .issue-form button")
    batch = IssuanceBatch.objects.get()
    assert page.url == f"{base}/gd/certificates/batches/{batch.pk}/"

    # then the progress bar fills as the worker renders, and the download links appear
    assert page.get_attribute("#pdf-progress-bar", "max") == "3"
    page.wait_for_selector("#pdf-progress-text:has-text('全部PDF已生成')", timeout=120_000)
    page.wait_for_selector(".pdf-link >> nth=2", timeout=30_000)
    assert page.get_attribute("#pdf-progress-bar", "value") == "3"
    certificate = Certificate.objects.get(holder_name=NAME)
    row = page.locator("#certificate-table tr", has_text=certificate.number)
    with page.expect_download() as download:
        row.locator(".pdf-link").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for field in ("职业技能等级证书", NAME, ID_NUMBER, "焊工", "三级/高级工", certificate.number, filing.institution.name):
        assert field in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and " yes yes yes " in fonts
    assert pdf.stat().st_size < 200 * 1024

    # the public finds it by number + name and by ID + name, with the ID masked; a wrong name finds nothing
    public = new_context(browser).new_page()
    found = _lookup(public, base, number=certificate.number, name=NAME)
    assert MASKED in found and ID_NUMBER not in found and "有效" in found
    assert certificate.number in _lookup(public, base, id_number=ID_NUMBER, name=NAME)
    missed = _lookup(public, base, number=certificate.number, name="欧阳晓冬")
    assert "未查询到匹配的证书" in missed and certificate.number not in missed.split("按证书编号查询")[0]

    # the organization asks to revoke it and its city approves
    page.goto(f"{base}/gd/certificates/{certificate.pk}/")
    page.select_option("#revoke-form select[name=reason_code]", "fraud")
    page.fill("#revoke-form textarea[name=reason]", "冒名顶替参加考核，经核实")
    with page.expect_navigation():
        page.click("#revoke-form button[type=submit]")
    officer_page = new_context(browser).new_page()
    log_in(officer_page, base, officer.username, PASSWORD)
    change = certificate.changes.get()
    officer_page.goto(f"{base}/gd/certificates/changes/{change.pk}/")
    officer_page.check("#decision-form input[value=approve]")
    with officer_page.expect_navigation():
        officer_page.click("#decision-form button[type=submit]")
    revoked = _lookup(public, base, number=certificate.number, name=NAME)
    assert "已撤销" in revoked and "冒名顶替参加考核，经核实" in revoked

    # a correction of another certificate: the old number shows superseded and links to the new one
    other = Certificate.objects.exclude(pk=certificate.pk).order_by("number").first()
    assert other is not None
    change = services.request_correction(other, acting_user=org, corrections={"holder_name": "欧阳晓西"},
                                         reason="姓名有误")
    new = services.approve_change(change, acting_user=officer).replacement
    assert new is not None
    superseded = _lookup(public, base, number=other.number, name=other.holder_name)
    assert "已更正换发" in superseded and new.number in superseded
    with public.expect_navigation():
        public.click("a.superseded-by")
    assert "欧阳晓西" in public.inner_text("main") and new.number in public.inner_text("main")

    # axe-core: the lookup page with a result, and the batch page
    _axe_clean(public_axe(axe_page, base, certificate.number), "/verify/")
    log_in(axe_page, base, org.username, PASSWORD)
    axe_page.goto(f"{base}/gd/certificates/batches/{batch.pk}/")
    _axe_clean(axe_page, "batch page")
    context.close()


def public_axe(page: Any, base: str, number: str) -> Any:
    _lookup(page, base, number=number, name=NAME)
    return page

