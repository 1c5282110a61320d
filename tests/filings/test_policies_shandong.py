"""Shandong pack: each rule passes on a compliant application and fails when one declaration changes; routes,
settings, the integrity pledge."""

from dataclasses import replace
from typing import Any

import pytest

from filings.policies import blocking, evaluate, get_pack
from filings.policies.base import ApplicationFacts, OccupationChoice, Verdict

PACK = get_pack("shandong")

CHILDCARE = OccupationChoice("4-10-01-03", "保育师", (5, 4, 3))
ECOMMERCE = OccupationChoice("4-01-06-01", "电子商务师", (5, 4, 3))
CHEF = OccupationChoice("4-03-02-01", "中式烹调师", (5, 4))
AI_TRAINER = OccupationChoice("4-04-05-05", "人工智能训练师", (4, 3), work_type="数据标注员")
WELDER = OccupationChoice("6-18-02-04", "焊工", (5, 4, 3), is_access_type=True)
MANAGER = OccupationChoice("1-06-01-02", "企业经理", (3,), is_skill_type=False, has_national_standard=False)
# an occupation evaluated on a filed evaluation norm (评价规范) instead of a national standard
BLOCKCHAIN = OccupationChoice("4-04-05-06", "区块链应用操作员", (5, 4), has_national_standard=False, has_evaluation_norm=True)
DRAFTER = OccupationChoice("3-01-02-07", "制图员", (5, 4), has_national_standard=False)

BASE_FACTS: dict[str, Any] = {
    "has_financial_rules": True,
    "has_management_rules": True,
    "has_bad_record": False,
    "has_quality_control_rules": True,
    "has_emergency_plan": True,
    "dedicated_unit": True,
    "full_time_staff": 5,
    "has_assessors": True,
    "has_invigilators": True,
    "has_supervisors": True,
    "has_expert_team": True,
    "has_standard_theory_room": True,
    "has_exam_network_and_computers": True,
    "has_practical_venue": True,
    "has_identity_verification": True,
    "has_signal_blocking": True,
    "has_av_monitoring": True,
    "has_stable_funding": True,
    "non_profit": True,
}
CATEGORY_FACTS: dict[str, dict[str, Any]] = {
    "enterprise": {"holds_self_evaluation_qualification": True},
    "industry_association": {"capable_member_units": 12},
    "university": {"school_training_level": 3},
    "technical_school": {"school_training_level": 3},
    "private_training": {},
}
NATURES = {
    "enterprise": "enterprise",
    "industry_association": "social_group",
    "university": "public_institution",
    "technical_school": "public_institution",
    "private_training": "private_non_enterprise",
}
OCCUPATION_FACTS = {"within_own_scope": True, "evaluation_years": 3, "evaluated_count": 450}
CATEGORIES = [c.key for c in PACK.categories]


def compliant(category: str = "private_training", **overrides: Any) -> ApplicationFacts:
    """A fully compliant application of `category`, every checklist item uploaded."""
    occupations = overrides.pop("occupations", (CHILDCARE, ECOMMERCE))
    app = ApplicationFacts(
        category=category,
        nature=NATURES[category],
        level="city",
        registered_province_code="37",
        facts={**BASE_FACTS, **CATEGORY_FACTS[category]},
        occupation_facts={o.code: dict(OCCUPATION_FACTS) for o in occupations},
        documents=frozenset(item.key for item in PACK.checklist_for(category)),
        occupations=occupations,
    )
    return replace(app, **overrides) if overrides else app


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


def test_category_keys() -> None:
    assert CATEGORIES == ["enterprise", "industry_association", "university", "technical_school", "private_training"]
    assert PACK.province_code == "37"


def test_settings() -> None:
    s = PACK.settings
    assert (s.max_occupations, s.allowed_levels) == (3, (5, 4, 3))
    assert (s.city_recommend_min, s.city_recommend_max) == (2, 8)
    assert s.assigns_institution_code is True
    assert (s.exam_plan_lead_working_days, s.result_publicity_working_days) == (5, 5)
    assert s.has_cultivation is False


def test_integrity_pledge_is_annex_1_section_6_verbatim() -> None:
    assert PACK.integrity_pledge == (
        "本人承诺：1.申报材料真实有效，如有虚假，自愿退出申报。2.自愿把社会效益放在首位，不以人才评价为营利目的。"
        "3.自愿接受人力资源社会保障部门监管和公众监督。"
    )
    assert PACK.commitment_letter == ""


def test_checklist_has_the_six_materials_of_002() -> None:
    keys = {i.key for i in PACK.checklist_for("private_training")}

    assert keys == {
        "basic_info_form", "work_plan", "legal_person_certificate", "staff_credentials", "venue_proof",
        "credit_report_or_pledge",
    }
    assert "self_evaluation_filing" in {i.key for i in PACK.checklist_for("enterprise")}


# --- routes ---


@pytest.mark.parametrize("category", ["enterprise", "industry_association", "university", "technical_school"])
def test_route_province_level_may_choose_province_or_city(category: str) -> None:
    assert PACK.route is not None
    assert PACK.route(compliant(category, level="province"), True).key == "province"
    assert PACK.route(compliant(category, level="province"), False).key == "city"


def test_route_city_level_goes_to_city() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant("enterprise", level="city"), True).key == "city"


def test_route_private_training_institution_always_goes_to_city() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant("private_training", level="province"), True).key == "city"


# --- one pass and one fail per rule ---


def test_sd_registered_in_province_passes() -> None:
    assert outcome("sd.registered_in_province", compliant())[0] == Verdict.PASS


def test_sd_registered_in_province_fails() -> None:
    verdict, reason = outcome("sd.registered_in_province", compliant(registered_province_code="44"))
    assert verdict == Verdict.FAIL
    assert "不在山东省（37）行政区域内" in reason


def test_sd_finance_and_management_rules_passes() -> None:
    assert outcome("sd.finance_and_management_rules", compliant())[0] == Verdict.PASS


def test_sd_finance_and_management_rules_fails() -> None:
    verdict, reason = outcome("sd.finance_and_management_rules", changed(compliant(), has_financial_rules=False))
    assert verdict == Verdict.FAIL
    assert reason == "缺少：规范的财务制度。"


def test_sd_credit_record_passes() -> None:
    assert outcome("sd.credit_record", compliant())[0] == Verdict.PASS


def test_sd_credit_record_fails() -> None:
    verdict, reason = outcome("sd.credit_record", changed(compliant(), has_bad_record=True))
    assert verdict == Verdict.FAIL
    assert "失信" in reason


def test_sd_evaluation_experience_passes() -> None:
    verdict, reason = outcome("sd.evaluation_experience", compliant())
    assert verdict == Verdict.PASS
    assert "保育师（4-10-01-03）评价经历3年、已评价450人" in reason


def test_sd_evaluation_experience_fails() -> None:
    app = changed_occupation(compliant(), ECOMMERCE.code, evaluation_years=0, evaluated_count=0)
    verdict, reason = outcome("sd.evaluation_experience", app)
    assert verdict == Verdict.FAIL
    assert reason == "电子商务师（4-01-06-01）评价经历0年、已评价0人，无该职业（工种）考核评价经验。"


def test_sd_quality_rules_passes() -> None:
    assert outcome("sd.quality_rules", compliant())[0] == Verdict.PASS


def test_sd_quality_rules_fails() -> None:
    verdict, reason = outcome("sd.quality_rules", changed(compliant(), has_quality_control_rules=False))
    assert verdict == Verdict.FAIL
    assert "质量管控制度" in reason


def test_sd_emergency_plan_passes() -> None:
    assert outcome("sd.emergency_plan", compliant())[0] == Verdict.PASS


def test_sd_emergency_plan_fails() -> None:
    verdict, reason = outcome("sd.emergency_plan", changed(compliant(), has_emergency_plan=False))
    assert verdict == Verdict.FAIL
    assert reason == "缺少：突发情况应急处置预案。"


def test_sd_emergency_plan_needs_a_declaration() -> None:
    verdict, _ = outcome("sd.emergency_plan", changed(compliant(), has_emergency_plan=None))
    assert verdict == Verdict.NEEDS_EVIDENCE


def test_sd_dedicated_unit_passes() -> None:
    assert outcome("sd.dedicated_unit", compliant())[0] == Verdict.PASS


def test_sd_dedicated_unit_fails() -> None:
    verdict, reason = outcome("sd.dedicated_unit", changed(compliant(), dedicated_unit=False))
    assert verdict == Verdict.FAIL
    assert "内部机构" in reason


def test_sd_full_time_staff_passes() -> None:
    verdict, reason = outcome("sd.full_time_staff", compliant())
    assert verdict == Verdict.PASS
    assert reason == "专职工作人员5人，不少于1人。"


def test_sd_full_time_staff_fails() -> None:
    verdict, reason = outcome("sd.full_time_staff", changed(compliant(), full_time_staff=0))
    assert verdict == Verdict.FAIL
    assert reason == "专职工作人员0人，少于要求的1人。"


def test_sd_staff_roles_passes() -> None:
    assert outcome("sd.staff_roles", compliant())[0] == Verdict.PASS


def test_sd_staff_roles_fails() -> None:
    verdict, reason = outcome("sd.staff_roles", changed(compliant(), has_invigilators=False))
    assert verdict == Verdict.FAIL
    assert reason == "缺少：监考人员。"


def test_sd_staff_roles_needs_the_credentials() -> None:
    verdict, reason = outcome("sd.staff_roles", without_docs(compliant(), "staff_credentials"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "考评员、督导员有效资质证明" in reason


def test_sd_theory_exam_room_passes() -> None:
    assert outcome("sd.theory_exam_room", compliant())[0] == Verdict.PASS


def test_sd_theory_exam_room_fails() -> None:
    verdict, reason = outcome("sd.theory_exam_room", changed(compliant(), has_exam_network_and_computers=False))
    assert verdict == Verdict.FAIL
    assert "考试机" in reason


def test_sd_practical_venue_passes() -> None:
    assert outcome("sd.practical_venue", compliant())[0] == Verdict.PASS


def test_sd_practical_venue_fails() -> None:
    verdict, reason = outcome("sd.practical_venue", changed(compliant(), has_practical_venue=False))
    assert verdict == Verdict.FAIL
    assert "技能操作考核" in reason


def test_sd_exam_security_equipment_passes() -> None:
    assert outcome("sd.exam_security_equipment", compliant())[0] == Verdict.PASS


def test_sd_exam_security_equipment_fails() -> None:
    app = changed(compliant(), has_signal_blocking=False, has_identity_verification=False)
    verdict, reason = outcome("sd.exam_security_equipment", app)
    assert verdict == Verdict.FAIL
    assert reason == "缺少：身份识别设备、信号屏蔽设备。"


def test_sd_funding_passes() -> None:
    assert outcome("sd.funding", compliant())[0] == Verdict.PASS


def test_sd_funding_fails() -> None:
    verdict, reason = outcome("sd.funding", changed(compliant(), has_stable_funding=False))
    assert verdict == Verdict.FAIL
    assert "经费保障" in reason


def test_sd_non_profit_passes() -> None:
    assert outcome("sd.non_profit", compliant())[0] == Verdict.PASS


def test_sd_non_profit_fails() -> None:
    verdict, reason = outcome("sd.non_profit", changed(compliant(), non_profit=False))
    assert verdict == Verdict.FAIL
    assert "营利" in reason


def test_sd_enterprise_self_evaluation_passes() -> None:
    assert outcome("sd.enterprise_self_evaluation", compliant("enterprise"))[0] == Verdict.PASS


def test_sd_enterprise_self_evaluation_fails() -> None:
    app = changed(compliant("enterprise"), holds_self_evaluation_qualification=False)
    verdict, reason = outcome("sd.enterprise_self_evaluation", app)
    assert verdict == Verdict.FAIL
    assert reason == "尚未取得：技能人才自主评价资质。"


def test_sd_enterprise_self_evaluation_only_for_enterprises() -> None:
    assert "sd.enterprise_self_evaluation" not in {r.id for r in PACK.rules_for("private_training")}


def test_sd_association_member_units_passes() -> None:
    verdict, reason = outcome("sd.association_member_units", compliant("industry_association"))
    assert verdict == Verdict.PASS
    assert "12个" in reason


def test_sd_association_member_units_fails() -> None:
    verdict, reason = outcome("sd.association_member_units", changed(compliant("industry_association"), capable_member_units=0))
    assert verdict == Verdict.FAIL
    assert "能够承担评价工作的单位会员0个" in reason


def test_sd_occupation_within_scope_passes() -> None:
    verdict, reason = outcome("sd.occupation_within_scope", compliant("enterprise"))
    assert verdict == Verdict.PASS
    assert "自主评价备案范围" in reason


def test_sd_occupation_within_scope_fails() -> None:
    app = changed_occupation(compliant("industry_association"), CHILDCARE.code, within_own_scope=False)
    verdict, reason = outcome("sd.occupation_within_scope", app)
    assert verdict == Verdict.FAIL
    assert reason == "保育师（4-10-01-03）不在行业协会的主体业务范围内。"


def test_sd_school_level_not_above_training_passes() -> None:
    app = changed(compliant("technical_school", occupations=(CHEF,)), school_training_level=4)
    assert outcome("sd.school_level_not_above_training", app)[0] == Verdict.PASS


def test_sd_school_level_not_above_training_fails() -> None:
    app = changed(compliant("technical_school"), school_training_level=4)
    verdict, reason = outcome("sd.school_level_not_above_training", app)
    assert verdict == Verdict.FAIL
    assert "保育师（4-10-01-03）申报三级/高级工，高于学校培养层次四级/中级工" in reason


def test_sd_school_level_not_above_training_needs_the_training_level() -> None:
    verdict, _ = outcome("sd.school_level_not_above_training", changed(compliant("university"), school_training_level=None))
    assert verdict == Verdict.NEEDS_EVIDENCE


def test_sd_max_occupations_passes() -> None:
    app = compliant(occupations=(CHILDCARE, ECOMMERCE, CHEF))
    verdict, reason = outcome("sd.max_occupations", app)
    assert verdict == Verdict.PASS
    assert reason == "申报职业（工种）3个，不超过3个。"


def test_sd_max_occupations_fails() -> None:
    app = compliant(occupations=(CHILDCARE, ECOMMERCE, CHEF, AI_TRAINER))
    verdict, reason = outcome("sd.max_occupations", app)
    assert verdict == Verdict.FAIL
    assert reason == "申报职业（工种）4个，超过每个评价机构3个的上限。"
    assert "sd.max_occupations" in {r.rule_id for r in blocking(evaluate(PACK, app))}


def test_sd_levels_passes() -> None:
    assert outcome("sd.levels", compliant())[0] == Verdict.PASS


def test_sd_levels_fails() -> None:
    level_2 = replace(CHEF, levels=(4, 3, 2))
    verdict, reason = outcome("sd.levels", compliant(occupations=(CHILDCARE, level_2)))
    assert verdict == Verdict.FAIL
    assert reason == "中式烹调师（4-03-02-01）申报二级/技师，试点期间只考评五级/初级工、四级/中级工、三级/高级工。"


def test_sd_skill_type_passes() -> None:
    assert outcome("sd.skill_type", compliant())[0] == Verdict.PASS


def test_sd_skill_type_fails() -> None:
    verdict, reason = outcome("sd.skill_type", compliant(occupations=(MANAGER,)))
    assert verdict == Verdict.FAIL
    assert "企业经理" in reason


def test_sd_access_type_excluded_passes() -> None:
    assert outcome("sd.access_type_excluded", compliant())[0] == Verdict.PASS


def test_sd_access_type_excluded_fails() -> None:
    verdict, reason = outcome("sd.access_type_excluded", compliant(occupations=(WELDER,)))
    assert verdict == Verdict.FAIL
    assert reason == "焊工（6-18-02-04）为准入类职业资格职业，不纳入评价范围。"


def test_sd_standard_or_norm_passes() -> None:
    assert outcome("sd.standard_or_norm", compliant(occupations=(CHILDCARE, BLOCKCHAIN)))[0] == Verdict.PASS


def test_sd_standard_or_norm_fails() -> None:
    verdict, reason = outcome("sd.standard_or_norm", compliant(occupations=(DRAFTER,)))
    assert verdict == Verdict.FAIL
    assert "制图员（3-01-02-07）既无国家职业技能标准" in reason


# --- renewal (续期): the seed is silent; the pack's documented default ---


def _renewal(**facts: Any) -> ApplicationFacts:
    base = {"renewal_good_standing": True, "certificates_issued_total": 1}
    category = PACK.categories[0].key
    return ApplicationFacts(category, "enterprise", "city", "44", facts={**base, **facts})


def _renewal_verdict(rule_id: str, facts: ApplicationFacts) -> tuple[Verdict, str]:
    from filings.policies import evaluate_renewal

    result = next(r for r in evaluate_renewal(PACK, facts) if r.rule_id == rule_id)
    return result.verdict, result.reason


def test_sd_renewal_good_standing_passes() -> None:
    assert _renewal_verdict("sd.renewal.good_standing", _renewal())[0] == Verdict.PASS


def test_sd_renewal_good_standing_fails() -> None:
    verdict, reason = _renewal_verdict("sd.renewal.good_standing", _renewal(renewal_good_standing=False))
    assert verdict == Verdict.FAIL
    assert "无严重违规失信行为" in reason


def test_sd_renewal_certificates_total_passes() -> None:
    verdict, reason = _renewal_verdict("sd.renewal.certificates_total", _renewal(certificates_issued_total=1))
    assert verdict == Verdict.PASS
    assert "1人次" in reason


def test_sd_renewal_certificates_total_fails() -> None:
    verdict, reason = _renewal_verdict("sd.renewal.certificates_total", _renewal(certificates_issued_total=0))
    assert verdict == Verdict.FAIL
    assert "少于要求的1人次" in reason
