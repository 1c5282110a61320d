"""Complaints through the services: the tracking code (unguessable, stored only as a hash, e-mailed once), the subject
(catalog, exam date, certificate number), routing by the pack, the handling steps with one audit event each,
dissatisfaction that reopens once, permissions, and the indicators they feed."""

import datetime as dt
import hashlib
import re

import pytest
from django.core import mail
from django.test import override_settings

from filings.models import FilingOccupation
from portal.errors import DomainError, NotPermitted, RateLimited
from portal.models import AuditEvent, City
from portal.workdays import add_working_days
from supervision import selectors, services
from supervision.models import (
    Complaint,
    ComplaintSatisfaction,
    ComplaintState,
    HandlingLevel,
    IndicatorCell,
    RectificationOrder,
)
from supervision.stats import wilson_interval
from tests.factories import (
    FilingFactory,
    at,
    certificates_of,
    city_officer,
    city_officer_of,
    complaint_about,
    member_of,
    plan_with_results,
    provincial_officer,
    session_of,
    venue_of,
)

D = dt.date


@pytest.fixture(autouse=True)
def _the_day_after_filing():
    """Officers act the day after FILING_DAY unless a test travels elsewhere (nothing depends on the real date)."""
    with at(D(2026, 6, 3)):
        yield


def actions_of(complaint: Complaint) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="supervision.complaint", object_id=str(complaint.pk))
                .order_by("id").values_list("action", flat=True))


def test_the_tracking_code_has_80_random_bits_and_only_its_hash_is_stored(db):
    codes = {services.new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", c) for c in codes)  # 16 base32 characters = 80 bits
    complaint, code = complaint_about()
    assert complaint.tracking_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    stored = Complaint.objects.filter(pk=complaint.pk).values().get()
    assert not any(code in str(v) or code.replace("-", "") in str(v) for v in stored.values())
    assert services.find_by_code(code.lower().replace("-", " "), ip="198.51.100.7").pk == complaint.pk


def test_the_code_is_e_mailed_once_when_an_address_is_given(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _complaint, code = complaint_about(email="zhang@example.com")
        complaint_about(mobile="13800138000")  # no address: no mail
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.com"] and code in mail.outbox[0].body


@override_settings(CERTIFICATE_LOOKUP_RATE=(3, 600))
def test_code_guesses_are_rate_limited_per_address(db):
    complaint_about()
    for _ in range(3):
        with pytest.raises(DomainError) as miss:
            services.find_by_code("AAAA-BBBB-CCCC-DDDD", ip="198.51.100.8")
        assert miss.value.code == "tracking_code_not_found" and miss.value.status == 404
    with pytest.raises(RateLimited):
        services.find_by_code("AAAA-BBBB-CCCC-DDDE", ip="198.51.100.8")


def test_submissions_are_rate_limited_per_address(db):
    filing = FilingFactory(with_scope=True)
    for _ in range(5):
        complaint_about(filing)
    with pytest.raises(RateLimited):
        complaint_about(filing)


def test_routing_follows_the_pack_and_is_audited(db):
    gd_filing = FilingFactory(with_scope=True)
    gd_complaint, _ = complaint_about(gd_filing)
    assert (gd_complaint.level, gd_complaint.city_id) == (HandlingLevel.CITY, gd_filing.city_id)
    sd_complaint, _ = complaint_about(FilingFactory(province="sd", with_scope=True))
    assert sd_complaint.level == HandlingLevel.PROVINCE
    event = AuditEvent.objects.get(action="complaint_filed", object_id=str(gd_complaint.pk))
    assert event.actor is None and event.changes["level"] == "city" and event.to_state == "open"


def test_a_complaint_through_a_certificate_number_or_an_exam_date(db):
    plan = plan_with_results(on=D(2026, 3, 10), passed=2)
    certificate = certificates_of(plan)[0]
    by_certificate, _ = complaint_about(plan.filing, subject_kind="certificate", organization_id=None,
                                        certificate_number=certificate.number.lower())
    assert (by_certificate.institution_id, by_certificate.occupation_id, by_certificate.certificate_id) == (
        plan.institution_id, plan.occupation_id, certificate.pk)
    with pytest.raises(DomainError) as unknown:
        complaint_about(plan.filing, subject_kind="certificate", organization_id=None,
                        certificate_number="S000044000123263000045")
    assert (unknown.value.code, unknown.value.extra["field"]) == ("complaint_subject_not_found", "certificate_number")


def test_an_exam_complaint_finds_the_plan_held_that_day(db):
    plan = plan_with_results(on=D(2026, 3, 10), passed=2)
    session_of(plan, venue_of(plan), on=D(2026, 3, 10))
    complaint, _ = complaint_about(plan.filing, subject_kind="exam", exam_date=D(2026, 3, 10))
    assert (complaint.plan_id, complaint.occupation_id) == (plan.pk, plan.occupation_id)
    with pytest.raises(DomainError) as none:
        complaint_about(plan.filing, subject_kind="exam", exam_date=D(2026, 3, 11))
    assert none.value.extra["field"] == "exam_date"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": "", "anonymous": False}, "name"),
    ({"mobile": "", "email": ""}, "mobile"),
    ({"mobile": "12345"}, "mobile"),
    ({"email": "not-an-address"}, "email"),
    ({"text": "  "}, "text"),
    ({"category": "nonsense"}, "category"),
    ({"organization_id": 999999}, "organization"),
])
def test_bad_input_is_refused_with_the_field_named(db, overrides, field):
    with pytest.raises(DomainError) as refused:
        complaint_about(**overrides)
    assert refused.value.extra["field"] == field


def test_an_anonymous_complaint_keeps_no_name(db):
    complaint, _ = complaint_about(anonymous=True, name="李四", mobile="", email="")
    assert complaint.anonymous and complaint.complainant_name == "" and complaint.contact_mobile == ""


def test_the_whole_loop_forward_answer_decide_dissatisfied_reopen_once(db):
    filing = FilingFactory(with_scope=True)
    officer, member = city_officer_of(filing), member_of(filing.institution)
    complaint, code = complaint_about(filing)
    complaint = services.forward_to_organization(complaint, acting_user=officer, note="请核实收费情况。")
    complaint = services.answer_as_organization(complaint, acting_user=member, text="已补开发票。")
    assert complaint.state == ComplaintState.ORGANIZATION_ANSWERED
    complaint = services.decide_complaint(complaint, acting_user=officer, decision="partly",
                                          reason="部分属实：发票已补开。")
    assert complaint.state == ComplaintState.ANSWERED and complaint.answered_on_time is True
    complaint = services.react_to_answer(services.find_by_code(code, ip="198.51.100.2"), satisfied=False,
                                         comment="费用未退还。")
    assert complaint.state == ComplaintState.OPEN and complaint.reopened
    assert complaint.satisfaction == ComplaintSatisfaction.DISSATISFIED
    complaint = services.decide_complaint(complaint, acting_user=officer, decision="upheld", reason="已责令退费。")
    view = selectors.complainant_view(complaint)
    assert view["can_react"] and not view["can_reopen"]
    complaint = services.react_to_answer(complaint, satisfied=False, comment="仍不满意。")
    assert complaint.state == ComplaintState.CLOSED and complaint.satisfaction == ComplaintSatisfaction.DISSATISFIED
    assert actions_of(complaint) == [
        "complaint_filed", "complaint_forwarded", "complaint_organization_answered", "complaint_decided",
        "complaint_reopened", "complaint_decided", "complaint_closed"]
    with pytest.raises(DomainError) as again:
        services.react_to_answer(complaint, satisfied=True)
    assert (again.value.code, again.value.status) == ("complaint_state", 409)


def test_a_satisfied_complainant_closes_it(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing)
    complaint = services.decide_complaint(complaint, acting_user=provincial_officer(), decision="not_upheld",
                                          reason="经查收费符合公示标准。")
    complaint = services.react_to_answer(complaint, satisfied=True)
    assert (complaint.state, complaint.satisfaction) == (ComplaintState.CLOSED, ComplaintSatisfaction.SATISFIED)


def test_dissatisfaction_after_the_window_is_refused(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing, on=D(2026, 9, 30))
    with at(D(2026, 10, 9)):
        complaint = services.decide_complaint(complaint, acting_user=city_officer_of(filing), decision="upheld",
                                              reason="属实。")
    with at(D(2026, 10, 25)), pytest.raises(DomainError) as late:
        services.react_to_answer(complaint, satisfied=False)
    assert late.value.code == "complaint_reopen_closed"


def test_only_the_handler_acts_and_the_organization_only_answers_its_own(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing)
    other_city = city_officer("gd", "4403")
    with pytest.raises(NotPermitted):
        services.forward_to_organization(complaint, acting_user=other_city)
    services.forward_to_organization(complaint, acting_user=city_officer_of(filing))
    stranger = member_of(FilingFactory().institution)
    with pytest.raises(NotPermitted):
        services.answer_as_organization(complaint, acting_user=stranger, text="与我无关。")


def test_a_step_in_the_wrong_state_is_a_conflict(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing)
    with pytest.raises(DomainError) as early:
        services.answer_as_organization(complaint, acting_user=member_of(filing.institution), text="答复。")
    assert (early.value.code, early.value.status) == ("complaint_state", 409)


def test_reassignment_is_audited_with_before_and_after(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing)
    officer = provincial_officer()
    shenzhen = City.objects.get(code="4403")
    complaint = services.reassign_complaint(complaint, acting_user=officer, level="city", city=shenzhen,
                                            reason="机构实际经营地在深圳。")
    assert (complaint.level, complaint.city_id) == ("city", shenzhen.pk)
    event = AuditEvent.objects.get(action="complaint_reassigned", object_id=str(complaint.pk))
    assert event.changes["city"] == {"before": filing.city_id, "after": shenzhen.pk}
    assert event.reason == "机构实际经营地在深圳。"
    with pytest.raises(NotPermitted):
        services.reassign_complaint(complaint, acting_user=city_officer("gd", "4403"), level="province", reason="x")


def test_an_upheld_complaint_opens_a_rectification_order_through_the_bridge(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing)
    officer = city_officer_of(filing)
    with pytest.raises(DomainError) as not_upheld:
        services.decide_complaint(complaint, acting_user=officer, decision="not_upheld", reason="不属实。",
                                  open_rectification=True, rectification_days=10)
    assert not_upheld.value.extra["field"] == "open_rectification"
    complaint = services.decide_complaint(complaint, acting_user=officer, decision="upheld", reason="属实。",
                                          open_rectification=True, rectification_days=10)

    order = RectificationOrder.objects.get(pk=complaint.rectification_order_id)
    assert complaint.rectification_days == 10
    assert (order.institution_id, order.source_kind, order.source_ref, order.working_days, order.state) == (
        complaint.institution_id, "complaint", f"supervision.complaint:{complaint.pk}", 10, "open")
    assert order.findings_text == f"{complaint.category_label}：属实。"
    assert order.deadline == add_working_days(order.issued_on, 10)


def test_indicators_count_complaints_per_thousand_and_handled_on_time(db):
    feb = D(2026, 2, 10)
    plan = plan_with_results(on=feb, passed=45, failed=5)  # 50 registered in 2026Q1
    officer = city_officer_of(plan.filing)
    extra = {"organization_id": plan.institution_id, "occupation_id": plan.occupation_id}
    FilingOccupation.objects.create(filing=plan.filing, occupation=plan.occupation, levels=[3],
                                    added_on=D(2025, 1, 1), valid_until=D(2028, 1, 1))
    on_time, _ = complaint_about(plan.filing, on=D(2026, 2, 2), **extra)
    late, _ = complaint_about(plan.filing, on=D(2026, 2, 3), **extra)
    not_upheld, _ = complaint_about(plan.filing, on=D(2026, 2, 4), **extra)
    complaint_about(plan.filing, on=D(2026, 2, 5), **extra)  # still open: counted, not answered
    with at(D(2026, 2, 6)):
        services.decide_complaint(on_time, acting_user=officer, decision="upheld", reason="属实。")
        services.decide_complaint(not_upheld, acting_user=officer, decision="not_upheld", reason="不属实。")
    with at(late.legal_due_on + dt.timedelta(days=1)):
        late = services.decide_complaint(late, acting_user=officer, decision="partly", reason="部分属实。")
    assert late.answered_on_time is False
    services.refresh_indicators()
    cell = IndicatorCell.objects.get(institution=plan.institution, occupation=plan.occupation, period="2026Q1")
    assert (cell.complaints, cell.complaints_answered, cell.complaints_on_time, cell.registered) == (3, 3, 2, 50)
    values = {v.key: v for v in selectors.cell_values(cell)}
    assert (values["complaints"].display, values["complaints"].denominator) == ("60.0", 50)
    on_time_rate = values["complaints_on_time"]
    assert (on_time_rate.display, on_time_rate.denominator) == ("66.7%", 3)
    low, high = wilson_interval(2, 3)
    assert (round(on_time_rate.rate.low, 4), round(on_time_rate.rate.high, 4)) == (round(low, 4), round(high, 4))
    assert (round(low, 4), round(high, 4)) == (0.2077, 0.9385)


def test_the_indicator_sweep_reads_only_complaints_changed_since_its_last_run(db):
    plan = plan_with_results(on=D(2026, 5, 10), passed=10)
    FilingOccupation.objects.create(filing=plan.filing, occupation=plan.occupation, levels=[3],
                                    added_on=D(2025, 1, 1), valid_until=D(2028, 1, 1))
    with at(D(2026, 6, 1)):
        services.refresh_indicators()
    complaint, _ = complaint_about(plan.filing, organization_id=plan.institution_id,
                                   occupation_id=plan.occupation_id)  # 2 June
    first = services.refresh_indicators()  # 3 June
    assert (first.rows_seen["complaint"], first.cells) == (1, 2)  # its quarter and its year
    cell = IndicatorCell.objects.get(institution=plan.institution, period="2026Q2")
    assert (cell.complaints, cell.complaints_answered, cell.registered) == (1, 0, 10)
    with at(D(2026, 6, 4)):
        idle = services.refresh_indicators()
        assert (idle.rows_seen["complaint"], idle.cells) == (0, 0)
    with at(D(2026, 6, 5)):
        services.decide_complaint(complaint, acting_user=provincial_officer(), decision="not_upheld", reason="不属实。")
    with at(D(2026, 6, 6)):
        again = services.refresh_indicators()
    assert (again.rows_seen["complaint"], again.cells) == (1, 2)
    cell.refresh_from_db()
    assert (cell.complaints, cell.complaints_answered, cell.complaints_on_time) == (0, 1, 1)
