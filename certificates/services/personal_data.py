"""Audited reads of a holder's personal data held by the pipeline: the certificate PDF and the full ID number."""

from portal.audit import audit_personal_data_read
from portal.models import User

from ..models import Certificate

CERTIFICATE_PDF = "certificate_pdf"
FULL_ID_NUMBER = "full_id_number"


def record_certificate_read(certificate: Certificate, *, acting_user: User, what: str) -> None:
    """One audit event (personal_data_viewed) each time a person downloads the PDF or sees the full ID number."""
    audit_personal_data_read(acting_user, certificate, what=what, province=certificate.province)
