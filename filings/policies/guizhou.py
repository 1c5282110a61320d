"""Guizhou's policy pack (贵州, 52): the selection, renewal and exit rules of seed 003 — employers, schools and social
training evaluation organizations with the conditions of articles 4–6, the negative list of article 7 and the renewal
thresholds of articles 8–12.

Seed clauses are cited as "003 第六条(六)" (file, article, item).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop

from portal.punctuation import clauses, enumeration, enumeration_lazy, is_english, sentence

from .base import (
    ApplicationFacts,
    Category,
    ChecklistItem,
    FactField,
    FactKind,
    OccupationChoice,
    PackSettings,
    PolicyPack,
    Route,
    RubricCriterion,
    Rule,
    SelectionBy,
    Text,
    Verdict,
    register,
)
from .checks import (
    CENTRAL_LEVEL,
    CITY_ROUTE,
    CIVIL_AFFAIRS_NATURES,
    ENTERPRISE,
    PROVINCE_LEVEL,
    PROVINCE_ROUTE,
    PUBLIC_INSTITUTION,
    InvalidValue,
    Outcome,
    about,
    access_type_excluded,
    all_of,
    applicable_when,
    compare_minimum,
    each_occupation,
    fmt,
    levels_not_above_training,
    minimum,
    minimum_by_category,
    must_not,
    occupation_fact,
    occupation_label,
    per_occupation_flag,
    per_occupation_minimum,
    quantity,
    registered_in,
    said,
    skill_type_only,
    standard_or_norm,
    to_bool,
    to_decimal,
    with_documents,
)

EMPLOYER = "employer"
SCHOOL = "school"
SOCIAL_ORGANIZATION = "social_organization"

MIN_TRAINING_YEARS = 2
MIN_TRAINEES = 1000
MIN_TRAINEES_EXEMPT = 200  # new MOHRSS occupations and Guizhou local-feature enterprises, with no year limit
MIN_FULL_TIME_STAFF = 3
MIN_INTERNAL_SUPERVISORS = 3
MIN_ASSESSORS_PER_OCCUPATION = 4
MIN_LEASE_YEARS = 3
MIN_OFFICE_AREA_M2 = 100
MIN_THEORY_ROOMS = 2
MIN_COMPUTER_SEATS = 60
MIN_DESK_SPACING_CM = 80
RENEWAL_MIN_CERTIFICATES = {EMPLOYER: 150, SCHOOL: 300, SOCIAL_ORGANIZATION: 600}
RENEWAL_MIN_PER_OCCUPATION = 100

CATEGORIES = (
    Category(
        EMPLOYER, "用人单位",
        _("以技能人员为主体的规模以上企业、产业链链主企业、行业龙头企业，或“专精特新”企业、地方特色企业（003 第四条）。"),
        label_en="Employer"
    ),
    Category(
        SCHOOL, "院校",
        _("评价对象为本校全日制在校学生，评价时间限定为毕业年度或专业全课程结课后（003 第五条）。"),
        label_en="School"
    ),
    Category(
        SOCIAL_ORGANIZATION, "社会培训评价组织",
        _("企业、院校、民办非企业单位、社会团体等面向社会开展培训评价的组织（003 第六条）。"),
        label_en="Social training and evaluation organization"
    ),
)


def _cats(*keys: str) -> frozenset[str]:
    return frozenset(keys)


def _bool(key: str, label: Text, help: Text = "", categories: frozenset[str] | None = None,
          natures: frozenset[str] | None = None) -> FactField:
    return FactField(key, label, FactKind.BOOLEAN, help=help, categories=categories, natures=natures)


_EMP = _cats(EMPLOYER)
_SCH = _cats(SCHOOL)
_SOC = _cats(SOCIAL_ORGANIZATION)

MANAGEMENT_RULES = (
    ("rules_exam_affairs", gettext_noop("考务管理")),
    ("rules_personnel", gettext_noop("人员管理")),
    ("rules_finance", gettext_noop("财务管理")),
    ("rules_archives", gettext_noop("档案管理")),
    ("rules_question_bank", gettext_noop("题库管理")),
    ("rules_certificates", gettext_noop("证书管理")),
    ("rules_discipline", gettext_noop("违规违纪管理")),
)

SCHOOL_ROOMS = (
    ("has_exam_affairs_room", gettext_noop("考务室")),
    ("has_confidential_room", gettext_noop("保密室")),
    ("has_archive_room", gettext_noop("档案室")),
)
SOCIAL_ROOMS = (*SCHOOL_ROOMS, ("has_waiting_room", gettext_noop("候考室")))

FACT_FIELDS = (
    # 第四条(五)、第五条(三)、第六条(七)
    _bool("venue_meets_national_standard", _("认定场地及设施设备符合国家职业标准要求")),
    _bool("venue_meets_safety_rules", _("认定场地及设施设备满足消防安全、环保、劳保等相关规定")),
    # 第四条 用人单位
    _bool(
        "is_qualifying_employer",
        _("属于以技能人员为主体的规模以上企业、产业链链主企业、行业龙头企业，或“专精特新”企业、地方特色企业"),
        categories=_EMP,
    ),
    _bool(
        "level_linked_to_pay", _("职业技能等级与工资待遇、岗位晋升、培训机会等直接挂钩"),
        _("已建立技能人才培养与使用相结合、评价与激励相衔接的工作体系。"), _EMP,
    ),
    _bool("has_talent_rules", _("已制定完善的技能人才队伍建设相关制度"), categories=_EMP),
    _bool("has_implementation_plan", _("已制定职业技能等级认定实施方案"), categories=_EMP),
    FactField(
        "matches_main_business", _("与本单位主营业务（开设专业、登记的培训评价业务范围）相关"), FactKind.BOOLEAN,
        per_occupation=True, categories=_cats(EMPLOYER, SOCIAL_ORGANIZATION),
    ),
    FactField(
        "has_skill_post", _("岗位设置中有明确对应的技能岗位"), FactKind.BOOLEAN, per_occupation=True, categories=_EMP
    ),
    # 第五条 院校
    FactField(
        "matches_school_major", _("与本校开设专业相匹配"), FactKind.BOOLEAN, per_occupation=True, categories=_SCH
    ),
    FactField(
        "school_training_level", _("学校办学层次（可培养的最高职业技能等级）"), FactKind.INTEGER, unit=_("级"),
        help=_("5 五级/初级工、4 四级/中级工、3 三级/高级工、2 二级/技师、1 一级/高级技师。"), categories=_SCH,
    ),
    _bool(
        "evaluates_own_students_only", _("只评价本校全日制在校学生，且在毕业年度或专业全课程结课后评价"), categories=_SCH
    ),
    _bool("dedicated_unit", _("已建立职业技能等级认定专职内设机构"), categories=_SCH),
    _bool("has_stable_funding", _("有稳定经费保障"), categories=_SCH),
    FactField(
        "full_time_staff", _("专职工作人员人数"), FactKind.INTEGER, unit=_("人"), categories=_cats(SCHOOL, SOCIAL_ORGANIZATION)
    ),
    *(_bool(key, format_lazy(_("设有{label}"), label=_(label)), categories=_cats(SCHOOL, SOCIAL_ORGANIZATION)) for key, label in SCHOOL_ROOMS),
    _bool("has_waiting_room", _("设有候考室"), categories=_SOC),
    # 第六条 社会培训评价组织
    _bool("local_feature_enterprise", _("具有贵州地方性特色的企业"), _("不受培训年限限制，每个职业培训规模不少于200人次。"), _SOC),
    FactField(
        "is_new_occupation", _("人力资源社会保障部公布的新职业（工种）"), FactKind.BOOLEAN, per_occupation=True,
        help=_("不受培训年限限制，培训规模不少于200人次。"), categories=_SOC,
    ),
    FactField(
        "training_years", _("连续开展相关职业培训或考核年限"), FactKind.DECIMAL, unit=_("年"), per_occupation=True,
        categories=_SOC,
    ),
    FactField("trainees", _("培训规模"), FactKind.INTEGER, unit=_("人次"), per_occupation=True, categories=_SOC),
    FactField("assessors", _("考评人员人数"), FactKind.INTEGER, unit=_("人"), per_occupation=True, categories=_SOC),
    *(_bool(key, format_lazy(_("已制定{label}制度"), label=_(label)), categories=_SOC) for key, label in MANAGEMENT_RULES),
    FactField("internal_supervisors", _("内部质量督导员人数"), FactKind.INTEGER, unit=_("人"), categories=_SOC),
    _bool("has_expert_team", _("拥有与拟认定职业（工种）、等级相匹配的专家团队"), categories=_SOC),
    _bool("is_venue_leased", _("场地为租赁"), categories=_SOC),
    FactField(
        "lease_years", _("租赁期限"), FactKind.DECIMAL, unit=_("年"), help=_("场地为租赁的填写。"), categories=_SOC
    ),
    FactField("office_area_m2", _("办公场地面积"), FactKind.DECIMAL, unit="m²", categories=_SOC),
    _bool("has_office_equipment", _("配备必要的办公设备和通信设备"), categories=_SOC),
    FactField("theory_rooms", _("标准化考场（多媒体教室）数量"), FactKind.INTEGER, unit=_("个"), categories=_SOC),
    FactField("computer_seats", _("可同时机考人数"), FactKind.INTEGER, unit=_("人"), categories=_SOC),
    _bool("single_desk", _("考场实行单人单桌"), categories=_SOC),
    FactField("desk_spacing_cm", _("考场桌椅间距"), FactKind.DECIMAL, unit="cm", categories=_SOC),
    _bool("has_exam_room_surveillance", _("理论考场配备视频监控设备"), categories=_SOC),
    _bool("has_full_practical_video_coverage", _("操作技能考核视频监控实现全覆盖"), categories=_SOC),
    # 第七条 负面清单
    _bool(
        "is_government_affiliated",
        _("属于政府及其所属部门（院校、公共实训基地、科研院所之外的事业单位，或未与政府部门脱钩的社会团体）"),
    ),
    _bool("is_school", _("单位为院校"), categories=_cats(EMPLOYER, SOCIAL_ORGANIZATION)),
    _bool("is_public_training_base", _("单位为公共实训基地"), categories=_cats(EMPLOYER, SOCIAL_ORGANIZATION)),
    _bool("is_research_institute", _("单位为科研院所"), categories=_cats(EMPLOYER, SOCIAL_ORGANIZATION)),
    _bool("has_violation_record", _("机构及法定代表人在培训评价领域存在违法违规行为或失信记录")),
    _bool("failed_annual_inspection_3y", _("近3年内经民政部门年检不合格"), _("社会团体、民办非企业单位填写。"), natures=CIVIL_AFFAIRS_NATURES),
    _bool("on_illegal_org_list", _("被列入民政部门非法社会组织名单"), _("社会团体、民办非企业单位填写。"), natures=CIVIL_AFFAIRS_NATURES),
    _bool("abnormal_operation_3y", _("近3年内在市场监管部门公布的经营异常目录内"), _("企业填写。"), natures=frozenset({ENTERPRISE})),
    _bool(
        "under_unfinished_rectification",
        _("已开展的职业技能培训评价业务被纳入巡视、巡察、审计等专项整治范围，且尚未整改完成"),
    ),
)

CHECKLIST = (
    ChecklistItem("application_form", _("贵州省职业技能等级认定机构遴选申请表")),
    ChecklistItem("registration_certificate", _("营业执照或法人登记证书")),
    ChecklistItem("venue_proof", _("场地产权证明或租赁合同"), help=_("租赁场地的，租赁期限不少于3年（社会培训评价组织）。")),
    ChecklistItem("venue_photos", _("认定场地、考场及功能区域照片和设施设备清单"), help=_("含视频监控、消防安全设施。")),
    ChecklistItem("qualifying_employer_proof", _("企业类型证明（规上、链主、龙头、专精特新或地方特色企业）"), categories=_EMP),
    ChecklistItem("pay_link_proof", _("技能等级与薪酬、岗位晋升、培训机会挂钩的制度及佐证"), categories=_EMP),
    ChecklistItem("implementation_plan", _("职业技能等级认定实施方案及技能人才队伍建设制度"), categories=_EMP),
    ChecklistItem("school_majors", _("开设专业及办学层次证明"), categories=_SCH),
    ChecklistItem("dedicated_unit_proof", _("职业技能等级认定专职内设机构设立文件及人员名单"), categories=_SCH),
    ChecklistItem("training_history_proof", _("连续培训或考核经历及每个职业培训规模佐证"), categories=_SOC),
    ChecklistItem("management_rules", _("职业技能等级认定管理制度汇编"), categories=_SOC),
    ChecklistItem(
        "staff_list", _("专职工作人员、内部质量督导员、考评人员及专家团队名单和资质证明"), categories=_SOC,
    ),
    ChecklistItem(
        "reputation_proof", _("行业影响力和良好声誉佐证材料"), required=False, categories=_SOC,
    ),
)

RENEWAL_FACT_FIELDS = (
    _bool("in_good_standing", _("总体信誉良好，处于正常开展职业技能等级认定工作（院校：正常办学）状态")),
    FactField("certificates_issued_total", _("有效期内核发证书总人数"), FactKind.INTEGER, unit=_("人次")),
    FactField(
        "certificates_issued", _("有效期内该职业（工种）核发证书人数"), FactKind.INTEGER, unit=_("人次"),
        per_occupation=True, categories=_SOC,
    ),
    _bool("certificates_linked_to_pay", _("已按报备承诺实现证书与岗位使用相结合、与待遇相匹配"), categories=_EMP),
    _bool("core_conditions_still_met", _("场地、设备、人员等核心条件仍符合国家职业标准要求"), categories=_SOC),
)

RENEWAL_CHECKLIST = (
    ChecklistItem("renewal_form", _("贵州省职业技能等级认定机构续期申请表")),
    ChecklistItem(
        "work_report", _("有效期内职业技能等级认定工作开展情况报告"),
        help=_("含认定职业（工种）、等级、获证人员明细、制度执行情况、质量管控措施等。"),
    ),
    ChecklistItem("conditions_evidence", _("场地、设备、人员等核心条件保持符合要求的佐证材料")),
    ChecklistItem("pay_link_evidence", _("证书使用与待遇挂钩的专项佐证材料"), categories=_EMP),
    ChecklistItem("supplementary", _("其他按要求需提交的补充材料"), required=False),
)


# --- checks that need more than a shared shape ---


def _training_problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
    exempt = bool(to_bool(occupation_fact(facts, occupation, "is_new_occupation"))) or bool(
        to_bool(facts.facts.get("local_feature_enterprise"))
    )
    outcomes: list[Outcome] = []
    if not exempt:
        outcomes.append(
            compare_minimum(
                occupation_fact(facts, occupation, "training_years"), MIN_TRAINING_YEARS, unit=gettext_noop("年"),
                label=gettext_noop("连续培训或考核经历"), field_label=gettext_noop("连续培训或考核年限"),
            )
        )
    threshold = MIN_TRAINEES_EXEMPT if exempt else MIN_TRAINEES
    outcomes.append(
        compare_minimum(occupation_fact(facts, occupation, "trainees"), threshold, unit=gettext_noop("人次"),
                        label=gettext_noop("培训规模"))
    )
    name = about(occupation_label(occupation))
    comma = ", " if is_english() else "，"
    failed = [reason for verdict, reason in outcomes if verdict == Verdict.FAIL]
    if failed:
        note = gettext("（新职业或贵州地方特色企业不受年限限制，培训规模不少于200人次）") if exempt else ""
        return Verdict.FAIL, name + comma.join(failed) + note
    missing = [reason for verdict, reason in outcomes if verdict == Verdict.NEEDS_EVIDENCE]
    if missing:
        return Verdict.NEEDS_EVIDENCE, name + comma.join(missing)
    return None


def _training_ok(facts: ApplicationFacts) -> str:
    parts = []
    for o in facts.occupations:
        years = occupation_fact(facts, o, "training_years")
        names = {"occupation": occupation_label(o), "years": fmt(years),
                 "trainees": fmt(occupation_fact(facts, o, "trainees"))}
        if years not in (None, ""):
            parts.append(gettext("%(occupation)s连续%(years)s年、培训%(trainees)s人次") % names)
        else:
            parts.append(gettext("%(occupation)s培训%(trainees)s人次") % names)
    return gettext("各申报职业（工种）培训经历和培训规模符合要求：%(declared)s。") % {"declared": clauses(parts)}


def _theory_rooms_or_seats(facts: ApplicationFacts) -> Outcome:
    try:
        rooms = to_decimal(facts.facts.get("theory_rooms"))
        seats = to_decimal(facts.facts.get("computer_seats"))
    except InvalidValue:
        return Verdict.NEEDS_EVIDENCE, gettext("标准化考场数量或可同时机考人数填报值无法识别，请填写数字。")
    if rooms is None and seats is None:
        return Verdict.NEEDS_EVIDENCE, gettext("未填报标准化考场数量或可同时机考人数。")
    declared = enumeration((
        gettext("标准化考场%(n)s") % {"n": quantity(rooms, _("个")) if rooms is not None else gettext("未填报")},
        gettext("可同时机考%(n)s") % {"n": quantity(seats, _("人")) if seats is not None else gettext("未填报")},
    ))
    figures = {"declared": declared, "rooms": MIN_THEORY_ROOMS, "seats": MIN_COMPUTER_SEATS}
    if (rooms is not None and rooms >= MIN_THEORY_ROOMS) or (seats is not None and seats >= MIN_COMPUTER_SEATS):
        return Verdict.PASS, gettext("%(declared)s，达到%(rooms)s个以上标准化考场或%(seats)s人以上机考考场。") % figures
    return Verdict.FAIL, gettext("%(declared)s，未达到%(rooms)s个以上标准化考场或%(seats)s人以上机考考场。") % figures


def _functional_rooms(facts: ApplicationFacts) -> Outcome:
    rooms = SOCIAL_ROOMS if facts.category == SOCIAL_ORGANIZATION else SCHOOL_ROOMS
    return all_of(
        rooms,
        lacking=gettext_noop("办公场地缺少功能区域"),
        ok=gettext("办公场地设有%(rooms)s等功能区域。") % {"rooms": enumeration(said(label) for _, label in rooms)},
    )(facts)


def _school_dedicated_unit(facts: ApplicationFacts) -> Outcome:
    unit = all_of(
        (("dedicated_unit", gettext_noop("职业技能等级认定专职内设机构")),), lacking=gettext_noop("未建立"),
        ok=gettext_noop("已建立职业技能等级认定专职内设机构"),
    )(facts)
    staff = compare_minimum(
        facts.facts.get("full_time_staff"), 1, unit=gettext_noop("人"), label=gettext_noop("专职人员"),
        field_label=gettext_noop("专职人员人数"),
    )
    if unit[0] == Verdict.FAIL:
        return unit
    if staff[0] == Verdict.FAIL:
        return Verdict.FAIL, gettext("%(reason)s，未配备专职人员。") % {"reason": staff[1]}
    if unit[0] == Verdict.NEEDS_EVIDENCE:
        return unit
    if staff[0] == Verdict.NEEDS_EVIDENCE:
        return Verdict.NEEDS_EVIDENCE, sentence(staff[1])
    return Verdict.PASS, gettext("已建立职业技能等级认定专职内设机构，配备专职人员%(n)s人。") % {
        "n": fmt(facts.facts.get("full_time_staff"))}


def _government_body(facts: ApplicationFacts) -> Outcome:
    # 003 第七条(一): unlike Guangdong, schools, public training bases and research institutes are not excluded as
    # units of government. The article names 社会培训评价组织, but its lead-in ("不得申报成为评价机构") covers all three
    # categories, so it is applied to every category. A 事业单位 is a unit of government whatever it declares.
    declared = to_bool(facts.facts.get("is_government_affiliated"))
    exempt = (
        facts.category == SCHOOL
        or bool(to_bool(facts.facts.get("is_school")))
        or bool(to_bool(facts.facts.get("is_public_training_base")))
        or bool(to_bool(facts.facts.get("is_research_institute")))
    )
    if declared is None and facts.nature != PUBLIC_INSTITUTION:
        return Verdict.NEEDS_EVIDENCE, gettext("未声明是否属于政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）。")
    if not declared and facts.nature != PUBLIC_INSTITUTION:
        return Verdict.PASS, gettext("已声明不属于政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）。")
    if exempt:
        return Verdict.PASS, gettext("院校、公共实训基地、科研院所不属于第七条（一）排除的事业单位。")
    return (
        Verdict.FAIL,
        gettext("申请机构属于政府及其所属部门（院校、公共实训基地、科研院所以外的事业单位，或未与政府部门脱钩的社会团体），"
                "不得申报。"),
    )


def _lease(facts: ApplicationFacts) -> Outcome:
    verdict, reason = compare_minimum(facts.facts.get("lease_years"), MIN_LEASE_YEARS, unit=gettext_noop("年"),
                                      label=gettext_noop("场地租赁期限"))
    return verdict, sentence(reason)


def _employer_occupation_problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
    checks = (
        ("matches_main_business", gettext_noop("与本单位主营业务直接相关")),
        ("has_skill_post", gettext_noop("在岗位设置中有明确对应的技能岗位")),
    )
    values = [(said(label), to_bool(occupation_fact(facts, occupation, key))) for key, label in checks]
    absent = [label for label, value in values if value is False]
    if absent:
        return Verdict.FAIL, gettext("%(occupation)s不符合：%(label)s") % {
            "occupation": occupation_label(occupation), "label": enumeration(absent)}
    undeclared = [label for label, value in values if value is None]
    if undeclared:
        return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s未声明是否%(label)s") % {
            "occupation": occupation_label(occupation), "label": enumeration(undeclared)}
    return None


RULES = (
    Rule(
        "gz.registered_in_province",
        _("在贵州省行政区域内依法登记。"),
        "003 第二条",
        ("registered_province_code",),
        registered_in("52", gettext_noop("贵州省")),
    ),
    Rule(
        "gz.skill_type",
        _("认定职业（工种）为《中华人民共和国职业分类大典》中的技能类职业（工种）。"),
        "003 第十八条 按国家现行政策执行（人社部发〔2019〕90号）",
        ("occupations",),
        skill_type_only(),
    ),
    Rule(
        "gz.access_type_excluded",
        _("准入类职业资格不纳入职业技能等级认定范围。"),
        "003 第十八条 按国家现行政策执行（人社部发〔2019〕90号）",
        ("occupations",),
        access_type_excluded(),
    ),
    Rule(
        "gz.standard_or_norm",
        _("认定职业（工种）有国家职业技能标准或经人力资源社会保障部备案的评价规范。"),
        "003 第四条(五)、第五条(三)、第六条(七) 符合国家职业标准要求",
        ("occupations",),
        standard_or_norm(),
    ),
    Rule(
        "gz.venue_standard",
        _("用于开展职业技能等级认定的场地及设施设备符合国家职业标准要求。"),
        "003 第四条(五)、第五条(三)、第六条(七)",
        ("venue_meets_national_standard", "doc:venue_photos"),
        with_documents(
            all_of(
                (("venue_meets_national_standard", gettext_noop("场地及设施设备符合国家职业标准要求")),),
                lacking=gettext_noop("不符合"),
                ok=gettext_noop("场地及设施设备符合国家职业标准要求。"),
            ),
            ("venue_photos", gettext_noop("认定场地、考场及功能区域照片和设施设备清单")),
        ),
    ),
    Rule(
        "gz.venue_safety",
        _("用于开展职业技能等级认定的场地及设施设备满足消防安全、环保、劳保等相关规定。"),
        "003 第四条(五)、第五条(三)、第六条(七)",
        ("venue_meets_safety_rules",),
        all_of(
            (("venue_meets_safety_rules", gettext_noop("场地及设施设备满足消防安全、环保、劳保等相关规定")),),
            lacking=gettext_noop("不符合"),
            ok=gettext_noop("场地及设施设备满足消防安全、环保、劳保等相关规定。"),
        ),
    ),
    # 第四条 用人单位
    Rule(
        "gz.employer_type",
        _("属于以技能人员为主体的规模以上企业、产业链链主企业、行业龙头企业，或有意愿、有条件开展技能等级认定的“专精特新”企业、地方特色企业。"),
        "003 第四条(一)",
        ("is_qualifying_employer", "doc:qualifying_employer_proof"),
        with_documents(
            all_of(
                (("is_qualifying_employer", gettext_noop("规模以上企业、链主企业、龙头企业、“专精特新”企业或地方特色企业")),),
                lacking=gettext_noop("不属于"),
                ok=gettext_noop("属于第四条（一）所列企业类型。"),
            ),
            ("qualifying_employer_proof", gettext_noop("企业类型证明")),
        ),
        categories=_EMP,
    ),
    Rule(
        "gz.pay_link",
        _("已建立技能人才培养与使用相结合、评价与激励相衔接的工作体系，实现职业技能等级与工资待遇、岗位晋升、培训机会等直接挂钩。"),
        "003 第四条(二)",
        ("level_linked_to_pay", "doc:pay_link_proof"),
        with_documents(
            all_of(
                (("level_linked_to_pay", gettext_noop("职业技能等级与工资待遇、岗位晋升、培训机会等直接挂钩")),),
                lacking=gettext_noop("尚未实现"),
                ok=gettext_noop("职业技能等级已与工资待遇、岗位晋升、培训机会等直接挂钩。"),
            ),
            ("pay_link_proof", gettext_noop("技能等级与薪酬、岗位晋升、培训机会挂钩的制度及佐证")),
        ),
        categories=_EMP,
    ),
    Rule(
        "gz.occupation_matches_business",
        _("申请认定的职业（工种）与本单位主营业务直接相关，且在岗位设置中有明确对应的技能岗位。"),
        "003 第四条(三)",
        ("occupations", "matches_main_business", "has_skill_post"),
        each_occupation(
            _employer_occupation_problem,
            ok=gettext_noop("所申报职业（工种）均与本单位主营业务直接相关，且有明确对应的技能岗位。"),
        ),
        categories=_EMP,
    ),
    Rule(
        "gz.employer_rules",
        _("已制定完善的技能人才队伍建设相关制度及职业技能等级认定实施方案。"),
        "003 第四条(四)",
        ("has_talent_rules", "has_implementation_plan", "doc:implementation_plan"),
        with_documents(
            all_of(
                (
                    ("has_talent_rules", gettext_noop("技能人才队伍建设相关制度")),
                    ("has_implementation_plan", gettext_noop("职业技能等级认定实施方案")),
                ),
                lacking=gettext_noop("尚未制定"),
                ok=gettext_noop("已制定技能人才队伍建设相关制度及职业技能等级认定实施方案。"),
            ),
            ("implementation_plan", gettext_noop("职业技能等级认定实施方案及技能人才队伍建设制度")),
        ),
        categories=_EMP,
    ),
    # 第五条 院校
    Rule(
        "gz.school_major_match",
        _("拟开展认定的职业（工种）与本校开设专业相匹配。"),
        "003 第五条(一)",
        ("occupations", "matches_school_major", "doc:school_majors"),
        with_documents(
            per_occupation_flag("matches_school_major", gettext_noop("与本校开设专业相匹配"), ok=gettext_noop("所申报职业（工种）均与本校开设专业相匹配。")
            ),
            ("school_majors", gettext_noop("开设专业及办学层次证明")),
        ),
        categories=_SCH,
    ),
    Rule(
        "gz.school_level",
        _("职业（工种）等级与办学层次相一致，不高于学校办学层次。"),
        "003 第五条(一)",
        ("occupations", "school_training_level"),
        levels_not_above_training(label=gettext_noop("学校办学层次")),
        categories=_SCH,
    ),
    Rule(
        "gz.school_candidates",
        _("评价对象为本校全日制在校学生，评价时间限定为毕业年度或专业全课程结课后。"),
        "003 第五条(一)",
        ("evaluates_own_students_only",),
        all_of(
            (("evaluates_own_students_only", gettext_noop("只评价本校全日制在校学生，且在毕业年度或专业全课程结课后评价")),),
            lacking=gettext_noop("不符合"),
            ok=gettext_noop("只评价本校全日制在校学生，评价时间为毕业年度或专业全课程结课后。"),
        ),
        categories=_SCH,
    ),
    Rule(
        "gz.dedicated_unit",
        _("已建立职业技能等级认定专职内设机构，配备相应专职人员。"),
        "003 第五条(二)",
        ("dedicated_unit", "full_time_staff", "doc:dedicated_unit_proof"),
        with_documents(_school_dedicated_unit, ("dedicated_unit_proof", gettext_noop("专职内设机构设立文件及人员名单"))),
        categories=_SCH,
    ),
    Rule(
        "gz.stable_funding",
        _("有稳定经费保障。"),
        "003 第五条(二)",
        ("has_stable_funding",),
        all_of((("has_stable_funding", gettext_noop("稳定经费保障")),), lacking=gettext_noop("缺少"), ok=gettext_noop("有稳定经费保障。")),
        categories=_SCH,
    ),
    Rule(
        "gz.functional_rooms",
        _("办公场地设有考务室、保密室、档案室（社会培训评价组织另设候考室）等功能区域。"),
        "003 第五条(二)、第六条(七)",
        tuple(key for key, _ in SOCIAL_ROOMS),
        _functional_rooms,
        categories=_cats(SCHOOL, SOCIAL_ORGANIZATION),
    ),
    # 第六条 社会培训评价组织
    Rule(
        "gz.occupation_related",
        _("拟开展认定的职业（工种）与本单位主营业务（企业）、开设专业（院校）或登记/批准的培训评价业务范围（民办非企业单位、社会团体）密切相关。"),
        "003 第六条(二)",
        ("occupations", "matches_main_business"),
        per_occupation_flag("matches_main_business", gettext_noop("与本单位主营业务、开设专业或登记的培训评价业务范围密切相关"),
            ok=gettext_noop("所申报职业（工种）均与本单位主营业务、开设专业或登记的培训评价业务范围密切相关。"),
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.training_history",
        format_lazy(_("具有连续{min_training_years}年以上相关职业培训或考核经历，且每个职业（工种）培训规模不少于{min_trainees}人次；开展人力资源社会保障部公布的新职业（工种）的机构及具有贵州地方性特色的企业，不受培训年限限制，但每个职业（工种）培训规模不少于{min_trainees_exempt}人次。"), min_training_years=MIN_TRAINING_YEARS, min_trainees=MIN_TRAINEES, min_trainees_exempt=MIN_TRAINEES_EXEMPT),
        "003 第六条(三)",
        ("occupations", "training_years", "trainees", "is_new_occupation", "local_feature_enterprise",
         "doc:training_history_proof"),
        with_documents(
            each_occupation(_training_problem, ok=_training_ok),
            ("training_history_proof", gettext_noop("连续培训或考核经历及每个职业培训规模佐证")),
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.management_rules",
        format_lazy(_("已制定完善的职业技能等级认定相关管理制度，包含但不限于{rules}等。"),
                    rules=enumeration_lazy(tuple(_(label) for _key, label in MANAGEMENT_RULES))),
        "003 第六条(四)",
        (*(key for key, _ in MANAGEMENT_RULES), "doc:management_rules"),
        with_documents(
            all_of(MANAGEMENT_RULES, lacking=gettext_noop("尚未制定以下管理制度"), ok=gettext_noop("七项管理制度均已制定。")),
            ("management_rules", gettext_noop("职业技能等级认定管理制度汇编")),
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.full_time_staff",
        format_lazy(_("具有与认定工作相适应的专职工作人员，数量不少于{min_full_time_staff}人。"), min_full_time_staff=MIN_FULL_TIME_STAFF),
        "003 第六条(五)",
        ("full_time_staff",),
        minimum(
            "full_time_staff", MIN_FULL_TIME_STAFF, unit=gettext_noop("人"), label=gettext_noop("专职工作人员"), field_label=gettext_noop("专职工作人员人数")
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.internal_supervisors",
        format_lazy(_("内部质量督导员不少于{min_internal_supervisors}人。"), min_internal_supervisors=MIN_INTERNAL_SUPERVISORS),
        "003 第六条(六)",
        ("internal_supervisors", "doc:staff_list"),
        with_documents(
            minimum(
                "internal_supervisors", MIN_INTERNAL_SUPERVISORS, unit=gettext_noop("人"), label=gettext_noop("内部质量督导员"),
                field_label=gettext_noop("内部质量督导员人数"),
            ),
            ("staff_list", gettext_noop("专职工作人员、内部质量督导员、考评人员及专家团队名单和资质证明")),
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.assessors_per_occupation",
        format_lazy(_("每个拟认定职业（工种）的考评人员不少于{min_assessors_per_occupation}人。"), min_assessors_per_occupation=MIN_ASSESSORS_PER_OCCUPATION),
        "003 第六条(六)",
        ("occupations", "assessors"),
        per_occupation_minimum(
            "assessors", MIN_ASSESSORS_PER_OCCUPATION, unit=gettext_noop("人"), label=gettext_noop("考评人员"), field_label=gettext_noop("考评人员人数")
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.expert_team",
        _("拥有与拟认定职业（工种）、等级相匹配的专家团队（人数不限）。"),
        "003 第六条(六)",
        ("has_expert_team",),
        all_of(
            (("has_expert_team", gettext_noop("与拟认定职业（工种）、等级相匹配的专家团队")),),
            lacking=gettext_noop("缺少"),
            ok=gettext_noop("拥有与拟认定职业（工种）、等级相匹配的专家团队。"),
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.lease_years",
        format_lazy(_("场地为自有或租赁，租赁期限不少于{min_lease_years}年。"), min_lease_years=MIN_LEASE_YEARS),
        "003 第六条(七)",
        ("is_venue_leased", "lease_years", "doc:venue_proof"),
        with_documents(
            applicable_when(
                "is_venue_leased", _lease, question=gettext_noop("场地是否为租赁"), not_applicable=gettext_noop("场地为自有，不受租赁期限要求。")
            ),
            ("venue_proof", gettext_noop("场地产权证明或租赁合同")),
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.office_area",
        format_lazy(_("办公场地面积不少于{min_office_area_m2}平方米。"), min_office_area_m2=MIN_OFFICE_AREA_M2),
        "003 第六条(七)",
        ("office_area_m2",),
        minimum("office_area_m2", MIN_OFFICE_AREA_M2, unit="m²", label=gettext_noop("办公场地面积")),
        categories=_SOC,
    ),
    Rule(
        "gz.office_equipment",
        _("配备必要的办公设备和通信设备。"),
        "003 第六条(七)",
        ("has_office_equipment",),
        all_of(
            (("has_office_equipment", gettext_noop("必要的办公设备和通信设备")),), lacking=gettext_noop("缺少"), ok=gettext_noop("配备必要的办公设备和通信设备。")
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.theory_rooms_or_seats",
        format_lazy(_("理论知识考试配备{min_theory_rooms}个以上标准化考场（多媒体教室）或能同时满足{min_computer_seats}人以上机考的考场。"), min_theory_rooms=MIN_THEORY_ROOMS, min_computer_seats=MIN_COMPUTER_SEATS),
        "003 第六条(七)",
        ("theory_rooms", "computer_seats"),
        _theory_rooms_or_seats,
        categories=_SOC,
    ),
    Rule(
        "gz.single_desk",
        _("考场实行单人单桌。"),
        "003 第六条(七)",
        ("single_desk",),
        all_of((("single_desk", gettext_noop("考场单人单桌")),), lacking=gettext_noop("不符合"), ok=gettext_noop("考场实行单人单桌。")),
        categories=_SOC,
    ),
    Rule(
        "gz.desk_spacing",
        format_lazy(_("考场桌椅间距≥{min_desk_spacing_cm}cm。"), min_desk_spacing_cm=MIN_DESK_SPACING_CM),
        "003 第六条(七)",
        ("desk_spacing_cm",),
        minimum("desk_spacing_cm", MIN_DESK_SPACING_CM, unit="cm", label=gettext_noop("考场桌椅间距")),
        categories=_SOC,
    ),
    Rule(
        "gz.surveillance",
        _("理论考场配备视频监控设备；操作技能考核视频监控实现全覆盖。"),
        "003 第六条(七)",
        ("has_exam_room_surveillance", "has_full_practical_video_coverage"),
        all_of(
            (
                ("has_exam_room_surveillance", gettext_noop("理论考场视频监控设备")),
                ("has_full_practical_video_coverage", gettext_noop("操作技能考核视频监控全覆盖")),
            ),
            lacking=gettext_noop("缺少"),
            ok=gettext_noop("理论考场配备视频监控设备，操作技能考核视频监控全覆盖。"),
        ),
        categories=_SOC,
    ),
    # 第七条 负面清单
    Rule(
        "gz.negative.government_body",
        _("政府及其所属部门（特指除院校、公共实训基地、科研院所之外的事业单位，以及未与政府部门脱钩的社会团体）不得申报。"),
        "003 第七条(一)",
        ("is_government_affiliated", "nature", "is_school", "is_public_training_base", "is_research_institute"),
        _government_body,
        negative_list=True,
    ),
    Rule(
        "gz.negative.violations",
        _("机构及法定代表人在培训评价领域存在违法违规行为或失信记录的不得申报。"),
        "003 第七条(二)",
        ("has_violation_record",),
        must_not("has_violation_record", gettext_noop("机构及法定代表人在培训评价领域存在违法违规行为或失信记录")),
        negative_list=True,
    ),
    Rule(
        "gz.negative.civil_affairs_inspection",
        _("社会团体、民办非企业单位近3年内经民政部门年检不合格的不得申报。"),
        "003 第七条(三)",
        ("nature", "failed_annual_inspection_3y"),
        must_not("failed_annual_inspection_3y", gettext_noop("近3年内经民政部门年检不合格"), natures=CIVIL_AFFAIRS_NATURES),
        negative_list=True,
    ),
    Rule(
        "gz.negative.illegal_social_organization",
        _("社会团体、民办非企业单位被列入民政部门非法社会组织名单的不得申报。"),
        "003 第七条(四)",
        ("nature", "on_illegal_org_list"),
        must_not("on_illegal_org_list", gettext_noop("被列入民政部门非法社会组织名单"), natures=CIVIL_AFFAIRS_NATURES),
        negative_list=True,
    ),
    Rule(
        "gz.negative.abnormal_operation",
        _("企业近3年内在市场监管部门公布的经营异常目录内的不得申报。"),
        "003 第七条(五)",
        ("nature", "abnormal_operation_3y"),
        must_not("abnormal_operation_3y", gettext_noop("近3年内在市场监管部门公布的经营异常目录内"), natures=frozenset({ENTERPRISE})),
        negative_list=True,
    ),
    Rule(
        "gz.negative.unfinished_rectification",
        _("已开展的职业技能培训评价业务被纳入巡视、巡察、审计等专项整治范围，且尚未整改完成的不得申报。"),
        "003 第七条(六)",
        ("under_unfinished_rectification",),
        must_not("under_unfinished_rectification", gettext_noop("职业技能培训评价业务被纳入巡视、巡察、审计等专项整治范围且尚未整改完成")
        ),
        negative_list=True,
    ),
)

RENEWAL_RULES = (
    Rule(
        "gz.renewal.good_standing",
        _("总体信誉良好，处于正常开展职业技能等级认定工作（院校：正常办学）状态。"),
        "003 第八条(一)、第九条(一)、第十条(一)",
        ("in_good_standing",),
        all_of(
            (("in_good_standing", gettext_noop("总体信誉良好，处于正常开展认定工作（正常办学）状态")),),
            lacking=gettext_noop("不符合"),
            ok=gettext_noop("总体信誉良好，处于正常状态。"),
        ),
    ),
    Rule(
        "gz.renewal.certificates_total",
        format_lazy(_("有效期内组织开展职业技能等级认定并核发证书人数：用人单位不少于{employer}人次，院校不少于{school}人次，社会培训评价组织总人数不少于{social_organization}人次。"), employer=RENEWAL_MIN_CERTIFICATES[EMPLOYER], school=RENEWAL_MIN_CERTIFICATES[SCHOOL], social_organization=RENEWAL_MIN_CERTIFICATES[SOCIAL_ORGANIZATION]),
        "003 第八条(二)、第九条(二)、第十条(二)",
        ("certificates_issued_total",),
        minimum_by_category(
            "certificates_issued_total", RENEWAL_MIN_CERTIFICATES, unit=gettext_noop("人次"), label=gettext_noop("有效期内核发证书")
        ),
    ),
    Rule(
        "gz.renewal.certificates_per_occupation",
        format_lazy(_("申请续期的每个职业（工种）核发证书人数不少于{renewal_min_per_occupation}人次。"), renewal_min_per_occupation=RENEWAL_MIN_PER_OCCUPATION),
        "003 第十条(二)",
        ("occupations", "certificates_issued"),
        per_occupation_minimum(
            "certificates_issued", RENEWAL_MIN_PER_OCCUPATION, unit=gettext_noop("人次"), label=gettext_noop("有效期内核发证书")
        ),
        categories=_SOC,
    ),
    Rule(
        "gz.renewal.pay_link",
        _("员工获得本单位自主认定的职业技能等级证书后，已按报备承诺实现证书与岗位使用相结合、与待遇相匹配的激励制度，并能提供相应佐证材料。"),
        "003 第八条(三)、第十一条(四)",
        ("certificates_linked_to_pay", "doc:pay_link_evidence"),
        with_documents(
            all_of(
                (("certificates_linked_to_pay", gettext_noop("证书与岗位使用相结合、与待遇相匹配")),),
                lacking=gettext_noop("尚未实现"),
                ok=gettext_noop("已实现证书与岗位使用相结合、与待遇相匹配。"),
            ),
            ("pay_link_evidence", gettext_noop("证书使用与待遇挂钩的专项佐证材料")),
        ),
        categories=_EMP,
    ),
    Rule(
        "gz.renewal.core_conditions",
        _("用于开展认定的场地、设备、人员等核心条件仍符合国家职业标准要求，能够保障评价活动正常运行。"),
        "003 第十条(三)、第十一条(三)",
        ("core_conditions_still_met", "doc:conditions_evidence"),
        with_documents(
            all_of(
                (("core_conditions_still_met", gettext_noop("场地、设备、人员等核心条件仍符合国家职业标准要求")),),
                lacking=gettext_noop("不符合"),
                ok=gettext_noop("场地、设备、人员等核心条件仍符合国家职业标准要求。"),
            ),
            ("conditions_evidence", gettext_noop("核心条件保持符合要求的佐证材料")),
        ),
        categories=_SOC,
    ),
)


def _criterion(key: str, label: Text, max_score: int, description: Text) -> RubricCriterion:
    return RubricCriterion(key, label, Decimal(max_score), description)


# 003 第三条 "突出服务产业发展和技能人才培养需求导向": each category is scored on the conditions of its own article,
# with service to industry weighed in; the maxima favour what the basic check can only test as yes/no.
RUBRICS = {
    EMPLOYER: (
        _criterion(
            "industry_service", _("企业代表性与服务产业发展"), 20,
            _("规模以上、链主、龙头、“专精特新”或地方特色企业的代表性；技能人员规模；对产业链技能人才培养的带动作用。"),
        ),
        _criterion(
            "incentive_system", _("培养使用评价激励体系"), 25,
            _("技能人才培养与使用相结合、评价与激励相衔接；职业技能等级与工资待遇、岗位晋升、培训机会挂钩的落实程度和佐证。"),
        ),
        _criterion(
            "post_match", _("职业与岗位匹配"), 20, _("申请职业（工种）与主营业务的相关程度；岗位设置中对应技能岗位的明确程度和人数。")
        ),
        _criterion(
            "rules_and_plan", _("制度与实施方案"), 20, _("技能人才队伍建设制度和认定实施方案的完善程度与质量保障措施。")
        ),
        _criterion(
            "facilities_and_safety", _("场地设施与安全"), 15, _("场地设施设备符合国家职业标准；消防安全、环保、劳保条件。")
        ),
    ),
    SCHOOL: (
        _criterion(
            "major_match", _("专业匹配与办学层次"), 25, _("申请职业（工种）与开设专业的匹配程度；等级与办学层次的一致性；在校生规模。")
        ),
        _criterion(
            "unit_staff_funding", _("专职机构、人员与经费"), 25, _("专职内设机构的设置和职责；专职人员数量与能力；经费保障的稳定性。")
        ),
        _criterion(
            "rooms_and_facilities", _("考务功能区域与场地设施"), 25,
            _("考务室、保密室、档案室等功能区域；场地设施设备符合国家职业标准及消防安全、环保、劳保规定。"),
        ),
        _criterion(
            "candidates_and_quality", _("评价对象管理与质量保障"), 25,
            _("只评价本校全日制在校学生、在毕业年度或全课程结课后评价的管理措施；质量管控和结果应用。"),
        ),
    ),
    SOCIAL_ORGANIZATION: (
        _criterion(
            "influence_and_reputation", _("行业影响力与声誉"), 20,
            _("在拟认定职业领域的影响力和良好声誉；熟悉行业发展趋势和技能人才需求（003 第六条(一)）。"),
        ),
        _criterion(
            "training_history", _("培训考核经历与规模"), 20, _("连续培训或考核经历的年限；每个职业（工种）的培训规模超出基本要求的程度。")
        ),
        _criterion(
            "management_rules", _("管理制度"), 15, _("考务、人员、财务、档案、题库、证书、违规违纪等管理制度的完善程度与执行情况。")
        ),
        _criterion(
            "staff", _("人员队伍"), 20, _("专职工作人员、内部质量督导员、每个职业考评人员和专家团队的数量、资质与匹配程度。")
        ),
        _criterion(
            "venue_and_exam_rooms", _("场地设施与考场规范"), 15,
            _("办公场地与功能区域；标准化考场或机考考场规模；单人单桌与间距；视频监控覆盖；操作技能考核设备。"),
        ),
        _criterion(
            "industry_service", _("服务产业发展与技能人才需求"), 10, _("与贵州产业发展和技能人才培养需求的契合程度（003 第三条）。")
        ),
    ),
}

SETTINGS = PackSettings(
    # 003 sets no publicity period for selection; five working days, the usual term and that of 002 for results.
    publicity_working_days=5,
    # 003 is silent on the exam-plan lead time; ten working days (between Shandong's 5 and the 15 some provinces
    # use) gives the city time to check the plan and arrange supervision in a province of long travel times.
    exam_plan_lead_working_days=10,
    result_publicity_working_days=5,
    # Route (who selects): 003 sets out the conditions, renewal and exit but not the selection procedure. Default of
    # this pack, to be confirmed by the province: the provincial route (cities review and recommend, the province's
    # experts score, the province selects and its leadership group approves, the province publicises), because 003
    # places the filing and its end with the provincial department (第十六条: 省人力资源社会保障厅 issues the
    # termination notice), so the province decides the filing too. A centre route would be SelectionBy.CENTRE.
    selection_by=SelectionBy.PROVINCE,
    # 003 has renewal "有效期内" but does not state the term; three years, as the other packs.
    filing_validity_years=3,
    has_renewal=True,
    # 003 sets no renewal window or reminders; the window opens 90 days before the last valid day (time for the
    # review of 第十一条's materials before expiry) with reminders at 90, 60 and 30 days; the renewed term is
    # filing_validity_years again.
    renewal_window_days=90,
    renewal_reminder_days=(90, 60, 30),
    voluntary_exit_notice_days=30,  # 003 第十三条 提前30日提交书面退出申请
    exit_wrap_up_days=15,  # 003 第十四条 15日内完成收尾工作
    # Complaints (投诉): handled by the supervising city, as certificate changes are; the default deadlines; the
    # complainant has 10 days to say "not satisfied" (a choice: no seed sets it).
    complaint_routing="city",
    complaint_dissatisfaction_days=10,
)


def route(facts: ApplicationFacts, chose_province: bool) -> Route:
    """003 names no filing route. By default an application goes to its city (as in Guangdong and Shandong);
    a province-level institution or central branch may choose to file with the province."""
    if facts.level in (PROVINCE_LEVEL, CENTRAL_LEVEL) and chose_province:
        return PROVINCE_ROUTE
    return CITY_ROUTE


# 003 第十二条 (truthful materials), 第七条 (negative list) and 第十三条至第十六条 (exit) in the form of Shandong's pledge.
INTEGRITY_PLEDGE = gettext_noop(  # signed in Chinese; English mode shows its translation beside it
    "本单位承诺：1.申报材料真实、准确、完整，不存在虚假申报情形，如有虚假，自愿退出申报。"
    "2.不存在《贵州省职业技能等级认定机构遴选及退出实施细则》第七条所列情形。"
    "3.把社会效益放在首位，自愿接受人力资源社会保障部门监管和公众监督，退出时按规定完成证书数据上报和资料归档。"
)

PACK = register(
    PolicyPack(
        key="guizhou",
        province_code="52",
        name="贵州省",
        categories=CATEGORIES,
        fact_fields=FACT_FIELDS,
        checklist=CHECKLIST,
        rules=RULES,
        rubrics=RUBRICS,
        settings=SETTINGS,
        integrity_pledge=INTEGRITY_PLEDGE,
        route=route,
        renewal_fact_fields=RENEWAL_FACT_FIELDS,
        renewal_checklist=RENEWAL_CHECKLIST,
        renewal_rules=RENEWAL_RULES,
    )
)
