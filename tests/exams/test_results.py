"""Results: the pass rule with exact scores, imports all-or-nothing, result publicity, the city's and the province's
review, returns with audited corrections, objections."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine

from certificates import rules, selectors, services
from certificates.models import Candidate, ExamPlan, OccupationExamRule, PlanState, ResultCorrection
from certificates.tasks import end_due_result_publicity
from portal import publicity
from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent, PublicityItem
from tests.factories import (
    NOW,
    SHANGHAI,
    MembershipFactory,
    city_officer_of,
    provincial_officer,
    ready_plan,
    results_csv,
    scores,
    the_member,
)

pytestmark = pytest.mark.django_db

D = Decimal
AFTER_EXAM = dt.datetime(2026, 10, 13, 9, 0, tzinfo=SHANGHAI)  # the day after the exam of 10-12
# published on 10-13: the period is 10-14 … 10-20 (five working days); the sweep of 10-21 ends it
AFTER_PUBLICITY = dt.datetime(2026, 10, 21, 0, 40, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("level", "theory", "practical", "review", "expected"),
    [
        (4, D("60"), D("60"), None, True),
        (4, D("59.9"), D("95"), None, False),
        (4, D("95"), D("59.5"), None, False),
        (4, D("100"), D("0"), None, False),
        (4, "absent", D("90"), None, False),
        (4, D("90"), None, None, None),
        (3, D("60.0"), D("88.5"), None, True),
        (2, D("60"), D("60"), D("60"), True),
        (2, D("60"), D("60"), D("59.9"), False),
        (2, D("75"), D("80"), None, None),
        (2, D("75"), D("80"), "absent", False),
        (1, D("61"), D("62"), D("63"), True),
    ],
)
def test_a_candidate_passes_when_every_required_part_reaches_60(
    level: int, theory: object, practical: object, review: object, expected: bool | None
) -> None:
    def part(value: object) -> tuple[Decimal | None, bool]:
        return (None, True) if value == "absent" else (value, False)  # type: ignore[return-value]

    scores_ = rules.Scores(level, *part(theory), *part(practical), *part(review))

    assert rules.passes(scores_) is expected


def test_an_occupation_may_set_its_own_pass_mark() -> None:
    figures = rules.figures_for(OccupationExamRule(pass_mark=D("70")))

    assert rules.passes(rules.Scores(4, D("69.9"), False, D("90"), False), figures) is False
    assert rules.passes(rules.Scores(4, D("70"), False, D("70"), False), figures) is True


@pytest.mark.parametrize(("candidates", "invigilators", "assessors"), [(1, 2, 3), (15, 2, 3), (16, 2, 5), (30, 2, 7),
                                                                       (31, 3, 7), (45, 3, 9), (46, 4, 11)])
def test_staffing_figures(candidates: int, invigilators: int, assessors: int) -> None:
    assert rules.invigilators_needed(candidates, rules.Figures()) == invigilators
    assert rules.assessors_needed(candidates, rules.Figures()) == assessors


def _filed_and_held(candidates: int = 4) -> ExamPlan:
    with time_machine.travel(NOW, tick=False):
        exam_plan = ready_plan(candidates=candidates)
        services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
        services.acknowledge_plan(exam_plan, acting_user=city_officer_of(exam_plan), note="同意")
    return exam_plan


@pytest.fixture
def held() -> Iterator[ExamPlan]:
    exam_plan = _filed_and_held()
    with time_machine.travel(AFTER_EXAM, tick=False):
        services.start_results(exam_plan, acting_user=the_member(exam_plan.institution))
        exam_plan.refresh_from_db()
        yield exam_plan


def _rows(exam_plan: ExamPlan) -> list[Candidate]:
    return list(Candidate.objects.filter(plan=exam_plan).order_by("line"))


def test_results_cannot_be_entered_before_the_exam() -> None:
    exam_plan = _filed_and_held()
    with time_machine.travel(NOW, tick=False), pytest.raises(DomainError) as refused:
        services.start_results(exam_plan, acting_user=the_member(exam_plan.institution))

    assert refused.value.code == "exam_not_held"
    assert str(refused.value) == "考核尚未结束（末场2026-10-12），考核结束后方可录入成绩。"


def test_imported_scores_decide_who_passes_and_absent_is_not_zero(held: ExamPlan) -> None:
    c = _rows(held)
    content = results_csv([
        [c[0].name, c[0].id_number, "60", "60", ""],
        [c[1].name, c[1].id_number, "59.5", "88", ""],
        [c[2].name, c[2].id_number, "缺考", "70", ""],
        [c[3].name, c[3].id_number, "100", "0", ""],
    ])

    assert services.import_results(held, acting_user=the_member(held.institution), content=content) == 4

    stored = [(x.theory_score, x.theory_absent, x.practical_score, x.passed) for x in _rows(held)]
    assert stored == [(D("60.0"), False, D("60.0"), True), (D("59.5"), False, D("88.0"), False),
                      (None, True, D("70.0"), False), (D("100.0"), False, D("0.0"), False)]
    assert selectors.results_summary(held) == {"total": 4, "passed": 1, "failed": 3, "pending": 0}


def test_a_results_file_with_a_bad_row_saves_nothing(held: ExamPlan) -> None:
    c = _rows(held)
    content = results_csv([
        [c[0].name, c[0].id_number, "75", "80", ""],
        ["李四", c[1].id_number, "75", "80", ""],
        [c[2].name, c[2].id_number, "101", "80", ""],
        [c[3].name, c[3].id_number, "75", "", ""],
        ["王五", "370102199001011234", "75", "80", ""],
    ])

    with pytest.raises(services.RowsRejected) as rejected:
        services.import_results(held, acting_user=the_member(held.institution), content=content)

    assert [(e.line, e.message) for e in rejected.value.errors] == [
        (3, f"姓名“李四”与名册中的“{c[1].name}”不一致"),
        (4, "理论成绩：成绩“101”应为0—100、最多一位小数"),
        (5, "未填写实操成绩（缺考请填“缺考”）"),
        (6, "证件号码“370102199001011234”不在本计划的考生名册中"),
    ]
    assert all(x.passed is None and x.theory_score is None for x in _rows(held))


def test_the_whole_path_from_results_to_issuable(held: ExamPlan) -> None:
    org = the_member(held.institution)
    services.import_results(held, acting_user=org, content=scores(held, "80"))
    first = _rows(held)[0]

    # publicity: passing candidates with masked numbers, five working days
    services.publish_results(held, acting_user=org)
    held.refresh_from_db()
    notice = held.publicity_notice
    assert notice is not None
    assert (held.state, notice.kind, notice.starts_on, notice.ends_on) == (
        PlanState.IN_PUBLICITY, "exam_results", dt.date(2026, 10, 14), dt.date(2026, 10, 20))
    assert notice.items.order_by("position")[0].title == f"{first.name} {first.masked_id}"
    assert first.id_number not in "".join(notice.items.values_list("title", flat=True))

    # the sweep after the last day sends the results to the city, once
    with time_machine.travel(AFTER_PUBLICITY, tick=False):
        assert end_due_result_publicity() == 1
        assert end_due_result_publicity() == 0
    held.refresh_from_db()
    assert held.state == PlanState.CITY_REVIEW

    # the city approves, then the province
    services.approve_results(held, acting_user=city_officer_of(held), note="材料齐全")
    held.refresh_from_db()
    assert held.state == PlanState.PROVINCE_REVIEW
    with pytest.raises(NotPermitted):
        services.approve_results(held, acting_user=city_officer_of(held))
    services.approve_results(held, acting_user=provincial_officer("sd"), note="同意发证")
    held.refresh_from_db()
    assert held.state == PlanState.APPROVED
    assert [c.pk for c in selectors.issuable_results(held.filing)] == [c.pk for c in _rows(held)]
    assert list(AuditEvent.objects.filter(object_id=str(held.pk), object_type="certificates.examplan").order_by(
        "pk").values_list("action", flat=True))[-4:] == [
        "exam_results_published", "exam_results_publicity_ended", "exam_results_city_approved",
        "exam_results_province_approved"]


def test_a_return_is_corrected_with_before_and_after_and_goes_back_to_who_returned(held: ExamPlan) -> None:
    org = the_member(held.institution)
    services.import_results(held, acting_user=org, content=scores(held, "80"))
    services.publish_results(held, acting_user=org)
    with time_machine.travel(AFTER_PUBLICITY, tick=False):
        end_due_result_publicity()
    held.refresh_from_db()
    services.approve_results(held, acting_user=city_officer_of(held))
    held.refresh_from_db()

    # the province returns: one candidate's practical score was mistyped
    with pytest.raises(DomainError):
        services.return_results(held, acting_user=provincial_officer("sd"), reason="")
    services.return_results(held, acting_user=provincial_officer("sd"), reason="第2行实操成绩与评分表不符")
    held.refresh_from_db()
    assert (held.state, held.returned_by) == (PlanState.RESULTS_RETURNED, "province")

    # the organization corrects it with a reason, still passing, and resubmits to the province
    second = _rows(held)[1]
    with pytest.raises(DomainError) as no_reason:
        services.enter_result(second, acting_user=org, scores=rules.Scores(4, D("80"), False, D("85"), False))
    assert no_reason.value.code == "reason_required"
    services.enter_result(second, acting_user=org, scores=rules.Scores(4, D("80"), False, D("85"), False),
                          reason="按评分表更正")
    correction = ResultCorrection.objects.get(candidate=second)
    assert correction.changes == {"practical_score": {"before": "80.0", "after": "85.0"}}
    assert correction.reason == "按评分表更正"
    services.resubmit_results(held, acting_user=org)
    held.refresh_from_db()
    assert held.state == PlanState.PROVINCE_REVIEW


def test_a_correction_that_adds_a_passing_candidate_is_published_again(held: ExamPlan) -> None:
    org = the_member(held.institution)
    c = _rows(held)
    services.import_results(held, acting_user=org, content=results_csv(
        [[x.name, x.id_number, "80", "50" if i == 0 else "80", ""] for i, x in enumerate(c)]))
    services.publish_results(held, acting_user=org)
    with time_machine.travel(AFTER_PUBLICITY, tick=False):
        end_due_result_publicity()
        held.refresh_from_db()
        services.return_results(held, acting_user=city_officer_of(held), reason="第1名考生实操成绩登记错误")
        services.enter_result(c[0], acting_user=org, scores=rules.Scores(4, D("80"), False, D("65"), False),
                              reason="复核评分表")
        services.resubmit_results(held, acting_user=org)
    held.refresh_from_db()

    assert held.state == PlanState.IN_PUBLICITY
    assert held.publicity_notice is not None
    assert held.publicity_notice.items.count() == 4


def test_an_upheld_objection_withdraws_the_candidate_and_the_organization_answers_it(held: ExamPlan) -> None:
    org = the_member(held.institution)
    services.import_results(held, acting_user=org, content=scores(held, "80"))
    services.publish_results(held, acting_user=org)
    held.refresh_from_db()
    notice = held.publicity_notice
    assert notice is not None
    target = _rows(held)[0]
    item = PublicityItem.objects.get(notice=notice, object_id=str(target.pk))
    objection = publicity.file_objection(notice, item=item, name="赵六", contact="13800000000",
                                         text="该考生未实际参加考试", ip="10.0.0.8")

    stranger = MembershipFactory(province="sd", institution_member=True).user
    with pytest.raises(NotPermitted):
        services.answer_objection(objection, acting_user=stranger, upheld=True, resolution="x")
    services.answer_objection(objection, acting_user=org, upheld=True, resolution="经核实，该考生由他人代考，取消成绩")

    target.refresh_from_db()
    assert (target.passed, target.withheld_reason) == (False, "经核实，该考生由他人代考，取消成绩")
    with time_machine.travel(AFTER_PUBLICITY, tick=False):
        assert end_due_result_publicity() == 1
    held.refresh_from_db()
    assert held.state == PlanState.CITY_REVIEW
    assert target.pk not in [c.pk for c in selectors.issuable_results(held.filing)]


def test_an_open_objection_holds_the_plan_after_the_period(held: ExamPlan) -> None:
    org = the_member(held.institution)
    services.import_results(held, acting_user=org, content=scores(held, "80"))
    services.publish_results(held, acting_user=org)
    held.refresh_from_db()
    notice = held.publicity_notice
    assert notice is not None
    objection = publicity.file_objection(notice, item=notice.items.first(), name="赵六", contact="13800000000",  # type: ignore[arg-type]
                                         text="成绩存疑", ip="10.0.0.9")

    with time_machine.travel(AFTER_PUBLICITY, tick=False):
        assert end_due_result_publicity() == 0
        held.refresh_from_db()
        assert held.state == PlanState.IN_PUBLICITY
        services.answer_objection(objection, acting_user=org, upheld=False, resolution="经核实，考生本人参加考试")
    held.refresh_from_db()
    assert held.state == PlanState.CITY_REVIEW
