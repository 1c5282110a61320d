"""The checks before an exam plan is filed (lead time, scope, staffing, double bookings) and filing it."""

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import selectors as filing_selectors
from portal.audit import record_event
from portal.errors import CalendarNotCovered, DomainError
from portal.identifiers import mask_id_number
from portal.models import Province, User
from portal.notifications import notify
from portal.workdays import add_working_days, working_days_between

from .. import rules
from ..errors import Codes, PlanRefused
from ..models import (
    Candidate,
    ExamPlan,
    ExamPlanVersion,
    ExamSession,
    OccupationExamRule,
    SessionKind,
    SessionStaff,
    StaffDuty,
)
from ..models.exams import LIVE_STATES, level_labels
from ._common import (
    _city_officers,
    _lock_editable,
    _reason,
    _refuse_new_plan_after_exit_request,
    _require_in_scope,
    plan_link,
)


def earliest_allowed_date(province: Province, today: dt.date) -> dt.date:
    """The first date an exam may be held when the plan is filed today (N working days later, on the calendar)."""
    lead = filing_selectors.pack_for(province).settings.exam_plan_lead_working_days
    return add_working_days(today, lead)


def add_working_days_for_demo(province: Province, today: dt.date, extra: int) -> dt.date:
    """The first date `extra` working days after the earliest allowed one (demo plans stay inside the lead time)."""
    return add_working_days(earliest_allowed_date(province, today), extra)


def lead_time_problem(plan: ExamPlan, first: dt.date, today: dt.date) -> str | None:
    lead = filing_selectors.pack_for(plan.province).settings.exam_plan_lead_working_days
    earliest = earliest_allowed_date(plan.province, today)
    if first < earliest:
        return _("考核计划须在首场考核前至少%(n)d个工作日报备：今天报备，首场最早可安排在%(date)s，当前首场为%(first)s") % {
            "n": lead, "date": earliest.isoformat(), "first": first.isoformat()}
    return None


def _session_label(session: ExamSession) -> str:
    return f"{session.date:%Y-%m-%d} {session.start_time:%H:%M} {session.room}"


def staffing_report(plan: ExamPlan) -> tuple[dict[int, int], list[str]]:
    """(candidates per session, problems): seats, ratios, odd panels, qualifications and double bookings."""
    sessions = list(plan.sessions.select_related("venue").prefetch_related("staff__staff__qualifications"))
    level_counts = dict(Counter(plan.candidates.values_list("level", flat=True)))
    figures = rules.figures_for(OccupationExamRule.objects.filter(occupation_id=plan.occupation_id).first())
    slots = [rules.SessionSlot(s.pk, s.kind, frozenset(s.levels), s.capacity, _session_label(s)) for s in sessions]
    allocation = rules.allocate(slots, level_counts)
    problems = list(allocation.problems)
    supervisors = 0
    for s in sessions:
        label = _session_label(s)
        assignments = list(s.staff.all())
        supervisors += sum(1 for a in assignments if a.duty == StaffDuty.SUPERVISOR)
        problems += rules.staffing_problems(s.kind, allocation.per_session[s.pk], [a.duty for a in assignments],
                                            figures, label)
        if s.kind in (SessionKind.PRACTICAL, SessionKind.REVIEW):
            levels = set(s.levels) & set(level_counts)
            for a in assignments:
                if a.duty != StaffDuty.ASSESSOR:
                    continue
                qualified = {int(x) for q in a.staff.qualifications.all() if q.occupation_id == plan.occupation_id
                             for x in q.levels}
                missing = sorted(levels - qualified, reverse=True)
                if missing:
                    problems.append(_("%(session)s：考评员%(name)s不具备%(occ)s%(levels)s的考评资格") % {
                        "session": label, "name": a.staff.name, "occ": plan.occupation.name,
                        "levels": level_labels(missing)})
    if sessions and level_counts and supervisors == 0:
        problems.append(_("请为考核安排至少1名内部质量督导员"))
    problems += _double_bookings(plan, sessions)
    return dict(allocation.per_session), problems


def _double_bookings(plan: ExamPlan, sessions: list[ExamSession]) -> list[str]:
    """One person is never in two rooms at once: within the plan and across the organization's other live plans."""
    problems: list[str] = []
    mine = [(s, a.staff) for s in sessions for a in s.staff.all()]
    for i, (s1, p1) in enumerate(mine):
        for s2, p2 in mine[i + 1:]:
            if p1.id_number == p2.id_number and s1.pk != s2.pk and s1.overlaps(s2):
                problems.append(_("%(name)s不能同时在两个考场：%(a)s与%(b)s时间重叠") % {
                    "name": p1.name, "a": _session_label(s1), "b": _session_label(s2)})
    dates = {s.date for s in sessions}
    if not dates:
        return problems
    others = (SessionStaff.objects.filter(session__plan__province=plan.province, session__plan__state__in=LIVE_STATES,
                                          session__date__in=dates, staff__id_number__in={p.id_number for _s, p in mine})
              .exclude(session__plan=plan).select_related("session__plan", "staff"))
    for other in others:
        for s, person in mine:
            if person.id_number == other.staff.id_number and s.overlaps(other.session):
                problems.append(_("%(name)s不能同时在两个考场：%(a)s与计划“%(plan)s”的%(b)s时间重叠") % {
                    "name": person.name, "a": _session_label(s), "plan": other.session.plan.title,
                    "b": _session_label(other.session)})
    return problems


def roster_overlaps(plan: ExamPlan, id_numbers: set[str]) -> dict[str, str]:
    """Candidates of `id_numbers` already on the roster of another live plan of the province at an overlapping time:
    {id number: that plan's title}. Two queries whatever the roster's size."""
    sessions = list(plan.sessions.all())
    if not sessions or not id_numbers:
        return {}
    others = ExamSession.objects.filter(plan__province_id=plan.province_id, plan__state__in=LIVE_STATES,
                                        date__in={s.date for s in sessions}).exclude(plan_id=plan.pk)
    clashing = {o.plan_id for o in others if any(o.overlaps(s) for s in sessions)}
    if not clashing:
        return {}
    titles = dict(ExamPlan.objects.filter(pk__in=clashing).values_list("pk", "title"))
    found: dict[str, str] = {}
    for number, plan_id in Candidate.objects.filter(plan_id__in=clashing).values_list("id_number", "plan_id"):
        if number in id_numbers:
            found.setdefault(number, titles[plan_id])
    return found


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


# When a plan has several problems, the API's code is the first of these that applies.
_CODE_ORDER = (Codes.NOT_ACTIVE, Codes.EXIT_REQUESTED, Codes.OUT_OF_SCOPE, CalendarNotCovered.code, Codes.NOT_EDITABLE, Codes.LEAD_TIME, Codes.UNDERSTAFFED,
               Codes.PLAN_INCOMPLETE)


def plan_problems(plan: ExamPlan, *, today: dt.date | None = None) -> list[Problem]:
    """Everything that stops this plan from being filed today (empty when it may be filed)."""
    today = today or timezone.localdate()
    problems: list[Problem] = []
    try:
        _require_in_scope(plan.filing, plan.occupation, plan.work_type, plan.levels, plan.last_session_on)
    except DomainError as exc:
        problems.append(Problem(exc.code, str(exc)))
    if plan.version == 0:
        try:
            _refuse_new_plan_after_exit_request(plan.filing)
        except DomainError as exc:
            problems.append(Problem(exc.code, str(exc)))
    if plan.first_session_on is None:
        problems.append(Problem(Codes.PLAN_INCOMPLETE, _("请至少安排一个考核场次")))
    else:
        try:
            # every year from today to the last session must be on the calendar: a date is never guessed
            working_days_between(today, max(plan.last_session_on or today, today))
            problem = lead_time_problem(plan, plan.first_session_on, today)
        except CalendarNotCovered as exc:
            problems.append(Problem(exc.code, _("考核日期所在年度的工作日历尚未录入：") + str(exc)))
        else:
            if problem:
                problems.append(Problem(Codes.LEAD_TIME, problem))
    if plan.city_id is None and plan.first_session_on is not None:
        problems.append(Problem(Codes.PLAN_INCOMPLETE, _("同一考核计划的场次须在同一地市")))
    if not plan.evaluation_process.strip():
        problems.append(Problem(Codes.PLAN_INCOMPLETE, _("请填写评价流程")))
    if not plan.candidates.exists():
        problems.append(Problem(Codes.PLAN_INCOMPLETE, _("请导入考生名册")))
    _per_session, staffing = staffing_report(plan)
    problems += [Problem(Codes.UNDERSTAFFED, p) for p in staffing]
    numbers = set(plan.candidates.values_list("id_number", flat=True))
    for number, title in sorted(roster_overlaps(plan, numbers).items()):
        problems.append(Problem(Codes.PLAN_INCOMPLETE, _("考生%(id)s已在同一时间参加计划“%(plan)s”的考核") % {
            "id": mask_id_number(number), "plan": title}))
    return problems


def _refusal_code(problems: list[Problem]) -> str:
    codes = {p.code for p in problems}
    return next((c for c in _CODE_ORDER if c in codes), Codes.PLAN_INCOMPLETE)


def plan_snapshot(plan: ExamPlan) -> dict[str, Any]:
    """What a filing contains, to compare versions: the plan, its sessions with their staff, the roster's summary."""
    numbers = sorted(plan.candidates.values_list("id_number", flat=True))
    return {
        "title": plan.title,
        "occupation": plan.occupation.code,
        "work_type": plan.work_type.name if plan.work_type else "",
        "levels": plan.levels,
        "evaluation_process": plan.evaluation_process,
        "sessions": [
            {"kind": s.kind, "date": s.date.isoformat(), "start": s.start_time.strftime("%H:%M"),
             "end": s.end_time.strftime("%H:%M"), "venue": s.venue.name, "address": s.venue.address,
             "room": s.room, "capacity": s.capacity, "levels": s.levels,
             "staff": sorted(f"{a.staff.name}/{a.duty}" for a in s.staff.all())}
            for s in plan.sessions.select_related("venue").prefetch_related("staff__staff")
        ],
        "roster": {"count": len(numbers), "levels": dict(sorted(Counter(
            str(x) for x in plan.candidates.values_list("level", flat=True)).items())),
                   "digest": hashlib.sha256("\n".join(numbers).encode()).hexdigest()},
    }


def _session_times(snapshot: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(s["date"], s["start"], s["end"]) for s in snapshot.get("sessions", [])}


def file_plan(plan: ExamPlan, *, acting_user: User, reason: str = "") -> ExamPlan:
    """File a plan (or a change of a filed plan) with the city of the exam and the province.

    Refused with every reason when it is late (the earliest allowed date in the message), outside the filing's scope,
    under-staffed or incomplete. A change that moves or adds a session again respects the lead time for those sessions.
    """
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock_editable(plan, acting_user)
        is_change = locked.version > 0
        if is_change:
            reason = _reason(reason, _("变更说明"))
        problems = plan_problems(locked, today=today)
        previous = locked.versions.order_by("-number").first()
        current = plan_snapshot(locked)
        if previous is not None:
            # only sessions whose time is new must respect the lead time again; the rest keep their filing
            unchanged = _session_times(previous.snapshot)
            new_sessions = [s for s in locked.sessions.all()
                            if (s.date.isoformat(), s.start_time.strftime("%H:%M"), s.end_time.strftime("%H:%M"))
                            not in unchanged]
            problems = [p for p in problems if p.code != Codes.LEAD_TIME]
            if new_sessions:
                problem = lead_time_problem(locked, min(s.date for s in new_sessions), today)
                if problem:
                    problems.append(Problem(Codes.LEAD_TIME, _("变更后的场次：") + problem))
            if locked.first_session_on is not None and locked.first_session_on <= today:
                problems.append(Problem(Codes.NOT_EDITABLE, _("考核已开始，不能再变更计划")))
        if problems:
            raise PlanRefused([p.message for p in problems], code=_refusal_code(problems))
        from_state = locked.state
        locked.file()
        locked.save()
        version = ExamPlanVersion.objects.create(plan=locked, number=locked.version, snapshot=current,
                                                 reason=reason, filed_by=acting_user)
        changes: dict[str, Any] = {"version": {"before": locked.version - 1, "after": locked.version}}
        if previous is not None:
            for key in sorted(set(current) | set(previous.snapshot)):
                if current.get(key) != previous.snapshot.get(key):
                    changes[key] = {"before": previous.snapshot.get(key), "after": current.get(key)}
        else:
            changes["first_session_on"] = {"before": None, "after": locked.first_session_on}
        record_event(actor=acting_user, action="exam_plan_changed" if is_change else "exam_plan_filed", obj=locked,
                     province=locked.province, from_state=from_state, to_state=locked.state, reason=reason,
                     changes=changes)
    title = (_("考核计划变更（第%(n)d版）：%(plan)s") if is_change else _("新报备考核计划（第%(n)d版）：%(plan)s")) % {
        "n": version.number, "plan": locked.title}
    notify(_city_officers(locked), title=title,
           body=_("%(org)s，首场%(date)s，考生%(count)d人。") % {
               "org": locked.institution.name, "date": locked.first_session_on.isoformat() if locked.first_session_on else "",
               "count": current["roster"]["count"]},
           link=plan_link(locked), province=locked.province)
    plan.refresh_from_db()
    return locked
