"""Names people read for the portal's codes: audit events, state-machine states and model labels (one registry)."""

from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import get_language

# The objects and verbs audit event codes are made of ("exam_plan" + "filed" → 考核计划 + 报备); the longest
# object prefix wins. English mode reads the code's own words ("Exam plan filed").
OBJECTS = {
    "application": "申报", "application_cultivation": "申报转入培育", "application_not": "申报未",
    "calendar_days": "工作日历", "calendar_year": "工作日历年度", "call": "申报批次", "campaign": "抽查任务",
    "candidate_photo": "考生照片", "certificate": "证书", "certificate_pdfs": "证书文件", "certificates": "证书",
    "city_review": "地市初审", "city_review_reminder": "地市初审提醒", "commitment": "承诺书", "complaint": "投诉",
    "complaint_attachment": "投诉附件", "complaint_information": "投诉补充信息", "conflict": "利益冲突申报",
    "course_price": "课程价格", "cultivation": "培育", "cultivation_occupation": "培育职业",
    "cultivation_occupations": "培育职业", "employer_feedback": "用人单位评价", "enrolment": "培训人数",
    "evidence": "申报材料", "exam_plan": "考核计划", "exam_plan_amendment": "考核计划变更",
    "exam_plan_changes": "考核计划变更", "exam_result": "考核成绩", "exam_results": "考核成绩",
    "exam_results_city": "地市成绩审核", "exam_results_province": "省级成绩审核", "exam_results_publicity": "成绩公示",
    "exam_roster": "考生名册", "exam_session": "考核场次", "exam_staff": "考评人员", "exam_venue": "考核场地",
    "exam_visit": "现场督导", "exit": "退出", "exit_wrap_up": "退出善后", "expert": "专家", "experts": "专家",
    "export": "导出", "facts": "申报信息", "filing": "备案", "filing_exit": "备案退出", "filing_letter": "备案回执",
    "filing_scope": "备案范围", "fraud": "疑点", "fraud_flag": "真实性疑点", "indicators": "监督指标",
    "inspection": "监督检查", "inspection_checklist": "检查清单", "inspection_file": "检查材料",
    "inspection_finding": "检查发现", "inspector": "检查人员", "inspector_conflict": "检查人员利益冲突",
    "institution": "机构", "institution_credit_code": "机构统一社会信用代码", "leadership_approval": "领导审批", "objection": "异议", "objection_attachment": "异议附件",
    "occupation": "职业", "occupation_addition": "增补职业", "occupation_addition_application": "增补职业遴选申请",
    "occupation_addition_cultivation": "增补职业培育",
    "panel": "评审专家组", "pledge": "诚信承诺", "province_review": "省级审核", "publicity": "公示",
    "publicity_item": "公示条目", "publicity_period": "公示期", "question_bank": "题库", "ranking": "排名",
    "ranking_row": "排名条目", "recommendation": "推荐", "rectification": "整改", "rectification_file": "整改材料",
    "renewal": "续期", "renewal_document": "续期材料", "renewal_letter": "续期回执", "renewal_reminder": "续期提醒",
    "risk_formula": "风险公式", "rubric": "评分细则", "selection": "遴选", "share_link": "证书分享链接", "sheet": "评估表", "signing_key": "签名密钥",
    "store": "存储", "summary_table": "汇总表", "suspension": "暂停", "termination_notice": "终止通知",
    "trainee_feedback": "学员评价", "training_attendance": "培训考勤", "wrap_up_task": "善后任务",
}
VERBS = {
    "started": "开始", "determined": "确定", "downloaded": "下载", "submitted": "提交", "published": "公布", "created": "创建",
    "added": "添加", "rendered": "生成", "filed": "报备", "withdrawn": "撤回", "updated": "更新", "recorded": "登记",
    "ended": "结束", "declared": "申报", "approved": "批准", "sent": "发送", "saved": "保存", "returned": "退回",
    "removed": "移除", "opened": "开启", "eliminated": "淘汰", "decided": "决定", "accepted": "受理",
    "uploaded": "上传", "superseded": "被替代", "selected": "入选", "scheduled": "排期", "requested": "申请",
    "recommended": "推荐", "overdue": "逾期", "edited": "修改", "drawn": "抽取", "corrected": "更正",
    "confirmed": "确认", "completed": "完成", "assigned": "分配", "withheld": "暂缓", "true": "属实",
    "terminated": "终止", "sweep": "定时检查", "suspended": "暂停", "signed": "签名", "rotated": "轮换",
    "revoked": "撤销", "resubmitted": "重新提交", "resolved": "办结", "reported": "上报", "replaced": "替换",
    "reopened": "重新开启", "renewed": "续期", "rejected": "驳回", "reissued": "补发", "reinstated": "恢复",
    "registered": "注册", "refused": "拒绝", "refreshed": "刷新", "recused": "回避", "raised": "提出",
    "provided": "提供", "proposed": "提议", "passed": "通过", "notified": "通知", "marked": "标记", "lapsed": "失效",
    "issued": "颁发", "imported": "导入", "formed": "组建", "export": "导出", "done": "完成", "dismissed": "驳回",
    "copied": "复制", "committed": "承诺", "closed": "关闭", "changed": "变更", "cancelled": "取消", "built": "生成",
    "attached": "附加", "answered": "答复", "acknowledged": "确认收到",
}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def event_name(action: str) -> str:
    """考核计划报备 for exam_plan_filed (Exam plan filed in English); an unknown code is shown in words too."""
    if not action:
        return ""
    if _english():
        return action.replace("_", " ").capitalize()
    head, _sep, verb = action.rpartition("_")
    if head in OBJECTS and verb in VERBS:
        return OBJECTS[head] + VERBS[verb]
    if action in OBJECTS:
        return OBJECTS[action]
    return action.replace("_", " ")


@cache
def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def model_name(object_type: str) -> str:
    """备案 for filings.filing: the model's verbose name (translated)."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type.replace("_", " ").replace(".", " ")


@cache
def _state_fields() -> dict[str, list[Any]]:
    from django_fsm import FSMFieldMixin

    found: dict[str, list[Any]] = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, FSMFieldMixin) and f.choices]
        if fields:
            found[model._meta.label_lower] = fields
    return found


def state_name(value: str, object_type: str = "") -> str:
    """已报备 for filed: the label of the state in the object's state machine (or in any, when the type is unknown)."""
    if not value:
        return ""
    fields = _state_fields()
    candidates = fields.get(object_type.lower(), []) + [f for fs in fields.values() for f in fs]
    for field in candidates:
        for choice, label in field.flatchoices:
            if choice == value:
                return str(label)
    return value.replace("_", " ")


def event_choices(actions: list[str]) -> list[tuple[str, str]]:
    """(code, name) choices for a filter, sorted by name."""
    return sorted(((a, event_name(a)) for a in actions), key=lambda c: c[1])


def model_choices(object_types: list[str]) -> list[tuple[str, str]]:
    return sorted(((t, model_name(t)) for t in object_types), key=lambda c: c[1])
