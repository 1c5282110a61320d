"""The city's and the province's review of published results: approve, return, resubmit."""

from typing import Any

from django.utils.translation import gettext as _

from portal.errors import NotPermitted
from portal.models import PublicityItem, User
from portal.notifications import notify

from ..models import ExamPlan
from ._common import (
    P,
    _city_officers,
    _members,
    _provincial_officers,
    _publish,
    _reason,
    _require_member,
    _require_officer,
    _require_results_complete,
    _transition,
    plan_link,
    review_link,
)


def approve_results(plan: ExamPlan, *, acting_user: User, note: str = "") -> ExamPlan:
    """The city of the exam approves (to the province), then the province approves (issuable)."""
    level = _require_officer(acting_user, plan)
    if plan.state == P.CITY_REVIEW:
        result = _transition(plan, acting_user=acting_user, action="exam_results_city_approved",
                             do=lambda p: p.city_approve(), allowed=lambda p: p.city_approve, reason=note.strip())
        notify(_provincial_officers(result.province), title=_("考核结果待省级审核：%(plan)s") % {"plan": result.title},
               body=note.strip(), link=review_link(result), province=result.province)
        return result
    if level != "province":
        raise NotPermitted(_("只有省级经办人员可以作出省级审核决定。"))
    result = _transition(plan, acting_user=acting_user, action="exam_results_province_approved",
                         do=lambda p: p.province_approve(), allowed=lambda p: p.province_approve, reason=note.strip())
    notify(_members(result.institution), title=_("考核结果已审核通过，可颁发证书：%(plan)s") % {"plan": result.title},
           body=note.strip(), link=plan_link(result), province=result.province)
    notify(_city_officers(result), title=_("考核结果已经省级审核通过：%(plan)s") % {"plan": result.title},
           link=plan_link(result), province=result.province, email=False)
    return result


def return_results(plan: ExamPlan, *, acting_user: User, reason: str) -> ExamPlan:
    level = _require_officer(acting_user, plan)
    reason = _reason(reason, _("退回理由"))
    if plan.state == P.PROVINCE_REVIEW and level != "province":
        raise NotPermitted(_("只有省级经办人员可以作出省级审核决定。"))
    by = "city" if plan.state == P.CITY_REVIEW else "province"
    result = _transition(plan, acting_user=acting_user, action="exam_results_returned",
                         do=lambda p: p.return_results(by, reason), allowed=lambda p: p.return_results, reason=reason)
    notify(_members(result.institution), title=_("考核结果被退回修改：%(plan)s") % {"plan": result.title}, body=reason,
           link=plan_link(result), province=result.province)
    return result


def resubmit_results(plan: ExamPlan, *, acting_user: User) -> ExamPlan:
    """Send corrected results back to whoever returned them; a changed list of passing candidates is published again."""
    _require_member(acting_user, plan.institution)
    holder: dict[str, Any] = {}

    def do(p: ExamPlan) -> None:
        _require_results_complete(p)
        published = set()
        if p.publicity_notice_id is not None:
            published = {int(i) for i in PublicityItem.objects.filter(
                notice_id=p.publicity_notice_id, withdrawn_at__isnull=True).values_list("object_id", flat=True)}
        passing = set(p.candidates.filter(passed=True).values_list("pk", flat=True))
        if passing - published:
            holder["notice"] = _publish(p, acting_user)
            p.publish_results(holder["notice"])
        elif p.returned_by == "province":
            p.resubmit_to_province()
        else:
            p.resubmit_to_city()

    result = _transition(plan, acting_user=acting_user, action="exam_results_resubmitted", do=do,
                         allowed=lambda p: p.resubmit_to_city)
    recipients = _provincial_officers(result.province) if result.state == P.PROVINCE_REVIEW else _city_officers(result)
    notify(recipients, title=_("考核结果已修改并重新提交：%(plan)s") % {"plan": result.title},
           link=review_link(result) if "notice" not in holder else plan_link(result), province=result.province)
    return result
