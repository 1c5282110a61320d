"""Inspections: the drawn inspectors schedule, record the checklist with files and findings (a critical one may
propose suspension), and complete; the pages are scoped (an unannounced inspection stays hidden from the
organization until done), list pages export to Excel, and the homes show inspections and orders."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent, User
from supervision import services
from supervision.models import ChecklistResult, Inspection, InspectionState, RectificationOrder, Severity
from tests.factories import city_officer_of, member_of, png_bytes
from tests.supervision.inspection_helpers import drawn, inspector_of, world

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def inspection(reference_data: None) -> Inspection:
    return drawn(world(organizations=2, inspectors=3), organizations_to_draw=1).inspections.get()


def test_only_the_drawn_inspectors_act_and_the_checklist_holds_pack_and_exam_rules(inspection: Inspection) -> None:
    outsider = world(organizations=1, inspectors=1).inspectors[0]
    with pytest.raises(NotPermitted):
        services.complete_inspection(inspection, acting_user=outsider, report="x")
    groups = set(inspection.checklist.values_list("group", flat=True))
    assert groups == {"basic", "exam_affairs"}
    inspector = inspector_of(inspection)
    item = inspection.checklist.get(key="exam.video")
    assert services.record_checklist(inspection, acting_user=inspector,
                                     results={item.pk: (ChecklistResult.NONCONFORMING, "实操考场无监控")}) == 1
    assert services.record_checklist(inspection, acting_user=inspector,
                                     results={item.pk: (ChecklistResult.NONCONFORMING, "实操考场无监控")}) == 0
    photo = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    record = services.attach_inspection_file(inspection, acting_user=inspector, upload=photo, item=item)
    assert record.content_type == "image/png" and record.item == item


def test_a_critical_finding_may_propose_suspension_and_opens_an_order(inspection: Inspection) -> None:
    inspector = inspector_of(inspection)
    with pytest.raises(DomainError) as err:
        services.record_finding(inspection, acting_user=inspector, severity=Severity.MINOR, text="x",
                                proposes_suspension=True, suspension_reason="y")
    assert err.value.code == "finding_invalid"
    finding = services.record_finding(inspection, acting_user=inspector, severity=Severity.CRITICAL,
                                      text="替考", proposes_suspension=True, suspension_reason="组织替考",
                                      today=dt.date(2026, 9, 1))
    assert finding.order.deadline == dt.date(2026, 9, 8)
    assert AuditEvent.objects.filter(action="suspension_proposed", object_id=str(inspection.pk)).count() == 1
    services.complete_inspection(inspection, acting_user=inspector, report="发现严重问题")
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.COMPLETED
    with pytest.raises(DomainError) as err:
        services.record_finding(inspection, acting_user=inspector, severity=Severity.MINOR, text="late")
    assert err.value.code == "inspection_state"


def test_an_unannounced_inspection_is_hidden_from_the_organization_until_done(inspection: Inspection,
                                                                             login: Login) -> None:
    member = member_of(inspection.institution)
    url = f"/gd/supervision/inspections/{inspection.pk}/"
    assert login(member).get(url).status_code == 404
    inspector = inspector_of(inspection)
    services.complete_inspection(inspection, acting_user=inspector, report="符合要求")
    page = login(member).get(url)
    assert page.status_code == 200 and inspector.username not in page.content.decode()


def test_the_inspector_walks_the_pages_and_the_organization_answers(inspection: Inspection, login: Login) -> None:
    inspector = inspector_of(inspection)
    client = login(inspector)
    url = f"/gd/supervision/inspections/{inspection.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "finding", "severity": "minor", "text": ""})
    assert (bad.status_code == 400 and "此字段" in bad.content.decode()) or bad.status_code == 400
    assert client.post(url, {"action": "finding", "severity": "serious", "text": "档案不全"}).status_code == 302
    order = RectificationOrder.objects.get()
    member = member_of(inspection.institution)
    order_url = f"/gd/supervision/rectification/{order.pk}/"
    answer = login(member).post(order_url, {"action": "answer", "text": "已补齐档案"})
    assert answer.status_code == 302
    reject = client.post(order_url, {"action": "verify", "decision": "reject", "reason": ""})
    assert reject.status_code == 400 and "退回整改必须说明理由" in reject.content.decode()
    assert client.post(order_url, {"action": "verify", "decision": "accept"}).status_code == 302
    order.refresh_from_db()
    assert order.state == "closed"
    other = member_of(world(organizations=1, inspectors=0).filings[0].institution)
    assert login(other).get(order_url).status_code == 404


@pytest.mark.parametrize("path", ["campaigns/", "inspections/", "rectification/"])
def test_each_list_exports_to_excel(inspection: Inspection, login: Login, path: str) -> None:
    officer = city_officer_of(inspection)
    response = login(officer).get(f"/gd/supervision/{path}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_homes_show_inspections_and_orders(inspection: Inspection, login: Login) -> None:
    inspector = inspector_of(inspection)
    services.record_finding(inspection, acting_user=inspector, severity=Severity.MINOR, text="考场规则未张贴",
                            today=dt.date(2026, 9, 1))
    home = login(inspector).get("/gd/").content.decode()
    assert "待开展的监督检查" in home and inspection.institution.name in home
    assert "整改" in home
    city_home = login(city_officer_of(inspection)).get("/gd/").content.decode()
    assert "整改" in city_home
    org_home = login(member_of(inspection.institution)).get("/gd/").content.decode()
    assert "待整改" in org_home


def test_in_english_mode_the_checklist_reads_in_english_while_the_record_stays_chinese(
    inspection: Inspection, login: Login,
) -> None:
    from django.conf import settings

    client = login(inspector_of(inspection))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/gd/supervision/inspections/{inspection.pk}/").content.decode()
    stored = inspection.checklist.get(key="exam.identity").text
    assert stored.startswith("考生身份核验")  # the record keeps the wording the inspectors checked against
    assert "Candidates&#x27; identities are checked properly" in page and stored not in page
    basic = inspection.checklist.filter(group="basic").first()
    assert basic is not None and basic.text not in page
