"""Helpers shared by the services modules: who may act, links, the plan's locked transition, scope checks."""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from filings import selectors as filing_selectors
from filings.models import Filing, FilingOccupation
from portal import publicity
from portal.audit import record_event
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.models import Institution, Occupation, Province, PublicityNotice, Role, User, WorkType
from portal.roles import has_role, require_role, users_with_role

from ..errors import Codes
from ..models import Candidate, ExamPlan, PlanState
from ..models.exams import EDITABLE_STATES, level_labels

P = PlanState
RESULTS_KIND = "exam_results"
CANDIDATE_TYPE = "certificates.candidate"


def _require_member(user: User, institution: Institution) -> None:
    require_role(user, institution.province, Role.INSTITUTION_MEMBER, institution=institution,
                 message=_("只有本机构的用户可以办理此事项。"))


def _officer_level(user: User, plan: ExamPlan) -> str | None:
    """"province", "city" (an officer of the exam's city) or None."""
    if has_role(user, plan.province, Role.PROVINCIAL_OFFICER):
        return "province"
    if plan.city_id and has_role(user, plan.province, Role.CITY_OFFICER, city=plan.city):
        return "city"
    return None


def _require_officer(user: User, plan: ExamPlan) -> str:
    level = _officer_level(user, plan)
    if level is None:
        raise NotPermitted(_("只有考核所在地市或省级经办人员可以办理此事项。"))
    return level


def _members(institution: Institution) -> list[User]:
    return users_with_role(institution.province, Role.INSTITUTION_MEMBER, institution=institution)


def _city_officers(plan: ExamPlan) -> list[User]:
    if plan.city_id is None:
        return []
    return users_with_role(plan.province, Role.CITY_OFFICER, city=plan.city)


def _provincial_officers(province: Province) -> list[User]:
    return users_with_role(province, Role.PROVINCIAL_OFFICER)


def plan_link(plan: ExamPlan) -> str:
    return reverse("exams:plan_detail", kwargs={"province": plan.province.slug, "pk": plan.pk})


def review_link(plan: ExamPlan) -> str:
    return reverse("exams:review", kwargs={"province": plan.province.slug, "pk": plan.pk})


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写%(what)s。") % {"what": what}, code=Codes.REASON_REQUIRED)
    return text


def _scope_line(filing: Filing, occupation: Occupation, work_type: WorkType | None) -> FilingOccupation | None:
    return filing.occupations.filter(occupation=occupation, work_type=work_type).first()


def _refuse_new_plan_after_exit_request(filing: Filing) -> None:
    """From a voluntary exit request on (003 art. 13), the organization files no new exam plan."""
    if filing.exit_requested_on is not None:
        raise DomainError(
            _("本机构已于%(day)s申请自愿退出，不再受理新的考核计划。") % {"day": filing.exit_requested_on.isoformat()},
            code=Codes.EXIT_REQUESTED,
        )


def _require_in_scope(filing: Filing, occupation: Occupation, work_type: WorkType | None, levels: Iterable[int],
                      until: dt.date | None = None) -> None:
    if not filing.is_active:
        raise DomainError(
            _("备案状态为“%(status)s”，只有有效备案的机构可以报备考核计划。") % {"status": filing.get_status_display()},
            code=Codes.NOT_ACTIVE,
        )
    line = _scope_line(filing, occupation, work_type)
    label = f"{occupation.name}（{work_type.name}）" if work_type else occupation.name
    if line is None:
        raise DomainError(_("%(occ)s不在本机构的备案职业范围内。") % {"occ": label}, code=Codes.OUT_OF_SCOPE)
    outside = sorted(set(levels) - {int(x) for x in line.levels}, reverse=True)
    if outside:
        raise DomainError(
            _("%(occ)s的备案等级为%(filed)s，不含%(levels)s。")
            % {"occ": label, "filed": line.level_labels(), "levels": level_labels(outside)},
            code=Codes.OUT_OF_SCOPE,
        )
    if until is not None and until > line.valid_until:
        raise DomainError(
            _("%(occ)s的备案有效期至%(date)s，考核日期不能晚于该日。") % {"occ": label, "date": line.valid_until.isoformat()},
            code=Codes.OUT_OF_SCOPE,
        )


def _lock_editable(plan: ExamPlan, acting_user: User) -> ExamPlan:
    """Lock the plan for a change of its content; only a draft, a plan being changed or one sent back may change."""
    _require_member(acting_user, plan.institution)
    locked = ExamPlan.objects.select_for_update(of=("self",)).select_related(
        "province", "institution", "filing", "occupation", "work_type", "city").get(pk=plan.pk)
    if locked.state not in EDITABLE_STATES:
        raise DomainError(
            _("考核计划当前状态为“%(state)s”，不能修改；已报备的计划请先发起变更。") % {"state": locked.get_state_display()},
            code=Codes.NOT_EDITABLE,
        )
    return locked


def _audit_changes(obj: Any, actor: User | None, action: str, before: dict[str, Any], after: dict[str, Any],
                   reason: str = "") -> None:
    changes = {k: {"before": before.get(k), "after": after.get(k)} for k in after if before.get(k) != after.get(k)}
    if changes:
        record_event(actor=actor, action=action, obj=obj, province=obj.province, reason=reason, changes=changes)


def _transition(
    plan: ExamPlan, *, acting_user: User | None, action: str, do: Callable[[ExamPlan], None],
    allowed: Callable[[ExamPlan], Any], reason: str = "", extra: dict[str, Any] | None = None,
    check: Callable[[ExamPlan], None] | None = None,
) -> ExamPlan:
    """Lock the row, check the move (someone else may just have made it), make it, save, audit."""
    with transaction.atomic():
        locked = ExamPlan.objects.select_for_update(of=("self",)).select_related(
            "province", "institution", "filing", "occupation", "work_type", "city").get(pk=plan.pk)
        if locked.state != plan.state:
            raise ConflictError(
                _("该考核计划刚刚已被处理（当前状态：%(state)s），本次操作未作任何更改，请刷新页面查看。")
                % {"state": locked.get_state_display()})
        if not can_proceed(allowed(locked)):
            raise InvalidTransition(
                _("考核计划当前状态为“%(state)s”，不能执行该操作。") % {"state": locked.get_state_display()})
        if check is not None:
            check(locked)
        from_state = locked.state
        before = {"officer_note": locked.officer_note, "returned_by": locked.returned_by}
        do(locked)
        locked.save()
        after = {"officer_note": locked.officer_note, "returned_by": locked.returned_by}
        changes = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        changes["state"] = {"before": from_state, "after": locked.state}
        record_event(actor=acting_user, action=action, obj=locked, province=locked.province, from_state=from_state,
                     to_state=locked.state, reason=reason, changes=changes | (extra or {}))
    plan.refresh_from_db()
    return locked


_RESULT_FIELDS = ("theory_score", "theory_absent", "practical_score", "practical_absent", "review_score",
                  "review_absent", "passed")


def _result_values(c: Candidate) -> dict[str, Any]:
    return {f: (str(getattr(c, f)) if isinstance(getattr(c, f), Decimal) else getattr(c, f)) for f in _RESULT_FIELDS}


def _notice_source(plan: ExamPlan) -> str:
    return f"certificates.examplan:{plan.pk}"


def _publicity_items(plan: ExamPlan) -> list[publicity.ItemSpec]:
    return [
        publicity.ItemSpec(CANDIDATE_TYPE, str(c.pk), f"{c.name} {c.masked_id}",
                           f"{plan.occupation_label} {level_labels([c.level])}")
        for c in plan.candidates.filter(passed=True).order_by("line")
    ]


def _publish(locked: ExamPlan, acting_user: User) -> PublicityNotice:
    items = _publicity_items(locked)
    if not items:
        raise DomainError(_("没有合格考生，无需公示。"), code=Codes.NO_PASSING)
    settings = filing_selectors.pack_for(locked.province).settings
    return publicity.publish_notice(
        locked.province, kind=RESULTS_KIND,
        title=_("%(org)s%(occ)s职业技能等级认定结果公示") % {"org": locked.institution.name, "occ": locked.occupation_label},
        body=_("以下人员参加%(org)s组织的%(occ)s（%(levels)s）职业技能等级认定，成绩合格，现予公示。公示期内对公示内容有异议的，"
               "可在线提出异议。") % {"org": locked.institution.name, "occ": locked.occupation_label,
                                     "levels": locked.level_labels()},
        items=items, working_days=settings.result_publicity_working_days, acting_user=acting_user,
        source=_notice_source(locked),
    )


def _require_results_complete(plan: ExamPlan) -> None:
    missing = [c for c in plan.candidates.all() if not c.results_entered]
    if missing:
        names = "、".join(f"第{c.line}行{c.name}" for c in missing[:10])
        raise DomainError(
            _("还有%(n)d名考生的成绩未录入：%(names)s") % {"n": len(missing), "names": names},
            code=Codes.RESULTS_INCOMPLETE)
