"""The verify checklist: a certificate of a terminated organization stays valid with every line passing and its
evidence; a certificate dated outside the issuer's active period (validity or a suspension) fails its issuer line."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from certificates.models import Certificate
from supervision import services as supervision_services
from tests.factories import SHANGHAI, a_certificate, pdf_upload, provincial_officer

pytestmark = pytest.mark.django_db


def on(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=False)


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    yield


def _issued_on(day: dt.date, capture: Any) -> Certificate:
    with on(day), capture(execute=True):
        return a_certificate("gz", name="李四")


def _api(certificate: Certificate) -> list[dict[str, str]]:
    response = Client().post("/api/v1/public/certificates/lookup/",
                             {"number": certificate.number, "name": certificate.holder_name},
                             content_type="application/json")
    assert response.status_code == 200
    return response.json()["results"][0]["checklist"]  # type: ignore[no-any-return]


def _page(certificate: Certificate) -> str:
    response = Client().post("/verify/", {"mode": "number", "number-number": certificate.number,
                                          "number-name": certificate.holder_name})
    assert response.status_code == 200
    return response.content.decode()


def test_a_certificate_of_a_terminated_organization_passes_every_line(
        django_capture_on_commit_callbacks: Any) -> None:
    certificate = _issued_on(dt.date(2026, 3, 2), django_capture_on_commit_callbacks)
    filing = certificate.filing
    officer = provincial_officer("gz")
    with on(dt.date(2026, 3, 9)):
        filing_exit = supervision_services.order_exit(filing, acting_user=officer, reason="严重违规",
                                                      evidence=pdf_upload())
    with on(dt.date(2026, 3, 25)):  # past its wrap-up (03-09 … 03-23)
        supervision_services.confirm_exit(filing_exit, acting_user=officer)

    with on(dt.date(2026, 4, 1)):
        lines = _api(certificate)
        html = _page(certificate)

    assert [(c["key"], c["state"]) for c in lines] == [("signature", "pass"), ("issuer", "pass"),
                                                      ("revocation", "pass")]
    assert lines[0]["evidence"].startswith("证书二维码签名已用省级公钥 ")
    assert lines[1]["evidence"] == (
        f"备案编号{filing.filing_number}，有效期{filing.valid_from.isoformat()}至{filing.valid_until.isoformat()}；"
        "发证日期2026-03-02备案状态有效；该机构已于2026-03-25终止评价活动，终止前颁发的证书继续有效")
    assert lines[2]["evidence"] == "证书库记录为有效，无撤销或换发记录"
    assert html.count('data-state="pass"') == 3
    assert "该机构已于2026-03-25终止评价活动" in html


def test_a_certificate_dated_after_the_validity_fails_the_issuer_line(django_capture_on_commit_callbacks: Any) -> None:
    certificate = _issued_on(dt.date(2026, 3, 2), django_capture_on_commit_callbacks)
    filing = certificate.filing
    late = filing.valid_until + dt.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=late)  # what the portal never produces

    lines = {c["key"]: c for c in _api(certificate)}

    assert lines["issuer"]["state"] == "fail"
    assert lines["issuer"]["evidence"] == (
        f"备案编号{filing.filing_number}，有效期{filing.valid_from.isoformat()}至{filing.valid_until.isoformat()}；"
        f"发证日期{late.isoformat()}不在有效期内")
    assert re.search(r'data-check="issuer" data-state="fail"', _page(certificate))


def test_a_certificate_dated_in_a_suspension_fails_the_issuer_line(django_capture_on_commit_callbacks: Any) -> None:
    certificate = _issued_on(dt.date(2026, 3, 2), django_capture_on_commit_callbacks)
    with on(dt.date(2026, 3, 5)):
        suspension = supervision_services.suspend(certificate.filing, acting_user=provincial_officer("gz"),
                                                  reason="限期整改", ends_on=dt.date(2026, 3, 20))
    with on(dt.date(2026, 3, 21)):
        assert supervision_services.sweep_suspensions() == 1
    suspension.refresh_from_db()

    # issued the morning of the day the suspension began: active that day, so it passes
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=dt.date(2026, 3, 5))
    assert {c["key"]: c["state"] for c in _api(certificate)}["issuer"] == "pass"
    # dated inside the suspension: fails, saying so
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=dt.date(2026, 3, 12))
    issuer = {c["key"]: c for c in _api(certificate)}["issuer"]
    assert issuer["state"] == "fail"
    assert issuer["evidence"].endswith("；发证日期2026-03-12备案状态为“暂停”")
    # dated on the day it resumed: passes again
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=dt.date(2026, 3, 21))
    assert {c["key"]: c["state"] for c in _api(certificate)}["issuer"] == "pass"


def test_a_revoked_certificate_fails_the_revocation_line(django_capture_on_commit_callbacks: Any) -> None:
    certificate = _issued_on(dt.date(2026, 3, 2), django_capture_on_commit_callbacks)
    Certificate.objects.filter(pk=certificate.pk).update(status="revoked", status_changed_on=dt.date(2026, 3, 3),
                                                         revocation_reason_code="fraud", revocation_reason="冒名顶替")

    revocation = {c["key"]: c for c in _api(certificate)}["revocation"]

    assert revocation["state"] == "fail"
    assert revocation["evidence"].startswith("已于2026-03-03撤销：")


def test_the_issuer_line_follows_a_change_made_after_it_was_read(django_capture_on_commit_callbacks: Any) -> None:
    """The filing's history is cached for the lookup; a suspension recorded after a lookup shows on the next one."""
    certificate = _issued_on(dt.date(2026, 3, 2), django_capture_on_commit_callbacks)
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=dt.date(2026, 3, 12))
    with on(dt.date(2026, 3, 5)):
        assert {c["key"]: c["state"] for c in _api(certificate)}["issuer"] == "pass"  # read (and cached) before
    with on(dt.date(2026, 3, 5)), django_capture_on_commit_callbacks(execute=True):
        supervision_services.suspend(certificate.filing, acting_user=provincial_officer("gz"), reason="限期整改",
                                     ends_on=dt.date(2026, 3, 20))
    with on(dt.date(2026, 3, 5)):  # the same moment: the cached copy has not expired, it was dropped
        issuer = {c["key"]: c for c in _api(certificate)}["issuer"]
    assert issuer["state"] == "fail" and issuer["evidence"].endswith("；发证日期2026-03-12备案状态为“暂停”")
