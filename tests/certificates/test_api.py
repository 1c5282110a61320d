"""The certificate API: issuing, a batch's progress, revocation and correction requests and their decisions, the QR
payload check; refusals come back as {"code", "detail"} with stable codes."""

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from certificates import services
from certificates.models import Certificate, CertificateStatus
from tests.factories import (
    FilingFactory,
    a_certificate,
    approved_plan,
    city_officer_of,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield


def test_the_organization_issues_and_reads_its_batch(login: Callable[..., Client]) -> None:
    filing = FilingFactory(province="gd", organization_sequence="000777")
    plan = approved_plan(filing, candidates=2, level=4)
    client = login(the_member(filing))

    issued = client.post("/api/v1/gd/certificates/issue/", {"plan": plan.pk}, content_type="application/json")
    again = client.post("/api/v1/gd/certificates/issue/", {}, content_type="application/json")

    assert issued.status_code == 201
    body = issued.json()
    assert (body["total"], body["rendered"], body["done"]) == (2, 0, False)
    assert [r["count"] for r in body["number_ranges"]] == [2]
    assert body["number_ranges"][0]["first"].startswith("S000044000777")
    assert again.status_code == 400
    assert again.json()["code"] == "nothing_to_issue"
    batch = client.get(f"/api/v1/gd/certificates/batches/{body['id']}/")
    assert batch.json()["total"] == 2


def test_officers_may_not_issue(login: Callable[..., Client]) -> None:
    response = login(provincial_officer("gd")).post("/api/v1/gd/certificates/issue/", {},
                                                    content_type="application/json")

    assert response.status_code == 403


def test_revocation_request_and_approval(login: Callable[..., Client]) -> None:
    certificate = a_certificate("gd")
    member = login(the_member(certificate.filing))
    officer = login(city_officer_of(certificate.filing))

    asked = member.post(f"/api/v1/gd/certificates/{certificate.pk}/revocation/",
                        {"reason_code": "fraud", "reason": "替考"}, content_type="application/json")
    twice = member.post(f"/api/v1/gd/certificates/{certificate.pk}/revocation/",
                        {"reason_code": "fraud", "reason": "替考"}, content_type="application/json")
    change_id = asked.json()["id"]
    approved = officer.post(f"/api/v1/gd/certificates/changes/{change_id}/approve/", {"note": "属实"},
                            content_type="application/json")
    decided_again = officer.post(f"/api/v1/gd/certificates/changes/{change_id}/reject/", {"note": "x"},
                                 content_type="application/json")

    assert asked.status_code == 201 and asked.json()["state"] == "requested"
    assert (twice.status_code, twice.json()["code"]) == (409, "change_pending")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert (decided_again.status_code, decided_again.json()["code"]) == (409, "change_decided")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.REVOKED


def test_a_correction_returns_the_new_number(login: Callable[..., Client]) -> None:
    certificate = a_certificate("gd")
    member = login(the_member(certificate.filing))

    bad = member.post(f"/api/v1/gd/certificates/{certificate.pk}/correction/",
                      {"id_number": "440106199003071235", "reason": "号码错"}, content_type="application/json")
    asked = member.post(f"/api/v1/gd/certificates/{certificate.pk}/correction/",
                        {"holder_name": "新名字", "reason": "姓名错"}, content_type="application/json")
    decided = login(provincial_officer("gd")).post(
        f"/api/v1/gd/certificates/changes/{asked.json()['id']}/approve/", {}, content_type="application/json")

    assert (bad.status_code, bad.json()["code"]) == (400, "ric_checksum")
    assert asked.json()["corrections"] == {"holder_name": "新名字"}
    assert decided.json()["replacement"] == certificate.number[:16] + "000002"


def test_a_rejection_without_a_reason_is_refused(login: Callable[..., Client]) -> None:
    certificate = a_certificate("gd")
    change = services.request_revocation(certificate, acting_user=the_member(certificate.filing),
                                         reason_code="other", reason="x")

    response = login(city_officer_of(certificate.filing)).post(
        f"/api/v1/gd/certificates/changes/{change.pk}/reject/", {"note": ""}, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "reason_required")


def test_the_payload_check_says_what_the_signature_covers_and_the_current_status(
        django_capture_on_commit_callbacks: Callable[..., object]) -> None:
    filing = FilingFactory()
    approved_plan(filing, candidates=1)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        batch = services.issue_certificates(filing, acting_user=the_member(filing))
    certificate = Certificate.objects.get(batch=batch)
    url = "/api/v1/public/certificates/verify-payload/"

    good = Client().post(url, {"payload": f"https://x/verify/q/{certificate.payload}/"},
                         content_type="application/json")
    forged = Client().post(url, {"payload": certificate.payload[:-3] + "AAA"}, content_type="application/json")

    assert good.status_code == 200
    assert good.json()["signature_valid"] is True
    assert good.json()["payload"]["number"] == certificate.number
    assert good.json()["certificate"]["status"] == "valid"
    assert (forged.status_code, forged.json()["code"]) == (400, "payload_bad_signature")
