"""Issuance pages: issuing from the page, the batch page with its progress JSON, PDF downloads, the change requests
and decisions, the registry with its Excel and CSV exports; scoping to the organization and the supervising city;
query counts that do not grow with the rows."""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from certificates import services
from certificates.models import Certificate, CertificateChange, IssuanceBatch
from portal.models import City
from tests.factories import (
    FilingFactory,
    InstitutionFactory,
    MembershipFactory,
    a_certificate,
    approved_plan,
    city_officer_of,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db


def test_the_organization_issues_a_plan_from_the_page(login: Callable[..., Client]) -> None:
    filing = FilingFactory(province="gd")
    plan = approved_plan(filing, candidates=3)
    client = login(the_member(filing))

    page = client.get("/gd/certificates/issue/")
    response = client.post("/gd/certificates/issue/", {"plan": plan.pk})

    assert page.status_code == 200
    assert f'data-plan="{plan.pk}"' in page.content.decode()
    batch = IssuanceBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gd/certificates/batches/{batch.pk}/"
    assert batch.total == 3


def test_the_batch_page_and_its_progress_json(login: Callable[..., Client],
                                              django_assert_max_num_queries: Any) -> None:
    filing = FilingFactory(province="gd")
    approved_plan(filing, candidates=12)
    batch = services.issue_certificates(filing, acting_user=the_member(filing))
    first = Certificate.objects.filter(batch=batch).order_by("number").first()
    assert first is not None
    first.pdf.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    IssuanceBatch.objects.filter(pk=batch.pk).update(rendered=1)
    client = login(the_member(filing))

    with django_assert_max_num_queries(12):
        page = client.get(f"/gd/certificates/batches/{batch.pk}/")
    progress = client.get(f"/gd/certificates/batches/{batch.pk}/progress/")

    html = page.content.decode()
    assert '<progress id="pdf-progress-bar" max="12" value="1"' in html
    assert "js/certificate_progress.js" in html
    assert html.count('class="pdf-link"') == 1
    assert progress.json() == {"id": batch.pk, "total": 12, "rendered": 1, "percent": 8, "done": False,
                               "notified": False}
    assert progress["Cache-Control"] == "no-store"


def test_pdf_download_for_the_organization_and_its_officers_only(login: Callable[..., Client]) -> None:
    certificate = a_certificate("gd")
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4\n% certificate\n"), save=True)
    url = f"/gd/certificates/{certificate.pk}/pdf/"
    shenzhen = MembershipFactory(province="gd", role="city_officer", city=City.objects.get(code="4403")).user

    own = login(the_member(certificate.filing)).get(url)
    city = login(city_officer_of(certificate.filing)).get(url)
    other_city = login(shenzhen).get(url)
    other_organization = login(the_member(FilingFactory(province="gd"))).get(url)

    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.number}.pdf"' in own["Content-Disposition"]
    assert b"".join(own.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert city.status_code == 200
    assert (other_city.status_code, other_organization.status_code) == (404, 404)


def test_requests_and_decisions_through_the_pages(login: Callable[..., Client]) -> None:
    certificate = a_certificate("gd", name="赵敏")
    member = login(the_member(certificate.filing))
    officer = login(city_officer_of(certificate.filing))

    member.post(f"/gd/certificates/{certificate.pk}/correct/", {
        "holder_name": "赵敏敏", "id_type": certificate.id_type, "id_number": certificate.id_number,
        "work_type_name": "--", "reason": "姓名少录一字"})
    change = CertificateChange.objects.get()
    worklist = officer.get("/gd/certificates/changes/").content.decode()
    decided = officer.post(f"/gd/certificates/changes/{change.pk}/", {"decision": "approve", "note": "核实无误"})

    assert f"/gd/certificates/changes/{change.pk}/" in worklist
    assert decided.status_code == 302
    change.refresh_from_db()
    assert change.replacement is not None and change.replacement.holder_name == "赵敏敏"
    detail = member.get(f"/gd/certificates/{certificate.pk}/").content.decode()
    assert "已更正换发" in detail and change.replacement.number in detail


def _registry_data(province: str = "gd") -> tuple[Certificate, Certificate]:
    guangzhou = a_certificate(province, name="孙悟")
    shenzhen_org = InstitutionFactory(province="gd", city=City.objects.get(code="4403"))
    filing = FilingFactory(province="gd", institution=shenzhen_org)
    approved_plan(filing, candidates=1)
    shenzhen = Certificate.objects.get(batch=services.issue_certificates(filing, acting_user=the_member(filing)))
    return guangzhou, shenzhen


def test_the_registry_exports_the_national_fields_as_excel_and_csv(login: Callable[..., Client],
                                                                   django_assert_max_num_queries: Any) -> None:
    guangzhou, shenzhen = _registry_data()
    client = login(provincial_officer("gd"))

    with django_assert_max_num_queries(12):
        page = client.get("/gd/certificates/")
    excel = client.get("/gd/certificates/?export=xlsx")
    csv_response = client.get("/gd/certificates/?export=csv&q=孙悟")

    assert guangzhou.number in page.content.decode() and shenzhen.number in page.content.decode()
    rows = list(load_workbook(io.BytesIO(excel.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("证书名称", "证书编号", "姓名", "证件类型", "证件号码", "职业编码", "职业名称", "工种/职业方向",
                       "等级", "评价机构", "评价机构统一社会信用代码", "发证省份代码", "发证日期", "照片文件名", "证书状态",
                       "状态变更日期", "撤销原因", "换发新证书编号")
    assert {r[1] for r in rows[1:]} == {guangzhou.number, shenzhen.number}
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1][:5] == ["职业技能等级证书", guangzhou.number, "孙悟", "居民身份证", guangzhou.id_number]
    assert parsed[1][8] == "三级/高级工"
    assert parsed[1][10:12] == [guangzhou.institution.credit_code, "44"]
    assert len(parsed) == 2


def test_a_city_officer_sees_only_the_organizations_of_their_city(login: Callable[..., Client]) -> None:
    guangzhou, shenzhen = _registry_data()

    html = login(city_officer_of(guangzhou.filing)).get("/gd/certificates/").content.decode()

    assert guangzhou.number in html and shenzhen.number not in html


def test_the_registry_query_count_does_not_grow_with_the_rows(login: Callable[..., Client],
                                                              django_assert_num_queries: Any) -> None:
    filing = FilingFactory(province="gd")
    approved_plan(filing, candidates=2)
    services.issue_certificates(filing, acting_user=the_member(filing))
    client = login(provincial_officer("gd"))
    client.get("/gd/certificates/")
    with CaptureQueriesContext(connection) as few:
        client.get("/gd/certificates/")
    approved_plan(filing, candidates=20)
    services.issue_certificates(filing, acting_user=the_member(filing))

    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/gd/certificates/")


def test_the_home_page_worklists(login: Callable[..., Client]) -> None:
    filing = FilingFactory(province="gd")
    approved_plan(filing, candidates=2)
    certificate = a_certificate("gd")
    services.request_revocation(certificate, acting_user=the_member(certificate.filing), reason_code="other",
                                reason="x")

    organization = login(the_member(filing)).get("/gd/").content.decode()
    city = login(city_officer_of(certificate.filing)).get("/gd/").content.decode()

    assert "待颁发证书的合格人员" in organization and "/gd/certificates/issue/" in organization
    assert "待审批的证书撤销与更正" in city and "/gd/certificates/changes/" in city


def test_reading_a_holders_personal_data_is_audited_each_time(login: Callable[..., Client]) -> None:
    from portal.models import AuditEvent

    certificate = a_certificate("gd")
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4\n% certificate\n"), save=True)
    officer = city_officer_of(certificate.filing)
    client = login(officer)

    assert client.get(f"/gd/certificates/{certificate.pk}/").status_code == 200
    assert client.get(f"/gd/certificates/{certificate.pk}/pdf/").status_code == 200
    assert login(MembershipFactory(province="gd", role="city_officer", city=City.objects.get(code="4403")).user).get(
        f"/gd/certificates/{certificate.pk}/pdf/").status_code == 404

    reads = AuditEvent.objects.filter(action="personal_data_viewed", object_id=str(certificate.pk)).order_by("id")
    assert [(e.actor_id, e.changes["personal_data"], e.province_id) for e in reads] == [
        (officer.pk, "full_id_number", certificate.province_id),
        (officer.pk, "certificate_pdf", certificate.province_id),
    ]
