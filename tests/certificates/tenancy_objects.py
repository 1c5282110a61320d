"""Certificates' entries for the tenancy test (tests/portal/test_tenancy.py): every certificate URL under a province
with an id. Each makes an object of the given province: an issued certificate (with a stand-in PDF), its batch, a
pending revocation request, or an approved plan (photos). Other cities of the same province and other
organizations are in tests/certificates/test_pages.py."""

from typing import Any

from django.core.files.base import ContentFile

from certificates import services
from certificates.models import Certificate
from portal.models import Province, User
from tests.factories import FilingFactory, a_certificate, approved_plan, the_member
from tests.portal.tenancy_objects import MakeObject, MakeShared


def certificate_with_pdf(province: Province) -> Certificate:
    certificate = a_certificate(province)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(b"%PDF-1.4\n% stand-in\n"), save=True)
    return certificate


def _certificate(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": certificate_with_pdf(province).pk}


def _batch(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": a_certificate(province).batch_id}


def _change(province: Province, requester: User) -> dict[str, Any]:
    certificate = a_certificate(province)
    change = services.request_revocation(certificate, acting_user=the_member(certificate.filing),
                                         reason_code="other", reason="测试")
    return {"pk": change.pk}


def _plan(province: Province, requester: User) -> dict[str, Any]:
    return {"pk": approved_plan(FilingFactory(province=province), candidates=1).pk}


TENANT_OBJECTS: dict[str, MakeObject] = {
    "certificates:batch_detail": _batch,
    "certificates:batch_progress": _batch,
    "certificates:change_detail": _change,
    "certificates:certificate_detail": _certificate,
    "certificates:certificate_pdf": _certificate,
    "certificates:revocation_request": _certificate,
    "certificates:correction_request": _certificate,
    "certificates:photo_upload": _plan,
    "api_certificate_batch": _batch,
    "api_certificate_revocation": _certificate,
    "api_certificate_correction": _certificate,
    "api_certificate_change_approve": _change,
    "api_certificate_change_reject": _change,
}

SHARED_OBJECTS: dict[str, tuple[str, MakeShared]] = {}
