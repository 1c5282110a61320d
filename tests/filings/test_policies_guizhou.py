"""Guizhou pack: each selection and renewal rule passes on a compliant application and fails when one declaration
changes; routes, settings, exit periods."""

from dataclasses import replace
from typing import Any

import pytest

from filings.policies import blocking, evaluate, evaluate_renewal, get_pack
from filings.policies.base import ApplicationFacts, OccupationChoice, Verdict

PACK = get_pack("guizhou")

CHILDCARE = OccupationChoice("4-10-01-03", "保育师", (5, 4, 3))
CHEF = OccupationChoice("4-03-02-01", "中式烹调师", (5, 4, 3))
WELDER = OccupationChoice("6-18-02-04", "焊工", (5, 4, 3), is_access_type=True)
MANAGER = OccupationChoice("1-06-01-02", "企业经理", (3,), is_skill_type=False, has_national_standard=False)
DRAFTER = OccupationChoice("3-01-02-07", "制图员", (5, 4), has_national_standard=False)

SEVEN_RULES = {
    key: True
    for key in (
        "rules_exam_affairs", "rules_personnel", "rules_finance", "rules_archives", "rules_question_bank",
        "rules_certificates", "rules_discipline",
    )
}
ROOMS = {"has_exam_affairs_room": True, "has_confidential_room": True, "has_archive_room": True}
NOT_EXEMPT_UNIT = {"is_school": False, "is_public_training_base": False, "is_research_institute": False}
BASE_FACTS: dict[str, Any] = {
    "venue_meets_national_standard": True,
    "venue_meets_safety_rules": True,
    "is_government_affiliated": False,
    "has_violation_record": False,
    "failed_annual_inspection_3y": False,
    "on_illegal_org_list": False,
    "abnormal_operation_3y": False,
    "under_unfinished_rectification": False,
}
CATEGORY_FACTS: dict[str, dict[str, Any]] = {
    "employer": {
        **NOT_EXEMPT_UNIT,
        "is_qualifying_employer": True,
        "level_linked_to_pay": True,
        "has_talent_rules": True,
        "has_implementation_plan": True,
    },
    "school": {
        **ROOMS,
        "school_training_level": 3,
        "evaluates_own_students_only": True,
        "dedicated_unit": True,
        "has_stable_funding": True,
        "full_time_staff": 4,
    },
    "social_organization": {
        **NOT_EXEMPT_UNIT,
        **SEVEN_RULES,
        **ROOMS,
        "has_waiting_room": True,
        "local_feature_enterprise": False,
        "full_time_staff": 5,
        "internal_supervisors": 3,
        "has_expert_team": True,
        "is_venue_leased": True,
        "lease_years": 5,
        "office_area_m2": 120,
        "has_office_equipment": True,
        "theory_rooms": 2,
        "computer_seats": 0,
        "single_desk": True,
        "desk_spacing_cm": 80,
        "has_exam_room_surveillance": True,
        "has_full_practical_video_coverage": True,
    },
}
OCCUPATION_FACTS: dict[str, dict[str, Any]] = {
    "employer": {"matches_main_business": True, "has_skill_post": True},
    "school": {"matches_school_major": True},
    "social_organization": {
        "matches_main_business": True, "training_years": 3, "trainees": 1500, "assessors": 5, "is_new_occupation": False,
    },
}
NATURES = {"employer": "enterprise", "school": "public_institution", "social_organization": "private_non_enterprise"}
RENEWAL_TOTALS = {"employer": 160, "school": 320, "social_organization": 650}
CATEGORIES = [c.key for c in PACK.categories]


def compliant(category: str = "social_organization", **overrides: Any) -> ApplicationFacts:
    """A fully compliant application of `category`, every checklist item uploaded."""
    occupations = overrides.pop("occupations", (CHILDCARE, CHEF))
    app = ApplicationFacts(
        category=category,
        nature=NATURES[category],
        level="city",
        registered_province_code="52",
        facts={**BASE_FACTS, **CATEGORY_FACTS[category]},
        occupation_facts={o.code: dict(OCCUPATION_FACTS[category]) for o in occupations},
        documents=frozenset(item.key for item in PACK.checklist_for(category)),
        occupations=occupations,
    )
    return replace(app, **overrides) if overrides else app


def renewal(category: str = "social_organization") -> ApplicationFacts:
    """A renewal that meets every renewal condition of `category`."""
    facts: dict[str, Any] = {"in_good_standing": True, "certificates_issued_total": RENEWAL_TOTALS[category]}
    if category == "employer":
        facts["certificates_linked_to_pay"] = True
    if category == "social_organization":
        facts["core_conditions_still_met"] = True
    return ApplicationFacts(
        category=category,
        nature=NATURES[category],
        level="city",
        registered_province_code="52",
        facts=facts,
        occupation_facts={o.code: {"certificates_issued": 120} for o in (CHILDCARE, CHEF)},
        documents=frozenset(item.key for item in PACK.renewal_checklist_for(category)),
        occupations=(CHILDCARE, CHEF),
    )


def changed(app: ApplicationFacts, **facts: Any) -> ApplicationFacts:
    return replace(app, facts={**app.facts, **facts})


def changed_occupation(app: ApplicationFacts, code: str, **facts: Any) -> ApplicationFacts:
    return replace(app, occupation_facts={**app.occupation_facts, code: {**app.occupation_facts[code], **facts}})


def without_docs(app: ApplicationFacts, *keys: str) -> ApplicationFacts:
    return replace(app, documents=app.documents - set(keys))


def outcome(rule_id: str, app: ApplicationFacts) -> tuple[Verdict, str]:
    return PACK.rule(rule_id).check(app)


# --- the whole pack ---


@pytest.mark.parametrize("category", CATEGORIES)
def test_compliant_application_passes_every_rule(category: str) -> None:
    results = evaluate(PACK, compliant(category))

    assert blocking(results) == []
    assert [(r.rule_id, r.reason) for r in results if r.verdict != Verdict.PASS] == []


@pytest.mark.parametrize("category", CATEGORIES)
def test_compliant_renewal_passes_every_renewal_rule(category: str) -> None:
    results = evaluate_renewal(PACK, renewal(category))

    assert results
    assert [(r.rule_id, r.reason) for r in results if r.verdict != Verdict.PASS] == []


def test_category_keys() -> None:
    assert CATEGORIES == ["employer", "school", "social_organization"]
    assert PACK.province_code == "52"


def test_settings() -> None:
    s = PACK.settings
    assert s.has_renewal is True
    assert (s.voluntary_exit_notice_days, s.exit_wrap_up_days) == (30, 15)
    assert s.exam_plan_lead_working_days == 10
    assert s.has_cultivation is False


def test_integrity_pledge() -> None:
    assert "申报材料真实" in PACK.integrity_pledge
    assert "第七条" in PACK.integrity_pledge


def test_renewal_rules_are_not_part_of_the_selection_precheck() -> None:
    assert not any(r.rule_id.startswith("gz.renewal.") for r in evaluate(PACK, compliant()))


# --- routes ---


def test_route_city_by_default() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant(level="city"), True).key == "city"
    assert PACK.route(compliant(level="province"), False).key == "city"


def test_route_province_level_may_choose_province() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant(level="province"), True).key == "province"
    assert PACK.route(compliant(level="central"), True).key == "province"


# --- one pass and one fail per rule ---


def test_gz_registered_in_province_passes() -> None:
    assert outcome("gz.registered_in_province", compliant())[0] == Verdict.PASS


def test_gz_registered_in_province_fails() -> None:
    verdict, reason = outcome("gz.registered_in_province", compliant(registered_province_code="53"))
    assert verdict == Verdict.FAIL
    assert "贵州省（52）" in reason


def test_gz_skill_type_passes() -> None:
    assert outcome("gz.skill_type", compliant())[0] == Verdict.PASS


def test_gz_skill_type_fails() -> None:
    verdict, reason = outcome("gz.skill_type", compliant(occupations=(CHILDCARE, MANAGER)))
    assert verdict == Verdict.FAIL
    assert "企业经理（1-06-01-02）不是技能类职业" in reason


def test_gz_access_type_excluded_passes() -> None:
    assert outcome("gz.access_type_excluded", compliant())[0] == Verdict.PASS


def test_gz_access_type_excluded_fails() -> None:
    verdict, reason = outcome("gz.access_type_excluded", compliant(occupations=(WELDER,)))
    assert verdict == Verdict.FAIL
    assert "焊工（6-18-02-04）为准入类职业资格职业" in reason


def test_gz_standard_or_norm_passes() -> None:
    assert outcome("gz.standard_or_norm", compliant())[0] == Verdict.PASS


def test_gz_standard_or_norm_fails() -> None:
    verdict, reason = outcome("gz.standard_or_norm", compliant(occupations=(DRAFTER,)))
    assert verdict == Verdict.FAIL
    assert "制图员" in reason


def test_gz_venue_standard_passes() -> None:
    assert outcome("gz.venue_standard", compliant("employer"))[0] == Verdict.PASS


def test_gz_venue_standard_fails() -> None:
    verdict, reason = outcome("gz.venue_standard", changed(compliant("employer"), venue_meets_national_standard=False))
    assert verdict == Verdict.FAIL
    assert "国家职业标准" in reason


def test_gz_venue_safety_passes() -> None:
    assert outcome("gz.venue_safety", compliant("school"))[0] == Verdict.PASS


def test_gz_venue_safety_fails() -> None:
    verdict, reason = outcome("gz.venue_safety", changed(compliant("school"), venue_meets_safety_rules=False))
    assert verdict == Verdict.FAIL
    assert "消防安全" in reason


def test_gz_employer_type_passes() -> None:
    assert outcome("gz.employer_type", compliant("employer"))[0] == Verdict.PASS


def test_gz_employer_type_fails() -> None:
    verdict, reason = outcome("gz.employer_type", changed(compliant("employer"), is_qualifying_employer=False))
    assert verdict == Verdict.FAIL
    assert "专精特新" in reason


def test_gz_pay_link_passes() -> None:
    assert outcome("gz.pay_link", compliant("employer"))[0] == Verdict.PASS


def test_gz_pay_link_fails() -> None:
    verdict, reason = outcome("gz.pay_link", changed(compliant("employer"), level_linked_to_pay=False))
    assert verdict == Verdict.FAIL
    assert "工资待遇" in reason


def test_gz_occupation_matches_business_passes() -> None:
    assert outcome("gz.occupation_matches_business", compliant("employer"))[0] == Verdict.PASS


def test_gz_occupation_matches_business_fails() -> None:
    app = changed_occupation(compliant("employer"), CHEF.code, has_skill_post=False)
    verdict, reason = outcome("gz.occupation_matches_business", app)
    assert verdict == Verdict.FAIL
    assert reason == "中式烹调师（4-03-02-01）不符合：在岗位设置中有明确对应的技能岗位。"


def test_gz_employer_rules_passes() -> None:
    assert outcome("gz.employer_rules", compliant("employer"))[0] == Verdict.PASS


def test_gz_employer_rules_fails() -> None:
    verdict, reason = outcome("gz.employer_rules", changed(compliant("employer"), has_implementation_plan=False))
    assert verdict == Verdict.FAIL
    assert "实施方案" in reason


def test_gz_school_major_match_passes() -> None:
    assert outcome("gz.school_major_match", compliant("school"))[0] == Verdict.PASS


def test_gz_school_major_match_fails() -> None:
    app = changed_occupation(compliant("school"), CHILDCARE.code, matches_school_major=False)
    verdict, reason = outcome("gz.school_major_match", app)
    assert verdict == Verdict.FAIL
    assert reason == "保育师（4-10-01-03）不符合：与本校开设专业相匹配。"


def test_gz_school_level_passes() -> None:
    assert outcome("gz.school_level", compliant("school"))[0] == Verdict.PASS


def test_gz_school_level_fails() -> None:
    verdict, reason = outcome("gz.school_level", changed(compliant("school"), school_training_level=4))
    assert verdict == Verdict.FAIL
    assert "高于学校办学层次四级/中级工" in reason


def test_gz_school_candidates_passes() -> None:
    assert outcome("gz.school_candidates", compliant("school"))[0] == Verdict.PASS


def test_gz_school_candidates_fails() -> None:
    verdict, reason = outcome("gz.school_candidates", changed(compliant("school"), evaluates_own_students_only=False))
    assert verdict == Verdict.FAIL
    assert "全日制在校学生" in reason


def test_gz_dedicated_unit_passes() -> None:
    verdict, reason = outcome("gz.dedicated_unit", compliant("school"))
    assert verdict == Verdict.PASS
    assert "专职人员4人" in reason


def test_gz_dedicated_unit_fails() -> None:
    verdict, reason = outcome("gz.dedicated_unit", changed(compliant("school"), full_time_staff=0))
    assert verdict == Verdict.FAIL
    assert "未配备专职人员" in reason
    verdict, _ = outcome("gz.dedicated_unit", changed(compliant("school"), dedicated_unit=False))
    assert verdict == Verdict.FAIL


def test_gz_stable_funding_passes() -> None:
    assert outcome("gz.stable_funding", compliant("school"))[0] == Verdict.PASS


def test_gz_stable_funding_fails() -> None:
    verdict, reason = outcome("gz.stable_funding", changed(compliant("school"), has_stable_funding=False))
    assert verdict == Verdict.FAIL
    assert "经费保障" in reason


def test_gz_functional_rooms_passes() -> None:
    verdict, reason = outcome("gz.functional_rooms", compliant("school"))
    assert verdict == Verdict.PASS
    assert "候考室" not in reason  # a school needs no waiting room
    verdict, reason = outcome("gz.functional_rooms", compliant("social_organization"))
    assert verdict == Verdict.PASS
    assert "候考室" in reason


def test_gz_functional_rooms_fails() -> None:
    verdict, reason = outcome("gz.functional_rooms", changed(compliant(), has_waiting_room=False, has_archive_room=False))
    assert verdict == Verdict.FAIL
    assert reason == "办公场地缺少功能区域：档案室、候考室。"


def test_gz_occupation_related_passes() -> None:
    assert outcome("gz.occupation_related", compliant())[0] == Verdict.PASS


def test_gz_occupation_related_fails() -> None:
    app = changed_occupation(compliant(), CHEF.code, matches_main_business=False)
    verdict, reason = outcome("gz.occupation_related", app)
    assert verdict == Verdict.FAIL
    assert reason.startswith("中式烹调师（4-03-02-01）不符合")


def test_gz_training_history_passes() -> None:
    verdict, reason = outcome("gz.training_history", compliant())
    assert verdict == Verdict.PASS
    assert "保育师（4-10-01-03）连续3年、培训1500人次" in reason


def test_gz_training_history_fails() -> None:
    app = changed_occupation(compliant(), CHEF.code, training_years=1, trainees=800)
    verdict, reason = outcome("gz.training_history", app)
    assert verdict == Verdict.FAIL
    assert reason == (
        "中式烹调师（4-03-02-01）连续培训或考核经历1年，少于要求的2年，培训规模800人次，少于要求的1000人次。"
    )


def test_gz_training_history_new_occupation_has_no_year_limit_and_needs_200() -> None:
    app = changed_occupation(compliant(), CHEF.code, is_new_occupation=True, training_years=0, trainees=200)
    assert outcome("gz.training_history", app)[0] == Verdict.PASS
    app = changed_occupation(compliant(), CHEF.code, is_new_occupation=True, training_years=0, trainees=199)
    verdict, reason = outcome("gz.training_history", app)
    assert verdict == Verdict.FAIL
    assert "少于要求的200人次" in reason


def test_gz_training_history_local_feature_enterprise_needs_200() -> None:
    app = changed(compliant(), local_feature_enterprise=True)
    app = changed_occupation(app, CHILDCARE.code, training_years=None, trainees=300)
    assert outcome("gz.training_history", app)[0] == Verdict.PASS


def test_gz_management_rules_passes() -> None:
    assert outcome("gz.management_rules", compliant())[0] == Verdict.PASS


def test_gz_management_rules_fails() -> None:
    verdict, reason = outcome("gz.management_rules", changed(compliant(), rules_question_bank=False))
    assert verdict == Verdict.FAIL
    assert reason == "尚未制定以下管理制度：题库管理。"


def test_gz_full_time_staff_passes() -> None:
    verdict, reason = outcome("gz.full_time_staff", changed(compliant(), full_time_staff=3))
    assert verdict == Verdict.PASS
    assert reason == "专职工作人员3人，不少于3人。"


def test_gz_full_time_staff_fails() -> None:
    verdict, reason = outcome("gz.full_time_staff", changed(compliant(), full_time_staff=2))
    assert verdict == Verdict.FAIL
    assert reason == "专职工作人员2人，少于要求的3人。"


def test_gz_internal_supervisors_passes() -> None:
    assert outcome("gz.internal_supervisors", compliant())[0] == Verdict.PASS


def test_gz_internal_supervisors_fails() -> None:
    verdict, reason = outcome("gz.internal_supervisors", changed(compliant(), internal_supervisors=2))
    assert verdict == Verdict.FAIL
    assert reason == "内部质量督导员2人，少于要求的3人。"


def test_gz_assessors_per_occupation_passes() -> None:
    app = changed_occupation(compliant(), CHEF.code, assessors=4)
    verdict, reason = outcome("gz.assessors_per_occupation", app)
    assert verdict == Verdict.PASS
    assert "中式烹调师（4-03-02-01）4人" in reason


def test_gz_assessors_per_occupation_fails() -> None:
    app = changed_occupation(compliant(), CHEF.code, assessors=3)
    verdict, reason = outcome("gz.assessors_per_occupation", app)
    assert verdict == Verdict.FAIL
    assert reason == "中式烹调师（4-03-02-01）考评人员3人，少于要求的4人。"
    assert "保育师" not in reason
    assert "gz.assessors_per_occupation" in {r.rule_id for r in blocking(evaluate(PACK, app))}


def test_gz_assessors_per_occupation_needs_the_figure_of_every_occupation() -> None:
    app = replace(compliant(), occupation_facts={CHILDCARE.code: OCCUPATION_FACTS["social_organization"]})
    verdict, reason = outcome("gz.assessors_per_occupation", app)
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert reason == "中式烹调师（4-03-02-01）未填报考评人员人数。"


def test_gz_expert_team_passes() -> None:
    assert outcome("gz.expert_team", compliant())[0] == Verdict.PASS


def test_gz_expert_team_fails() -> None:
    verdict, reason = outcome("gz.expert_team", changed(compliant(), has_expert_team=False))
    assert verdict == Verdict.FAIL
    assert "专家团队" in reason


def test_gz_lease_years_passes() -> None:
    assert outcome("gz.lease_years", changed(compliant(), lease_years=3))[0] == Verdict.PASS
    verdict, reason = outcome("gz.lease_years", changed(compliant(), is_venue_leased=False, lease_years=None))
    assert verdict == Verdict.PASS
    assert "自有" in reason


def test_gz_lease_years_fails() -> None:
    verdict, reason = outcome("gz.lease_years", changed(compliant(), lease_years=2))
    assert verdict == Verdict.FAIL
    assert reason == "场地租赁期限2年，少于要求的3年。"


def test_gz_office_area_passes() -> None:
    assert outcome("gz.office_area", changed(compliant(), office_area_m2=100))[0] == Verdict.PASS


def test_gz_office_area_fails() -> None:
    verdict, reason = outcome("gz.office_area", changed(compliant(), office_area_m2="99.5"))
    assert verdict == Verdict.FAIL
    assert reason == "办公场地面积99.5m²，少于要求的100m²。"


def test_gz_office_equipment_passes() -> None:
    assert outcome("gz.office_equipment", compliant())[0] == Verdict.PASS


def test_gz_office_equipment_fails() -> None:
    verdict, reason = outcome("gz.office_equipment", changed(compliant(), has_office_equipment=False))
    assert verdict == Verdict.FAIL
    assert "通信设备" in reason


def test_gz_theory_rooms_or_seats_passes() -> None:
    assert outcome("gz.theory_rooms_or_seats", compliant())[0] == Verdict.PASS
    seats_only = changed(compliant(), theory_rooms=0, computer_seats=60)
    assert outcome("gz.theory_rooms_or_seats", seats_only)[0] == Verdict.PASS


def test_gz_theory_rooms_or_seats_fails() -> None:
    verdict, reason = outcome("gz.theory_rooms_or_seats", changed(compliant(), theory_rooms=1, computer_seats=59))
    assert verdict == Verdict.FAIL
    assert reason == "标准化考场1个、可同时机考59人，未达到2个以上标准化考场或60人以上机考考场。"


def test_gz_single_desk_passes() -> None:
    assert outcome("gz.single_desk", compliant())[0] == Verdict.PASS


def test_gz_single_desk_fails() -> None:
    verdict, reason = outcome("gz.single_desk", changed(compliant(), single_desk=False))
    assert verdict == Verdict.FAIL
    assert "单人单桌" in reason


def test_gz_desk_spacing_passes() -> None:
    verdict, reason = outcome("gz.desk_spacing", compliant())
    assert verdict == Verdict.PASS
    assert reason == "考场桌椅间距80cm，不少于80cm。"


def test_gz_desk_spacing_fails() -> None:
    verdict, reason = outcome("gz.desk_spacing", changed(compliant(), desk_spacing_cm=75))
    assert verdict == Verdict.FAIL
    assert reason == "考场桌椅间距75cm，少于要求的80cm。"


def test_gz_surveillance_passes() -> None:
    assert outcome("gz.surveillance", compliant())[0] == Verdict.PASS


def test_gz_surveillance_fails() -> None:
    verdict, reason = outcome("gz.surveillance", changed(compliant(), has_full_practical_video_coverage=False))
    assert verdict == Verdict.FAIL
    assert reason == "缺少：操作技能考核视频监控全覆盖。"


def test_gz_negative_government_body_passes() -> None:
    assert outcome("gz.negative.government_body", compliant())[0] == Verdict.PASS


def test_gz_negative_government_body_fails() -> None:
    app = compliant(nature="public_institution")
    verdict, reason = outcome("gz.negative.government_body", app)
    assert verdict == Verdict.FAIL
    assert "不得申报" in reason


@pytest.mark.parametrize("unit", ["is_school", "is_public_training_base", "is_research_institute"])
def test_gz_negative_government_body_does_not_exclude_schools_training_bases_and_institutes(unit: str) -> None:
    app = changed(compliant(nature="public_institution"), is_government_affiliated=True, **{unit: True})
    assert outcome("gz.negative.government_body", app)[0] == Verdict.PASS


def test_gz_negative_government_body_admits_a_public_school_category() -> None:
    assert outcome("gz.negative.government_body", compliant("school"))[0] == Verdict.PASS


def test_gz_negative_violations_passes() -> None:
    assert outcome("gz.negative.violations", compliant())[0] == Verdict.PASS


def test_gz_negative_violations_fails() -> None:
    verdict, reason = outcome("gz.negative.violations", changed(compliant(), has_violation_record=True))
    assert verdict == Verdict.FAIL
    assert "失信记录" in reason


def test_gz_negative_civil_affairs_inspection_passes() -> None:
    assert outcome("gz.negative.civil_affairs_inspection", compliant())[0] == Verdict.PASS


def test_gz_negative_civil_affairs_inspection_fails() -> None:
    app = changed(compliant(), failed_annual_inspection_3y=True)
    verdict, reason = outcome("gz.negative.civil_affairs_inspection", app)
    assert verdict == Verdict.FAIL
    assert "年检不合格" in reason


def test_gz_negative_illegal_social_organization_passes() -> None:
    assert outcome("gz.negative.illegal_social_organization", compliant())[0] == Verdict.PASS


def test_gz_negative_illegal_social_organization_fails() -> None:
    app = changed(compliant(nature="social_group"), on_illegal_org_list=True)
    verdict, reason = outcome("gz.negative.illegal_social_organization", app)
    assert verdict == Verdict.FAIL
    assert "非法社会组织名单" in reason


def test_gz_negative_abnormal_operation_passes() -> None:
    assert outcome("gz.negative.abnormal_operation", compliant("employer"))[0] == Verdict.PASS


def test_gz_negative_abnormal_operation_fails() -> None:
    verdict, reason = outcome("gz.negative.abnormal_operation", changed(compliant("employer"), abnormal_operation_3y=True))
    assert verdict == Verdict.FAIL
    assert "经营异常目录" in reason


def test_gz_negative_unfinished_rectification_passes() -> None:
    assert outcome("gz.negative.unfinished_rectification", compliant())[0] == Verdict.PASS


def test_gz_negative_unfinished_rectification_fails() -> None:
    app = changed(compliant(), under_unfinished_rectification=True)
    verdict, reason = outcome("gz.negative.unfinished_rectification", app)
    assert verdict == Verdict.FAIL
    assert "尚未整改完成" in reason


# --- renewal (续期) ---


def test_gz_renewal_good_standing_passes() -> None:
    assert outcome("gz.renewal.good_standing", renewal())[0] == Verdict.PASS


def test_gz_renewal_good_standing_fails() -> None:
    verdict, reason = outcome("gz.renewal.good_standing", changed(renewal(), in_good_standing=False))
    assert verdict == Verdict.FAIL
    assert "信誉良好" in reason


@pytest.mark.parametrize(("category", "threshold"), [("employer", 150), ("school", 300), ("social_organization", 600)])
def test_gz_renewal_certificates_total_passes(category: str, threshold: int) -> None:
    verdict, reason = outcome("gz.renewal.certificates_total", changed(renewal(category), certificates_issued_total=threshold))
    assert verdict == Verdict.PASS
    assert reason == f"有效期内核发证书{threshold}人次，不少于{threshold}人次。"


@pytest.mark.parametrize(("category", "threshold"), [("employer", 150), ("school", 300), ("social_organization", 600)])
def test_gz_renewal_certificates_total_fails(category: str, threshold: int) -> None:
    app = changed(renewal(category), certificates_issued_total=threshold - 1)
    verdict, reason = outcome("gz.renewal.certificates_total", app)
    assert verdict == Verdict.FAIL
    assert reason == f"有效期内核发证书{threshold - 1}人次，少于要求的{threshold}人次。"


def test_gz_renewal_certificates_per_occupation_passes() -> None:
    app = changed_occupation(renewal(), CHEF.code, certificates_issued=100)
    assert outcome("gz.renewal.certificates_per_occupation", app)[0] == Verdict.PASS


def test_gz_renewal_certificates_per_occupation_fails() -> None:
    app = changed_occupation(renewal(), CHEF.code, certificates_issued=99)
    verdict, reason = outcome("gz.renewal.certificates_per_occupation", app)
    assert verdict == Verdict.FAIL
    assert reason == "中式烹调师（4-03-02-01）有效期内核发证书99人次，少于要求的100人次。"


def test_gz_renewal_pay_link_passes() -> None:
    assert outcome("gz.renewal.pay_link", renewal("employer"))[0] == Verdict.PASS


def test_gz_renewal_pay_link_fails() -> None:
    verdict, reason = outcome("gz.renewal.pay_link", changed(renewal("employer"), certificates_linked_to_pay=False))
    assert verdict == Verdict.FAIL
    assert "与待遇相匹配" in reason


def test_gz_renewal_pay_link_needs_the_evidence() -> None:
    verdict, reason = outcome("gz.renewal.pay_link", without_docs(renewal("employer"), "pay_link_evidence"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "专项佐证材料" in reason


def test_gz_renewal_core_conditions_passes() -> None:
    assert outcome("gz.renewal.core_conditions", renewal())[0] == Verdict.PASS


def test_gz_renewal_core_conditions_fails() -> None:
    verdict, reason = outcome("gz.renewal.core_conditions", changed(renewal(), core_conditions_still_met=False))
    assert verdict == Verdict.FAIL
    assert "核心条件" in reason
