"""Rendering the signed commitment letter and the filing letters (or receipts) to PDF, once each."""


from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.audit import record_event

from ..models import (
    Cultivation,
    FilingLetter,
    LetterKind,
)


def render_commitment_letter(cultivation_id: int) -> bool:
    """Render the signed commitment letter to PDF and store it. Idempotent: a stored PDF is never re-rendered."""
    from portal.documents import render_pdf

    cultivation = Cultivation.objects.select_related("province", "institution").get(pk=cultivation_id)
    if cultivation.commitment_pdf or not cultivation.is_signed:
        return False
    pdf = render_pdf("documents/commitment_letter.html", {"cultivation": cultivation})
    with transaction.atomic():
        locked = Cultivation.objects.select_for_update(of=("self",)).get(pk=cultivation_id)
        if locked.commitment_pdf:
            return False
        locked.commitment_pdf.save(f"commitment-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.save(update_fields=["commitment_pdf"])
        record_event(actor=None, action="commitment_rendered", obj=locked, province=cultivation.province,
                     changes={"commitment_pdf": {"before": "", "after": locked.commitment_pdf.name}})
    return True


def render_filing_letter(letter_id: int) -> bool:
    """Render a filing letter (or receipt) to PDF and store it. Idempotent: a stored PDF is never re-rendered."""
    from portal.documents import render_pdf

    letter = FilingLetter.objects.select_related("province", "filing__institution", "filing__city").get(pk=letter_id)
    if letter.pdf:
        return False
    template = "documents/filing_receipt.html" if letter.kind == LetterKind.RECEIPT else "documents/filing_letter.html"
    pdf = render_pdf(template, {"letter": letter, "filing": letter.filing})
    with transaction.atomic():
        locked = FilingLetter.objects.select_for_update(of=("self",)).get(pk=letter_id)
        if locked.pdf:
            return False
        locked.pdf.save(f"{locked.kind}-{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "rendered_at"])
        record_event(actor=None, action="filing_letter_rendered", obj=letter.filing, province=letter.province,
                     changes={"letter": {"before": None, "after": f"{locked.number} {locked.pdf.name}"}})
    return True
