"""Guangdong pack: each rule passes on a compliant application and fails when one declaration changes; routes,
settings, texts."""

from dataclasses import replace
from typing import Any

import pytest

from filings.policies import blocking, evaluate, get_pack
from filings.policies.base import ApplicationFacts, OccupationChoice, Verdict

PACK = get_pack("guangdong")

CHILDCARE = OccupationChoice("4-10-01-03", "保育师", (5, 4, 3))
CHEF = OccupationChoice("4-03-02-01", "中式烹调师", (5, 4, 3, 2))
WELDER = OccupationChoice("6-18-02-04", "焊工", (5, 4, 3), is_access_type=True, work_type="电焊工")
ELECTRICIAN = OccupationChoice("6-31-01-03", "电工", (5, 4), is_access_type=True)
DRAFTER = OccupationChoice("3-01-02-07", "制图员", (5, 4), has_national_standard=False)
MANAGER = OccupationChoice("1-06-01-02", "企业经理", (3,), is_skill_type=False, has_national_standard=False)

NINE_RULES = {
    key: True
    for key in (
        "rules_work_procedure", "rules_exam_affairs", "rules_exam_room", "rules_paper_confidentiality",
        "rules_job_duties", "rules_archives", "rules_staff_code", "rules_equipment_safety", "rules_fees_finance",
    )
}
BASE_FACTS: dict[str, Any] = {
    "is_independent_legal_person": True,
    "licences_complete": True,
    "has_bad_credit_record": False,
    "venue_area_m2": "260.5",
    "venue_safe_and_suitable": True,
    "is_venue_leased": True,
    "lease_valid": True,
    "online_evaluation": False,
    "equipment_adequate": True,
    "has_video_surveillance": True,
    "has_remote_live_monitoring": True,
    "retains_recordings": True,
    "full_time_staff": 8,
    "has_head": True,
    "has_assessors": True,
    "has_exam_affairs_staff": True,
    "has_internal_supervisor": True,
    "has_resource_developer": True,
    "staff_under_contract": True,
    "trains_within_licence": True,
    **NINE_RULES,
    "provincial_department_recommended": False,
    "filed_with_mohrss": False,
    "is_chain_leader": False,
    "is_adding_occupations": False,
    "is_government_affiliated": False,
    "has_violation_record": False,
    "has_confirmed_negative_opinion": False,
    "failed_annual_inspection_3y": False,
    "on_illegal_org_list": False,
    "abnormal_operation_3y": False,
}
TEACHERS = {"has_stable_teachers": True, "teacher_contracts_match_filing_period": True}
CATEGORY_FACTS: dict[str, dict[str, Any]] = {
    "leading_enterprise": {
        **TEACHERS,
        "ip_count": 12,
        "has_brand_influence": True,
        "has_industry_report": False,
        "social_insurance_staff": 3200,
        "radiated_employment": 15000,
        "annual_revenue_10k": "52000.5",
        "annual_tax_10k": 3100,
        "net_profit_10k": 4200,
    },
    "school": dict(TEACHERS),
    "key_private_training": dict(TEACHERS),
    "other": {"is_association": True, "is_public_training_base": False, "member_units": 120, "individual_members": 0},
}
NATURES = {
    "leading_enterprise": "enterprise",
    "school": "public_institution",  # a public technical school: admitted although a 事业单位
    "key_private_training": "private_non_enterprise",
    "other": "social_group",
}
CATEGORIES = [c.key for c in PACK.categories]


def compliant(category: str = "key_private_training", **overrides: Any) -> ApplicationFacts:
    """A fully compliant application of `category`, every checklist item uploaded."""
    app = ApplicationFacts(
        category=category,
        nature=NATURES[category],
        level="city",
        registered_province_code="44",
        facts={**BASE_FACTS, **CATEGORY_FACTS[category]},
        documents=frozenset(item.key for item in PACK.checklist_for(category)),
        occupations=(CHILDCARE, CHEF),
    )
    return replace(app, **overrides) if overrides else app


def changed(app: ApplicationFacts, **facts: Any) -> ApplicationFacts:
    return replace(app, facts={**app.facts, **facts})


def without(app: ApplicationFacts, *keys: str) -> ApplicationFacts:
    return replace(app, facts={k: v for k, v in app.facts.items() if k not in keys})


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
    assert CATEGORIES == ["leading_enterprise", "school", "key_private_training", "other"]
    assert PACK.province_code == "44"


def test_settings() -> None:
    s = PACK.settings
    assert (s.has_cultivation, s.cultivation_days, s.publicity_working_days) == (True, 180, 5)
    assert s.exam_plan_lead_working_days == 10
    assert s.max_occupations is None


def test_commitment_letter_and_pledge() -> None:
    assert "180天" in PACK.commitment_letter
    assert "自然淘汰" in PACK.commitment_letter
    assert "试题" in PACK.commitment_letter and "考务培训" in PACK.commitment_letter
    assert "申报材料真实有效" in PACK.integrity_pledge


def test_other_rubric_adds_industry_authority_and_professionalism() -> None:
    other = [c.label for c in PACK.rubrics["other"]]
    standard = [c.label for c in PACK.rubrics["school"]]

    assert "产业代表性和行业权威性" in other and "评价专业性" in other
    assert standard == ["人才培养能力", "人才评价能力", "就业服务能力", "质量内控能力与品牌建设能力"]


# --- routes ---


def test_route_city_level_goes_to_city_even_when_choosing_province() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant(level="city"), True).key == "city"


def test_route_province_level_goes_where_it_chose() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant(level="province"), True).key == "province"
    assert PACK.route(compliant(level="province"), False).key == "city"


def test_route_central_branch_goes_to_province() -> None:
    assert PACK.route is not None
    assert PACK.route(compliant(level="central"), False).key == "province"


@pytest.mark.parametrize("flag", ["provincial_department_recommended", "filed_with_mohrss", "is_chain_leader"])
def test_route_direct_to_province(flag: str) -> None:
    assert PACK.route is not None
    assert PACK.route(changed(compliant(level="city"), **{flag: True}), False).key == "province"


# --- one pass and one fail per rule ---


def test_gd_registered_in_province_passes() -> None:
    verdict, reason = outcome("gd.registered_in_province", compliant())
    assert verdict == Verdict.PASS
    assert "44" in reason


def test_gd_registered_in_province_fails() -> None:
    verdict, reason = outcome("gd.registered_in_province", compliant(registered_province_code="43"))
    assert verdict == Verdict.FAIL
    assert "登记地行政区划代码为43" in reason


def test_gd_registered_in_province_needs_evidence_without_code() -> None:
    verdict, _ = outcome("gd.registered_in_province", compliant(registered_province_code=""))
    assert verdict == Verdict.NEEDS_EVIDENCE


def test_gd_independent_legal_person_passes() -> None:
    assert outcome("gd.independent_legal_person", compliant())[0] == Verdict.PASS


def test_gd_independent_legal_person_fails() -> None:
    verdict, reason = outcome("gd.independent_legal_person", changed(compliant(), is_independent_legal_person=False))
    assert verdict == Verdict.FAIL
    assert "独立法人资质" in reason


def test_gd_licences_complete_passes() -> None:
    assert outcome("gd.licences_complete", compliant())[0] == Verdict.PASS


def test_gd_licences_complete_fails() -> None:
    verdict, reason = outcome("gd.licences_complete", changed(compliant(), licences_complete=False))
    assert verdict == Verdict.FAIL
    assert "证照齐全" in reason


def test_gd_licences_complete_needs_school_licence_of_private_training() -> None:
    verdict, reason = outcome("gd.licences_complete", without_docs(compliant("key_private_training"), "school_licence"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "办学许可证" in reason


def test_gd_credit_record_passes() -> None:
    assert outcome("gd.credit_record", compliant())[0] == Verdict.PASS


def test_gd_credit_record_fails() -> None:
    verdict, reason = outcome("gd.credit_record", changed(compliant(), has_bad_credit_record=True))
    assert verdict == Verdict.FAIL
    assert "不良信用记录" in reason


def test_gd_venue_area_passes() -> None:
    verdict, reason = outcome("gd.venue_area", changed(compliant(), venue_area_m2=200))
    assert verdict == Verdict.PASS
    assert reason == "场所总建筑面积200m²，不少于200m²。"


def test_gd_venue_area_fails() -> None:
    verdict, reason = outcome("gd.venue_area", changed(compliant(), venue_area_m2="199.5"))
    assert verdict == Verdict.FAIL
    assert reason == "场所总建筑面积199.5m²，少于要求的200m²。"


def test_gd_venue_area_needs_evidence_when_not_a_number() -> None:
    verdict, reason = outcome("gd.venue_area", changed(compliant(), venue_area_m2="两百"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "两百" in reason


def test_gd_venue_safety_passes() -> None:
    assert outcome("gd.venue_safety", compliant())[0] == Verdict.PASS


def test_gd_venue_safety_fails() -> None:
    verdict, reason = outcome("gd.venue_safety", changed(compliant(), venue_safe_and_suitable=False))
    assert verdict == Verdict.FAIL
    assert "安全条件" in reason


def test_gd_venue_lease_passes() -> None:
    assert outcome("gd.venue_lease", compliant())[0] == Verdict.PASS
    verdict, reason = outcome("gd.venue_lease", changed(compliant(), is_venue_leased=False, lease_valid=None))
    assert verdict == Verdict.PASS
    assert "非租赁" in reason


def test_gd_venue_lease_fails() -> None:
    verdict, reason = outcome("gd.venue_lease", changed(compliant(), lease_valid=False))
    assert verdict == Verdict.FAIL
    assert "租赁合同" in reason


def test_gd_venue_lease_needs_the_contract() -> None:
    verdict, reason = outcome("gd.venue_lease", without_docs(compliant(), "venue_lease"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "请上传场所租赁合同（协议）" in reason


def test_gd_online_platform_passes() -> None:
    assert outcome("gd.online_platform", compliant())[0] == Verdict.PASS
    online = changed(compliant(), online_evaluation=True, has_online_platform=True)
    assert outcome("gd.online_platform", online)[0] == Verdict.PASS


def test_gd_online_platform_fails() -> None:
    verdict, reason = outcome(
        "gd.online_platform", changed(compliant(), online_evaluation=True, has_online_platform=False)
    )
    assert verdict == Verdict.FAIL
    assert "线上平台" in reason


def test_gd_equipment_passes() -> None:
    assert outcome("gd.equipment", compliant())[0] == Verdict.PASS


def test_gd_equipment_fails() -> None:
    verdict, reason = outcome("gd.equipment", changed(compliant(), equipment_adequate=False))
    assert verdict == Verdict.FAIL
    assert "设施设备" in reason


def test_gd_equipment_needs_the_asset_list() -> None:
    verdict, reason = outcome("gd.equipment", without_docs(compliant(), "equipment_list"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "品牌、型号" in reason


def test_gd_surveillance_passes() -> None:
    assert outcome("gd.surveillance", compliant())[0] == Verdict.PASS


def test_gd_surveillance_fails() -> None:
    verdict, reason = outcome("gd.surveillance", changed(compliant(), has_remote_live_monitoring=False))
    assert verdict == Verdict.FAIL
    assert reason == "缺少：直播方式的远程视频监控。"


def test_gd_full_time_staff_passes() -> None:
    verdict, reason = outcome("gd.full_time_staff", changed(compliant(), full_time_staff=6))
    assert verdict == Verdict.PASS
    assert reason == "专职工作人员6人，不少于6人。"


def test_gd_full_time_staff_fails() -> None:
    verdict, reason = outcome("gd.full_time_staff", changed(compliant(), full_time_staff=5))
    assert verdict == Verdict.FAIL
    assert reason == "专职工作人员5人，少于要求的6人。"


def test_gd_staff_roles_passes() -> None:
    assert outcome("gd.staff_roles", compliant())[0] == Verdict.PASS


def test_gd_staff_roles_fails() -> None:
    app = changed(compliant(), has_internal_supervisor=False, has_resource_developer=False)
    verdict, reason = outcome("gd.staff_roles", app)
    assert verdict == Verdict.FAIL
    assert reason == "专职工作人员中缺少：内部质量督导员、评价资源开发人员。"


def test_gd_staff_roles_needs_evidence_when_undeclared() -> None:
    verdict, reason = outcome("gd.staff_roles", without(compliant(), "has_head"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "机构负责人" in reason


def test_gd_staff_contracts_passes() -> None:
    assert outcome("gd.staff_contracts", compliant())[0] == Verdict.PASS


def test_gd_staff_contracts_fails() -> None:
    verdict, reason = outcome("gd.staff_contracts", changed(compliant(), staff_under_contract=False))
    assert verdict == Verdict.FAIL
    assert "劳动合同" in reason


def test_gd_teaching_staff_passes() -> None:
    assert outcome("gd.teaching_staff", compliant("school"))[0] == Verdict.PASS


def test_gd_teaching_staff_fails() -> None:
    app = changed(compliant("school"), teacher_contracts_match_filing_period=False)
    verdict, reason = outcome("gd.teaching_staff", app)
    assert verdict == Verdict.FAIL
    assert "与备案期相匹配" in reason


def test_gd_teaching_staff_not_asked_of_other() -> None:
    assert "gd.teaching_staff" not in {r.id for r in PACK.rules_for("other")}


def test_gd_training_within_licence_passes() -> None:
    assert outcome("gd.training_within_licence", compliant())[0] == Verdict.PASS


def test_gd_training_within_licence_fails() -> None:
    verdict, reason = outcome("gd.training_within_licence", changed(compliant(), trains_within_licence=False))
    assert verdict == Verdict.FAIL
    assert "培训许可范围" in reason


def test_gd_management_rules_passes() -> None:
    verdict, reason = outcome("gd.management_rules", compliant())
    assert verdict == Verdict.PASS
    assert "九项" in reason


def test_gd_management_rules_fails() -> None:
    verdict, reason = outcome("gd.management_rules", changed(compliant(), rules_exam_room=False))
    assert verdict == Verdict.FAIL
    assert reason == "尚未建立以下管理制度：考场规则。"


def test_gd_association_scale_passes() -> None:
    app = changed(compliant("other"), member_units=50, individual_members=0)
    verdict, reason = outcome("gd.association_scale", app)
    assert verdict == Verdict.PASS
    assert reason == "会员单位50个、个人会员0人，达到50个会员单位或500名个人会员。"


def test_gd_association_scale_fails() -> None:
    app = changed(compliant("other"), member_units=45, individual_members=0)
    verdict, reason = outcome("gd.association_scale", app)
    assert verdict == Verdict.FAIL
    assert reason == "会员单位45个、个人会员0人，未达到50个会员单位或500名个人会员。"


def test_gd_association_scale_fails_with_45_units_and_no_individual_figure() -> None:
    app = without(changed(compliant("other"), member_units=45), "individual_members")
    verdict, reason = outcome("gd.association_scale", app)
    assert verdict == Verdict.FAIL
    assert "会员单位45个" in reason


def test_gd_association_scale_passes_with_500_individual_members() -> None:
    app = changed(compliant("other"), member_units=10, individual_members=500)
    assert outcome("gd.association_scale", app)[0] == Verdict.PASS


def test_gd_association_scale_treats_a_social_group_as_association_when_undeclared() -> None:
    app = without(changed(compliant("other"), member_units=45), "is_association")
    assert outcome("gd.association_scale", app)[0] == Verdict.FAIL


def test_gd_association_scale_treats_an_applicant_reporting_members_as_association_when_undeclared() -> None:
    app = without(changed(compliant("other", nature="other"), member_units=45), "is_association")
    assert outcome("gd.association_scale", app)[0] == Verdict.FAIL


def test_gd_association_scale_does_not_apply_to_a_private_non_enterprise_unit() -> None:
    app = changed(compliant("other", nature="private_non_enterprise"), is_association=False, member_units=0)
    verdict, reason = outcome("gd.association_scale", app)
    assert verdict == Verdict.PASS
    assert "不适用" in reason


def test_gd_association_scale_needs_the_member_roll() -> None:
    verdict, reason = outcome("gd.association_scale", without_docs(compliant("other"), "association_members"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "会员名册" in reason


def test_gd_enterprise_nature_passes() -> None:
    assert outcome("gd.enterprise_nature", compliant("leading_enterprise"))[0] == Verdict.PASS


def test_gd_enterprise_nature_fails() -> None:
    verdict, reason = outcome("gd.enterprise_nature", compliant("leading_enterprise", nature="social_group"))
    assert verdict == Verdict.FAIL
    assert "登记性质为社会团体" in reason


def test_gd_enterprise_influence_passes() -> None:
    verdict, reason = outcome("gd.enterprise_influence", compliant("leading_enterprise"))
    assert verdict == Verdict.PASS
    assert "专利技术、发明及知识产权12项" in reason


def test_gd_enterprise_influence_fails() -> None:
    app = changed(compliant("leading_enterprise"), ip_count=0, has_brand_influence=False, has_industry_report=False)
    verdict, reason = outcome("gd.enterprise_influence", app)
    assert verdict == Verdict.FAIL
    assert "行业影响力" in reason


def test_gd_enterprise_scale_passes() -> None:
    verdict, reason = outcome("gd.enterprise_scale", compliant("leading_enterprise"))
    assert verdict == Verdict.PASS
    assert "社保参保职工人数3200人" in reason
    assert "上年度营业收入52000.5万元" in reason


def test_gd_enterprise_scale_fails() -> None:
    verdict, reason = outcome("gd.enterprise_scale", changed(compliant("leading_enterprise"), social_insurance_staff=0))
    assert verdict == Verdict.FAIL
    assert "社保参保职工0人" in reason


def test_gd_enterprise_scale_needs_every_figure() -> None:
    verdict, reason = outcome("gd.enterprise_scale", without(compliant("leading_enterprise"), "annual_tax_10k"))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "上年度纳税额" in reason


def test_gd_skill_type_passes() -> None:
    assert outcome("gd.skill_type", compliant())[0] == Verdict.PASS


def test_gd_skill_type_fails() -> None:
    verdict, reason = outcome("gd.skill_type", compliant(occupations=(CHILDCARE, MANAGER)))
    assert verdict == Verdict.FAIL
    assert "企业经理（1-06-01-02）不是技能类职业" in reason


def test_gd_skill_type_needs_an_occupation() -> None:
    verdict, reason = outcome("gd.skill_type", compliant(occupations=()))
    assert verdict == Verdict.NEEDS_EVIDENCE
    assert "尚未选择" in reason


def test_gd_national_standard_passes() -> None:
    assert outcome("gd.national_standard", compliant())[0] == Verdict.PASS


def test_gd_national_standard_fails() -> None:
    verdict, reason = outcome("gd.national_standard", compliant(occupations=(DRAFTER,)))
    assert verdict == Verdict.FAIL
    assert "制图员（3-01-02-07）尚无国家职业技能标准" in reason


def test_gd_access_type_occupations_passes() -> None:
    verdict, reason = outcome("gd.access_type_occupations", compliant(occupations=(CHILDCARE, WELDER)))
    assert verdict == Verdict.PASS
    assert "焊工（6-18-02-04，电焊工）为准入类职业，按规定可以申报" in reason


def test_gd_access_type_occupations_fails() -> None:
    verdict, reason = outcome("gd.access_type_occupations", compliant(occupations=(WELDER, ELECTRICIAN)))
    assert verdict == Verdict.FAIL
    assert reason == "电工（6-31-01-03）为准入类职业资格职业，除焊工外不纳入范围。"


def test_gd_additional_occupations_passes() -> None:
    assert outcome("gd.additional_occupations", compliant())[0] == Verdict.PASS
    adding = changed(compliant(), is_adding_occupations=True, has_completed_question_bank=True, operating_normally=True)
    verdict, reason = outcome("gd.additional_occupations", adding)
    assert verdict == Verdict.PASS
    assert "与原备案函一致" in reason


def test_gd_additional_occupations_fails() -> None:
    adding = changed(compliant(), is_adding_occupations=True, has_completed_question_bank=False, operating_normally=True)
    verdict, reason = outcome("gd.additional_occupations", adding)
    assert verdict == Verdict.FAIL
    assert "自主完成至少一个职业试题审核备案" in reason


def test_gd_negative_government_body_passes() -> None:
    assert outcome("gd.negative.government_body", compliant())[0] == Verdict.PASS
    base = compliant("other", nature="public_institution")
    assert outcome("gd.negative.government_body", changed(base, is_public_training_base=True))[0] == Verdict.PASS


def test_gd_negative_government_body_fails() -> None:
    verdict, reason = outcome("gd.negative.government_body", compliant("other", nature="public_institution"))
    assert verdict == Verdict.FAIL
    assert "不在申报范围内" in reason


def test_gd_negative_government_body_fails_for_an_undecoupled_social_group() -> None:
    app = changed(compliant("other"), is_government_affiliated=True)
    assert outcome("gd.negative.government_body", app)[0] == Verdict.FAIL


def test_gd_negative_government_body_admits_a_public_school() -> None:
    verdict, reason = outcome("gd.negative.government_body", compliant("school"))
    assert verdict == Verdict.PASS
    assert "院校属于申请对象范围" in reason


def test_gd_negative_violations_passes() -> None:
    assert outcome("gd.negative.violations", compliant())[0] == Verdict.PASS


def test_gd_negative_violations_fails() -> None:
    verdict, reason = outcome("gd.negative.violations", changed(compliant(), has_confirmed_negative_opinion=True))
    assert verdict == Verdict.FAIL
    assert "经确认的网上负面舆论" in reason


def test_gd_negative_civil_affairs_inspection_passes() -> None:
    assert outcome("gd.negative.civil_affairs_inspection", compliant())[0] == Verdict.PASS


def test_gd_negative_civil_affairs_inspection_fails() -> None:
    app = changed(compliant(), failed_annual_inspection_3y=True)
    verdict, reason = outcome("gd.negative.civil_affairs_inspection", app)
    assert verdict == Verdict.FAIL
    assert "年审不合格" in reason


def test_gd_negative_civil_affairs_inspection_does_not_concern_an_enterprise() -> None:
    app = changed(compliant("leading_enterprise"), failed_annual_inspection_3y=True)
    verdict, reason = outcome("gd.negative.civil_affairs_inspection", app)
    assert verdict == Verdict.PASS
    assert "不适用" in reason


def test_gd_negative_illegal_social_organization_passes() -> None:
    assert outcome("gd.negative.illegal_social_organization", compliant("other"))[0] == Verdict.PASS


def test_gd_negative_illegal_social_organization_fails() -> None:
    app = changed(compliant("other"), on_illegal_org_list=True)
    verdict, reason = outcome("gd.negative.illegal_social_organization", app)
    assert verdict == Verdict.FAIL
    assert "非法社会组织名单" in reason


def test_gd_negative_abnormal_operation_passes() -> None:
    assert outcome("gd.negative.abnormal_operation", compliant("leading_enterprise"))[0] == Verdict.PASS


def test_gd_negative_abnormal_operation_fails() -> None:
    app = changed(compliant("leading_enterprise"), abnormal_operation_3y=True)
    verdict, reason = outcome("gd.negative.abnormal_operation", app)
    assert verdict == Verdict.FAIL
    assert "经营异常目录" in reason


def test_gd_negative_abnormal_operation_needs_a_declaration() -> None:
    verdict, _ = outcome("gd.negative.abnormal_operation", without(compliant("leading_enterprise"), "abnormal_operation_3y"))
    assert verdict == Verdict.NEEDS_EVIDENCE


def test_a_negative_list_finding_blocks_submission() -> None:
    results = evaluate(PACK, changed(compliant("other"), member_units=45, has_violation_record=True))

    assert {r.rule_id for r in blocking(results)} == {"gd.association_scale", "gd.negative.violations"}


# --- renewal (续期): the seed is silent; the pack's documented default ---


def _renewal(**facts: Any) -> ApplicationFacts:
    base = {"renewal_good_standing": True, "certificates_issued_total": 1}
    category = PACK.categories[0].key
    return ApplicationFacts(category, "enterprise", "city", "44", facts={**base, **facts})


def _renewal_verdict(rule_id: str, facts: ApplicationFacts) -> tuple[Verdict, str]:
    from filings.policies import evaluate_renewal

    result = next(r for r in evaluate_renewal(PACK, facts) if r.rule_id == rule_id)
    return result.verdict, result.reason


def test_gd_renewal_good_standing_passes() -> None:
    assert _renewal_verdict("gd.renewal.good_standing", _renewal())[0] == Verdict.PASS


def test_gd_renewal_good_standing_fails() -> None:
    verdict, reason = _renewal_verdict("gd.renewal.good_standing", _renewal(renewal_good_standing=False))
    assert verdict == Verdict.FAIL
    assert "无严重违规失信行为" in reason


def test_gd_renewal_certificates_total_passes() -> None:
    verdict, reason = _renewal_verdict("gd.renewal.certificates_total", _renewal(certificates_issued_total=1))
    assert verdict == Verdict.PASS
    assert "1人次" in reason


def test_gd_renewal_certificates_total_fails() -> None:
    verdict, reason = _renewal_verdict("gd.renewal.certificates_total", _renewal(certificates_issued_total=0))
    assert verdict == Verdict.FAIL
    assert "少于要求的1人次" in reason
