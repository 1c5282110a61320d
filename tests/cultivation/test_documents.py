"""Filing letters, receipts and commitment letters: real PDFs with a Chinese font embedded, rendered once."""

import shutil
import subprocess

import pytest
from django.utils import timezone

from filings import services
from portal.models import Occupation
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="needs poppler-utils"),
]


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def embedded_fonts(content: bytes) -> list[str]:
    lines = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True).stdout.decode().splitlines()
    return [line for line in lines[2:] if line.strip()]


def test_the_filing_letter_lists_the_scope_its_number_and_the_issuing_body_with_the_font_embedded() -> None:
    welder, electrician = Occupation.objects.get(code="6-18-02-04"), Occupation.objects.get(code="6-31-01-03")
    cultivation = f.cultivation("gd", occupations=[welder, electrician])
    for item in cultivation.occupations.all():
        f.accept_occupation(item)
    filing = services.file_cultivation(cultivation, acting_user=f.provincial_officer())
    letter = filing.letters.get()

    assert services.render_filing_letter(letter.pk) is True
    letter.refresh_from_db()
    stored = letter.pdf.name
    assert services.render_filing_letter(letter.pk) is False  # rendered once, never again
    letter.refresh_from_db()
    assert letter.pdf.name == stored

    content = letter.pdf.read()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for expected in ("社会培训评价组织备案函", letter.number, filing.institution.name, "焊工", "电工",
                     "6-18-02-04", "6-31-01-03", "五级/初级工", "广东省职业技能服务指导中心", filing.organization_sequence):
        assert expected in text, expected
    fonts = embedded_fonts(content)
    assert fonts and all(" yes " in line for line in fonts)
    assert any("CJK" in line for line in fonts)


def test_the_shandong_receipt_shows_the_institution_code() -> None:
    filing = services.file_application(f.ApplicationFactory(publicity_ended=True, province="sd", occupations=[
        Occupation.objects.get(code="4-12-01-01")]))
    receipt = filing.letters.get()
    services.render_filing_letter(receipt.pk)
    receipt.refresh_from_db()

    text = pdf_text(receipt.pdf.read())

    for expected in ("回执", filing.institution_code, "汽车维修工", receipt.number, "济南市职业技能鉴定（指导）中心"):
        assert expected in text, expected


def test_the_signed_commitment_letter_is_rendered_once_with_its_signer(
    django_capture_on_commit_callbacks: object,
) -> None:
    cultivation = f.cultivation("gd", occupations=1, signed=False)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.sign_commitment(cultivation, acting_user=f.the_member(cultivation.institution), signer_name="张明",
                                 signer_title="法定代表人")
    cultivation.refresh_from_db()

    assert cultivation.commitment_pdf  # rendered after commit by the task
    assert services.render_commitment_letter(cultivation.pk) is False
    text = pdf_text(cultivation.commitment_pdf.read())
    assert "培育机构工作承诺书" in text
    assert "张明（法定代表人）" in text
    assert timezone.localtime(cultivation.commitment_signed_at).strftime("%Y-%m-%d %H:%M") in text
    assert "自然淘汰" in text  # the pack's letter text itself
