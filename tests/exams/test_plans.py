"""Exam plans: filed ahead in working days, inside an active filing's scope, with the staff the ratios need."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from certificates import services
from certificates.models import ExamPlan, ExamPlanVersion, PlanState, SessionKind, StaffDuty
from filings import services as filing_services
from portal.errors import ConflictError, DomainError, NotPermitted
from portal.models import AuditEvent
from tests.factories import (
    FIVE_WORKING_DAYS,
    FOUR_WORKING_DAYS,
    NOW,
    SIX_WORKING_DAYS,
    MembershipFactory,
    OccupationFactory,
    city_officer_of,
    plan,
    provincial_officer,
    ready_plan,
    session,
    shandong_filing,
    staff,
    the_member,
    venue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_national_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _problems(exam_plan: ExamPlan) -> list[str]:
    return [p.message for p in services.plan_problems(exam_plan)]


def test_a_plan_six_working_days_ahead_across_the_holiday_is_filed_as_version_one() -> None:
    # given a complete Shandong plan whose first session is on 2026-10-12, six working days after 09-28
    exam_plan = ready_plan(candidates=10, date=SIX_WORKING_DAYS)

    # when the organization files it
    filed = services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))

    # then it waits for the city, as version 1 with its snapshot, and the filing is audited
    assert filed.state == PlanState.FILED
    assert filed.version == 1
    version = ExamPlanVersion.objects.get(plan=filed)
    assert version.snapshot["roster"]["count"] == 10
    assert [s["date"] for s in version.snapshot["sessions"]] == ["2026-10-12", "2026-10-12"]
    event = AuditEvent.objects.get(object_id=str(filed.pk), action="exam_plan_filed")
    assert (event.from_state, event.to_state) == ("draft", "filed")
    assert event.changes["first_session_on"] == {"before": None, "after": "2026-10-12"}


def test_the_earliest_allowed_date_counts_working_days_on_the_real_calendar() -> None:
    filing = shandong_filing()

    assert services.earliest_allowed_date(filing.province, NOW.date()) == FIVE_WORKING_DAYS == dt.date(2026, 10, 10)


def test_a_plan_four_working_days_ahead_is_refused_with_the_earliest_allowed_date() -> None:
    exam_plan = ready_plan(candidates=10, date=FOUR_WORKING_DAYS)

    with pytest.raises(services.PlanRefused) as refused:
        services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))

    assert refused.value.code == "lead_time"
    assert refused.value.problems == [
        "考核计划须在首场考核前至少5个工作日报备：今天报备，首场最早可安排在2026-10-10，当前首场为2026-10-09"
    ]
    exam_plan.refresh_from_db()
    assert exam_plan.state == PlanState.DRAFT


def test_guangdong_needs_ten_working_days() -> None:
    from tests.factories import direct_filing

    filing = direct_filing("gd")

    # 10 working days after Monday 09-28: 09-29, 09-30, 10-08, 10-09, 10-10, 10-12 … 10-16
    assert services.earliest_allowed_date(filing.province, NOW.date()) == dt.date(2026, 10, 16)


def test_an_occupation_outside_the_filing_is_refused() -> None:
    filing = shandong_filing()
    other = OccupationFactory(name="茶艺师")

    with pytest.raises(DomainError) as refused:
        services.create_plan(filing, acting_user=the_member(filing.institution), occupation=other, levels=[4])

    assert refused.value.code == "out_of_scope"
    assert str(refused.value) == "茶艺师不在本机构的备案职业范围内。"


def test_a_level_outside_the_filing_is_refused() -> None:
    filing = shandong_filing(levels=(5, 4))
    occupation = filing.occupations.get().occupation

    with pytest.raises(DomainError) as refused:
        services.create_plan(filing, acting_user=the_member(filing.institution), occupation=occupation, levels=[4, 3])

    assert refused.value.code == "out_of_scope"
    assert str(refused.value) == f"{occupation.name}的备案等级为五级/初级工、四级/中级工，不含三级/高级工。"


def test_two_assessors_for_ten_practical_candidates_are_refused_with_what_is_short() -> None:
    # given a plan whose practical session has only 2 assessors for 10 candidates
    exam_plan = ready_plan(candidates=10)
    practical = exam_plan.sessions.get(kind=SessionKind.PRACTICAL)
    filing = exam_plan.filing
    two = staff(filing, StaffDuty.ASSESSOR, 2, start=50)
    supervisor = list(filing.institution.exam_staff.filter(duty=StaffDuty.SUPERVISOR))
    services.assign_staff(practical, acting_user=the_member(filing.institution), staff=two + supervisor)

    with pytest.raises(services.PlanRefused) as refused:
        services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))

    assert refused.value.code == "understaffed"
    assert refused.value.problems == ["2026-10-12 13:00 实训1：实操考核10名考生至少需要3名考评员且为奇数，当前2名"]


def test_an_even_number_of_assessors_is_short_even_when_enough() -> None:
    exam_plan = ready_plan(candidates=10)
    practical = exam_plan.sessions.get(kind=SessionKind.PRACTICAL)
    four = staff(exam_plan.filing, StaffDuty.ASSESSOR, 4, start=60)
    services.assign_staff(practical, acting_user=the_member(exam_plan.institution), staff=four)

    assert "2026-10-12 13:00 实训1：实操考核10名考生至少需要3名考评员且为奇数，当前4名" in _problems(exam_plan)


def test_theory_needs_two_invigilators_per_room_and_one_per_fifteen() -> None:
    exam_plan = ready_plan(candidates=31)
    theory = exam_plan.sessions.get(kind=SessionKind.THEORY)
    two = list(exam_plan.institution.exam_staff.filter(duty=StaffDuty.INVIGILATOR))[:2]
    services.assign_staff(theory, acting_user=the_member(exam_plan.institution), staff=two)

    assert "2026-10-12 09:00 101：理论考试31名考生至少需要3名监考员，当前2名" in _problems(exam_plan)


def test_an_assessor_must_be_qualified_for_the_occupation_and_level() -> None:
    exam_plan = ready_plan(candidates=5)
    practical = exam_plan.sessions.get(kind=SessionKind.PRACTICAL)
    unqualified = staff(exam_plan.filing, StaffDuty.ASSESSOR, 3, start=70, levels=(5,))
    services.assign_staff(practical, acting_user=the_member(exam_plan.institution), staff=unqualified)

    name = exam_plan.occupation.name
    assert _problems(exam_plan) == [
        f"2026-10-12 13:00 实训1：考评员考评70不具备{name}四级/中级工的考评资格",
        f"2026-10-12 13:00 实训1：考评员考评71不具备{name}四级/中级工的考评资格",
        f"2026-10-12 13:00 实训1：考评员考评72不具备{name}四级/中级工的考评资格",
    ]


def test_one_person_is_never_in_two_rooms_at_once() -> None:
    exam_plan = ready_plan(candidates=10)
    place = exam_plan.sessions.first().venue  # type: ignore[union-attr]
    second = session(exam_plan, SessionKind.THEORY, SIX_WORKING_DAYS, place=place, start="10:00", end="12:00",
                     room="102", capacity=10)
    invigilators = list(exam_plan.institution.exam_staff.filter(duty=StaffDuty.INVIGILATOR))
    services.assign_staff(second, acting_user=the_member(exam_plan.institution), staff=invigilators)

    problems = _problems(exam_plan)
    assert "监考0不能同时在两个考场：2026-10-12 09:00 101与2026-10-12 10:00 102时间重叠" in problems
    assert "监考1不能同时在两个考场：2026-10-12 09:00 101与2026-10-12 10:00 102时间重叠" in problems


def test_a_suspended_filing_cannot_file_plans() -> None:
    exam_plan = ready_plan(candidates=10)
    filing_services.suspend_filing(exam_plan.filing, acting_user=provincial_officer("sd"), reason="督导检查发现问题")

    with pytest.raises(services.PlanRefused) as refused:
        services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))

    assert refused.value.code == "filing_not_active"
    assert refused.value.problems == ["备案状态为“暂停”，只有有效备案的机构可以报备考核计划。"]


def test_a_plan_in_a_year_the_calendar_does_not_cover_is_refused() -> None:
    exam_plan = ready_plan(candidates=10, date=dt.date(2027, 3, 15))

    with pytest.raises(services.PlanRefused) as refused:
        services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))

    assert refused.value.code == "calendar_year_missing"
    assert refused.value.problems == [
        "考核日期所在年度的工作日历尚未录入：2027年的工作日历尚未录入，请省级管理员先录入该年度的节假日和调休安排。"
    ]


def test_a_second_acknowledgement_finds_the_plan_moved_and_changes_nothing() -> None:
    exam_plan = ready_plan(candidates=10)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    exam_plan.refresh_from_db()
    stale = ExamPlan.objects.get(pk=exam_plan.pk)
    officer = city_officer_of(exam_plan)

    services.acknowledge_plan(exam_plan, acting_user=officer, note="同意")
    with pytest.raises(ConflictError):
        services.request_plan_changes(stale, acting_user=provincial_officer("sd"), note="请补充督导员")

    exam_plan.refresh_from_db()
    assert exam_plan.state == PlanState.ACKNOWLEDGED
    assert exam_plan.officer_note == "同意"


def test_an_officer_of_another_city_may_not_act_on_the_plan() -> None:
    exam_plan = ready_plan(candidates=10)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    qingdao = MembershipFactory(province="sd", role="city_officer",
                                city=exam_plan.province.cities.get(code="3702")).user

    with pytest.raises(NotPermitted):
        services.acknowledge_plan(exam_plan, acting_user=qingdao)


def test_a_change_of_date_is_versioned_and_again_respects_the_lead_time() -> None:
    # given a filed plan, opened for a change
    exam_plan = ready_plan(candidates=10)
    user = the_member(exam_plan.institution)
    services.file_plan(exam_plan, acting_user=user)
    services.start_amendment(exam_plan, acting_user=user)
    exam_plan.refresh_from_db()

    # when the practical session moves to 10-09 (four working days away)
    practical = exam_plan.sessions.get(kind=SessionKind.PRACTICAL)
    place = practical.venue
    services.remove_session(practical, acting_user=user)
    moved = session(exam_plan, SessionKind.PRACTICAL, FOUR_WORKING_DAYS, place=place, start="13:00", end="17:00",
                    room="实训1", capacity=10)
    services.assign_staff(moved, acting_user=user, staff=list(
        exam_plan.institution.exam_staff.filter(duty__in=[StaffDuty.ASSESSOR, StaffDuty.SUPERVISOR])))

    # then the change is refused for that session
    with pytest.raises(services.PlanRefused) as refused:
        services.file_plan(exam_plan, acting_user=user, reason="实操改期")
    assert refused.value.problems == ["变更后的场次：考核计划须在首场考核前至少5个工作日报备：今天报备，首场最早可安排在"
                                      "2026-10-10，当前首场为2026-10-09"]

    # and moved to 10-13 it is filed as version 2, with the sessions' before and after in the audit
    services.remove_session(moved, acting_user=user)
    later = session(exam_plan, SessionKind.PRACTICAL, dt.date(2026, 10, 13), place=place, start="13:00",
                    end="17:00", room="实训1", capacity=10)
    services.assign_staff(later, acting_user=user, staff=list(
        exam_plan.institution.exam_staff.filter(duty__in=[StaffDuty.ASSESSOR, StaffDuty.SUPERVISOR])))
    filed = services.file_plan(exam_plan, acting_user=user, reason="实操改期")
    assert (filed.state, filed.version) == (PlanState.FILED, 2)
    event = AuditEvent.objects.get(object_id=str(filed.pk), action="exam_plan_changed")
    assert [s["date"] for s in event.changes["sessions"]["before"]] == ["2026-10-12", "2026-10-12"]
    assert [s["date"] for s in event.changes["sessions"]["after"]] == ["2026-10-12", "2026-10-13"]
    assert event.reason == "实操改期"


def test_a_plan_is_edited_only_by_its_organization_and_only_while_editable() -> None:
    exam_plan = ready_plan(candidates=10)
    stranger = MembershipFactory(province="sd", institution_member=True).user
    with pytest.raises(NotPermitted):
        services.update_plan(exam_plan, acting_user=stranger, title="x", levels=[4], evaluation_process="x")

    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    with pytest.raises(DomainError) as refused:
        services.add_session(exam_plan, acting_user=the_member(exam_plan.institution), kind=SessionKind.THEORY,
                             date=SIX_WORKING_DAYS, start_time=dt.time(14), end_time=dt.time(15),
                             venue=venue(exam_plan.filing, "另一场所"), room="201", capacity=10)
    assert refused.value.code == "plan_not_editable"


def test_a_draft_whose_lead_time_ran_out_lapses_in_the_sweep() -> None:
    from certificates.tasks import lapse_due_plans

    filing = shandong_filing()
    late = plan(filing)
    session(late, SessionKind.THEORY, FOUR_WORKING_DAYS, place=venue(filing))
    in_time = plan(filing)
    session(in_time, SessionKind.THEORY, SIX_WORKING_DAYS, place=venue(filing, "二号场所"))

    assert lapse_due_plans(NOW.date()) == 1
    assert lapse_due_plans(NOW.date()) == 0  # idempotent
    late.refresh_from_db()
    in_time.refresh_from_db()
    assert (late.state, in_time.state) == (PlanState.LAPSED, PlanState.DRAFT)
