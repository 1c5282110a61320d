"""What each indicator means: its definition, formula, numerator, denominator and source — shown on the page (on
hover and focus), in the API and in docs/supervision.md."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    key: str
    label: str | Promise
    definition: str | Promise
    formula: str | Promise
    numerator: str | Promise
    denominator: str | Promise
    source: str | Promise
    kind: str = "count"  # count | rate | mean | band | per_thousand


ROSTER = _("考核计划名册（结果已公示的计划，按末场考核日期归入期间）")
FEEDBACK = _("学员反馈（按所反馈证书的发证日期归入期间）")
COMPLAINTS = _("公众投诉（按受理日期归入期间；须能确定所涉职业）")

DEFINITIONS: tuple[Definition, ...] = (
    Definition("registered", _("报名人数"), _("结果已公示的考核计划名册上的考生人数"), _("名册人数"), _("名册人数"), "—",
               ROSTER),
    Definition("enrolment", _("申报招生人数"), _("机构为该职业、该期间申报的招生人数（最新一次申报）"), _("最新申报值"),
               _("申报值"), "—", _("机构申报（招生规模）")),
    Definition("participation", _("参评率"), _("实际参加考核的考生占报名考生的比例"), _("参评人数 ÷ 报名人数"),
               _("参评人数：至少一科有成绩的考生"), _("报名人数"), ROSTER, "rate"),
    Definition("pass_rate", _("合格率"), _("考核合格的考生占实际参评考生的比例"), _("合格人数 ÷ 参评人数"),
               _("合格人数：成绩判定为合格的考生"), _("参评人数"), ROSTER, "rate"),
    Definition("certificates", _("发证数"), _("该期间发证日期内发出的证书（换发的旧证不计）"), _("证书数"), _("证书数"), "—",
               _("证书库")),
    Definition("complaints", _("每千名考生投诉数"), _("投诉件数按每1000名报名考生折算（经认定不属实的投诉不计）"),
               _("投诉件数 × 1000 ÷ 报名人数"), _("投诉件数"), _("报名人数"), COMPLAINTS, "per_thousand"),
    Definition("complaints_on_time", _("投诉按时办结率"), _("已答复的投诉中，在法定时限内作出首次答复的比例"),
               _("按时答复件数 ÷ 已答复件数"), _("按时答复件数"), _("已答复件数"), COMPLAINTS, "rate"),
    Definition("response_rate", _("学员反馈率"), _("持证人中提交反馈的比例"), _("反馈数 ÷ 发证数"), _("反馈数"),
               _("发证数"), FEEDBACK, "rate"),
    Definition("employment_rate", _("就业率（反馈者）"), _("反馈学员中已就业（含自主创业、灵活就业）的比例"),
               _("已就业人数 ÷ 反馈数"), _("已就业人数"), _("反馈数"), FEEDBACK, "rate"),
    Definition("match_rate", _("对口就业率"), _("已就业且回答对口情况的反馈者中，工作与所取证职业对口的比例"),
               _("对口人数 ÷ 回答对口情况的已就业人数"), _("对口人数"), _("回答对口情况的已就业人数"), FEEDBACK, "rate"),
    Definition("wage_median", _("月工资中位区间"), _("已就业且填写工资的反馈者月工资区间的中位数（偶数取较低的中间区间）"),
               _("排序后第 ⌈n/2⌉ 个区间"), _("—"), _("填写工资的已就业人数"), FEEDBACK, "band"),
    Definition("training_satisfaction", _("培训满意度"), _("反馈学员对培训的满意度（1–5分）均值"), _("分数之和 ÷ 反馈数"),
               _("分数之和"), _("反馈数"), FEEDBACK, "mean"),
    Definition("evaluation_satisfaction", _("评价满意度"), _("反馈学员对评价（考核）的满意度（1–5分）均值"),
               _("分数之和 ÷ 反馈数"), _("分数之和"), _("反馈数"), FEEDBACK, "mean"),
    Definition("employer_skill", _("用人单位评价：技能相符度"), _("用人单位对持证人技能与证书等级相符程度的评分（1–5分）均值"),
               _("分数之和 ÷ 评价数"), _("分数之和"), _("用人单位评价数"), _("用人单位评价（按证书发证日期归入期间）"), "mean"),
    Definition("employer_rehire", _("用人单位愿再次录用率"), _("用人单位评价中表示愿意再次录用的比例"),
               _("愿再次录用数 ÷ 评价数"), _("愿再次录用数"), _("用人单位评价数"), _("用人单位评价（按证书发证日期归入期间）"),
               "rate"),
)

BY_KEY = {d.key: d for d in DEFINITIONS}
