"""The public lookup API answers exactly what PublicCertificateSerializer (its documented schema) gives, now that the
answer is built by a representer compiled from it: valid with and without a QR signature, revoked, superseded, and
the QR check's certificate."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from certificates import selectors, services, verify_checklist
from certificates.api.serializers.certificates import PublicCertificateSerializer
from certificates.api.views.certificates import _public
from certificates.models import Certificate
from tests.factories import a_certificate, provincial_officer, the_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    yield


def _certificates(capture: Any) -> list[Certificate]:
    with capture(execute=True):  # the PDF and its signed QR payload
        signed = a_certificate("gd", name="林芳")
    unsigned = a_certificate("gd", name="陈静")  # its PDF not rendered yet: no payload, the signature line "na"
    revoked = a_certificate("gd", name="周杰", id_number="44010619900307123X")
    services.approve_change(services.request_revocation(
        revoked, acting_user=the_member(revoked.filing), reason_code="fraud", reason="代考 & 冒名"),
        acting_user=provincial_officer("gd"))
    corrected = a_certificate("sd", name="赵敏")
    services.approve_change(services.request_correction(
        corrected, acting_user=the_member(corrected.filing), corrections={"work_type_name": "电焊工"},
        reason="工种漏填"), acting_user=provincial_officer("sd"))
    return [Certificate.objects.get(pk=c.pk) for c in (signed, unsigned, revoked, corrected)]


def test_each_shape_is_what_the_serializer_gives(django_capture_on_commit_callbacks: Any) -> None:
    certificates = _certificates(django_capture_on_commit_callbacks)
    found = [selectors.find_by_number(c.number, c.holder_name) for c in certificates]
    assert all(found)

    views = verify_checklist.checked_views(found)  # type: ignore[arg-type]
    fast = _public(found)  # type: ignore[arg-type]

    assert {v["status"] for v in views} == {"valid", "revoked", "superseded"}
    assert {line["state"] for v in fast for line in v["checklist"]} == {"pass", "fail", "na"}
    for answer, view in zip(fast, views, strict=True):
        assert json.dumps(answer, ensure_ascii=False) == json.dumps(PublicCertificateSerializer(view).data,
                                                                     ensure_ascii=False)


def test_the_api_answers_the_serializers_data(django_capture_on_commit_callbacks: Any) -> None:
    certificates = _certificates(django_capture_on_commit_callbacks)

    for certificate in certificates:
        response = Client().post("/api/v1/public/certificates/lookup/",
                                 {"number": certificate.number, "name": certificate.holder_name},
                                 content_type="application/json")
        assert response.status_code == 200
        found = selectors.find_by_number(certificate.number, certificate.holder_name)
        expected = [PublicCertificateSerializer(v).data
                    for v in verify_checklist.checked_views([found])]  # type: ignore[list-item]
        assert response.json() == json.loads(json.dumps({"results": expected}))
