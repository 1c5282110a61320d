"""The complaint clock: working-day deadlines on the calendar (National Day 2026: 1–7 October off, Saturday 10 October
worked), a suspension in the middle that moves every deadline exactly, and the daily sweep (overdue, three times
overdue, escalation of a city's complaint past its legal deadline, the reply window) — idempotent, audited, O(due)."""

import datetime as dt

from portal.models import AuditEvent, Notification
from supervision import services
from supervision.models import Complaint, ComplaintSatisfaction, ComplaintState, HandlingLevel
from tests.factories import (
    CalendarYearFactory,
    FilingFactory,
    at,
    city_officer_of,
    complaint_about,
    provincial_officer,
)

D = dt.date


def test_five_working_days_from_the_eve_of_national_day(db):
    due = services.deadlines(D(2026, 9, 30), legal_days=5, service_days=5)
    assert due.legal == D(2026, 10, 13)


def test_a_complaint_filed_on_30_september_with_5_working_days_is_due_13_october(db):
    # "certificate" is 10 legal / 5 service working days in Guangdong's pack
    complaint, _code = complaint_about(on=D(2026, 9, 30), category="certificate")
    assert (complaint.filed_on, complaint.service_due_on, complaint.legal_due_on) == (
        D(2026, 9, 30), D(2026, 10, 13), D(2026, 10, 20))
    assert complaint.triple_due_on == D(2026, 10, 27)  # 15 working days
    assert complaint.next_sweep_on == D(2026, 10, 13)


def test_a_suspension_across_national_day_moves_each_deadline_by_the_working_days_suspended(db):
    filing = FilingFactory(with_scope=True)
    officer = city_officer_of(filing)
    complaint, code = complaint_about(filing, on=D(2026, 9, 28), category="certificate")
    # Monday 28 September: 5 working days → Sat 10 October (worked), 10 → Fri 16 October
    assert (complaint.service_due_on, complaint.legal_due_on) == (D(2026, 10, 10), D(2026, 10, 16))
    with at(D(2026, 9, 29)):
        complaint = services.request_information(complaint, acting_user=officer, text="请提供收费凭证。")
    assert complaint.state == ComplaintState.AWAITING_COMPLAINANT and complaint.next_sweep_on is None
    with at(D(2026, 10, 9)):
        found = services.find_by_code(code, ip="198.51.100.1")
        complaint = services.provide_information(found, text="凭证见附件。")
    # suspended (29 Sep, 9 Oct] = 30 Sep, 8 Oct, 9 Oct: three working days (1–7 October are the holiday)
    suspension = complaint.suspensions.get()
    assert (suspension.started_on, suspension.ended_on, suspension.working_days) == (
        D(2026, 9, 29), D(2026, 10, 9), 3)
    assert complaint.suspended_days == 3
    assert (complaint.service_due_on, complaint.legal_due_on, complaint.triple_due_on) == (
        D(2026, 10, 14), D(2026, 10, 21), D(2026, 10, 28))
    assert complaint.state == ComplaintState.OPEN and complaint.next_sweep_on == D(2026, 10, 14)
    event = AuditEvent.objects.get(action="complaint_information_provided", object_id=str(complaint.pk))
    assert event.changes["suspended_working_days"] == 3


def test_the_sweep_flags_overdue_then_three_times_overdue_and_escalates_the_city(db, django_capture_on_commit_callbacks):
    filing = FilingFactory(with_scope=True)
    city_officer = city_officer_of(filing)
    province_officer = provincial_officer()
    complaint, _code = complaint_about(filing, on=D(2026, 9, 30), category="certificate")
    assert complaint.level == HandlingLevel.CITY
    # due 13 Oct (service), 20 Oct (legal), 27 Oct (three times the service norm)
    assert services.sweep_complaints(D(2026, 10, 13)).acted == 0
    assert services.sweep_complaints(D(2026, 10, 14)).acted == 1
    complaint.refresh_from_db()
    assert complaint.overdue_at is not None and complaint.triple_overdue_at is None
    assert complaint.level == HandlingLevel.CITY and complaint.next_sweep_on == D(2026, 10, 20)
    assert services.sweep_complaints(D(2026, 10, 14)).seen == 0  # idempotent: nothing due any more

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_complaints(D(2026, 10, 21)).acted == 1
    complaint.refresh_from_db()
    assert complaint.level == HandlingLevel.PROVINCE and complaint.escalated_at is not None
    assert Notification.objects.filter(recipient=province_officer, title__contains="提级").count() == 1
    assert services.may_handle(province_officer, complaint) and not services.may_handle(city_officer, complaint)
    assert complaint.messages.filter(kind="escalated").count() == 1

    assert services.sweep_complaints(D(2026, 10, 28)).acted == 1
    complaint.refresh_from_db()
    assert complaint.triple_overdue_at is not None and complaint.next_sweep_on is None
    actions = list(AuditEvent.objects.filter(object_id=str(complaint.pk), object_type="supervision.complaint")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["complaint_filed", "complaint_overdue", "complaint_escalated", "complaint_triple_overdue"]
    assert services.sweep_complaints(D(2026, 11, 30)).seen == 0


def test_the_sweep_sees_only_due_complaints_and_never_a_suspended_one(db):
    filing = FilingFactory(with_scope=True)
    officer = city_officer_of(filing)
    due, _ = complaint_about(filing, on=D(2026, 9, 30), category="certificate")
    complaint_about(filing, on=D(2026, 10, 12), category="certificate")  # due 19 October
    paused, _ = complaint_about(filing, on=D(2026, 9, 30), category="certificate")
    with at(D(2026, 10, 8)):
        services.request_information(paused, acting_user=officer, text="请补充。")
    result = services.sweep_complaints(D(2026, 10, 14))
    assert (result.seen, result.acted) == (1, 1)
    assert Complaint.objects.get(pk=due.pk).overdue_at is not None
    assert Complaint.objects.get(pk=paused.pk).overdue_at is None


def test_a_province_routed_complaint_is_never_escalated(db):
    filing = FilingFactory(province="sd", with_scope=True)
    complaint, _ = complaint_about(filing, on=D(2026, 9, 30), category="certificate")
    assert complaint.level == HandlingLevel.PROVINCE and complaint.city_id == filing.city_id
    services.sweep_complaints(D(2026, 12, 1))
    complaint.refresh_from_db()
    assert complaint.escalated_at is None and complaint.overdue_at and complaint.triple_overdue_at


def test_an_answer_left_without_reaction_closes_when_its_window_passes(db):
    filing = FilingFactory(with_scope=True)
    complaint, _ = complaint_about(filing, on=D(2026, 9, 30))
    with at(D(2026, 10, 9)):
        complaint = services.decide_complaint(complaint, acting_user=city_officer_of(filing), decision="upheld",
                                              reason="收费未开票属实，已责令改正。")
    assert complaint.reply_window_ends_on == D(2026, 10, 24)  # 15 calendar days in Guangdong
    assert complaint.first_answered_on == D(2026, 10, 9) and complaint.answered_on_time is True
    assert services.sweep_complaints(D(2026, 10, 24)).acted == 0
    assert services.sweep_complaints(D(2026, 10, 25)).acted == 1
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED and complaint.satisfaction == ComplaintSatisfaction.NOT_STATED
    assert AuditEvent.objects.filter(action="complaint_closed", object_id=str(complaint.pk)).count() == 1


def test_deadlines_past_the_calendar_wait_for_the_next_year_and_are_never_guessed(db):
    complaint, _ = complaint_about(on=D(2026, 12, 21))  # 10 and 15 working days run into 2027, not yet entered
    assert (complaint.service_due_on, complaint.legal_due_on, complaint.triple_due_on) == (None, None, None)
    assert complaint.next_sweep_on == D(2026, 12, 31)  # the sweep comes back on the calendar's last day
    assert services.sweep_complaints(D(2027, 1, 4)).acted == 0
    complaint.refresh_from_db()
    assert complaint.legal_due_on is None and complaint.overdue_at is None
    CalendarYearFactory(year=2027, published=True, with_days=True)  # plain weekdays, for the test
    services.sweep_complaints(D(2027, 1, 4))
    complaint.refresh_from_db()
    # 22–31 December: 8 working days; the test year works 1 January: 1, 4 January (service, 10); 11 January (15)
    assert (complaint.service_due_on, complaint.legal_due_on) == (D(2027, 1, 4), D(2027, 1, 11))
    assert complaint.next_sweep_on == D(2027, 1, 4)
