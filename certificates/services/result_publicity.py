"""The results' publicity (portal.publicity, kind "exam_results"): publishing, objections, the end."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from portal import publicity
from portal.audit import record_event
from portal.errors import NotPermitted
from portal.models import Objection, ObjectionState, PublicityItem, PublicityNotice, User
from portal.notifications import notify

from ..models import Candidate, ExamPlan
from ._common import (
    RESULTS_KIND,
    P,
    _city_officers,
    _publish,
    _require_member,
    _require_results_complete,
    _result_values,
    _transition,
    plan_link,
    review_link,
)


def publish_results(plan: ExamPlan, *, acting_user: User) -> ExamPlan:
    """Publish the passing candidates (ID numbers masked) for pack.settings.result_publicity_working_days."""
    _require_member(acting_user, plan.institution)
    holder: dict[str, PublicityNotice] = {}

    def do(p: ExamPlan) -> None:
        _require_results_complete(p)
        holder["notice"] = _publish(p, acting_user)
        p.publish_results(holder["notice"])

    result = _transition(plan, acting_user=acting_user, action="exam_results_published", do=do,
                         allowed=lambda p: p.publish_results)
    notice = holder["notice"]
    notify(_city_officers(result), title=_("考核结果公示：%(plan)s") % {"plan": result.title},
           body=_("公示期%(start)s至%(end)s。") % {"start": notice.starts_on.isoformat(), "end": notice.ends_on.isoformat()},
           link=plan_link(result), province=result.province, email=False)
    return result


def _plan_of_notice(notice: PublicityNotice) -> ExamPlan | None:
    prefix = "certificates.examplan:"
    if not notice.source.startswith(prefix):
        return None
    return ExamPlan.objects.filter(pk=int(notice.source[len(prefix):]), province=notice.province).first()


def on_result_item_withdrawn(item: PublicityItem, *, reason: str, acting_user: User) -> None:
    """publicity handler: an objection against a candidate was upheld — the result no longer passes."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("plan__province").filter(pk=int(item.object_id)).first()
    if candidate is None:
        return
    before = _result_values(candidate)
    candidate.passed = False
    candidate.withheld_reason = reason
    candidate.save(update_fields=["passed", "withheld_reason"])
    record_event(actor=acting_user, action="exam_result_withheld", obj=candidate.plan, province=candidate.plan.province,
                 reason=reason, changes={f"{candidate.masked_id} {candidate.name}": {
                     "before": before["passed"], "after": False}})


def on_result_publicity_ended(notice: PublicityNotice, items: list[PublicityItem], *, acting_user: User | None) -> None:
    """publicity handler: the period is over (or the last open objection was dismissed after it)."""
    plan = _plan_of_notice(notice)
    if plan is not None:
        _advance_after_publicity(plan, acting_user=acting_user)


def _advance_after_publicity(plan: ExamPlan, *, acting_user: User | None) -> bool:
    """Move a plan whose notice has ended and has no open objection to the city's review (idempotent)."""
    locked = ExamPlan.objects.select_for_update(of=("self",)).select_related("province", "city", "publicity_notice").get(pk=plan.pk)
    notice = locked.publicity_notice
    if locked.state != P.IN_PUBLICITY or notice is None or notice.state != "ended":
        return False
    if notice.objections.filter(state=ObjectionState.OPEN).exists():
        return False
    locked.end_publicity()
    locked.save()
    record_event(actor=acting_user, action="exam_results_publicity_ended", obj=locked, province=locked.province,
                 from_state=P.IN_PUBLICITY, to_state=locked.state,
                 reason=_("公示期满（%(date)s）") % {"date": notice.ends_on.isoformat()},
                 changes={"state": {"before": P.IN_PUBLICITY, "after": locked.state}})
    notify(_city_officers(locked), title=_("考核结果待审核：%(plan)s") % {"plan": locked.title},
           body=_("结果公示期满，请审核。"), link=review_link(locked), province=locked.province)
    return True


def end_result_publicity(plan_id: int, *, today: dt.date) -> bool:
    """The sweep's step for one plan: end its notice when due, then move it to the city's review. Idempotent."""
    plan = ExamPlan.objects.filter(pk=plan_id).select_related("publicity_notice").first()
    if plan is None or plan.state != P.IN_PUBLICITY or plan.publicity_notice_id is None:
        return False
    # ending the notice calls on_result_publicity_ended, which usually moves the plan already
    publicity.end_notice(plan.publicity_notice_id, today=today)
    with transaction.atomic():
        _advance_after_publicity(plan, acting_user=None)
    return ExamPlan.objects.filter(pk=plan_id, state=P.CITY_REVIEW).exists()


def answer_objection(objection: Objection, *, acting_user: User, upheld: bool, resolution: str) -> Objection:
    """The organization answers an objection to its result publicity (upheld: the candidate is withdrawn)."""
    plan = _plan_of_notice(objection.notice)
    if plan is None or objection.notice.kind != RESULTS_KIND:
        raise NotPermitted(_("该异议不属于考核结果公示。"))
    _require_member(acting_user, plan.institution)
    result = publicity.resolve_objection(objection, acting_user=acting_user, upheld=upheld, resolution=resolution)
    notify(_city_officers(plan), title=_("考核结果公示异议已答复：%(plan)s") % {"plan": plan.title},
           body=resolution, link=plan_link(plan), province=plan.province, email=False)
    return result
