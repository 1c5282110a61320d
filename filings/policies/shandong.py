"""Shandong's policy pack (山东, 37): the 2020 pilot of 鲁人社字〔2020〕50号 (seed 002) — five applicant types, at most
three occupations at levels 5/4/3, institution codes and receipts, 2–8 pilot organizations per city.

Seed clauses are cited as "002 一(六)" (file, section, item).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop, pgettext_lazy

from portal.punctuation import clauses, enumeration

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
    PROVINCE_LEVEL,
    PROVINCE_ROUTE,
    InvalidValue,
    Outcome,
    access_type_excluded,
    all_of,
    default_renewal,
    each_occupation,
    fmt,
    level_label,
    levels_not_above_training,
    minimum,
    must_not,
    occupation_fact,
    occupation_label,
    registered_in,
    skill_type_only,
    standard_or_norm,
    to_bool,
    to_decimal,
    with_documents,
)

ENTERPRISE = "enterprise"
INDUSTRY_ASSOCIATION = "industry_association"
UNIVERSITY = "university"
TECHNICAL_SCHOOL = "technical_school"
PRIVATE_TRAINING = "private_training"
SCHOOLS = frozenset({UNIVERSITY, TECHNICAL_SCHOOL})

MAX_OCCUPATIONS = 3
ALLOWED_LEVELS = (5, 4, 3)

CATEGORIES = (
    Category(ENTERPRISE, "企业", _("须先取得技能人才自主评价资质，在本企业自主评价备案范围内申报（002 一(六)、二）。"), label_en="Enterprise"),
    Category(
        INDUSTRY_ASSOCIATION, "行业协会",
        _("应有符合条件能够承担评价工作的单位会员，在协会主体业务范围内申报（002 一(六)、二）。"),
        label_en="Industry association"
    ),
    Category(UNIVERSITY, "高等院校", _("在本校主体专业（工种）范围内申报，等级不得超过学校培养层次（002 二）。"), label_en="University or college"),
    Category(TECHNICAL_SCHOOL, "技工院校", _("在本校主体专业（工种）范围内申报，等级不得超过学校培养层次（002 二）。"), label_en="Technical school"),
    Category(PRIVATE_TRAINING, "民办职业培训机构", _("在本机构开展的主要培训职业（工种）范围内申报（002 二）。"), label_en="Private vocational training institution"),
)


def _cats(*keys: str) -> frozenset[str]:
    return frozenset(keys)


def _bool(key: str, label: Text, help: Text = "", categories: frozenset[str] | None = None) -> FactField:
    return FactField(key, label, FactKind.BOOLEAN, help=help, categories=categories)


STAFF_ROLES = (
    ("has_assessors", gettext_noop("考评人员")),
    ("has_invigilators", gettext_noop("监考人员")),
    ("has_supervisors", gettext_noop("督导人员")),
    ("has_expert_team", gettext_noop("专家团队")),
)

SECURITY_EQUIPMENT = (
    ("has_identity_verification", gettext_noop("身份识别设备")),
    ("has_signal_blocking", gettext_noop("信号屏蔽设备")),
    ("has_av_monitoring", gettext_noop("音频视频监控设备")),
)

# The scope each applicant type applies within (002 二), as the per-occupation declaration reads for it.
SCOPE_LABELS = {
    ENTERPRISE: gettext_noop("在本企业技能人才自主评价备案范围之内"),
    INDUSTRY_ASSOCIATION: gettext_noop("在行业协会的主体业务范围内"),
    UNIVERSITY: gettext_noop("在本校的主体专业（工种）范围内"),
    TECHNICAL_SCHOOL: gettext_noop("在本校的主体专业（工种）范围内"),
    PRIVATE_TRAINING: gettext_noop("在本培训机构开展的主要培训职业（工种）范围内"),
}

FACT_FIELDS = (
    # 一(一)
    _bool("has_financial_rules", _("具有规范的财务制度")),
    _bool("has_management_rules", _("具有规范的管理制度")),
    _bool("has_bad_record", _("存在违法违规、失信等不良行为记录")),
    # 一(二)
    _bool("has_quality_control_rules", _("具有完善的职业技能等级认定工作管理和质量管控制度")),
    _bool("has_emergency_plan", _("有突发情况应急处置预案")),
    # 一(三)
    _bool("dedicated_unit", _("设有专门负责职业技能等级认定工作的内部机构")),
    FactField("full_time_staff", _("专职工作人员人数"), FactKind.INTEGER, unit=_("人")),
    *(_bool(key, format_lazy(_("有满足评价工作的{label}"), label=pgettext_lazy("staff in a question", label))) for key, label in STAFF_ROLES),
    # 一(四)
    _bool("has_standard_theory_room", _("有标准化理论考场")),
    _bool("has_exam_network_and_computers", _("有配套考试所需的网络和考试机")),
    _bool("has_practical_venue", _("有与技能操作考核相适应的场地、设施设备、仪表仪器")),
    *(_bool(key, format_lazy(_("有{label}"), label=_(label))) for key, label in SECURITY_EQUIPMENT),
    # 一(五)
    _bool("has_stable_funding", _("能为职业技能等级认定工作提供稳定的经费保障")),
    _bool("non_profit", _("把社会效益放在首位，不以人才评价为营利目的")),
    # 一(六)
    _bool(
        "holds_self_evaluation_qualification", _("已取得技能人才自主评价资质"), categories=_cats(ENTERPRISE)
    ),
    FactField(
        "capable_member_units", _("符合条件能够承担评价工作的单位会员数量"), FactKind.INTEGER, unit=_("个"),
        categories=_cats(INDUSTRY_ASSOCIATION),
    ),
    # 二 院校
    FactField(
        "school_training_level", _("学校培养层次（可培养的最高职业技能等级）"), FactKind.INTEGER, unit=_("级"),
        help=_("5 五级/初级工、4 四级/中级工、3 三级/高级工、2 二级/技师、1 一级/高级技师。"), categories=SCHOOLS,
    ),
    # 附件1 二：每个职业
    FactField(
        "within_own_scope", _("在本机构申报范围内"), FactKind.BOOLEAN, per_occupation=True,
        help=_("企业：自主评价备案范围；行业协会：主体业务范围；院校：主体专业（工种）；培训机构：主要培训职业（工种）。"),
    ),
    FactField("evaluation_years", _("评价经历时间"), FactKind.DECIMAL, unit=_("年"), per_occupation=True),
    FactField("evaluated_count", _("已评价人数"), FactKind.INTEGER, unit=_("人"), per_occupation=True),
)

CHECKLIST = (
    ChecklistItem("basic_info_form", _("社会培训评价组织基本情况表（附件1）"), help=_("加盖单位公章，法定代表人签字。")),
    ChecklistItem("work_plan", _("社会培训评价组织职业技能等级认定工作方案（附件2）")),
    ChecklistItem("legal_person_certificate", _("法人登记证书复印件")),
    ChecklistItem(
        "staff_credentials", _("管理人员、工作人员在岗在职记录，考评员、督导员有效资质证明"),
        help=_("社保材料、劳务合同、合作协议或颁发的聘书等复印件。"),
    ),
    ChecklistItem("venue_proof", _("满足评价要求的场地、设施、设备等有效证明"), help=_("含权属证明材料。")),
    ChecklistItem("credit_report_or_pledge", _("信用报告或诚信承诺")),
    ChecklistItem(
        "self_evaluation_filing", _("技能人才自主评价备案证明"), categories=_cats(ENTERPRISE),
    ),
    ChecklistItem(
        "member_units_proof", _("能够承担评价工作的单位会员名单及证明"), categories=_cats(INDUSTRY_ASSOCIATION),
    ),
)


# --- checks that need more than a shared shape ---


def _max_occupations(facts: ApplicationFacts) -> Outcome:
    count = len(facts.occupations)
    if count == 0:
        return Verdict.NEEDS_EVIDENCE, gettext("尚未选择申报职业（工种）。")
    figures = {"count": count, "max": MAX_OCCUPATIONS}
    if count > MAX_OCCUPATIONS:
        return Verdict.FAIL, gettext("申报职业（工种）%(count)s个，超过每个评价机构%(max)s个的上限。") % figures
    return Verdict.PASS, gettext("申报职业（工种）%(count)s个，不超过%(max)s个。") % figures


def _level_problem(occupation: OccupationChoice, _facts: ApplicationFacts) -> Outcome | None:
    if not occupation.levels:
        return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s未选择申报等级") % {"occupation": occupation_label(occupation)}
    outside = sorted({level for level in occupation.levels if level not in ALLOWED_LEVELS}, reverse=True)
    if outside:
        return (
            Verdict.FAIL,
            gettext("%(occupation)s申报%(levels)s，试点期间只考评五级/初级工、四级/中级工、三级/高级工") % {
                "occupation": occupation_label(occupation), "levels": enumeration(level_label(x) for x in outside)},
        )
    return None


def _experience_problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
    raw_years = occupation_fact(facts, occupation, "evaluation_years")
    raw_count = occupation_fact(facts, occupation, "evaluated_count")
    names = {"occupation": occupation_label(occupation)}
    try:
        years, count = to_decimal(raw_years), to_decimal(raw_count)
    except InvalidValue:
        return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s评价经历时间或已评价人数填报值无法识别") % names
    if years is None or count is None:
        return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s未填报评价经历时间和已评价人数") % names
    if years <= 0 and count <= 0:
        return (
            Verdict.FAIL,
            gettext("%(occupation)s评价经历%(years)s年、已评价%(count)s人，无该职业（工种）考核评价经验") % {
                **names, "years": fmt(years), "count": fmt(count)},
        )
    return None


def _experience_ok(facts: ApplicationFacts) -> str:
    declared = clauses(
        gettext("%(occupation)s评价经历%(years)s年、已评价%(count)s人") % {
            "occupation": occupation_label(o), "years": fmt(occupation_fact(facts, o, "evaluation_years")),
            "count": fmt(occupation_fact(facts, o, "evaluated_count"))}
        for o in facts.occupations
    )
    return gettext("所申报职业（工种）均有考核评价经验：%(declared)s。") % {"declared": declared}


def _scope(facts: ApplicationFacts) -> str:
    return gettext(SCOPE_LABELS.get(facts.category, gettext_noop("在本机构申报范围内")))


def _scope_problem(occupation: OccupationChoice, facts: ApplicationFacts) -> Outcome | None:
    names = {"occupation": occupation_label(occupation), "label": _scope(facts)}
    value = to_bool(occupation_fact(facts, occupation, "within_own_scope"))
    if value is None:
        return Verdict.NEEDS_EVIDENCE, gettext("%(occupation)s未声明是否%(label)s") % names
    if not value:
        return Verdict.FAIL, gettext("%(occupation)s不%(label)s") % names
    return None


def _scope_ok(facts: ApplicationFacts) -> str:
    return gettext("所申报职业（工种）均%(scope)s。") % {"scope": _scope(facts)}


RULES = (
    Rule(
        "sd.registered_in_province",
        _("在山东省内依法登记。"),
        "002 一(一)",
        ("registered_province_code",),
        registered_in("37", gettext_noop("山东省")),
    ),
    Rule(
        "sd.finance_and_management_rules",
        _("具有规范的财务制度和管理制度。"),
        "002 一(一)",
        ("has_financial_rules", "has_management_rules"),
        all_of(
            (("has_financial_rules", gettext_noop("规范的财务制度")), ("has_management_rules", gettext_noop("规范的管理制度"))),
            lacking=gettext_noop("缺少"),
            ok=gettext_noop("具有规范的财务制度和管理制度。"),
        ),
    ),
    Rule(
        "sd.credit_record",
        _("社会信用良好，无违法违规、失信等不良行为记录。"),
        "002 一(一)",
        ("has_bad_record",),
        must_not("has_bad_record", gettext_noop("违法违规、失信等不良行为记录")),
        negative_list=True,
    ),
    Rule(
        "sd.evaluation_experience",
        _("在所申报职业（工种）方面有较丰富的考核评价经验。"),
        "002 一(二)；附件1 二 评价经历时间、已评价人数",
        ("occupations", "evaluation_years", "evaluated_count"),
        each_occupation(_experience_problem, ok=_experience_ok),
    ),
    Rule(
        "sd.quality_rules",
        _("具有完善的职业技能等级认定工作管理和质量管控制度。"),
        "002 一(二)",
        ("has_quality_control_rules",),
        all_of(
            (("has_quality_control_rules", gettext_noop("职业技能等级认定工作管理和质量管控制度")),),
            lacking=gettext_noop("缺少"),
            ok=gettext_noop("具有完善的职业技能等级认定工作管理和质量管控制度。"),
        ),
    ),
    Rule(
        "sd.emergency_plan",
        _("有突发情况应急处置预案。"),
        "002 一(二)",
        ("has_emergency_plan",),
        all_of((("has_emergency_plan", gettext_noop("突发情况应急处置预案")),), lacking=gettext_noop("缺少"), ok=gettext_noop("有突发情况应急处置预案。")),
    ),
    Rule(
        "sd.dedicated_unit",
        _("设有专门负责职业技能等级认定工作的内部机构。"),
        "002 一(三)",
        ("dedicated_unit",),
        all_of(
            (("dedicated_unit", gettext_noop("专门负责职业技能等级认定工作的内部机构")),),
            lacking=gettext_noop("未设"),
            ok=gettext_noop("设有专门负责职业技能等级认定工作的内部机构。"),
        ),
    ),
    Rule(
        "sd.full_time_staff",
        _("配备与评价工作相适应的专职工作人员。"),
        "002 一(三)",
        ("full_time_staff",),
        minimum("full_time_staff", 1, unit=gettext_noop("人"), label=gettext_noop("专职工作人员"), field_label=gettext_noop("专职工作人员人数")),
    ),
    Rule(
        "sd.staff_roles",
        _("具有满足评价工作的考评人员、监考人员、督导人员和专家团队，并提供考评员、督导员有效资质证明。"),
        "002 一(三)；三(一)4",
        (*(key for key, _ in STAFF_ROLES), "doc:staff_credentials"),
        with_documents(
            all_of(STAFF_ROLES, lacking=gettext_noop("缺少"), ok=gettext_noop("具有考评人员、监考人员、督导人员和专家团队。")),
            ("staff_credentials", gettext_noop("管理人员、工作人员在岗在职记录，考评员、督导员有效资质证明")),
        ),
    ),
    Rule(
        "sd.theory_exam_room",
        _("有标准化理论考场、配套考试所需的网络和考试机。"),
        "002 一(四)",
        ("has_standard_theory_room", "has_exam_network_and_computers"),
        all_of(
            (
                ("has_standard_theory_room", gettext_noop("标准化理论考场")),
                ("has_exam_network_and_computers", gettext_noop("配套考试所需的网络和考试机")),
            ),
            lacking=gettext_noop("缺少"),
            ok=gettext_noop("有标准化理论考场及配套考试所需的网络和考试机。"),
        ),
    ),
    Rule(
        "sd.practical_venue",
        _("有与技能操作考核相适应的场地、设施设备、仪表仪器。"),
        "002 一(四)；三(一)5",
        ("has_practical_venue", "doc:venue_proof"),
        with_documents(
            all_of(
                (("has_practical_venue", gettext_noop("与技能操作考核相适应的场地、设施设备、仪表仪器")),),
                lacking=gettext_noop("缺少"),
                ok=gettext_noop("有与技能操作考核相适应的场地、设施设备、仪表仪器。"),
            ),
            ("venue_proof", gettext_noop("场地、设施、设备等有效证明")),
        ),
    ),
    Rule(
        "sd.exam_security_equipment",
        _("有身份识别、信号屏蔽、音频视频监控等信息管理设备。"),
        "002 一(四)",
        tuple(key for key, _ in SECURITY_EQUIPMENT),
        all_of(SECURITY_EQUIPMENT, lacking=gettext_noop("缺少"), ok=gettext_noop("有身份识别、信号屏蔽、音频视频监控等信息管理设备。")),
    ),
    Rule(
        "sd.funding",
        _("能为职业技能等级认定工作提供稳定的经费保障。"),
        "002 一(五)",
        ("has_stable_funding",),
        all_of((("has_stable_funding", gettext_noop("稳定的经费保障")),), lacking=gettext_noop("缺少"), ok=gettext_noop("能提供稳定的经费保障。")),
    ),
    Rule(
        "sd.non_profit",
        _("把社会效益放在首位，不以人才评价为营利目的。"),
        "002 一(五)",
        ("non_profit",),
        all_of(
            (("non_profit", gettext_noop("把社会效益放在首位，不以人才评价为营利目的")),),
            lacking=gettext_noop("不符合"),
            ok=gettext_noop("把社会效益放在首位，不以人才评价为营利目的。"),
        ),
    ),
    Rule(
        "sd.enterprise_self_evaluation",
        _("企业申请职业技能等级认定试点工作的，须先取得技能人才自主评价资质。"),
        "002 一(六)",
        ("holds_self_evaluation_qualification", "doc:self_evaluation_filing"),
        with_documents(
            all_of(
                (("holds_self_evaluation_qualification", gettext_noop("技能人才自主评价资质")),),
                lacking=gettext_noop("尚未取得"),
                ok=gettext_noop("已取得技能人才自主评价资质。"),
            ),
            ("self_evaluation_filing", gettext_noop("技能人才自主评价备案证明")),
        ),
        categories=_cats(ENTERPRISE),
    ),
    Rule(
        "sd.association_member_units",
        _("行业协会申请职业技能等级认定试点工作的，应有符合条件能够承担评价工作的单位会员。"),
        "002 一(六)",
        ("capable_member_units", "doc:member_units_proof"),
        with_documents(
            minimum(
                "capable_member_units", 1, unit=gettext_noop("个"), label=gettext_noop("能够承担评价工作的单位会员"),
                field_label=gettext_noop("能够承担评价工作的单位会员数量"),
            ),
            ("member_units_proof", gettext_noop("能够承担评价工作的单位会员名单及证明")),
        ),
        categories=_cats(INDUSTRY_ASSOCIATION),
    ),
    Rule(
        "sd.occupation_within_scope",
        _("企业在本企业技能人才自主评价备案范围之内申报；行业协会在主体业务范围内申报；高等院校、技工院校在本校主体专业（工种）范围内申报；"
        "民办职业培训机构在本机构开展的主要培训职业（工种）范围内申报。"),
        "002 二",
        ("occupations", "within_own_scope"),
        each_occupation(_scope_problem, ok=_scope_ok),
    ),
    Rule(
        "sd.school_level_not_above_training",
        _("高等院校、技工院校开展的认定工作等级不得超过学校的培养层次。"),
        "002 二",
        ("occupations", "school_training_level"),
        levels_not_above_training(),
        categories=SCHOOLS,
    ),
    Rule(
        "sd.max_occupations",
        format_lazy(_("每个评价机构试点评价职业（工种）不得超过{max_occupations}个。"), max_occupations=MAX_OCCUPATIONS),
        "002 二 每个评价机构试点评价职业（工种）不得超过3个",
        ("occupations",),
        _max_occupations,
    ),
    Rule(
        "sd.levels",
        _("试点期间职业技能等级原则考评三级：五级/初级工、四级/中级工、三级/高级工。"),
        "002 二 试点期间，职业技能等级原则考评三级",
        ("occupations",),
        each_occupation(_level_problem, ok=gettext_noop("所选等级均在五级/初级工、四级/中级工、三级/高级工范围内。")),
    ),
    Rule(
        "sd.skill_type",
        _("试点职业（工种）为现行《中华人民共和国职业分类大典》中技能类职业（工种），以及后续经人力资源社会保障部发布或备案的技能类职业（工种）。"),
        "002 二",
        ("occupations",),
        skill_type_only(),
    ),
    Rule(
        "sd.access_type_excluded",
        _("准入类职业资格不纳入评价范围。"),
        "002 二",
        ("occupations",),
        access_type_excluded(),
    ),
    Rule(
        "sd.standard_or_norm",
        _("评价职业（工种）有国家职业技能标准，或有经人力资源社会保障部备案的评价规范。"),
        "002 二",
        ("occupations",),
        standard_or_norm(),
    ),
)


def _criterion(key: str, label: Text, max_score: int, description: Text) -> RubricCriterion:
    return RubricCriterion(key, label, Decimal(max_score), description)


# 002 三(二)4 "材料核验、专家论证、现场考察等方式进行技术评估": the criteria follow the five conditions of 002 一 and
# the work plan of annex 2; influence and experience weigh most, as the seed puts them first among the conditions.
_RUBRIC = (
    _criterion(
        "influence_and_experience", _("行业影响力与考核评价经验"), 25,
        _("在拟开展评价的职业领域的影响力；所申报职业（工种）的评价经历时间和已评价人数；参与国家职业技能标准、行业评价规范、教材、"
        "职业技能竞赛标准编制情况（附件1 三）。"),
    ),
    _criterion(
        "management_and_quality", _("管理与质量管控"), 20,
        _("财务制度和管理制度规范；职业技能等级认定工作管理和质量管控制度完善；突发情况应急处置预案可行；社会信用良好。"),
    ),
    _criterion(
        "organization_and_staff", _("专门机构与人员队伍"), 20,
        _("专门负责认定工作的内部机构；与评价工作相适应的专职工作人员；考评人员、监考人员、督导人员和专家团队的数量与资质。"),
    ),
    _criterion(
        "facilities", _("场地设施与信息管理设备"), 20,
        _("标准化理论考场、网络和考试机；与技能操作考核相适应的场地、设施设备、仪表仪器；身份识别、信号屏蔽、音频视频监控设备。"),
    ),
    _criterion(
        "work_plan_and_funding", _("工作方案与经费保障"), 15,
        _("工作方案（附件2）七个部分完整可行：总体规划、组织机构、职业等级与题库资源、评价流程、评价内容及方式、各项保障；"
        "经费保障稳定，不以人才评价为营利目的。"),
    ),
)

RUBRICS = {category.key: _RUBRIC for category in CATEGORIES}

SETTINGS = PackSettings(
    # 002 三(二)4 requires publicity of the selection result without a period; five working days, as for results.
    publicity_working_days=5,
    exam_plan_lead_working_days=5,  # 002 四(一) 考核计划须提前5个工作日报
    result_publicity_working_days=5,  # 002 四(三) 不少于5个工作日公示
    has_cultivation=False,
    # 002 三(二)4: the provincial or city centre itself evaluates (材料核验、专家论证、现场考察), decides (遴选确定),
    # publicises the result, assigns the institution code and issues the receipt; the cities report their lists to
    # the provincial centre. No provincial selection and no leadership-group approval.
    selection_by=SelectionBy.CENTRE,
    assigns_institution_code=True,  # 002 三(二)4 赋予机构代码，并出具回执
    max_occupations=MAX_OCCUPATIONS,
    allowed_levels=ALLOWED_LEVELS,
    city_recommend_min=2,  # 002 三(二) 各市应择优遴选2-8家机构进行试点
    city_recommend_max=8,
    # The pilot notice sets no term; three years matches the other packs and leaves room for the
    # "经总结评估后逐步推开" review of 002 三(二).
    filing_validity_years=3,
    # Complaints (投诉): the provincial centre runs supervision and the certificate query system (002 三(三)(四)), so
    # complaints go to the province; the deadlines are the default ones (no seed sets them).
    complaint_routing="province",
    complaint_dissatisfaction_days=15,
    # Renewal (续期): 002 sets no renewal (续期) conditions. Defaults of this pack, to be confirmed by the province: renewal is offered,
    # the window opens 90 days before the last valid day with reminders at 90, 60 and 30 days, the renewed term is
    # filing_validity_years, and the counted certificates must reach RENEWAL_MIN_CERTIFICATES (one: an organization
    # that issued none in its term has not operated). Good standing and two materials, as in 003 第十一条.
    has_renewal=True,
    renewal_window_days=90,
    renewal_reminder_days=(90, 60, 30),
)

RENEWAL_MIN_CERTIFICATES = 1
RENEWAL = default_renewal("sd", "002", gettext_noop("山东省"), RENEWAL_MIN_CERTIFICATES)


def route(facts: ApplicationFacts, chose_province: bool) -> Route:
    """002 三(二)1–3: province-level enterprises, associations and schools may file with the province or their city;
    city-level ones and every private training institution file with their city. A central branch is treated as
    province-level."""
    if facts.category != PRIVATE_TRAINING and facts.level in (PROVINCE_LEVEL, CENTRAL_LEVEL):
        return PROVINCE_ROUTE if chose_province else CITY_ROUTE
    return CITY_ROUTE


INTEGRITY_PLEDGE = gettext_noop(  # signed in Chinese; English mode shows its translation beside it
    "本人承诺：1.申报材料真实有效，如有虚假，自愿退出申报。2.自愿把社会效益放在首位，不以人才评价为营利目的。"
    "3.自愿接受人力资源社会保障部门监管和公众监督。"
)

PACK = register(
    PolicyPack(
        key="shandong",
        province_code="37",
        name="山东省",
        categories=CATEGORIES,
        fact_fields=FACT_FIELDS,
        checklist=CHECKLIST,
        rules=RULES,
        rubrics=RUBRICS,
        settings=SETTINGS,
        integrity_pledge=INTEGRITY_PLEDGE,
        route=route,
        renewal_fact_fields=RENEWAL.fact_fields,
        renewal_checklist=RENEWAL.checklist,
        renewal_rules=RENEWAL.rules,
    )
)
