"""Audited reads of a holder's personal data held by the pipeline: the certificate PDF and full ID numbers."""

from portal.audit import audit_personal_data_read
from portal.models import User

from ..models import Certificate, CertificateChange, ExamPlan

CERTIFICATE_PDF = "certificate_pdf"
FULL_ID_NUMBER = "full_id_number"
ROSTER_ID_NUMBERS = "roster_full_id_numbers"
CORRECTED_ID_NUMBER = "corrected_id_number"
RESULTS_TEMPLATE_ID_NUMBERS = "results_template_full_id_numbers"


def record_certificate_read(certificate: Certificate, *, acting_user: User, what: str) -> None:
    """One audit event (personal_data_viewed) each time a person downloads the PDF or sees the full ID number."""
    audit_personal_data_read(acting_user, certificate, what=what, province=certificate.province)


def record_roster_read(plan: ExamPlan, *, acting_user: User, shown: int) -> None:
    """One audit event each time the organization's roster page shows its candidates' full ID numbers."""
    if shown:
        audit_personal_data_read(acting_user, plan, what=f"{ROSTER_ID_NUMBERS}:{shown}", province=plan.province)


def record_change_read(change: CertificateChange, *, acting_user: User) -> None:
    """One audit event each time a correction of the ID number is shown in full (the old and the new number)."""
    if "id_number" in change.corrections:
        audit_personal_data_read(acting_user, change, what=CORRECTED_ID_NUMBER, province=change.certificate.province)


def record_results_template_read(plan: ExamPlan, *, acting_user: User, rows: int) -> None:
    """One audit event each time the organization downloads its results template filled with full ID numbers."""
    if rows:
        audit_personal_data_read(acting_user, plan, what=f"{RESULTS_TEMPLATE_ID_NUMBERS}:{rows}", province=plan.province)
