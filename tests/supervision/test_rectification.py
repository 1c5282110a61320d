"""Rectification orders: a finding opens one with a deadline in working days on the calendar; the organization
answers with evidence; the inspector rejects (with a reason) or accepts; the overdue sweep marks once; an order
closed on a late answer is flagged late; another source (an upheld complaint) opens one the same way."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent
from supervision import services
from supervision.models import Decision, FlagKind, FraudFlag, OrderState, RectificationOrder, Severity, SourceKind
from tests.factories import city_officer_of, member_of, pdf_bytes
from tests.supervision.inspection_helpers import drawn, inspector_of, world

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 9, 30)


@pytest.fixture
def setting(reference_data: None) -> tuple[RectificationOrder, object, object]:
    w = world(organizations=2, inspectors=3)
    inspection = drawn(w, organizations_to_draw=1).inspections.get()
    inspector = inspector_of(inspection)
    services.record_finding(inspection, acting_user=inspector, severity=Severity.CRITICAL,
                            text="考场视频监控未覆盖实操考场", today=ISSUED)
    order = RectificationOrder.objects.get()
    return order, inspector, member_of(order.institution)


def test_a_finding_opens_an_order_due_in_working_days_across_the_national_day(setting: tuple) -> None:
    order, _inspector, _member = setting
    assert order.source_kind == SourceKind.INSPECTION_FINDING and order.finding is not None
    assert order.working_days == 5
    assert order.deadline == dt.date(2026, 10, 13)
    assert order.state == OrderState.OPEN
    assert AuditEvent.objects.filter(action="rectification_opened", object_id=str(order.pk)).count() == 1


def test_the_overdue_sweep_marks_once_and_only_what_waits_for_the_organization(setting: tuple) -> None:
    order, _inspector, _member = setting
    assert services.sweep_overdue_orders(dt.date(2026, 10, 13)).acted == 0
    assert services.sweep_overdue_orders(dt.date(2026, 10, 14)).acted == 1
    assert services.sweep_overdue_orders(dt.date(2026, 10, 15)).acted == 0
    order.refresh_from_db()
    assert order.is_overdue
    assert AuditEvent.objects.filter(action="rectification_overdue", object_id=str(order.pk)).count() == 1


def test_rejected_once_then_accepted_on_a_late_answer_is_closed_late(setting: tuple) -> None:
    order, inspector, member = setting
    evidence = SimpleUploadedFile("监控截图.pdf", pdf_bytes(), content_type="application/pdf")
    services.answer_order(order, acting_user=member, text="已加装摄像头", files=[evidence], today=dt.date(2026, 10, 12))
    with pytest.raises(DomainError) as err:
        services.verify_order(order, acting_user=inspector, accepted=False, reason=" ")
    assert err.value.code == "reason_required"
    order = services.verify_order(order, acting_user=inspector, accepted=False, reason="录像未按规定保存")
    assert order.state == OrderState.OPEN
    services.answer_order(order, acting_user=member, text="已配置录像存储90天", today=dt.date(2026, 10, 15))
    order = services.verify_order(order, acting_user=inspector, accepted=True)
    assert order.state == OrderState.CLOSED and order.closed_late
    assert [r.decision for r in order.responses.order_by("id")] == [Decision.REJECTED, Decision.ACCEPTED]
    assert order.responses.first().files.count() == 1
    actions = list(AuditEvent.objects.filter(object_id=str(order.pk), object_type="supervision.rectificationorder")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["rectification_opened", "rectification_answered", "rectification_rejected",
                       "rectification_answered", "rectification_accepted"]


def test_accepted_on_an_answer_in_time_is_not_late(setting: tuple) -> None:
    order, inspector, member = setting
    services.answer_order(order, acting_user=member, text="已整改", today=dt.date(2026, 10, 13))
    order = services.verify_order(order, acting_user=inspector, accepted=True)
    assert order.state == OrderState.CLOSED and not order.closed_late


def test_only_the_organization_answers_and_only_verifiers_verify(setting: tuple) -> None:
    order, inspector, member = setting
    with pytest.raises(NotPermitted):
        services.answer_order(order, acting_user=inspector, text="x")
    services.answer_order(order, acting_user=member, text="已整改", today=ISSUED)
    with pytest.raises(NotPermitted):
        services.verify_order(order, acting_user=member, accepted=True)
    with pytest.raises(DomainError) as err:
        services.answer_order(order, acting_user=member, text="again", today=ISSUED)
    assert err.value.code == "order_state"


def test_another_source_opens_an_order_verified_by_the_city(reference_data: None) -> None:
    w = world(organizations=1, inspectors=1)
    filing = w.filings[0]
    source = FraudFlag.objects.create(province=filing.province, kind=FlagKind.SHARED_MOBILE, key="k", summary="s",
                                      found_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC), institution=filing.institution)
    order = services.open_rectification_order(filing, acting_user=w.officer, source_kind=SourceKind.COMPLAINT,
                                              source_object=source, findings_text="投诉查实：乱收费",
                                              deadline_working_days=10, today=dt.date(2026, 9, 1))
    assert order.finding is None and order.source_ref == f"supervision.fraudflag:{source.pk}"
    assert order.city_id == filing.city_id and order.deadline == dt.date(2026, 9, 15)
    officer = city_officer_of(filing)
    services.answer_order(order, acting_user=member_of(filing.institution), text="已退费", today=dt.date(2026, 9, 2))
    assert services.verify_order(order, acting_user=officer, accepted=True).state == OrderState.CLOSED
    with pytest.raises(DomainError) as err:
        services.open_rectification_order(filing, acting_user=w.officer, source_kind=SourceKind.INSPECTION_FINDING,
                                          source_object=source, findings_text="x", deadline_working_days=5)
    assert err.value.code == "order_invalid"
