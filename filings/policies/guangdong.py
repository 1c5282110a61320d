"""Guangdong's policy pack (广东, 44): the four applicant categories of the 工作指引 (seed 000) and the 2023 selection
notice (seed 001) with its negative list, occupation scope, cultivation period and commitment letter.

Seed clauses are cited as "000 一(四)1 协会规模" (file, section, category, item). Where the seed and SPEC §4 differ
the seed wins; the places where that matters are commented.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop, pgettext_lazy

from portal.punctuation import enumeration, enumeration_lazy, labelled, sentence

from .base import (
    ApplicationFacts,
    Category,
    ChecklistItem,
    FactField,
    FactKind,
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
    SOCIAL_GROUP,
    InvalidValue,
    Outcome,
    access_type_excluded,
    all_of,
    applicable_when,
    default_renewal,
    fmt,
    is_missing,
    minimum,
    must_not,
    national_standard_only,
    nature_label,
    none_of,
    quantity,
    registered_in,
    said,
    skill_type_only,
    stated,
    to_bool,
    to_decimal,
    with_documents,
)

LEADING_ENTERPRISE = "leading_enterprise"
SCHOOL = "school"
KEY_PRIVATE_TRAINING = "key_private_training"
OTHER = "other"

# 师资队伍 is a basic condition of the first three categories; 000 一(四) does not ask it of "other".
TEACHING_CATEGORIES = frozenset({LEADING_ENTERPRISE, SCHOOL, KEY_PRIVATE_TRAINING})

WELDER_CODE = "6-18-02-04"  # 焊工: the one access-type occupation 001 三(一) admits

MIN_VENUE_AREA_M2 = 200
MIN_FULL_TIME_STAFF = 6
MIN_MEMBER_UNITS = 50
MIN_INDIVIDUAL_MEMBERS = 500

CATEGORIES = (
    Category(
        LEADING_ENTERPRISE, "龙头企业",
        _("在行业中具有领先地位和广泛影响力的企业（000 一(一)）。"),
        label_en="Leading enterprise"
    ),
    Category(
        SCHOOL, "院校",
        _("技工院校或职业院校面向社会开展职业技能等级认定，参照省级重点民办培训机构的基础条件与择优条件执行（000 一(三)）。"),
        label_en="School"
    ),
    Category(
        KEY_PRIVATE_TRAINING, "省级重点民办培训机构",
        _("持有办学许可证的民办职业培训学校（000 一(二)）。"),
        label_en="Provincial key private training institution"
    ),
    Category(
        OTHER, "其他机构：行业协会、学会、民办非企业单位、人力资源服务机构、公共实训基地",
        _("行业协会、学会、民办非企业单位、人力资源服务机构、公共实训基地等（000 一(四)）。"),
        label_en="Other: industry associations, societies, private non-enterprise units, HR service agencies, public training bases"
    ),
)


def _cats(*keys: str) -> frozenset[str]:
    return frozenset(keys)


def _bool(key: str, label: Text, help: Text = "", categories: frozenset[str] | None = None,
          natures: frozenset[str] | None = None) -> FactField:
    return FactField(key, label, FactKind.BOOLEAN, help=help, categories=categories, natures=natures)


MANAGEMENT_RULES = (
    ("rules_work_procedure", gettext_noop("培训与评价工作规程")),
    ("rules_exam_affairs", gettext_noop("考务实施流程与规范")),
    ("rules_exam_room", gettext_noop("考场规则")),
    ("rules_paper_confidentiality", gettext_noop("试题试卷使用及保密管理制度")),
    ("rules_job_duties", gettext_noop("各岗位职责")),
    ("rules_archives", gettext_noop("档案管理制度")),
    ("rules_staff_code", gettext_noop("考评人员考务员工作守则")),
    ("rules_equipment_safety", gettext_noop("各种设备管理制度与安全操作规程")),
    ("rules_fees_finance", gettext_noop("完善的收费方案与财务制度")),
)

STAFF_ROLES = (
    ("has_head", gettext_noop("机构负责人")),
    ("has_assessors", gettext_noop("考评人员")),
    ("has_exam_affairs_staff", gettext_noop("考务人员")),
    ("has_internal_supervisor", gettext_noop("内部质量督导员")),
    ("has_resource_developer", gettext_noop("评价资源开发人员")),
)

FACT_FIELDS = (
    # 证照与信用
    _bool("is_independent_legal_person", _("具有独立法人资质")),
    _bool("licences_complete", _("证照齐全"), _("营业执照或法人登记证书；民办培训机构另需办学许可证。")),
    _bool("has_bad_credit_record", _("存在不良信用记录")),
    # 场所
    FactField(
        "venue_area_m2", _("场所总建筑面积"), FactKind.DECIMAL, unit="m²",
        help=_("含办公场所、理论知识考核场所、操作技能考核场所。"),
    ),
    _bool("venue_safe_and_suitable", _("场所符合安全条件，且与培训评价职业（工种）和规模相适应")),
    _bool("is_venue_leased", _("场所为租赁")),
    _bool("lease_valid", _("租赁合同（协议）在有效期内"), _("场所为租赁的填写。")),
    _bool("online_evaluation", _("知识技能型职业开展线上培训评价")),
    _bool(
        "has_online_platform", _("线上平台具备保障能力，智能化考场规范，能保障培训评价真实有效"),
        _("开展线上培训评价的填写。"),
    ),
    # 设备设施
    _bool("equipment_adequate", _("设施设备、仪器仪表与培训评价职业（工种）、技能等级、规模相适应")),
    _bool("has_video_surveillance", _("具有视频监控设备")),
    _bool("has_remote_live_monitoring", _("具有直播方式的远程视频监控能力")),
    _bool("retains_recordings", _("监控视频保存留痕")),
    # 人员队伍
    FactField("full_time_staff", _("专职工作人员人数"), FactKind.INTEGER, unit=_("人")),
    *(_bool(key, format_lazy(_("有{label}"), label=pgettext_lazy("staff in a question", label))) for key, label in STAFF_ROLES),
    _bool("staff_under_contract", _("所用人员均依法签订聘用合同、劳动合同或劳务协议")),
    _bool("has_stable_teachers", _("有相对稳定的师资队伍"), categories=TEACHING_CATEGORIES),
    _bool(
        "teacher_contracts_match_filing_period", _("所聘师资均签订与备案期相匹配的聘用合同、劳动合同或劳务协议"),
        categories=TEACHING_CATEGORIES,
    ),
    # 管理制度
    _bool("trains_within_licence", _("在培训许可范围内开展培训业务")),
    *(_bool(key, format_lazy(_("已建立{label}"), label=_(label))) for key, label in MANAGEMENT_RULES),
    # 其他机构
    _bool(
        "is_association", _("为行业协会或学会"), _("未填写时，社会团体或填报了会员数量的机构视为协会。"), _cats(OTHER)
    ),
    _bool("is_public_training_base", _("为公共实训基地"), categories=_cats(OTHER)),
    FactField("member_units", _("会员单位数量"), FactKind.INTEGER, unit=_("个"), categories=_cats(OTHER)),
    FactField("individual_members", _("个人会员人数"), FactKind.INTEGER, unit=_("人"), categories=_cats(OTHER)),
    # 龙头企业
    FactField(
        "ip_count", _("专利技术、发明及知识产权数量"), FactKind.INTEGER, unit=_("项"),
        categories=_cats(LEADING_ENTERPRISE),
    ),
    _bool("has_brand_influence", _("产品和服务具有品牌影响力"), categories=_cats(LEADING_ENTERPRISE)),
    _bool(
        "has_industry_report", _("有行业分析报告或市场调查数据佐证行业地位"), categories=_cats(LEADING_ENTERPRISE)
    ),
    FactField(
        "social_insurance_staff", _("社保参保职工人数"), FactKind.INTEGER, unit=_("人"),
        categories=_cats(LEADING_ENTERPRISE),
    ),
    FactField(
        "radiated_employment", _("辐射带动产业上下游用工人数"), FactKind.INTEGER, unit=_("人"),
        help=_("含劳务派遣等形式用工及上下游企业用工。"), categories=_cats(LEADING_ENTERPRISE),
    ),
    FactField(
        "annual_revenue_10k", _("上年度营业收入"), FactKind.DECIMAL, unit=_("万元"), categories=_cats(LEADING_ENTERPRISE)
    ),
    FactField("annual_tax_10k", _("上年度纳税额"), FactKind.DECIMAL, unit=_("万元"), categories=_cats(LEADING_ENTERPRISE)),
    FactField("net_profit_10k", _("上年度净利润"), FactKind.DECIMAL, unit=_("万元"), categories=_cats(LEADING_ENTERPRISE)),
    # 申报途径与申报类型
    _bool("provincial_department_recommended", _("省级行业主管部门推荐机构"), _("需上传推荐函，直接向省申报。")),
    _bool("filed_with_mohrss", _("人力资源社会保障部备案的社会培训评价组织"), _("直接向省申报。")),
    _bool("is_chain_leader", _("经省人力资源社会保障厅认定的“产教评”产业链链主培育单位"), _("直接进入培育辅导期。")),
    _bool("is_adding_occupations", _("已备案机构申请新增职业（工种）")),
    _bool("has_completed_question_bank", _("已自主完成至少一个职业试题审核备案"), _("申请新增职业（工种）的填写。")),
    _bool("operating_normally", _("已正常开展职业技能等级认定工作"), _("申请新增职业（工种）的填写。")),
    # 负面清单（001 二(四)）
    _bool(
        "is_government_affiliated", _("属于政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）"),
        _("院校、公共实训基地属于申请对象范围，不受此限。"),
    ),
    _bool("has_violation_record", _("机构及法定代表人在培训评价领域有违法违规及失信行为")),
    _bool("has_confirmed_negative_opinion", _("存在经确认的网上负面舆论")),
    _bool("failed_annual_inspection_3y", _("3年内民政部门年审不合格"), _("社会团体、民办非企业单位填写。"), natures=CIVIL_AFFAIRS_NATURES),
    _bool("on_illegal_org_list", _("列入民政部门非法社会组织名单"), _("社会团体、民办非企业单位填写。"), natures=CIVIL_AFFAIRS_NATURES),
    _bool("abnormal_operation_3y", _("3年内列入市场监管部门公布的企业经营异常目录"), _("企业填写。"), natures=frozenset({ENTERPRISE})),
)

CHECKLIST = (
    ChecklistItem("application_form", _("广东省社会培训评价组织备案申请表（附件2）")),
    ChecklistItem(
        "registration_certificate", _("营业执照或法人登记证书"),
        help=_("营业执照、民办非企业单位登记证书、社会团体法人登记证书或事业单位法人登记证书。"),
    ),
    ChecklistItem("school_licence", _("办学许可证"), categories=_cats(KEY_PRIVATE_TRAINING)),
    ChecklistItem("venue_proof", _("场所产权或使用证明及平面图"), help=_("含办公、理论知识考核、操作技能考核场所。")),
    ChecklistItem("venue_lease", _("场所租赁合同（协议）"), required=False, help=_("场所为租赁的必须上传有效的租赁合同。")),
    ChecklistItem(
        "online_platform_description", _("线上培训评价平台及智能化考场说明"), required=False,
        help=_("知识技能型职业开展线上培训评价的必须上传。"),
    ),
    ChecklistItem("equipment_list", _("设施设备资产清单"), help=_("列明品牌、型号、数量，含视频监控设备。")),
    ChecklistItem("staff_list", _("专职工作人员名单及任职资格证明")),
    ChecklistItem("staff_contracts", _("人员聘用合同、劳动合同或劳务协议")),
    ChecklistItem("teacher_list", _("师资名单及与备案期相匹配的聘用合同"), categories=TEACHING_CATEGORIES),
    ChecklistItem("management_rules", _("管理制度汇编"), help=_("九项制度：工作规程、考务流程、考场规则等。")),
    ChecklistItem(
        "association_members", _("会员名册及协会规模佐证材料"), required=False, categories=_cats(OTHER),
        help=_("协会、学会必须上传。"),
    ),
    ChecklistItem(
        "industry_influence_proof", _("行业影响力佐证材料"), categories=_cats(LEADING_ENTERPRISE),
        help=_("专利技术、发明、知识产权，品牌影响力，行业分析报告或市场调查数据。"),
    ),
    ChecklistItem(
        "enterprise_scale_proof", _("营业收入、纳税、净利润及社保用工佐证材料"), categories=_cats(LEADING_ENTERPRISE)
    ),
    ChecklistItem("recommendation_letter", _("省级行业主管部门推荐函（附件7）"), required=False),
    ChecklistItem(
        "question_bank_proof", _("已完成试题审核备案及正常开展认定工作的证明"), required=False,
        help=_("已备案机构申请新增职业（工种）的必须上传。"),
    ),
    ChecklistItem("training_plan", _("人才培养方案及用工企业认可证明"), required=False),
    ChecklistItem("evaluation_plan", _("人才评价方案及用工企业认可证明"), required=False),
    ChecklistItem("employment_service", _("就业服务队伍、措施及就业反馈机制说明"), required=False),
    ChecklistItem("quality_brand_proof", _("质量内控与品牌建设佐证材料"), required=False),
    ChecklistItem(
        "industry_authority_proof", _("会员单位营业、纳税、利润规模等行业权威性佐证"), required=False,
        categories=_cats(OTHER),
    ),
    ChecklistItem(
        "standards_participation_proof", _("参与行业标准、职业标准开发及行企校合作佐证"), required=False,
        categories=_cats(OTHER),
    ),
)


# --- checks that need more than a shared shape ---


def _is_association(facts: ApplicationFacts) -> bool:
    """Declared, or else inferred: a social group (社会团体), or an applicant that reports member figures."""
    declared = to_bool(facts.facts.get("is_association"))
    if declared is not None:
        return declared
    reports_members = any(not is_missing(facts.facts.get(k)) for k in ("member_units", "individual_members"))
    return facts.nature == SOCIAL_GROUP or reports_members


def _association_scale(facts: ApplicationFacts) -> Outcome:
    if not _is_association(facts):
        return Verdict.PASS, gettext("申请机构不是协会，本项不适用。")
    try:
        units = to_decimal(facts.facts.get("member_units"))
        members = to_decimal(facts.facts.get("individual_members"))
    except InvalidValue:
        return Verdict.NEEDS_EVIDENCE, gettext("会员单位数量或个人会员人数填报值无法识别，请填写数字。")
    if units is None and members is None:
        return Verdict.NEEDS_EVIDENCE, gettext("未填报会员单位数量或个人会员人数。")
    declared = enumeration((
        gettext("会员单位%(n)s") % {"n": quantity(units, _("个")) if units is not None else gettext("未填报")},
        gettext("个人会员%(n)s") % {"n": quantity(members, _("人")) if members is not None else gettext("未填报")},
    ))
    figures = {"declared": declared, "units": MIN_MEMBER_UNITS, "members": MIN_INDIVIDUAL_MEMBERS}
    if (units is not None and units >= MIN_MEMBER_UNITS) or (members is not None and members >= MIN_INDIVIDUAL_MEMBERS):
        return Verdict.PASS, gettext("%(declared)s，达到%(units)s个会员单位或%(members)s名个人会员。") % figures
    return Verdict.FAIL, gettext("%(declared)s，未达到%(units)s个会员单位或%(members)s名个人会员。") % figures


def _enterprise_nature(facts: ApplicationFacts) -> Outcome:
    if not facts.nature:
        return Verdict.NEEDS_EVIDENCE, gettext("登记性质未知，请核对机构登记信息。")
    if facts.nature == ENTERPRISE:
        return Verdict.PASS, gettext("登记性质为企业。")
    return Verdict.FAIL, gettext("登记性质为%(nature)s，龙头企业类别须为依法登记的企业。") % {
        "nature": nature_label(facts.nature)}


def _enterprise_influence(facts: ApplicationFacts) -> Outcome:
    try:
        ip_count = to_decimal(facts.facts.get("ip_count"))
    except InvalidValue:
        return Verdict.NEEDS_EVIDENCE, gettext("专利技术、发明及知识产权数量填报值无法识别，请填写数字。")
    brand = to_bool(facts.facts.get("has_brand_influence"))
    report = to_bool(facts.facts.get("has_industry_report"))
    shown = []
    if ip_count is not None and ip_count > 0:
        shown.append(gettext("专利技术、发明及知识产权%(n)s项") % {"n": fmt(ip_count)})
    if brand:
        shown.append(gettext("产品和服务具有品牌影响力"))
    if report:
        shown.append(gettext("有行业分析报告或市场调查数据"))
    if shown:
        return Verdict.PASS, sentence(labelled(gettext("行业影响力"), enumeration(shown)))
    if ip_count is None or brand is None or report is None:
        return Verdict.NEEDS_EVIDENCE, gettext(
            "未完整填报专利技术、发明、知识产权数量，品牌影响力及行业分析报告等行业影响力情况。")
    return (
        Verdict.FAIL,
        gettext("专利技术、发明及知识产权0项，且无品牌影响力、行业分析报告或市场调查数据，不能证明企业的行业影响力。"),
    )


_SCALE_FIGURES = (
    ("social_insurance_staff", gettext_noop("社保参保职工人数"), gettext_noop("人")),
    ("radiated_employment", gettext_noop("辐射带动产业上下游用工人数"), gettext_noop("人")),
    ("annual_revenue_10k", gettext_noop("上年度营业收入"), gettext_noop("万元")),
    ("annual_tax_10k", gettext_noop("上年度纳税额"), gettext_noop("万元")),
    ("net_profit_10k", gettext_noop("上年度净利润"), gettext_noop("万元")),
)


def _enterprise_scale(facts: ApplicationFacts) -> Outcome:
    values = {}
    for key, label, _unit in _SCALE_FIGURES:
        try:
            values[key] = to_decimal(facts.facts.get(key))
        except InvalidValue:
            return Verdict.NEEDS_EVIDENCE, gettext("%(label)s填报值无法识别，请填写数字。") % {"label": said(label)}
    insured = values["social_insurance_staff"]
    if insured is not None and insured < 1:
        return Verdict.FAIL, gettext("社保参保职工%(n)s人，不具备企业社保用工规模。") % {"n": fmt(insured)}
    undeclared = [said(label) for key, label, _unit in _SCALE_FIGURES if values[key] is None]
    if undeclared:
        return Verdict.NEEDS_EVIDENCE, gettext("未填报：%(items)s（用于行业内比较排名）。") % {
            "items": enumeration(undeclared)}
    declared = enumeration(stated(label, values[key], unit) for key, label, unit in _SCALE_FIGURES)
    return Verdict.PASS, gettext("%(declared)s（用于行业内比较排名）。") % {"declared": declared}


def _government_body(facts: ApplicationFacts) -> Outcome:
    # 001 二(四)1: "除上述4类申请对象范围外，政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）不在申报范围内".
    # The four categories themselves include public schools and public training bases (事业单位), so those are
    # admitted; SPEC §4 lists public institutions without that exception, but the seed wins. A 事业单位 is a unit
    # of government whatever it declares.
    declared = to_bool(facts.facts.get("is_government_affiliated"))
    if declared is None and facts.nature != PUBLIC_INSTITUTION:
        return Verdict.NEEDS_EVIDENCE, gettext("未声明是否属于政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）。")
    if not declared and facts.nature != PUBLIC_INSTITUTION:
        return Verdict.PASS, gettext("已声明不属于政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）。")
    if facts.category == SCHOOL:
        return Verdict.PASS, gettext("院校属于申请对象范围（001 二(一)），不因事业单位性质排除。")
    if facts.category == OTHER and to_bool(facts.facts.get("is_public_training_base")):
        return Verdict.PASS, gettext("公共实训基地属于申请对象范围（001 二(一)），不因事业单位性质排除。")
    return (
        Verdict.FAIL,
        gettext("申请机构属于政府及其所属部门（事业单位或未与政府部门脱钩的社会团体），且不属于院校、公共实训基地等"
                "申请对象，不在申报范围内。"),
    )


def _additional_occupations(facts: ApplicationFacts) -> Outcome:
    return all_of(
        (
            ("has_completed_question_bank", gettext_noop("自主完成至少一个职业试题审核备案")),
            ("operating_normally", gettext_noop("正常开展职业技能等级认定工作")),
        ),
        lacking=gettext_noop("申请新增职业（工种）须已备案并满足以下条件，尚未满足"),
        ok=gettext_noop("已自主完成至少一个职业试题审核备案并正常开展认定工作，可申请新增职业（工种）；新增职业备案时限与原备案函一致。"),
    )(facts)


def _lease(facts: ApplicationFacts) -> Outcome:
    valid = to_bool(facts.facts.get("lease_valid"))
    if valid is None:
        return Verdict.NEEDS_EVIDENCE, gettext("场所为租赁，未声明租赁合同（协议）是否在有效期内。")
    if not valid:
        return Verdict.FAIL, gettext("场所为租赁，但租赁合同（协议）已失效或不在有效期内。")
    return Verdict.PASS, gettext("场所为租赁，租赁合同（协议）在有效期内。")


def _online_platform(facts: ApplicationFacts) -> Outcome:
    platform = to_bool(facts.facts.get("has_online_platform"))
    if platform is None:
        return Verdict.NEEDS_EVIDENCE, gettext("开展线上培训评价，未声明线上平台保障能力。")
    if not platform:
        return Verdict.FAIL, gettext("开展线上培训评价，但线上平台保障能力、智能化考场规范性不足以保障培训评价真实有效。")
    return Verdict.PASS, gettext("开展线上培训评价，线上平台具备保障能力，智能化考场规范。")


def _is_school_licensed(facts: ApplicationFacts) -> bool:
    return facts.category == KEY_PRIVATE_TRAINING


_ALL_BASIC = "000 一(一)–(四)1"

RULES = (
    Rule(
        "gd.registered_in_province",
        _("在广东省行政区域范围内依法注册登记。"),
        f"{_ALL_BASIC} 证照齐全；001 二(一)",
        ("registered_province_code",),
        registered_in("44", gettext_noop("广东省")),
    ),
    Rule(
        "gd.independent_legal_person",
        _("申请机构具有独立法人资质。"),
        "001 二(一)",
        ("is_independent_legal_person",),
        all_of(
            (("is_independent_legal_person", gettext_noop("独立法人资质")),),
            lacking=gettext_noop("不具备"),
            ok=gettext_noop("具有独立法人资质。"),
        ),
    ),
    Rule(
        "gd.licences_complete",
        _("证照齐全（营业执照、民办非企业单位登记证书、社会团体法人登记证书、事业单位法人登记证书等；民办培训机构另需办学许可证）。"),
        f"{_ALL_BASIC} 证照齐全",
        ("licences_complete", "doc:registration_certificate", "doc:school_licence"),
        with_documents(
            with_documents(
                all_of((("licences_complete", gettext_noop("证照齐全")),), lacking=gettext_noop("不符合"), ok=gettext_noop("已声明证照齐全。")),
                ("registration_certificate", gettext_noop("营业执照或法人登记证书")),
            ),
            ("school_licence", gettext_noop("办学许可证")),
            when=_is_school_licensed,
        ),
    ),
    Rule(
        "gd.credit_record",
        _("无不良信用记录。"),
        f"{_ALL_BASIC} 证照齐全",
        ("has_bad_credit_record",),
        must_not("has_bad_credit_record", gettext_noop("不良信用记录"), negative_list=False),
    ),
    # The online variant of 000 changes how the exam venues are judged (on the online platform, gd.online_platform),
    # not the 200 m² total, which also counts the office.
    Rule(
        "gd.venue_area",
        format_lazy(_("场所（含办公场所、理论知识考核场所、操作技能考核场所）总建筑面积不少于{min_venue_area_m2}平方米。"), min_venue_area_m2=MIN_VENUE_AREA_M2),
        f"{_ALL_BASIC} 培训/评价场所",
        ("venue_area_m2",),
        minimum("venue_area_m2", MIN_VENUE_AREA_M2, unit="m²", label=gettext_noop("场所总建筑面积")),
    ),
    Rule(
        "gd.venue_safety",
        _("具有符合安全条件，且与培训评价职业（工种）和规模相适应的场所。"),
        f"{_ALL_BASIC} 培训/评价场所",
        ("venue_safe_and_suitable", "doc:venue_proof"),
        with_documents(
            all_of(
                (("venue_safe_and_suitable", gettext_noop("场所符合安全条件，且与培训评价职业（工种）和规模相适应")),),
                lacking=gettext_noop("不符合"),
                ok=gettext_noop("场所符合安全条件，且与培训评价职业（工种）和规模相适应。"),
            ),
            ("venue_proof", gettext_noop("场所产权或使用证明及平面图")),
        ),
    ),
    Rule(
        "gd.venue_lease",
        _("如租赁场所，须提供有效的租赁合同（协议）。"),
        f"{_ALL_BASIC} 培训/评价场所",
        ("is_venue_leased", "lease_valid", "doc:venue_lease"),
        applicable_when(
            "is_venue_leased",
            with_documents(_lease, ("venue_lease", gettext_noop("场所租赁合同（协议）"))),
            question=gettext_noop("场所是否为租赁"),
            not_applicable=gettext_noop("场所非租赁，本项不适用。"),
        ),
    ),
    Rule(
        "gd.online_platform",
        _("知识技能型职业开展线上培训评价的，线上平台须具备保障能力，智能化考场规范，能保障培训评价真实性和有效性。"),
        f"{_ALL_BASIC} 培训/评价场所",
        ("online_evaluation", "has_online_platform", "doc:online_platform_description"),
        applicable_when(
            "online_evaluation",
            with_documents(_online_platform, ("online_platform_description", gettext_noop("线上培训评价平台及智能化考场说明"))),
            question=gettext_noop("是否开展线上培训评价"),
            not_applicable=gettext_noop("未开展线上培训评价，本项不适用。"),
            default=False,
        ),
    ),
    Rule(
        "gd.equipment",
        _("具有与培训评价职业（工种）、技能等级、培训评价规模相适应的设备设施、仪器仪表，能提供设施设备品牌、型号等资产清单。"),
        f"{_ALL_BASIC} 设备设施",
        ("equipment_adequate", "doc:equipment_list"),
        with_documents(
            all_of(
                (("equipment_adequate", gettext_noop("设施设备、仪器仪表与培训评价职业（工种）、技能等级、规模相适应")),),
                lacking=gettext_noop("不符合"),
                ok=gettext_noop("设施设备、仪器仪表与培训评价职业（工种）、技能等级、规模相适应。"),
            ),
            ("equipment_list", gettext_noop("设施设备资产清单（品牌、型号）")),
        ),
    ),
    Rule(
        "gd.surveillance",
        _("具有视频监控设备，以及直播方式的远程视频监控和保存留痕能力，以便外部质量督导员不定期实施线上督导。"),
        f"{_ALL_BASIC} 设备设施",
        ("has_video_surveillance", "has_remote_live_monitoring", "retains_recordings"),
        all_of(
            (
                ("has_video_surveillance", gettext_noop("视频监控设备")),
                ("has_remote_live_monitoring", gettext_noop("直播方式的远程视频监控")),
                ("retains_recordings", gettext_noop("监控视频保存留痕")),
            ),
            lacking=gettext_noop("缺少"),
            ok=gettext_noop("具有视频监控设备、直播方式的远程视频监控和保存留痕能力。"),
        ),
    ),
    Rule(
        "gd.full_time_staff",
        format_lazy(_("具有{min_full_time_staff}人以上专职工作人员。"), min_full_time_staff=MIN_FULL_TIME_STAFF),
        f"{_ALL_BASIC} 人员队伍",
        ("full_time_staff",),
        minimum(
            "full_time_staff", MIN_FULL_TIME_STAFF, unit=gettext_noop("人"), label=gettext_noop("专职工作人员"), field_label=gettext_noop("专职工作人员人数")
        ),
    ),
    Rule(
        "gd.staff_roles",
        _("专职工作人员含机构负责人、考评人员、考务人员、内部质量督导员、评价资源开发人员，能提供各类人员名单与任职资格证明。"),
        f"{_ALL_BASIC} 人员队伍",
        (*(key for key, _ in STAFF_ROLES), "doc:staff_list"),
        with_documents(
            all_of(STAFF_ROLES, lacking=gettext_noop("专职工作人员中缺少"), ok=gettext_noop("专职工作人员含机构负责人、考评人员、考务人员、内部质量督导员、评价资源开发人员。")),
            ("staff_list", gettext_noop("专职工作人员名单及任职资格证明")),
        ),
    ),
    Rule(
        "gd.staff_contracts",
        _("所用人员均依法签订聘用合同、劳动合同或劳务协议。"),
        f"{_ALL_BASIC} 人员队伍",
        ("staff_under_contract", "doc:staff_contracts"),
        with_documents(
            all_of(
                (("staff_under_contract", gettext_noop("所用人员均依法签订聘用合同、劳动合同或劳务协议")),),
                lacking=gettext_noop("不符合"),
                ok=gettext_noop("所用人员均依法签订聘用合同、劳动合同或劳务协议。"),
            ),
            ("staff_contracts", gettext_noop("人员聘用合同、劳动合同或劳务协议")),
        ),
    ),
    Rule(
        "gd.teaching_staff",
        _("有相对稳定的师资队伍，所聘师资人员均依法签订与备案期相匹配的聘用合同、劳动合同或劳务协议。"),
        "000 一(一)1、(二)1、(三) 师资队伍",
        ("has_stable_teachers", "teacher_contracts_match_filing_period", "doc:teacher_list"),
        with_documents(
            all_of(
                (
                    ("has_stable_teachers", gettext_noop("相对稳定的师资队伍")),
                    ("teacher_contracts_match_filing_period", gettext_noop("与备案期相匹配的师资聘用合同")),
                ),
                lacking=gettext_noop("缺少"),
                ok=gettext_noop("有相对稳定的师资队伍，师资均签订与备案期相匹配的合同。"),
            ),
            ("teacher_list", gettext_noop("师资名单及聘用合同")),
        ),
        categories=TEACHING_CATEGORIES,
    ),
    Rule(
        "gd.training_within_licence",
        _("在培训许可范围内开展培训业务。"),
        f"{_ALL_BASIC} 管理制度",
        ("trains_within_licence",),
        all_of(
            (("trains_within_licence", gettext_noop("在培训许可范围内开展培训业务")),),
            lacking=gettext_noop("不符合"),
            ok=gettext_noop("在培训许可范围内开展培训业务。"),
        ),
    ),
    Rule(
        "gd.management_rules",
        format_lazy(_("各项规章制度健全，包括：{rules}。"), rules=enumeration_lazy(tuple(_(label) for _key, label in MANAGEMENT_RULES))),
        f"{_ALL_BASIC} 管理制度",
        (*(key for key, _ in MANAGEMENT_RULES), "doc:management_rules"),
        with_documents(
            all_of(MANAGEMENT_RULES, lacking=gettext_noop("尚未建立以下管理制度"), ok=gettext_noop("九项管理制度均已建立。")),
            ("management_rules", gettext_noop("管理制度汇编")),
        ),
    ),
    Rule(
        "gd.association_scale",
        format_lazy(_("候选机构为协会的，原则上应达到{min_member_units}个以上会员单位或{min_individual_members}人以上个人会员规模，提供相应佐证材料。"), min_member_units=MIN_MEMBER_UNITS, min_individual_members=MIN_INDIVIDUAL_MEMBERS),
        "000 一(四)1 协会规模",
        ("is_association", "nature", "member_units", "individual_members", "doc:association_members"),
        with_documents(
            _association_scale,
            ("association_members", gettext_noop("会员名册及协会规模佐证材料")),
            when=_is_association,
        ),
        categories=_cats(OTHER),
    ),
    Rule(
        "gd.enterprise_nature",
        _("龙头企业类别的申请机构须为依法登记的企业。"),
        "000 一(一)1(1) 企业基本条件",
        ("nature",),
        _enterprise_nature,
        categories=_cats(LEADING_ENTERPRISE),
    ),
    Rule(
        "gd.enterprise_influence",
        _("企业的行业影响力：专利技术、发明、知识产权，产品和服务的品牌影响力，行业分析报告或市场调查等数据。"),
        "000 一(一)1(1) 企业基本条件 行业影响力",
        ("ip_count", "has_brand_influence", "has_industry_report", "doc:industry_influence_proof"),
        with_documents(_enterprise_influence, ("industry_influence_proof", gettext_noop("行业影响力佐证材料"))),
        categories=_cats(LEADING_ENTERPRISE),
    ),
    Rule(
        "gd.enterprise_scale",
        _("企业在营业收入、纳税、净利润等方面的能力，以及社保用工和辐射用工规模（按行业内公开数据比较排名）。"),
        "000 一(一)1(1) 企业基本条件 营业收入、纳税、净利润；社保用工和辐射用工规模",
        (*(key for key, _, _ in _SCALE_FIGURES), "doc:enterprise_scale_proof"),
        with_documents(_enterprise_scale, ("enterprise_scale_proof", gettext_noop("营业收入、纳税、净利润及社保用工佐证材料"))),
        categories=_cats(LEADING_ENTERPRISE),
    ),
    Rule(
        "gd.skill_type",
        _("申请职业（工种）应为收录在现行《中华人民共和国职业分类大典》中的技能类职业。"),
        "001 三(一)",
        ("occupations",),
        skill_type_only(),
    ),
    Rule(
        "gd.national_standard",
        _("申请职业（工种）已有相应国家职业技能标准；没有国标的职业不纳入遴选范围。"),
        "001 三(一)",
        ("occupations",),
        national_standard_only(),
    ),
    Rule(
        "gd.access_type_occupations",
        _("除焊工外所有准入类职业资格职业不纳入遴选范围。"),
        "001 三(一)",
        ("occupations",),
        access_type_excluded(except_codes={WELDER_CODE: gettext_noop("焊工")}),
    ),
    Rule(
        "gd.additional_occupations",
        _("已获得社会培训评价组织备案资质、自主完成至少一个职业试题审核备案并且已正常开展认定工作的机构，可申请新增职业（工种）范围。"),
        "001 二(二)",
        ("is_adding_occupations", "has_completed_question_bank", "operating_normally", "doc:question_bank_proof"),
        applicable_when(
            "is_adding_occupations",
            with_documents(_additional_occupations, ("question_bank_proof", gettext_noop("已完成试题审核备案及正常开展认定工作的证明"))),
            question=gettext_noop("是否为已备案机构申请新增职业（工种）"),
            not_applicable=gettext_noop("新申请机构，本项不适用。"),
            default=False,
        ),
    ),
    # 负面清单
    Rule(
        "gd.negative.government_body",
        _("除4类申请对象外，政府及其所属部门（事业单位、未与政府部门脱钩的社会团体）不在申报范围内。"),
        "001 二(四)1",
        ("is_government_affiliated", "nature", "is_public_training_base"),
        _government_body,
        negative_list=True,
    ),
    Rule(
        "gd.negative.violations",
        _("申请机构及法定代表人在培训评价领域有违法违规及失信行为（含经确认的网上负面舆论）的不能申报。"),
        "001 二(四)2(1)",
        ("has_violation_record", "has_confirmed_negative_opinion"),
        none_of(
            (
                ("has_violation_record", gettext_noop("机构及法定代表人在培训评价领域有违法违规及失信行为")),
                ("has_confirmed_negative_opinion", gettext_noop("经确认的网上负面舆论")),
            )
        ),
        negative_list=True,
    ),
    Rule(
        "gd.negative.civil_affairs_inspection",
        _("社会团体、民办非企业单位3年内民政部门年审不合格的不能申报。"),
        "001 二(四)2(2)",
        ("nature", "failed_annual_inspection_3y"),
        must_not("failed_annual_inspection_3y", gettext_noop("3年内民政部门年审不合格"), natures=CIVIL_AFFAIRS_NATURES),
        negative_list=True,
    ),
    Rule(
        "gd.negative.illegal_social_organization",
        _("在民政部门非法社会组织名单内的不能申报。"),
        # The seed reads "社会团体民营企业"; the list is of social organizations, so it concerns social groups and
        # private non-enterprise units (民办非企业单位).
        "001 二(四)2(3)",
        ("nature", "on_illegal_org_list"),
        must_not("on_illegal_org_list", gettext_noop("列入民政部门非法社会组织名单"), natures=CIVIL_AFFAIRS_NATURES),
        negative_list=True,
    ),
    Rule(
        "gd.negative.abnormal_operation",
        _("企业3年内在市场监管部门公布的企业经营异常目录内的不能申报。"),
        "001 二(四)2(4)",
        ("nature", "abnormal_operation_3y"),
        must_not("abnormal_operation_3y", gettext_noop("3年内列入市场监管部门公布的企业经营异常目录"), natures=frozenset({ENTERPRISE})),
        negative_list=True,
    ),
)


def _criterion(key: str, label: Text, max_score: int, description: Text) -> RubricCriterion:
    return RubricCriterion(key, label, Decimal(max_score), description)


_TRAINING = (
    "人才培养方案与大量用工企业岗位需求的匹配情况及企业认可程度；课程研发技术、资源开发、专利或历史业绩对培养能力的证明。"
)
_EVALUATION = (
    "人才评价方案与用工企业岗位需求的匹配情况及企业认可程度；评价标准、评价方式、评价结果应用方案是否可行可靠；"
    "评价技术、专利、历史业绩对评价能力的证明。"
)
_EMPLOYMENT = "组建专门就业服务队伍或部门，提供精准就业与高质量就业服务措施，建立就业反馈调查机制。"
_QUALITY = (
    "内控程序与质量管理能力，培训评价真实性和有效性反馈机制，评价结果被广泛用人企业认可的证明；"
    "市场认可度、社会信誉、社会公益活动和社会责任感等品牌建设情况。"
)

# 000 一(一)2、(二)2、(三): four merit criteria, "以产业、行业企业认可证明为核心评估要素". Evaluation capacity weighs
# most because the filing is for evaluation; the quality-and-brand criterion covers two capacities.
_STANDARD_RUBRIC = (
    _criterion("talent_training", _("人才培养能力"), 25, _TRAINING),
    _criterion("talent_evaluation", _("人才评价能力"), 30, _EVALUATION),
    _criterion("employment_service", _("就业服务能力"), 20, _EMPLOYMENT),
    _criterion("quality_and_brand", _("质量内控能力与品牌建设能力"), 25, _QUALITY),
)

# 000 一(四)2: for "other" institutions also 产业代表性和行业权威性 and 评价专业性.
_OTHER_RUBRIC = (
    _criterion(
        "industry_authority", _("产业代表性和行业权威性"), 20,
        _("在产业行业中的影响力：企业机构会员数量，会员单位的营业规模、纳税规模、利润规模；申报职业与本机构的切合度。"),
    ),
    _criterion(
        "evaluation_professionalism", _("评价专业性"), 15,
        _("参与行业标准开发、职业标准开发，行企校合作等能力。"),
    ),
    _criterion("talent_training", _("人才培养能力"), 15, _TRAINING),
    _criterion("talent_evaluation", _("人才评价能力"), 20, _EVALUATION),
    _criterion("employment_service", _("就业服务能力"), 15, _EMPLOYMENT),
    _criterion("quality_and_brand", _("质量内控能力与品牌建设能力"), 15, _QUALITY),
)

RUBRICS = {
    LEADING_ENTERPRISE: _STANDARD_RUBRIC,
    SCHOOL: _STANDARD_RUBRIC,
    KEY_PRIVATE_TRAINING: _STANDARD_RUBRIC,
    OTHER: _OTHER_RUBRIC,
}

SETTINGS = PackSettings(
    # 001 四(一)3 says the province publicises the selected institutions but sets no period; five working days is
    # the period Guangdong's HRSS department uses for its publicity notices and the one 002 uses for results.
    publicity_working_days=5,
    # No seed fixes Guangdong's exam-plan lead time. Ten working days (Shandong's 5 is the floor, other provinces
    # go to 15) lets the city guidance body check the plan and send an external quality supervisor (外部质量督导员,
    # 000 一(一)1 设备设施) to an exam anywhere in the province.
    exam_plan_lead_working_days=10,
    result_publicity_working_days=5,
    has_cultivation=True,
    # 001 一(二): 地市推荐、省级统一遴选备案 — cities recommend, the province selects (expert review, leadership group),
    # publicises, and the selected enter cultivation (四(一)).
    selection_by=SelectionBy.PROVINCE,
    cultivation_days=180,  # 001 四(二): 培育期不超过180天; day 180 included (001 四(三) "含当天")
    # The seeds do not state how long a filing letter is valid (001 二(二) only ties added occupations to it);
    # three years is the usual term of a provincial filing and the renewal cycle of the other packs.
    filing_validity_years=3,
    # Complaints (投诉): no seed sets the deadlines. The city guidance body that supervises the organization handles
    # them (000 三 puts supervision with the cities); 15 working days is the usual legal term for a complaint about
    # a service provider, 10 the service norm, 10 for a certificate matter (5 norm); 15 days to say "not satisfied".
    complaint_routing="city",
    complaint_dissatisfaction_days=15,
    # Renewal (续期): 001 sets no renewal (续期) conditions. Defaults of this pack, to be confirmed by the province: renewal is offered,
    # the window opens 90 days before the last valid day with reminders at 90, 60 and 30 days, the renewed term is
    # filing_validity_years, and the counted certificates must reach RENEWAL_MIN_CERTIFICATES (one: an organization
    # that issued none in its term has not operated). Good standing and two materials, as in 003 第十一条.
    has_renewal=True,
    renewal_window_days=90,
    renewal_reminder_days=(90, 60, 30),
)

RENEWAL_MIN_CERTIFICATES = 1
RENEWAL = default_renewal("gd", "001", gettext_noop("广东省"), RENEWAL_MIN_CERTIFICATES)


def route(facts: ApplicationFacts, chose_province: bool) -> Route:
    """000 二 and 001 四(一)2: city-level institutions file with their city; province-level ones with their city or,
    if they choose, the province; ministry/central branches in Guangdong, organizations filed with the Ministry,
    provincial-department recommendations and chain-leader units go to the province directly."""
    direct = (
        to_bool(facts.facts.get("provincial_department_recommended"))
        or to_bool(facts.facts.get("filed_with_mohrss"))
        or to_bool(facts.facts.get("is_chain_leader"))
    )
    if facts.level == CENTRAL_LEVEL or direct:
        return PROVINCE_ROUTE
    if facts.level == PROVINCE_LEVEL and chose_province:
        return PROVINCE_ROUTE
    return CITY_ROUTE


# 附件5 is not in the seeds; these commitments are those 001 四(二)、(三) and 五(二) ask of a cultivated institution.
COMMITMENT_LETTER = """广东省社会培训评价组织培育机构工作承诺书

本机构经广东省社会培训评价组织遴选，列为培育辅导对象。在培育辅导期内及取得备案资质后，本机构郑重承诺：

一、自愿接受所在地级以上市职业技能评价指导机构或广东省职业技能服务指导中心的培训辅导，按要求参加试题开发和考务业务工作培训。

二、在培育期内（自培育辅导期开始之日起不超过180天）按照《广东省社会培训评价组织培育辅导期试题开发要求》完成各申报职业（工种）的试题资源开发任务并提交评审，完成相应考务培训。

三、服从“成熟一批机构公布一批名单”的验收安排，以试题资源开发最终评审通过的职业作为备案职业；培育期终止（含当天）仍未完成相关任务的，自愿接受对本机构或相应职业（工种）范围实行自然淘汰，不纳入备案公布名单。

四、申请材料及培育期间提交的试题资源等材料真实、准确、完整，试题资源严格保密；如有虚假，自愿退出遴选并承担相应责任。

五、坚持社会效益放在首位，取得备案资质后认真执行职业技能等级认定相应管理制度和要求，持续完善试题，规范开展职业技能等级认定，自觉接受广东省各级人力资源社会保障部门的质量监管，主动落实质量督导和各项监督检查工作。

机构名称（盖章）：
法定代表人（签字）：
日期："""

# Guangdong publishes no pledge form; this one restates 001 二(一)、二(四) in the form of Shandong's annex 1 section 6.
INTEGRITY_PLEDGE = gettext_noop(  # signed in Chinese; English mode shows its translation beside it
    "本机构承诺：1.申报材料真实有效，如有虚假，自愿退出申报。2.本机构及法定代表人在培训评价领域无违法违规及失信行为，"
    "不存在负面清单所列情形。3.将社会效益放在首位，自愿接受各级人力资源社会保障部门的监管和公众监督。"
)

PACK = register(
    PolicyPack(
        key="guangdong",
        province_code="44",
        name="广东省",
        categories=CATEGORIES,
        fact_fields=FACT_FIELDS,
        checklist=CHECKLIST,
        rules=RULES,
        rubrics=RUBRICS,
        settings=SETTINGS,
        commitment_letter=COMMITMENT_LETTER,
        integrity_pledge=INTEGRITY_PLEDGE,
        route=route,
        renewal_fact_fields=RENEWAL.fact_fields,
        renewal_checklist=RENEWAL.checklist,
        renewal_rules=RENEWAL.rules,
    )
)
