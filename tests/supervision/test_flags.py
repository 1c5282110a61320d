"""Fraud flags: each pattern planted in otherwise clean data is found exactly, clean data raises nothing, a flag is
dismissed with a reason (audited), the sweep is incremental and the pages are scoped."""

import datetime as dt
from decimal import Decimal

import pytest

from certificates.models import Candidate, PlanState
from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent, Role
from supervision import services
from supervision.models import FlagKind, FlagState, FraudFlag
from tests.factories import (
    CandidateFactory,
    FilingFactory,
    MembershipFactory,
    clean_plan,
    issued,
    provincial_officer,
    session_of,
    venue_of,
)

pytestmark = pytest.mark.django_db


def _kinds() -> list[str]:
    return sorted(FraudFlag.objects.values_list("kind", flat=True))


def _clean_world() -> None:
    clean_plan()
    clean_plan(candidates=9, passed=6)


def test_clean_data_raises_nothing() -> None:
    _clean_world()
    run = services.sweep_flags()
    assert run.raised == 0
    assert _kinds() == []


def test_identical_score_vectors_in_one_session() -> None:
    _clean_world()
    plan = clean_plan()
    for _ in range(3):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"), passed=True)
    services.sweep_flags()
    assert _kinds() == [FlagKind.DUPLICATE_SCORES]
    flag = FraudFlag.objects.get()
    assert flag.plan_id == plan.pk
    assert len(flag.evidence) == 3
    assert "88.0/90.0/—" in flag.summary


def test_two_identical_vectors_stay_under_the_pack_minimum() -> None:
    plan = clean_plan()
    for _ in range(2):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"), passed=True)
    services.sweep_flags()
    assert _kinds() == []


def test_one_person_in_two_overlapping_sessions_at_different_venues() -> None:
    _clean_world()
    first, second = clean_plan(start=9), clean_plan(start=8)
    person = first.candidates.order_by("line").first()
    assert person is not None
    CandidateFactory(plan=second, id_number=person.id_number, name=person.name, theory_score=Decimal("71.5"),
                     practical_score=Decimal("66"))
    services.sweep_flags()
    assert _kinds() == [FlagKind.OVERLAPPING_SESSIONS]


def test_more_candidates_than_the_venue_holds() -> None:
    _clean_world()
    plan = clean_plan(candidates=0)
    plan.sessions.all().delete()
    venue = venue_of(plan, "二号考点")
    session_of(plan, venue, capacity=5)
    session_of(plan, venue, kind="practical", start=13, end=15, capacity=10)
    for i in range(6):
        CandidateFactory(plan=plan, theory_score=Decimal(60 + i), practical_score=Decimal(70 + i))
    services.sweep_flags()
    assert _kinds() == [FlagKind.OVER_CAPACITY]
    assert "6名考生" in FraudFlag.objects.get().summary


def test_a_pass_rate_beyond_the_998_limit_of_the_provincial_norm() -> None:
    for _ in range(3):
        clean_plan(candidates=20, passed=10)
    outlier = clean_plan(candidates=20, passed=20)
    services.sweep_flags()
    assert _kinds() == [FlagKind.PASS_RATE_OUTLIER]
    flag = FraudFlag.objects.get()
    assert flag.plan_id == outlier.pk
    # p0 = 50/80 = 0.625; n = 20: 0.625 + 3.09·√(0.625·0.375/20) = 0.9595 → "96.0%"
    assert "高于全省同职业62.5%的99.8%控制限96.0%" in flag.summary


def test_certificates_issued_for_results_without_an_approved_plan() -> None:
    _clean_world()
    filing = FilingFactory()
    plan = clean_plan(filing, candidates=3, passed=3)
    issued(filing, plan=plan)
    type(plan).objects.filter(pk=plan.pk).update(state=PlanState.RESULTS_RETURNED)
    services.sweep_flags()
    assert _kinds() == [FlagKind.CERTIFICATE_WITHOUT_PLAN]
    assert len(FraudFlag.objects.get().evidence) == 3


def test_many_candidates_sharing_one_mobile_number() -> None:
    _clean_world()
    plans = [clean_plan(), clean_plan()]
    for n, plan in enumerate([*plans, plans[0]]):
        CandidateFactory(plan=plan, phone="13900000000", theory_score=Decimal(50 + n), practical_score=Decimal(80 + n))
    services.sweep_flags()
    assert _kinds() == [FlagKind.SHARED_MOBILE]


def test_the_sweep_reads_only_new_rows_and_never_raises_a_pattern_twice() -> None:
    plan = clean_plan()
    for _ in range(3):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    assert services.sweep_flags().raised == 1
    again = services.sweep_flags()
    assert again.raised == 0 and again.marks == {"candidate": Candidate.objects.order_by("-pk").first().pk,
                                                 "certificate": 0}
    CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    assert services.sweep_flags().raised == 0  # same pattern, same key
    assert FraudFlag.objects.count() == 1


def test_a_flag_is_assigned_to_a_supervisor_and_dismissed_with_a_reason() -> None:
    plan = clean_plan()
    supervisor = MembershipFactory(province=plan.province, role=Role.QUALITY_SUPERVISOR).user
    for _ in range(3):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    services.sweep_flags()
    flag = FraudFlag.objects.get()
    assert flag.assigned_to == supervisor
    with pytest.raises(DomainError) as blank:
        services.dismiss_flag(flag, acting_user=supervisor, reason="  ")
    assert blank.value.code == "reason_required"
    with pytest.raises(NotPermitted):
        services.dismiss_flag(flag, acting_user=MembershipFactory(province=plan.province,
                                                                  role=Role.CITY_OFFICER, city=plan.city).user,
                              reason="x")
    services.dismiss_flag(flag, acting_user=supervisor, reason="复核原始答卷，三人成绩确为巧合")
    flag.refresh_from_db()
    assert flag.state == FlagState.DISMISSED and flag.dismissed_by == supervisor
    event = AuditEvent.objects.get(action="fraud_flag_dismissed")
    assert event.reason == "复核原始答卷，三人成绩确为巧合"
    with pytest.raises(DomainError) as closed:
        services.dismiss_flag(flag, acting_user=provincial_officer(plan.province), reason="again")
    assert closed.value.code == "flag_closed" and closed.value.status == 409


def test_flag_pages_are_scoped_to_the_province_and_the_city(client) -> None:  # type: ignore[no-untyped-def]
    plan = clean_plan()
    for _ in range(3):
        CandidateFactory(plan=plan, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    services.sweep_flags()
    flag = FraudFlag.objects.get()
    officer = provincial_officer(plan.province)
    client.force_login(officer)
    page = client.get(f"/{plan.province.slug}/supervision/flags/{flag.pk}/")
    assert page.status_code == 200 and "88.0 / 90.0" in page.content.decode()
    listing = client.get(f"/{plan.province.slug}/supervision/flags/?state=open")
    assert flag.summary in listing.content.decode()
    export = client.get(f"/{plan.province.slug}/supervision/flags/?state=open&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    # another province's officer, and another city's officer, get a 404
    client.force_login(provincial_officer("sd"))
    assert client.get(f"/sd/supervision/flags/{flag.pk}/").status_code == 404
    other_city = plan.province.cities.exclude(pk=plan.city_id).first()
    client.force_login(MembershipFactory(province=plan.province, role=Role.CITY_OFFICER, city=other_city).user)
    assert client.get(f"/{plan.province.slug}/supervision/flags/{flag.pk}/").status_code == 404
    client.force_login(officer)
    done = client.post(f"/{plan.province.slug}/supervision/flags/{flag.pk}/", {"reason": "已核实"})
    assert done.status_code == 302
    flag.refresh_from_db()
    assert flag.state == FlagState.DISMISSED


def test_overlap_needs_different_venues_and_overlapping_times() -> None:
    first, second = clean_plan(start=9), clean_plan(start=11)  # 9–11 and 11–13: touching, not overlapping
    person = first.candidates.order_by("line").first()
    assert person is not None
    CandidateFactory(plan=second, id_number=person.id_number, theory_score=Decimal("71.5"),
                     practical_score=Decimal("66"))
    services.sweep_flags()
    assert _kinds() == []
    assert dt.time(11) == second.sessions.order_by("start_time").first().start_time
