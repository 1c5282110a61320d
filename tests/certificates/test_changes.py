"""Revocation and correction: the organization asks, the supervising city (Shandong: the province) approves; a
revocation shows at once in the lookup with its date and reason; a correction reissues with a new number and the old
one points to it. Nothing is deleted; every step is audited; a second decision changes nothing."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateChange, CertificateStatus, ChangeState
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.models import AuditEvent, City
from tests.factories import (
    MembershipFactory,
    a_certificate,
    city_officer_of,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db
YY = timezone.localdate().strftime("%y")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield


def lookup(number: str, name: str) -> str:
    return Client().post("/verify/", {"mode": "number", "number-number": number, "number-name": name}
                         ).content.decode()


def test_a_revocation_approved_by_the_city_shows_in_the_lookup() -> None:
    # given a Guangdong certificate and its organization's request
    certificate = a_certificate("gd", name="陈静")
    change = services.request_revocation(certificate, acting_user=the_member(certificate.filing),
                                         reason_code="fraud", reason="考试中由他人代考，经核实")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID

    # when an officer of the supervising city approves
    services.approve_change(change, acting_user=city_officer_of(certificate.filing), note="同意撤销")

    # then the certificate is revoked today with the reason, and the public sees it
    certificate.refresh_from_db()
    assert (certificate.status, certificate.status_changed_on, certificate.revocation_reason_code) == (
        CertificateStatus.REVOKED, timezone.localdate(), "fraud")
    html = lookup(certificate.number, "陈静")
    assert "已撤销" in html
    assert f"撤销日期：{timezone.localdate():%Y-%m-%d}" in html
    assert "弄虚作假、考试舞弊取得——考试中由他人代考，经核实" in html
    assert AuditEvent.objects.filter(action="certificate_revoked", object_id=str(certificate.pk),
                                     from_state="valid", to_state="revoked").count() == 1


def test_another_citys_officer_may_not_approve_and_shandong_needs_the_province() -> None:
    guangdong = a_certificate("gd")
    other_city = MembershipFactory(province="gd", role="city_officer", city=City.objects.get(code="4403")).user
    change = services.request_revocation(guangdong, acting_user=the_member(guangdong.filing), reason_code="other",
                                         reason="重复录入")
    with pytest.raises(NotPermitted):
        services.approve_change(change, acting_user=other_city)

    shandong = a_certificate("sd")
    sd_change = services.request_revocation(shandong, acting_user=the_member(shandong.filing),
                                            reason_code="issued_in_error", reason="审核错误")
    with pytest.raises(NotPermitted):
        services.approve_change(sd_change, acting_user=city_officer_of(shandong.filing))
    services.approve_change(sd_change, acting_user=provincial_officer("sd"))
    assert Certificate.objects.get(pk=shandong.pk).status == CertificateStatus.REVOKED


def test_a_correction_reissues_with_a_new_number_and_the_old_one_points_to_it() -> None:
    # given a certificate with a misspelt name
    certificate = a_certificate("gd", name="刘洋")
    member = the_member(certificate.filing)
    change = services.request_correction(certificate, acting_user=member,
                                         corrections={"holder_name": "刘阳", "work_type_name": ""},
                                         reason="姓名录入错误")
    assert change.corrections == {"holder_name": "刘阳"}  # an unchanged field is not a correction

    # when the province approves
    decided = services.approve_change(change, acting_user=provincial_officer("gd"))

    # then a new certificate with the next number of the same organization, year and level replaces it
    certificate.refresh_from_db()
    new = decided.replacement
    assert new is not None
    assert new.number == certificate.number[:16] + "000002"
    assert (new.holder_name, new.id_number, new.level, new.candidate_id) == (
        "刘阳", certificate.id_number, certificate.level, certificate.candidate_id)
    assert (certificate.status, certificate.superseded_by_id, certificate.holder_name) == (
        CertificateStatus.SUPERSEDED, new.pk, "刘洋")
    assert Certificate.objects.count() == 2  # nothing deleted
    assert {e.action for e in AuditEvent.objects.filter(object_type="certificates.certificate")} >= {
        "certificate_superseded", "certificate_reissued", "certificate_correct_requested"}
    # and the public lookup of the old number says so and links to the new one
    html = lookup(certificate.number, "刘洋")
    assert "已更正换发" in html and f">{new.number}</a>" in html
    link = html.split('class="superseded-by" href="', 1)[1].split('"', 1)[0]
    followed = Client().get(link).content.decode()
    assert "刘阳" in followed and new.number in followed and "有效" in followed


def test_a_correction_must_change_something_and_keep_a_valid_id_number() -> None:
    certificate = a_certificate("gd")
    member = the_member(certificate.filing)

    with pytest.raises(DomainError) as unchanged:
        services.request_correction(certificate, acting_user=member,
                                    corrections={"holder_name": certificate.holder_name}, reason="无")
    with pytest.raises(DomainError) as bad_id:
        services.request_correction(certificate, acting_user=member,
                                    corrections={"id_number": "440106199003071235"}, reason="号码有误")

    assert unchanged.value.code == "correction_unchanged"
    assert bad_id.value.code == "ric_checksum"


def test_one_open_request_per_certificate_and_decisions_happen_once() -> None:
    certificate = a_certificate("gd")
    member = the_member(certificate.filing)
    officer = provincial_officer("gd")
    change = services.request_revocation(certificate, acting_user=member, reason_code="other", reason="重复")

    with pytest.raises(ConflictError):
        services.request_revocation(certificate, acting_user=member, reason_code="other", reason="重复")
    services.approve_change(change, acting_user=officer)
    with pytest.raises(ConflictError) as twice:
        services.approve_change(change, acting_user=officer)
    with pytest.raises(InvalidTransition):
        services.request_correction(certificate, acting_user=member, corrections={"holder_name": "新名"},
                                    reason="更正")

    assert twice.value.code == "change_decided"
    assert CertificateChange.objects.get().state == ChangeState.APPROVED


def test_a_rejection_needs_a_reason_and_leaves_the_certificate_valid() -> None:
    certificate = a_certificate("gd")
    change = services.request_revocation(certificate, acting_user=the_member(certificate.filing),
                                         reason_code="other", reason="误报")
    officer = city_officer_of(certificate.filing)

    with pytest.raises(DomainError):
        services.reject_change(change, acting_user=officer, note=" ")
    services.reject_change(change, acting_user=officer, note="证据不足")

    assert CertificateChange.objects.get().state == ChangeState.REJECTED
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


def test_only_the_issuing_organization_asks() -> None:
    certificate = a_certificate("gd")
    stranger = the_member(a_certificate("gd").filing)

    with pytest.raises(NotPermitted):
        services.request_revocation(certificate, acting_user=stranger, reason_code="other", reason="x")


def test_the_organization_withdraws_an_undecided_request() -> None:
    certificate = a_certificate("gd")
    member = the_member(certificate.filing)
    change = services.request_revocation(certificate, acting_user=member, reason_code="other", reason="误操作")

    services.withdraw_change(change, acting_user=member)
    with pytest.raises(ConflictError):
        services.approve_change(change, acting_user=provincial_officer("gd"))

    assert CertificateChange.objects.get().state == ChangeState.WITHDRAWN
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID
    assert AuditEvent.objects.filter(action="certificate_revoke_withdrawn").count() == 1
