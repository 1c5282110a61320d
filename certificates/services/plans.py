"""Exam plans: creating and editing them, their sessions and staffing, and the moves by state."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import Filing
from portal.audit import record_event
from portal.errors import DomainError, InvalidTransition
from portal.models import Occupation, Role, User, WorkType
from portal.notifications import notify
from portal.roles import has_role, require_role

from .. import rules
from ..errors import Codes
from ..models import ExamPlan, ExamSession, ExamStaff, ExamVenue, SessionKind, SessionStaff, SupervisionVisit
from ..models.exams import CANCELLABLE, level_labels
from ._common import (
    P,
    _audit_changes,
    _city_officers,
    _lock_editable,
    _members,
    _reason,
    _refuse_new_plan_after_exit_request,
    _require_in_scope,
    _require_member,
    _require_officer,
    _transition,
    plan_link,
)


def create_plan(
    filing: Filing, *, acting_user: User, occupation: Occupation, levels: Sequence[int], title: str = "",
    work_type: WorkType | None = None, evaluation_process: str = "",
) -> ExamPlan:
    """A draft plan of one occupation and levels inside the filing's scope (only an active filing may hold exams)."""
    _require_member(acting_user, filing.institution)
    levels = sorted({int(x) for x in levels}, reverse=True)
    if not levels:
        raise DomainError(_("请选择考核等级。"), code=Codes.OUT_OF_SCOPE)
    with transaction.atomic():
        locked = Filing.objects.select_for_update(of=("self",)).select_related("province", "institution").get(pk=filing.pk)
        _require_in_scope(locked, occupation, work_type, levels)
        _refuse_new_plan_after_exit_request(locked)
        title = title.strip() or _("%(occ)s%(levels)s考核计划") % {
            "occ": occupation.name, "levels": level_labels(levels)}
        plan = ExamPlan.objects.create(
            province=locked.province, institution=locked.institution, filing=locked, title=title[:200],
            occupation=occupation, work_type=work_type, levels=levels, evaluation_process=evaluation_process,
            created_by=acting_user,
        )
        record_event(actor=acting_user, action="exam_plan_created", obj=plan, province=plan.province,
                     to_state=plan.state,
                     changes={"occupation": {"before": None, "after": occupation.code},
                              "levels": {"before": None, "after": levels},
                              "title": {"before": None, "after": plan.title}})
    return plan


def update_plan(plan: ExamPlan, *, acting_user: User, title: str, levels: Sequence[int],
                evaluation_process: str) -> ExamPlan:
    with transaction.atomic():
        locked = _lock_editable(plan, acting_user)
        levels = sorted({int(x) for x in levels}, reverse=True)
        _require_in_scope(locked.filing, locked.occupation, locked.work_type, levels)
        before = {"title": locked.title, "levels": locked.levels, "evaluation_process": locked.evaluation_process}
        locked.title = title.strip()[:200] or locked.title
        locked.levels = levels
        locked.evaluation_process = evaluation_process
        locked.save(update_fields=["title", "levels", "evaluation_process", "updated_at"])
        after = {"title": locked.title, "levels": locked.levels, "evaluation_process": locked.evaluation_process}
        _audit_changes(locked, acting_user, "exam_plan_updated", before, after)
    return locked


def _refresh_dates(plan: ExamPlan) -> None:
    """Keep the plan's first and last session dates and its exam city in step with its sessions."""
    sessions = list(plan.sessions.select_related("venue"))
    plan.first_session_on = min((s.date for s in sessions), default=None)
    plan.last_session_on = max((s.date for s in sessions), default=None)
    cities = {s.venue.city_id for s in sessions}
    plan.city_id = next(iter(cities)) if len(cities) == 1 else (plan.city_id if cities else None)
    plan.save(update_fields=["first_session_on", "last_session_on", "city", "updated_at"])


def add_session(
    plan: ExamPlan, *, acting_user: User, kind: str, date: dt.date, start_time: dt.time, end_time: dt.time,
    venue: ExamVenue, room: str, capacity: int, levels: Sequence[int] = (),
) -> ExamSession:
    with transaction.atomic():
        locked = _lock_editable(plan, acting_user)
        levels = sorted({int(x) for x in levels} or set(locked.levels), reverse=True)
        problems = []
        if kind not in SessionKind.values:
            problems.append(_("考核方式无效"))
        if venue.institution_id != locked.institution_id or not venue.is_active:
            problems.append(_("请选择本机构的考核场所"))
        if end_time <= start_time:
            problems.append(_("结束时间须晚于开始时间"))
        if capacity < 1:
            problems.append(_("容纳考生数至少为1"))
        if not room.strip():
            problems.append(_("请填写考场"))
        if set(levels) - set(locked.levels):
            problems.append(_("场次等级须在计划的考核等级内"))
        if kind == SessionKind.REVIEW and not set(levels) & rules.REVIEW_LEVELS:
            problems.append(_("综合评审仅适用于二级/技师和一级/高级技师"))
        if locked.city_id and venue.city_id != locked.city_id:
            problems.append(_("同一考核计划的场次须在同一地市（%(city)s），其他地市请另行报备计划")
                            % {"city": locked.city.name if locked.city else ""})
        if problems:
            raise DomainError("；".join(problems), code=Codes.SESSION_INVALID)
        session = ExamSession.objects.create(plan=locked, kind=kind, date=date, start_time=start_time,
                                             end_time=end_time, venue=venue, room=room.strip(), capacity=capacity,
                                             levels=levels)
        _refresh_dates(locked)
        record_event(actor=acting_user, action="exam_session_added", obj=locked, province=locked.province,
                     changes={"session": {"before": None, "after": f"{session}（{venue.name}）"}})
    return session


def remove_session(session: ExamSession, *, acting_user: User) -> None:
    with transaction.atomic():
        locked = _lock_editable(session.plan, acting_user)
        label = str(session)
        session.delete()
        _refresh_dates(locked)
        record_event(actor=acting_user, action="exam_session_removed", obj=locked, province=locked.province,
                     changes={"session": {"before": label, "after": None}})


def assign_staff(session: ExamSession, *, acting_user: User, staff: Sequence[ExamStaff]) -> list[SessionStaff]:
    """Set the people on duty at a session (replacing the previous list); the staffing check runs at filing."""
    with transaction.atomic():
        locked = _lock_editable(session.plan, acting_user)
        foreign = [s for s in staff if s.institution_id != locked.institution_id or not s.is_active]
        if foreign:
            raise DomainError(_("只能安排本机构在岗的考务人员。"), code=Codes.STAFF_INVALID)
        before = sorted(f"{a.staff.name}（{a.staff.get_duty_display()}）"
                        for a in session.staff.select_related("staff"))
        session.staff.all().delete()
        rows = SessionStaff.objects.bulk_create(
            SessionStaff(session=session, staff=s, duty=s.duty) for s in {s.pk: s for s in staff}.values()
        )
        after = sorted(f"{s.name}（{s.get_duty_display()}）" for s in {s.pk: s for s in staff}.values())
        record_event(actor=acting_user, action="exam_staff_assigned", obj=locked, province=locked.province,
                     changes={f"session {session.pk} {session}": {"before": before, "after": after}})
    return rows


def start_amendment(plan: ExamPlan, *, acting_user: User) -> ExamPlan:
    """Open a filed plan for a change; it is filed again as a new version (the lead time applies to moved sessions)."""
    _require_member(acting_user, plan.institution)

    def check(p: ExamPlan) -> None:
        if p.first_session_on is not None and p.first_session_on <= timezone.localdate():
            raise DomainError(_("考核已开始，不能再变更计划。"), code=Codes.NOT_EDITABLE)

    return _transition(plan, acting_user=acting_user, action="exam_plan_amendment_started",
                       do=lambda p: p.start_amendment(), allowed=lambda p: p.start_amendment, check=check)


def cancel_plan(plan: ExamPlan, *, acting_user: User, reason: str) -> ExamPlan:
    _require_member(acting_user, plan.institution)
    reason = _reason(reason, _("取消理由"))
    result = _transition(plan, acting_user=acting_user, action="exam_plan_cancelled", do=lambda p: p.cancel(),
                         allowed=lambda p: p.cancel, reason=reason)
    if result.version > 0:
        notify(_city_officers(result), title=_("考核计划已取消：%(plan)s") % {"plan": result.title}, body=reason,
               link=plan_link(result), province=result.province)
    return result


def cancel_plans_of_filing(filing: Filing, *, acting_user: User, reason: str, today: dt.date | None = None,
                           ) -> list[ExamPlan]:
    """An ordered exit stops the filing's plans at once: every plan not yet held (no session before today) is
    cancelled by the province, each audited, with a notice to the organization and the city of the exam."""
    require_role(acting_user, filing.province, Role.PROVINCIAL_OFFICER)
    reason = _reason(reason, _("取消理由"))
    day = today or timezone.localdate()
    due = ExamPlan.objects.filter(filing=filing, state__in=CANCELLABLE).filter(
        Q(first_session_on__isnull=True) | Q(first_session_on__gte=day)).order_by("pk")
    cancelled = []
    for plan in due:
        result = _transition(plan, acting_user=acting_user, action="exam_plan_cancelled", do=lambda p: p.cancel(),
                             allowed=lambda p: p.cancel, reason=reason)
        notify([*_members(result.institution), *(_city_officers(result) if result.version > 0 else [])],
               title=_("考核计划已被取消：%(plan)s") % {"plan": result.title}, body=reason, link=plan_link(result),
               province=result.province)
        cancelled.append(result)
    return cancelled


def acknowledge_plan(plan: ExamPlan, *, acting_user: User, note: str = "") -> ExamPlan:
    """The city of the exam (or the province) acknowledges a filed plan."""
    _require_officer(acting_user, plan)
    result = _transition(plan, acting_user=acting_user, action="exam_plan_acknowledged",
                         do=lambda p: p.acknowledge(note.strip()), allowed=lambda p: p.acknowledge, reason=note.strip())
    notify(_members(result.institution), title=_("考核计划已确认：%(plan)s") % {"plan": result.title},
           body=note.strip(), link=plan_link(result), province=result.province)
    return result


def request_plan_changes(plan: ExamPlan, *, acting_user: User, note: str) -> ExamPlan:
    _require_officer(acting_user, plan)
    note = _reason(note, _("修改意见"))
    result = _transition(plan, acting_user=acting_user, action="exam_plan_changes_requested",
                         do=lambda p: p.request_changes(note), allowed=lambda p: p.request_changes, reason=note)
    notify(_members(result.institution), title=_("考核计划需修改：%(plan)s") % {"plan": result.title}, body=note,
           link=plan_link(result), province=result.province)
    return result


def _visit_supervisor(plan: ExamPlan, supervisor: User | None, inspector: str) -> tuple[User | None, str]:
    """The supervisor's account (a quality supervisor of the plan's province) and the name shown for the visit."""
    if supervisor is None:
        return None, _reason(inspector, _("督导人员"))
    if not has_role(supervisor, plan.province, Role.QUALITY_SUPERVISOR):
        raise DomainError(_("所选人员不是本省的质量督导员。"), code=Codes.SUPERVISOR_INVALID)
    return supervisor, inspector.strip() or supervisor.get_full_name() or supervisor.get_username()


def schedule_visit(plan: ExamPlan, *, acting_user: User, visit_on: dt.date, inspector: str = "",
                   session: ExamSession | None = None, note: str = "",
                   supervisor: User | None = None) -> SupervisionVisit:
    """An officer schedules a supervision visit (督导检查); the organization is not told in advance. A visit given to
    a quality supervisor's account is told to that supervisor and listed on their home; an external inspector
    without an account is a name."""
    _require_officer(acting_user, plan)
    supervisor, inspector = _visit_supervisor(plan, supervisor, inspector)
    with transaction.atomic():
        locked = ExamPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if locked.state not in (P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING):
            raise InvalidTransition(_("只能为已报备、尚未考核的计划安排督导。"))
        if session is not None and session.plan_id != locked.pk:
            raise DomainError(_("所选场次不属于该计划。"), code=Codes.SESSION_INVALID)
        visit = SupervisionVisit.objects.create(plan=locked, session=session, visit_on=visit_on, inspector=inspector,
                                                supervisor=supervisor, note=note.strip(), scheduled_by=acting_user)
        record_event(actor=acting_user, action="exam_visit_scheduled", obj=locked, province=locked.province,
                     changes={"visit": {"before": None, "after": f"{visit_on.isoformat()} {inspector}"
                                        + (f" {session}" if session else "")}})
    if supervisor is not None:
        notify([supervisor], title=_("考核督导安排：%(date)s %(plan)s") % {"date": visit_on.isoformat(),
                                                                       "plan": locked.title},
               body=note.strip(), province=locked.province,
               link=reverse("province_home", kwargs={"province": locked.province.slug}) + "#exam-visits")
    return visit
