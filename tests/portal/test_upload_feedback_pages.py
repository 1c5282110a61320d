"""Feedback beside the row on every page with a per-row upload besides the application's materials (tested in
tests/filings/test_upload_feedback.py): a cultivation's question bank, the photos of a plan waiting for certificates,
a renewal's materials. Each lands on its row's anchor with the message in the row: the file's name and size when it
is accepted, the reason when it is refused (the row marked, the files already there kept)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certificates.models import RosterPhoto
from filings import services as filing_services
from filings.models import TaskKind
from portal.models import User
from supervision import services as supervision_services
from supervision.models import RenewalDocument
from tests import factories as f
from tests.factories import (
    EXE_BYTES,
    FilingFactory,
    approved_plan,
    at,
    pdf_bytes,
    png_bytes,
    renewing_filing,
    the_member,
)
from tests.html import element_html, element_text

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
OPENS = dt.date(2026, 4, 1)


def _feedback(response: Any, row: str) -> tuple[str | None, str]:
    """The text of the row's message and the role it is announced with."""
    page = response.content.decode()
    box = element_html(page, f"{row}-feedback") or ""
    role = "alert" if 'role="alert"' in box else "status" if 'role="status"' in box else ""
    return element_text(page, f"{row}-feedback"), role


def _row_refused(response: Any, row: str) -> bool:
    source = element_html(response.content.decode(), row) or ""
    return "row-refused" in source.split(">", 1)[0]


def test_a_question_bank_lands_on_its_task_with_the_files_named(login: Login) -> None:
    cultivation = f.cultivation(occupations=1)
    bank = f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK)
    client = login(the_member(cultivation.institution))

    response = client.post(f"/gd/cultivation-tasks/{bank.pk}/question-bank/",
                           {f"t{bank.pk}-items": f.pdf_upload("焊工题库.pdf", pdf_bytes())}, follow=True)

    assert response.redirect_chain == [(f"/gd/cultivations/{cultivation.pk}/#task-{bank.pk}-feedback", 302)]
    assert _feedback(response, f"task-{bank.pk}") == ("✓ 已上传：焊工题库.pdf（1.5\xa0KB）。试题资源已提交评审。", "status")
    assert "焊工题库.pdf" in element_text(response.content.decode(), f"task-{bank.pk}")


def test_a_refused_question_bank_says_why_on_its_task_and_keeps_the_earlier_round(login: Login) -> None:
    cultivation = f.cultivation(occupations=1)
    bank = f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK)
    member = the_member(cultivation.institution)
    filing_services.submit_question_bank(bank, acting_user=member, items=f.pdf_upload("第一版.pdf"))
    bank.refresh_from_db()
    filing_services.review_question_bank(bank, acting_user=f.provincial_officer(), accept=False, reasons="题量不足。")

    response = login(member).post(f"/gd/cultivation-tasks/{bank.pk}/question-bank/",
                                  {f"t{bank.pk}-items": f.pdf_upload("第二版.pdf", EXE_BYTES)}, follow=True)

    text, role = _feedback(response, f"task-{bank.pk}")
    assert role == "alert" and text == (
        "✗ 未能上传：文件“第二版.pdf”的内容不是允许的格式（PDF、JPG、PNG、DOCX、XLSX）。请勿修改扩展名上传其他类型的文件。")
    assert _row_refused(response, f"task-{bank.pk}")
    assert "第一版.pdf" in element_text(response.content.decode(), f"task-{bank.pk}")
    assert bank.rounds.count() == 1
    assert 'class="messages"' not in response.content.decode()


def test_a_photo_lands_on_its_plan_named_with_the_candidate(login: Login) -> None:
    filing = FilingFactory()
    plan = approved_plan(filing, candidates=1)
    candidate = plan.candidates.get()
    client = login(the_member(filing))
    photo = SimpleUploadedFile(f"{candidate.id_number}.png", png_bytes(), "image/png")

    response = client.post(f"/gd/certificates/plans/{plan.pk}/photos/", {"photo": photo}, follow=True)

    assert response.redirect_chain[-1][0].endswith(f"#plan-{plan.pk}-feedback")
    text, role = _feedback(response, f"plan-{plan.pk}")
    assert role == "status" and text == f"✓ 已上传：{candidate.id_number}.png（{len(png_bytes())}\xa0字节），考生：{candidate.name}"
    assert RosterPhoto.objects.filter(candidate=candidate).exists()


def test_a_photo_not_named_after_a_candidate_is_refused_on_its_plan_and_the_old_one_kept(login: Login) -> None:
    filing = FilingFactory()
    plan = approved_plan(filing, candidates=1)
    candidate = plan.candidates.get()
    client = login(the_member(filing))
    client.post(f"/gd/certificates/plans/{plan.pk}/photos/",
                {"photo": SimpleUploadedFile(f"{candidate.id_number}.png", png_bytes(), "image/png")})
    kept = RosterPhoto.objects.get(candidate=candidate).image.name

    response = client.post(f"/gd/certificates/plans/{plan.pk}/photos/",
                           {"photo": SimpleUploadedFile("张三.png", png_bytes((0, 0, 0)), "image/png")}, follow=True)

    text, role = _feedback(response, f"plan-{plan.pk}")
    assert role == "alert" and text == (
        "✗ 未能上传：照片文件名应为考生的证件号码（如 440106199003071234.jpg），本计划名册中没有“张三”。")
    assert _row_refused(response, f"plan-{plan.pk}")
    assert 'aria-invalid="true"' in (element_html(response.content.decode(), f"plan-{plan.pk}") or "")
    assert RosterPhoto.objects.get(candidate=candidate).image.name == kept


def _renewal() -> Any:
    filing = renewing_filing()
    with at(OPENS):
        return supervision_services.start_renewal(filing, acting_user=the_member(filing), today=OPENS)


def test_a_renewal_material_lands_on_the_upload_box_and_a_refusal_keeps_the_list(login: Login) -> None:
    renewal = _renewal()
    client = login(the_member(renewal.filing))
    url = f"/gz/supervision/renewals/{renewal.pk}/documents/"
    with at(OPENS):
        accepted = client.post(url, {"checklist_key": "work_report",
                                     "file": SimpleUploadedFile("工作报告.pdf", pdf_bytes(), "application/pdf")},
                               follow=True)
        refused = client.post(url, {"checklist_key": "work_report",
                                    "file": SimpleUploadedFile("工作报告-新.pdf", EXE_BYTES, "application/pdf")},
                              follow=True)

    assert accepted.redirect_chain == [(f"/gz/supervision/renewals/{renewal.pk}/#renewal-upload-feedback", 302)]
    assert _feedback(accepted, "renewal-upload") == ("✓ 已上传：工作报告.pdf（1.5\xa0KB）", "status")
    text, role = _feedback(refused, "renewal-upload")
    assert role == "alert" and text is not None and text.startswith("✗ 未能上传：文件“工作报告-新.pdf”的内容不是允许的格式")
    assert _row_refused(refused, "renewal-upload")
    assert "工作报告.pdf" in element_text(refused.content.decode(), "document-list")
    assert [d.original_name for d in RenewalDocument.objects.filter(renewal=renewal)] == ["工作报告.pdf"]
