"""Every write of the exam-to-certificate pipeline: this module and certificates.selectors are the app's public face.

Each function is the one path for its change: it checks who acts, runs in a transaction, locks the row, refuses an
illegal move with a DomainError (stable `code`, Chinese message), writes an audit event with the changed fields and
queues notifications after commit.

Sections: the organization's venues and staff; exam plans (sessions, staffing, rosters, filing, changes, the
officers' acknowledgement, change requests and visits); results (entry, import, corrections); result publicity
(portal.publicity, kind "exam_results"); the city's and the province's review; the sweeps. Certificate issuance
follows at the end of the module (owned by the certificates work).
"""

import datetime as dt
import functools
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from filings import selectors as filing_selectors
from filings.models import Filing, FilingOccupation, FilingStatus
from filings.services import users_with_role
from portal import publicity
from portal.audit import record_event
from portal.errors import CalendarNotCovered, ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.identifiers import mask_id_number, normalize_id_number, validate_id_number
from portal.models import (
    City,
    Institution,
    Membership,
    Objection,
    ObjectionState,
    Occupation,
    Province,
    PublicityItem,
    PublicityNotice,
    Role,
    User,
    WorkType,
)
from portal.notifications import notify
from portal.publicity import RateLimited, hash_ip
from portal.uploads import check_upload
from portal.workdays import add_working_days, working_days_between

from . import imports, numbering, rules, selectors, signing
from .models import (
    Candidate,
    ExamPlan,
    ExamPlanVersion,
    ExamSession,
    ExamStaff,
    ExamVenue,
    OccupationExamRule,
    PlanState,
    ResultCorrection,
    SessionKind,
    SessionStaff,
    StaffDuty,
    StaffQualification,
    SupervisionVisit,
)
from .models.exams import EDITABLE_STATES, LIVE_STATES, IdType, level_labels
from .models.issuance import (
    NO_WORK_TYPE,
    BatchKind,
    Certificate,
    CertificateChange,
    CertificateStatus,
    ChangeKind,
    ChangeState,
    IssuanceBatch,
    LookupChannel,
    LookupLog,
    RevocationReason,
    RosterPhoto,
    SigningKey,
)

P = PlanState
RESULTS_KIND = "exam_results"
CANDIDATE_TYPE = "certificates.candidate"


class Codes:
    """The stable error codes of this app (the API's contract)."""

    NOT_ACTIVE = "filing_not_active"
    OUT_OF_SCOPE = "out_of_scope"
    LEAD_TIME = "lead_time"
    PLAN_INCOMPLETE = "plan_incomplete"
    UNDERSTAFFED = "understaffed"
    NOT_EDITABLE = "plan_not_editable"
    ROSTER_INVALID = "roster_invalid"
    ROSTER_CONFIRM = "roster_needs_confirmation"
    RESULTS_INVALID = "results_invalid"
    RESULTS_INCOMPLETE = "results_incomplete"
    FILE_UNREADABLE = "file_unreadable"
    EXAM_NOT_HELD = "exam_not_held"
    REASON_REQUIRED = "reason_required"
    VENUE_INVALID = "venue_invalid"
    STAFF_INVALID = "staff_invalid"
    SESSION_INVALID = "session_invalid"
    NO_PASSING = "no_passing_candidates"
    OPEN_OBJECTIONS = "open_objections"


class PlanRefused(DomainError):
    """A plan cannot be filed: `problems` lists every reason, each in words that say what is short."""

    code = Codes.PLAN_INCOMPLETE

    def __init__(self, problems: list[str], *, code: str | None = None) -> None:
        super().__init__(_("考核计划不能报备：") + "；".join(problems), code=code)
        self.problems = problems


class RowsRejected(DomainError):
    """A file with a bad row: nothing was stored; `errors` has every bad row with its line and reason."""

    def __init__(self, message: str, errors: list[imports.RowError], *, code: str) -> None:
        super().__init__(message, code=code)
        self.errors = errors


# --- who may act ---

def _memberships(user: User, province: Province) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user, province=province)


def _require_member(user: User, institution: Institution) -> None:
    if not _memberships(user, institution.province).filter(
            role=Role.INSTITUTION_MEMBER, institution=institution).exists():
        raise NotPermitted(_("只有本机构的用户可以办理此事项。"))


def _officer_level(user: User, plan: ExamPlan) -> str | None:
    """"province", "city" (an officer of the exam's city) or None."""
    memberships = _memberships(user, plan.province)
    if memberships.filter(role=Role.PROVINCIAL_OFFICER).exists():
        return "province"
    if plan.city_id and memberships.filter(role=Role.CITY_OFFICER, city_id=plan.city_id).exists():
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
    return reverse("certificates:plan_detail", kwargs={"province": plan.province.slug, "pk": plan.pk})


def review_link(plan: ExamPlan) -> str:
    return reverse("certificates:review", kwargs={"province": plan.province.slug, "pk": plan.pk})


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写%(what)s。") % {"what": what}, code=Codes.REASON_REQUIRED)
    return text


# --- the organization's venues and staff ---

def create_venue(institution: Institution, *, acting_user: User, name: str, address: str, city: City) -> ExamVenue:
    _require_member(acting_user, institution)
    name, address = name.strip(), address.strip()
    if city.province_id != institution.province_id:
        raise DomainError(_("考核场所须在本省内。"), code=Codes.VENUE_INVALID)
    if not (name and address):
        raise DomainError(_("请填写场所名称和详细地址。"), code=Codes.VENUE_INVALID)
    with transaction.atomic():
        if ExamVenue.objects.filter(institution=institution, name=name).exists():
            raise DomainError(_("已有名为“%(name)s”的考核场所。") % {"name": name}, code=Codes.VENUE_INVALID)
        venue = ExamVenue.objects.create(province=institution.province, institution=institution, city=city,
                                         name=name, address=address)
        record_event(actor=acting_user, action="exam_venue_created", obj=venue, province=institution.province,
                     changes={"name": {"before": None, "after": name}, "city": {"before": None, "after": city.name},
                              "address": {"before": None, "after": address}})
    return venue


@dataclass(frozen=True)
class Qualification:
    occupation: Occupation
    levels: tuple[int, ...]


def create_staff(
    institution: Institution, *, acting_user: User, name: str, id_number: str, duty: str,
    certificate_number: str = "", qualifications: Sequence[Qualification] = (),
) -> ExamStaff:
    """Add a person to the organization's exam staff; the identity number is validated with its check digit."""
    _require_member(acting_user, institution)
    name = name.strip()
    number = normalize_id_number(id_number)
    try:
        validate_id_number(number)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=Codes.STAFF_INVALID) from exc
    if not name:
        raise DomainError(_("请填写姓名。"), code=Codes.STAFF_INVALID)
    if duty not in StaffDuty.values:
        raise DomainError(_("岗位无效。"), code=Codes.STAFF_INVALID)
    if duty == StaffDuty.ASSESSOR and not qualifications:
        raise DomainError(_("考评员须登记可考评的职业和等级。"), code=Codes.STAFF_INVALID)
    with transaction.atomic():
        if ExamStaff.objects.filter(institution=institution, id_number=number, duty=duty).exists():
            raise DomainError(_("%(name)s已登记为%(duty)s。") % {"name": name, "duty": StaffDuty(duty).label},
                              code=Codes.STAFF_INVALID)
        staff = ExamStaff.objects.create(province=institution.province, institution=institution, name=name,
                                         id_number=number, duty=duty, certificate_number=certificate_number.strip())
        StaffQualification.objects.bulk_create(
            StaffQualification(staff=staff, occupation=q.occupation, levels=sorted(set(q.levels), reverse=True))
            for q in qualifications
        )
        record_event(
            actor=acting_user, action="exam_staff_created", obj=staff, province=institution.province,
            changes={"name": {"before": None, "after": name},
                     "id_number": {"before": None, "after": mask_id_number(number)},
                     "duty": {"before": None, "after": duty},
                     "qualifications": {"before": None, "after": [
                         f"{q.occupation.code} {level_labels(list(q.levels))}" for q in qualifications]}},
        )
    return staff


# --- exam plans: creating and editing ---

def _scope_line(filing: Filing, occupation: Occupation, work_type: WorkType | None) -> FilingOccupation | None:
    return filing.occupations.filter(occupation=occupation, work_type=work_type).first()


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


def _audit_changes(obj: Any, actor: User | None, action: str, before: dict[str, Any], after: dict[str, Any],
                   reason: str = "") -> None:
    changes = {k: {"before": before.get(k), "after": after.get(k)} for k in after if before.get(k) != after.get(k)}
    if changes:
        record_event(actor=actor, action=action, obj=obj, province=obj.province, reason=reason, changes=changes)


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


# --- the checks before filing ---

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
_CODE_ORDER = (Codes.NOT_ACTIVE, Codes.OUT_OF_SCOPE, CalendarNotCovered.code, Codes.NOT_EDITABLE, Codes.LEAD_TIME, Codes.UNDERSTAFFED,
               Codes.PLAN_INCOMPLETE)


def plan_problems(plan: ExamPlan, *, today: dt.date | None = None) -> list[Problem]:
    """Everything that stops this plan from being filed today (empty when it may be filed)."""
    today = today or timezone.localdate()
    problems: list[Problem] = []
    try:
        _require_in_scope(plan.filing, plan.occupation, plan.work_type, plan.levels, plan.last_session_on)
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


# --- transitions by state ---

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


def schedule_visit(plan: ExamPlan, *, acting_user: User, visit_on: dt.date, inspector: str,
                   session: ExamSession | None = None, note: str = "") -> SupervisionVisit:
    """An officer schedules a supervision visit (督导检查); the organization is not told in advance."""
    _require_officer(acting_user, plan)
    inspector = _reason(inspector, _("督导人员"))
    with transaction.atomic():
        locked = ExamPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
        if locked.state not in (P.FILED, P.ACKNOWLEDGED, P.CHANGES_REQUESTED, P.AMENDING):
            raise InvalidTransition(_("只能为已报备、尚未考核的计划安排督导。"))
        if session is not None and session.plan_id != locked.pk:
            raise DomainError(_("所选场次不属于该计划。"), code=Codes.SESSION_INVALID)
        visit = SupervisionVisit.objects.create(plan=locked, session=session, visit_on=visit_on, inspector=inspector,
                                                note=note.strip(), scheduled_by=acting_user)
        record_event(actor=acting_user, action="exam_visit_scheduled", obj=locked, province=locked.province,
                     changes={"visit": {"before": None, "after": f"{visit_on.isoformat()} {inspector}"
                                        + (f" {session}" if session else "")}})
    return visit


# --- rosters ---

@dataclass(frozen=True)
class ImportResult:
    count: int
    warnings: list[imports.RowError]


def _copy_candidates(plan: ExamPlan, rows: list[imports.RosterRow], confirmed: set[str]) -> None:
    """Insert the roster: COPY on PostgreSQL (inside the caller's transaction), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        write = buffer.write
        pid = str(plan.pk)
        for r in rows:
            write("\t".join((pid, str(r.line), _copy_text(r.name), r.id_type, r.id_number, r.gender,
                             r.phone, str(r.level), _copy_text(r.training_class),
                             "t" if r.id_number in confirmed else "f", "f", "f", "f", "")) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(COPY_CANDIDATES_SQL, buffer)  # type: ignore[union-attr]
        return
    Candidate.objects.bulk_create(
        (Candidate(plan=plan, line=r.line, name=r.name, id_type=r.id_type, id_number=r.id_number, gender=r.gender,
                   phone=r.phone, level=r.level, training_class=r.training_class,
                   certified_warning_confirmed=r.id_number in confirmed) for r in rows),
        batch_size=500,
    )


COPY_CANDIDATES_SQL = (
    f"COPY {Candidate._meta.db_table} (plan_id, line, name, id_type, id_number, gender, phone, level, training_class, "
    "certified_warning_confirmed, theory_absent, practical_absent, review_absent, withheld_reason) FROM STDIN"
)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": " ", "\n": " ", "\r": " "})


def _copy_text(value: str) -> str:
    """A value for COPY's text format: backslashes doubled, tabs and line breaks as spaces."""
    return value.translate(_COPY_ESCAPES)


def import_roster(plan: ExamPlan, *, acting_user: User, content: bytes, filename: str = "",
                  confirm_certified: bool = False) -> ImportResult:
    """Replace the plan's roster with the file's rows: every row valid, or nothing stored and every bad row reported.

    Checks per row: name, ID type and number (check digit and birth date), gender against the number, mobile,
    occupation and level of the plan, duplicates in the file, the same person on another plan of the province at an
    overlapping time; a person already certified at this occupation and level is a warning the organization must
    confirm (confirm_certified=True) before the roster is stored.
    """
    try:
        header, raw_rows = imports.read_rows(content, filename)
        occupation_names = {plan.occupation.name, plan.occupation.code}
        if plan.work_type:
            occupation_names |= {plan.work_type.name, f"{plan.occupation.name}（{plan.work_type.name}）"}
        checked = imports.parse_roster(header, raw_rows, occupation_names=occupation_names, levels=set(plan.levels))
    except imports.FileUnreadable as exc:
        raise DomainError(str(exc), code=Codes.FILE_UNREADABLE) from exc
    with transaction.atomic():
        locked = _lock_editable(plan, acting_user)
        errors = checked.errors
        if not errors:
            numbers = {r.id_number for r in checked.rows}
            clashes = roster_overlaps(locked, numbers)
            if clashes:
                errors = [imports.RowError(r.line, _("该考生已在同一时间参加计划“%(plan)s”的考核") % {
                    "plan": clashes[r.id_number]}) for r in checked.rows if r.id_number in clashes]
        if errors:
            raise RowsRejected(
                _("名册有%(n)d行错误，未导入任何考生，请修改后重新导入。") % {"n": len(errors)}, errors,
                code=Codes.ROSTER_INVALID)
        by_level: dict[int, set[str]] = {}
        for r in checked.rows:
            by_level.setdefault(r.level, set()).add(r.id_number)
        certified: set[str] = set()
        for level, numbers in by_level.items():
            certified |= selectors.certified_among(numbers, locked.occupation, level)
        warnings = [imports.RowError(r.line, _("%(name)s已取得%(occ)s%(level)s证书，请确认是否仍安排考核") % {
            "name": r.name, "occ": locked.occupation.name, "level": level_labels([r.level])})
            for r in checked.rows if r.id_number in certified]
        if warnings and not confirm_certified:
            raise RowsRejected(
                _("有%(n)d名考生已取得本职业同等级证书，确认后方可导入。") % {"n": len(warnings)}, warnings,
                code=Codes.ROSTER_CONFIRM)
        before = locked.candidates.count()
        locked.candidates.all().delete()
        _copy_candidates(locked, checked.rows, certified)
        record_event(
            actor=acting_user, action="exam_roster_imported", obj=locked, province=locked.province,
            changes={"roster": {"before": before, "after": len(checked.rows)},
                     "file": {"before": None, "after": f"{filename} sha256:{hashlib.sha256(content).hexdigest()[:16]}"},
                     "certified_confirmed": {"before": None, "after": len(certified)}},
        )
    return ImportResult(len(checked.rows), warnings)


# --- results ---

def _require_exam_held(plan: ExamPlan) -> None:
    today = timezone.localdate()
    if plan.last_session_on is None or plan.last_session_on > today:
        raise DomainError(
            _("考核尚未结束（末场%(date)s），考核结束后方可录入成绩。") % {
                "date": plan.last_session_on.isoformat() if plan.last_session_on else "—"},
            code=Codes.EXAM_NOT_HELD)


def start_results(plan: ExamPlan, *, acting_user: User) -> ExamPlan:
    """After the last session, the organization opens the plan for its results."""
    _require_member(acting_user, plan.institution)
    return _transition(plan, acting_user=acting_user, action="exam_results_started", do=lambda p: p.start_results(),
                       allowed=lambda p: p.start_results, check=_require_exam_held)


def _figures(plan: ExamPlan) -> rules.Figures:
    return rules.figures_for(OccupationExamRule.objects.filter(occupation_id=plan.occupation_id).first())


_RESULT_FIELDS = ("theory_score", "theory_absent", "practical_score", "practical_absent", "review_score",
                  "review_absent", "passed")


def _result_values(c: Candidate) -> dict[str, Any]:
    return {f: (str(getattr(c, f)) if isinstance(getattr(c, f), Decimal) else getattr(c, f)) for f in _RESULT_FIELDS}


def _apply_scores(candidate: Candidate, row: imports.ResultRow | rules.Scores, figures: rules.Figures) -> None:
    if isinstance(row, imports.ResultRow):
        scores = rules.Scores(candidate.level, row.theory, row.theory_absent, row.practical, row.practical_absent,
                              row.review, row.review_absent)
    else:
        scores = row
    tenth = Decimal("0.1")
    candidate.theory_score = None if scores.theory is None else scores.theory.quantize(tenth)
    candidate.practical_score = None if scores.practical is None else scores.practical.quantize(tenth)
    candidate.review_score = None if scores.review is None else scores.review.quantize(tenth)
    candidate.theory_absent, candidate.practical_absent = scores.theory_absent, scores.practical_absent
    candidate.review_absent = scores.review_absent
    candidate.passed = rules.passes(scores, figures)
    if candidate.withheld_reason:
        candidate.passed = False  # an upheld objection stands until the candidate is examined again


def _lock_for_results(plan: ExamPlan, acting_user: User, reason: str) -> tuple[ExamPlan, bool]:
    _require_member(acting_user, plan.institution)
    locked = ExamPlan.objects.select_for_update(of=("self",)).select_related("province", "institution", "occupation").get(
        pk=plan.pk)
    if locked.state not in (P.RESULTS_ENTRY, P.RESULTS_RETURNED):
        raise InvalidTransition(
            _("考核计划当前状态为“%(state)s”，不能录入成绩。") % {"state": locked.get_state_display()})
    correcting = locked.state == P.RESULTS_RETURNED
    if correcting and not reason.strip():
        raise DomainError(_("更正退回的成绩须填写更正理由。"), code=Codes.REASON_REQUIRED)
    return locked, correcting


def _save_results(locked: ExamPlan, changed: list[tuple[Candidate, dict[str, Any]]], *, acting_user: User,
                  correcting: bool, reason: str, action: str) -> None:
    Candidate.objects.bulk_update([c for c, _before in changed], list(_RESULT_FIELDS), batch_size=500)
    diffs: dict[str, Any] = {}
    for c, before in changed:
        after = _result_values(c)
        delta = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
        if delta:
            diffs[f"{c.masked_id} {c.name}"] = delta
            if correcting:
                ResultCorrection.objects.create(candidate=c, changes=delta, reason=reason, corrected_by=acting_user)
    record_event(actor=acting_user, action=action, obj=locked, province=locked.province, reason=reason,
                 changes={"results": {"before": None, "after": len(changed)}} | ({"corrections": diffs} if correcting
                                                                                 else {"entered": len(diffs)}))


def enter_result(candidate: Candidate, *, acting_user: User, scores: rules.Scores, reason: str = "") -> Candidate:
    """Enter (or, after a return, correct with a reason) one candidate's scores; absent is a state, not a zero."""
    with transaction.atomic():
        locked, correcting = _lock_for_results(candidate.plan, acting_user, reason)
        row = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk, plan=locked)
        for part in ("theory", "practical", "review"):
            score = getattr(scores, part)
            if score is not None and not (Decimal(0) <= score <= Decimal(100)):
                raise DomainError(_("成绩应在0—100之间。"), code=Codes.RESULTS_INVALID)
        if row.level not in rules.REVIEW_LEVELS and (scores.review is not None or scores.review_absent):
            raise DomainError(_("该考生等级无需综合评审。"), code=Codes.RESULTS_INVALID)
        before = _result_values(row)
        _apply_scores(row, rules.Scores(row.level, scores.theory, scores.theory_absent, scores.practical,
                                        scores.practical_absent, scores.review, scores.review_absent), _figures(locked))
        _save_results(locked, [(row, before)], acting_user=acting_user, correcting=correcting, reason=reason.strip(),
                      action="exam_result_corrected" if correcting else "exam_result_entered")
    return row


def import_results(plan: ExamPlan, *, acting_user: User, content: bytes, filename: str = "",
                   reason: str = "") -> int:
    """Enter the scores of the file's rows: every row valid, or nothing stored and every bad row reported."""
    with transaction.atomic():
        locked, correcting = _lock_for_results(plan, acting_user, reason)
        candidates = {c.id_number: c for c in locked.candidates.select_for_update(of=("self",))}
        try:
            header, raw_rows = imports.read_rows(content, filename)
            rows, errors = imports.parse_results(
                header, raw_rows, roster={n: (c.name, c.level) for n, c in candidates.items()})
        except imports.FileUnreadable as exc:
            raise DomainError(str(exc), code=Codes.FILE_UNREADABLE) from exc
        if errors:
            raise RowsRejected(
                _("成绩表有%(n)d行错误，未保存任何成绩，请修改后重新导入。") % {"n": len(errors)}, errors,
                code=Codes.RESULTS_INVALID)
        figures = _figures(locked)
        changed = []
        for row in rows:
            c = candidates[row.id_number]
            before = _result_values(c)
            _apply_scores(c, row, figures)
            changed.append((c, before))
        _save_results(locked, changed, acting_user=acting_user, correcting=correcting, reason=reason.strip(),
                      action="exam_results_corrected" if correcting else "exam_results_imported")
    return len(rows)


# --- result publicity (portal.publicity, kind "exam_results") ---

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


# --- the city's and the province's review ---

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


# --- the sweeps (certificates.tasks) ---

def lapse_plan(plan_id: int, *, today: dt.date) -> bool:
    """A draft (or a plan sent back) whose first session can no longer be filed in time lapses. Idempotent."""
    with transaction.atomic():
        plan = ExamPlan.objects.select_for_update(of=("self",)).select_related("province", "institution").filter(pk=plan_id).first()
        if plan is None or plan.state not in (P.DRAFT, P.CHANGES_REQUESTED) or plan.first_session_on is None:
            return False
        try:
            earliest = earliest_allowed_date(plan.province, today)
        except CalendarNotCovered:
            return False
        if plan.first_session_on >= earliest:
            return False
        from_state = plan.state
        plan.lapse()
        plan.save()
        reason = _("首场%(first)s已不足%(n)s个工作日，计划未报备即逾期") % {
            "first": plan.first_session_on.isoformat(),
            "n": filing_selectors.pack_for(plan.province).settings.exam_plan_lead_working_days}
        record_event(actor=None, action="exam_plan_lapsed", obj=plan, province=plan.province, from_state=from_state,
                     to_state=plan.state, reason=reason, changes={"state": {"before": from_state, "after": plan.state}})
    notify(_members(plan.institution), title=_("考核计划已逾期：%(plan)s") % {"plan": plan.title}, body=reason,
           link=plan_link(plan), province=plan.province)
    return True


# === Certificate issuance (owned by the certificates work; append its services below) ===


# --- certificates: issuance, PDFs, signing keys, public lookup, revocation and correction (issue 7) ---
#
# Issuing a batch reserves each level's number range with one locked counter update, builds the rows in Python and
# inserts them with one COPY on PostgreSQL (bulk_create elsewhere); the PDFs are rendered afterwards by the named
# pipeline certificates.tasks_certificates.issuance_pipeline (render → notify), started on commit. The QR payload is
# signed at render time, with the province's key in force then.

ISSUE_ROW_FIELDS = (
    "pk", "name", "id_type", "id_number", "level", "plan__occupation_id", "plan__occupation__code",
    "plan__occupation__name", "plan__work_type__name", "photo__image",
)
CORRECTABLE_FIELDS = ("holder_name", "id_type", "id_number", "work_type_name")
# Who approves an organization's revocation or correction, per pack: "city" — an officer of the city that supervises
# the organization (or any provincial officer); "province" — provincial officers only. Shandong's centre reviews
# results last and holds the certificate query system (002 三(三)、(四)), so it approves there.
CHANGE_APPROVERS: dict[str, str] = {"guangdong": "city", "shandong": "province", "guizhou": "city"}
DEFAULT_CHANGE_APPROVER = "city"


def change_approver_level(province: Province) -> str:
    return CHANGE_APPROVERS.get(province.policy_pack, DEFAULT_CHANGE_APPROVER)


def may_approve_changes(user: User, filing: Filing) -> bool:
    memberships = _memberships(user, filing.province)
    if memberships.filter(role=Role.PROVINCIAL_OFFICER).exists():
        return True
    return change_approver_level(filing.province) == "city" and memberships.filter(
        role=Role.CITY_OFFICER, city_id=filing.city_id).exists()


def _change_approvers(filing: Filing) -> list[User]:
    if change_approver_level(filing.province) == "city":
        return users_with_role(filing.province, Role.CITY_OFFICER, city=filing.city)
    return _provincial_officers(filing.province)


# --- signing keys ---

def _new_key_id(province: Province, now: dt.datetime) -> str:
    serial = SigningKey.objects.filter(province=province).count() + 1
    return f"{province.slug}-{timezone.localtime(now):%Y%m%d}-{serial}"


def _create_signing_key(province: Province, *, acting_user: User | None, now: dt.datetime) -> SigningKey:
    private = signing.generate_private_key()
    return SigningKey.objects.create(
        province=province, key_id=_new_key_id(province, now), public_key=signing.b64url(signing.public_key_of(private)),
        private_key_encrypted=signing.encrypt_private_key(private), valid_from=now, is_active=True,
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )


def active_signing_key(province: Province) -> SigningKey:
    """The province's key in force; the first is made on first use (a province that never issued has none)."""
    key = SigningKey.objects.filter(province=province, is_active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = _create_signing_key(province, acting_user=None, now=timezone.now())
            record_event(actor=None, action="signing_key_created", obj=key, province=province,
                         to_state="active", changes={"key_id": {"before": None, "after": key.key_id}})
    except IntegrityError:  # made by a concurrent transaction a moment ago
        key = SigningKey.objects.get(province=province, is_active=True)
    return key


def rotate_signing_key(province: Province, *, acting_user: User | None, reason: str = "") -> SigningKey:
    """Retire the province's key in force (it stays published, so what it signed keeps verifying) and make a new one.

    Provincial officers only (acting_user None: the management command run by the operator).
    """
    if acting_user is not None and not _memberships(acting_user, province).filter(
            role=Role.PROVINCIAL_OFFICER).exists():
        raise NotPermitted(_("只有省级经办人员可以更换证书签名密钥。"))
    now = timezone.now()
    with transaction.atomic():
        # the province row is the rotation's mutex: a second rotation waits, then finds the first one's new key
        Province.objects.select_for_update().get(pk=province.pk)
        current = list(SigningKey.objects.select_for_update().filter(province=province, is_active=True))
        for key in current:
            key.is_active = False
            key.valid_until = now
            key.save(update_fields=["is_active", "valid_until"])
        new = _create_signing_key(province, acting_user=acting_user, now=now)
        record_event(
            actor=acting_user, action="signing_key_rotated", obj=new, province=province, to_state="active",
            reason=reason, changes={"key_id": {"before": current[0].key_id if current else None, "after": new.key_id}},
        )
    return new


# --- issuing a batch ---

def _copy_field(value: Any) -> str:
    """One field in PostgreSQL COPY text format."""
    if value is None:
        return r"\N"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


CERTIFICATE_COPY_COLUMNS = (
    "province_id", "filing_id", "institution_id", "batch_id", "organization_name", "issued_on", "created_at",
    "status", "revocation_reason_code", "revocation_reason", "payload", "pdf",
    "candidate_id", "number", "holder_name", "id_type", "id_number", "occupation_id", "occupation_code",
    "occupation_name", "work_type_name", "level", "photo",
)


def copy_certificates(rows: Iterable[tuple[Any, ...]], constants: tuple[Any, ...]) -> int:
    """Insert certificate rows with one COPY (PostgreSQL). `constants` are the batch's values of the first 12
    CERTIFICATE_COPY_COLUMNS, each row the remaining 11."""
    head = "\t".join(_copy_field(v) for v in constants) + "\t"
    buffer = io.StringIO()
    write = buffer.write
    count = 0
    for row in rows:
        write(head)
        write("\t".join([_copy_field(v) for v in row]))
        write("\n")
        count += 1
    buffer.seek(0)
    table = connection.ops.quote_name(Certificate._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in CERTIFICATE_COPY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)  # type: ignore[attr-defined]
    return count


def _insert_certificates(rows: list[tuple[Any, ...]], constants: tuple[Any, ...]) -> None:
    if connection.vendor == "postgresql":
        copy_certificates(rows, constants)
        return
    # the COPY columns are the model's attribute names (province_id, ...), so the same tuples build instances
    Certificate.objects.bulk_create(
        [Certificate(**dict(zip(CERTIFICATE_COPY_COLUMNS, (*constants, *row), strict=True))) for row in rows],
        batch_size=500,
    )


def _issuable_rows(filing: Filing, *, plan: ExamPlan | None, candidate_ids: Iterable[int] | None) -> list[tuple[Any, ...]]:
    qs = selectors.results_to_certify(filing)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if candidate_ids is not None:
        qs = qs.filter(pk__in=list(candidate_ids))
    return list(qs.order_by("level", "plan_id", "line").values_list(*ISSUE_ROW_FIELDS))


def issue_certificates(
    filing: Filing, *, acting_user: User, plan: ExamPlan | None = None, candidate_ids: Iterable[int] | None = None,
) -> IssuanceBatch:
    """The organization issues certificates for its approved results (all, one plan's, or the given candidates).

    Numbers per SPEC §5 (certificates.numbering); the filing row is locked first, so two batches of one organization
    at the same moment run one after the other and the second sees what the first issued. The PDFs are rendered
    after commit by the issuance pipeline (render → notify).
    """
    _require_member(acting_user, filing.institution)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        locked = (Filing.objects.select_for_update(of=("self",))
                  .select_related("province", "institution", "city", "application").get(pk=filing.pk))
        if locked.status != FilingStatus.ACTIVE:
            raise DomainError(_("备案状态为“%(status)s”，不能颁发证书。") % {"status": locked.get_status_display()},
                              code="filing_not_active")
        rows = _issuable_rows(locked, plan=plan, candidate_ids=candidate_ids)
        if not rows:
            raise DomainError(_("没有可发证的合格人员：结果须经公示、地市和省级审核通过，且尚未发证。"),
                              code="nothing_to_issue")
        batch = IssuanceBatch.objects.create(
            province=locked.province, filing=locked, institution=locked.institution, plan=plan, kind=BatchKind.ISSUE,
            issued_on=today, total=len(rows), created_by=acting_user,
        )
        by_level: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            by_level[row[4]].append(row)
        cert_rows: list[tuple[Any, ...]] = []
        ranges = []
        for level in sorted(by_level):
            level_rows = by_level[level]
            first = numbering.reserve(locked, today.year, level, len(level_rows))
            prefix = numbering.prefix(locked, today.year, level)
            for offset, (candidate_id, name, id_type, id_number, _lvl, occupation_id, code, occupation_name,
                         work_type, photo) in enumerate(level_rows):
                cert_rows.append((
                    candidate_id, f"{prefix}{first + offset:06d}", name, id_type, id_number, occupation_id, code,
                    occupation_name, work_type or NO_WORK_TYPE, level, photo or "",
                ))
            ranges.append({"level": level, "count": len(level_rows),
                           "first": numbering.format_number(prefix, first),
                           "last": numbering.format_number(prefix, first + len(level_rows) - 1)})
        constants = (locked.province_id, locked.pk, locked.institution_id, batch.pk, locked.institution.name, today,
                     now, CertificateStatus.VALID, "", "", "", "")
        try:
            with transaction.atomic():
                _insert_certificates(cert_rows, constants)
        except IntegrityError as exc:
            raise ConflictError(_("部分人员已在另一批次中发证，请刷新后重试。"), code="already_issued") from exc
        batch.number_ranges = ranges
        batch.save(update_fields=["number_ranges"])
        active_signing_key(locked.province)
        record_event(
            actor=acting_user, action="certificates_issued", obj=batch, province=locked.province, to_state="issued",
            changes={"count": {"before": None, "after": len(cert_rows)},
                     "number_ranges": {"before": None, "after": ranges},
                     "plan": {"before": None, "after": plan.pk if plan else None}},
        )
        start_pipeline_on_commit(batch.pk)
    return batch


def start_pipeline_on_commit(batch_id: int) -> None:
    from .tasks_certificates import issuance_pipeline

    transaction.on_commit(lambda: issuance_pipeline(batch_id).apply_async())


# --- the PDFs (called by the pipeline's tasks) ---

def sign_certificate(certificate: Certificate, key: SigningKey, sign: Callable[[signing.Payload], str]) -> None:
    from .pdf import payload_for

    certificate.payload = sign(payload_for(certificate, key.key_id))
    certificate.signing_key = key


def render_certificate(certificate_id: int, *, key: SigningKey | None = None,
                       sign: Callable[[signing.Payload], str] | None = None) -> bool:
    """Sign (once) and render one certificate's PDF and keep it. Idempotent: a stored PDF is never re-rendered."""
    from .pdf import render_certificate_pdf

    certificate = Certificate.objects.select_related("province").get(pk=certificate_id)
    if certificate.pdf:
        return False
    if not certificate.payload:
        key = key or active_signing_key(certificate.province)
        sign = sign or signing.signer(signing.decrypt_private_key(key.private_key_encrypted))
        sign_certificate(certificate, key, sign)
    content = render_certificate_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf:
            return False
        if not locked.payload:
            locked.payload, locked.signing_key = certificate.payload, certificate.signing_key
        locked.pdf.save(f"{locked.number}.pdf", ContentFile(content), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["payload", "signing_key", "pdf", "pdf_rendered_at"])
        IssuanceBatch.objects.filter(pk=locked.batch_id).update(rendered=F("rendered") + 1)
    return True


def render_batch(batch_id: int) -> int:
    """Render every PDF of the batch that is not rendered yet; returns how many were rendered now.

    idempotency: a certificate with a stored PDF is skipped, so a retried or repeated run finishes what is left.
    """
    batch = IssuanceBatch.objects.select_related("province").get(pk=batch_id)
    key = active_signing_key(batch.province)
    sign = signing.signer(signing.decrypt_private_key(key.private_key_encrypted))
    pending = list(batch.certificates.filter(pdf="").order_by("number").values_list("pk", flat=True))
    rendered = sum(render_certificate(pk, key=key, sign=sign) for pk in pending)
    with transaction.atomic():
        locked = IssuanceBatch.objects.select_for_update().get(pk=batch_id)
        done = locked.certificates.exclude(pdf="").count()
        if locked.rendered != done:
            locked.rendered = done
        if done >= locked.total and locked.rendered_at is None:
            locked.rendered_at = timezone.now()
            record_event(actor=None, action="certificate_pdfs_rendered", obj=locked, province=batch.province,
                         changes={"rendered": {"before": None, "after": done}, "key_id": {"before": None,
                                                                                          "after": key.key_id}})
        locked.save(update_fields=["rendered", "rendered_at"])
    return rendered


def notify_batch(batch_id: int) -> bool:
    """Tell the organization its certificates are ready. Idempotent: a batch is announced once."""
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().select_related("province", "filing").get(pk=batch_id)
        if batch.notified_at is not None or batch.rendered_at is None:
            return False
        batch.notified_at = timezone.now()
        batch.save(update_fields=["notified_at"])
        record_event(actor=None, action="certificates_notified", obj=batch, province=batch.province,
                     changes={"notified_at": {"before": None, "after": batch.notified_at}})
        notify(
            _members(batch.filing.institution),
            title=_("证书已生成：%(count)d张") % {"count": batch.total},
            body=_("%(date)s颁发的%(count)d张职业技能等级证书PDF已生成，可在发证批次页面下载。")
            % {"date": batch.issued_on.isoformat(), "count": batch.total},
            link=reverse("certificates_issuance:batch_detail",
                         kwargs={"province": batch.province.slug, "pk": batch.pk}),
            province=batch.province,
            email=False,
        )
    return True


# --- photos uploaded with the roster ---

PHOTO_PIXELS = (330, 440)  # 2.6 × 3.5 cm at about 320 dpi: sharp in print, ~20 KB, so a PDF stays under 200 KB


def _certificate_photo(upload: UploadedFile) -> bytes:
    """The photo as the certificate prints it: RGB JPEG of at most PHOTO_PIXELS (metadata dropped)."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.thumbnail(PHOTO_PIXELS)
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError) as exc:
        raise DomainError(_("照片无法读取，请上传JPG或PNG图片。"), code="photo_unreadable") from exc
    return buffer.getvalue()

def attach_photo(candidate: Candidate, *, acting_user: User, upload: UploadedFile) -> RosterPhoto:
    """The organization attaches (or replaces) a candidate's photo (JPG or PNG), printed on the certificate."""
    plan = candidate.plan
    _require_member(acting_user, plan.filing.institution)
    checked = check_upload(upload)
    if checked.content_type not in ("image/jpeg", "image/png"):
        raise DomainError(_("照片须为JPG或PNG图片。"), code="photo_type")
    if checked.size > 5 * 1024 * 1024:
        raise DomainError(_("照片不能超过5MB。"), code="photo_size")
    content = _certificate_photo(upload)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        photo = RosterPhoto.objects.filter(candidate=locked).first()
        before = photo.image.name if photo else None
        if photo is None:
            photo = RosterPhoto(candidate=locked, uploaded_by=acting_user)
        photo.content_type = "image/jpeg"
        photo.uploaded_by = acting_user
        photo.image.save("photo", ContentFile(content), save=False)
        photo.save()
        record_event(actor=acting_user, action="candidate_photo_attached", obj=locked, province=plan.province,
                     changes={"photo": {"before": before, "after": photo.image.name}})
    return photo


# --- the public lookup: rate limit, log ---

LOOKUP_RATE_LIMIT = 30
LOOKUP_RATE_WINDOW_SECONDS = 600


def lookup_rate() -> tuple[int, int]:
    """(lookups, per seconds) one address may make; settings.CERTIFICATE_LOOKUP_RATE overrides (30 per 10 minutes)."""
    limit, window = getattr(settings, "CERTIFICATE_LOOKUP_RATE", (LOOKUP_RATE_LIMIT, LOOKUP_RATE_WINDOW_SECONDS))
    return int(limit), int(window)


def digest_identifier(value: str) -> str:
    """A keyed hash of an ID number for the lookup log: repeats are visible, the number is not."""
    return salted_hmac("certificates.lookup.id", value, algorithm="sha256").hexdigest()


def _count_lookup(ip_hash: str, window: int) -> int:
    key = f"certificates:lookup:{ip_hash}"
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


LOOKUP_LOG_COLUMNS = ("at", "channel", "number", "id_digest", "id_masked", "found", "certificate_id", "ip_hash",
                      "rate_limited")


@functools.cache
def _lookup_log_sql() -> str:
    q = connection.ops.quote_name
    return (f"INSERT INTO {q(LookupLog._meta.db_table)} ({', '.join(q(c) for c in LOOKUP_LOG_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(LOOKUP_LOG_COLUMNS))})")


def _log_lookup(channel: str, ip_hash: str, *, number: str = "", id_number: str = "",
                found: Sequence[selectors.PublicCertificate] = (), rate_limited: bool = False) -> None:
    """One row of the lookup log: a plain INSERT, a third of what Model.save() costs on this hot path (the model
    has no signals or save() logic to skip)."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_log_sql(), [
            timezone.now(), channel, number[:22], digest_identifier(id_number) if id_number else "",
            mask_id_number(id_number)[:20] if id_number else "", len(found),
            found[0].id if len(found) == 1 else None, ip_hash, rate_limited,
        ])


def _admit_lookup(ip: str, channel: str, *, number: str = "", id_number: str = "") -> str:
    """Count the lookup against the address's limit; refuse (429) past it. Only the first refusal is logged, so a
    flood costs the database nothing."""
    ip_hash = hash_ip(ip)
    limit, window = lookup_rate()
    count = _count_lookup(ip_hash, window)
    if count > limit:
        if count == limit + 1:
            _log_lookup(channel, ip_hash, number=number, id_number=id_number, rate_limited=True)
        raise RateLimited(
            _("查询过于频繁：同一来源每%(minutes)d分钟最多查询%(n)d次，请稍后再试。")
            % {"minutes": max(1, window // 60), "n": limit}
        )
    return ip_hash


def lookup_by_number(number: str, holder_name: str, *, ip: str, channel: str = LookupChannel.NUMBER) -> selectors.PublicCertificate | None:
    """Number + holder's name, both required and both matching; a miss says nothing about which was wrong."""
    value = numbering.normalize_number(number)
    ip_hash = _admit_lookup(ip, channel, number=value)
    certificate = selectors.find_by_number(value, holder_name)
    _log_lookup(channel, ip_hash, number=value, found=[certificate] if certificate else [])
    return certificate


def lookup_by_id_number(id_number: str, holder_name: str, *, ip: str,
                        channel: str = LookupChannel.ID_NUMBER) -> list[selectors.PublicCertificate]:
    """ID number + holder's name: every certificate of that person, in every province."""
    value = normalize_id_number(id_number)
    ip_hash = _admit_lookup(ip, channel, id_number=value)
    certificates = selectors.find_by_id_number(value, holder_name)
    _log_lookup(channel, ip_hash, id_number=value, found=certificates)
    return certificates


def lookup_by_payload(token: str, *, ip: str) -> tuple[signing.Payload, selectors.PublicCertificate | None]:
    """A QR link: the signature is checked with the province's published keys, then the certificate it names is
    read (its current status). Raises DomainError for a payload that does not verify."""
    ip_hash = _admit_lookup(ip, LookupChannel.QR)
    try:
        payload = signing.verify_token(token, selectors.public_keys())
    except signing.PayloadError as exc:
        _log_lookup(LookupChannel.QR, ip_hash)
        raise DomainError(_("二维码数据无效或已被篡改，无法验证。"), code=exc.code) from exc
    certificate = selectors.find_by_payload(payload)
    _log_lookup(LookupChannel.QR, ip_hash, number=payload.number, found=[certificate] if certificate else [])
    return payload, certificate


def lookup_by_link(token: str, *, ip: str) -> selectors.PublicCertificate | None:
    """A portal-signed link from a verified certificate to a related one (see selectors.link_token)."""
    ip_hash = _admit_lookup(ip, LookupChannel.LINK)
    certificate = selectors.find_by_link(token)
    _log_lookup(LookupChannel.LINK, ip_hash, number=certificate.number if certificate else "",
                found=[certificate] if certificate else [])
    if certificate is None:
        raise DomainError(_("链接无效或已过期，请重新查询。"), code="link_invalid")
    return certificate


# --- revocation and correction (the organization asks, the city or province approves) ---

def _open_change(certificate: Certificate, *, acting_user: User, kind: str, reason_code: str, reason: str,
                 corrections: dict[str, str]) -> CertificateChange:
    filing = certificate.filing
    _require_member(acting_user, filing.institution)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因说明。"), code="reason_required")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != CertificateStatus.VALID:
            raise InvalidTransition(_("证书状态为“%(status)s”，不能再申请撤销或更正。")
                                    % {"status": locked.get_status_display()}, code="certificate_not_valid")
        if CertificateChange.objects.filter(certificate=locked, state=ChangeState.REQUESTED).exists():
            raise ConflictError(_("该证书已有待审批的撤销或更正申请。"), code="change_pending")
        change = CertificateChange.objects.create(
            province_id=locked.province_id, certificate=locked, kind=kind, reason_code=reason_code, reason=reason,
            corrections=corrections, requested_by=acting_user,
        )
        record_event(actor=acting_user, action=f"certificate_{kind}_requested", obj=locked,
                     province=filing.province, from_state=locked.status, to_state=locked.status, reason=reason,
                     changes={"change": {"before": None, "after": change.pk}, "reason_code": {"before": None,
                                                                                               "after": reason_code}}
                     | {f: {"before": getattr(locked, f), "after": v} for f, v in corrections.items()})
    notify(_change_approvers(filing),
           title=_("证书%(kind)s待审批：%(number)s") % {"kind": change.get_kind_display(), "number": locked.number},
           body=_("%(org)s申请%(kind)s证书%(number)s：%(reason)s") % {
               "org": locked.organization_name, "kind": change.get_kind_display(), "number": locked.number,
               "reason": reason},
           link=reverse("certificates_issuance:change_detail", kwargs={"province": filing.province.slug, "pk": change.pk}),
           province=filing.province)
    return change


def request_revocation(certificate: Certificate, *, acting_user: User, reason_code: str, reason: str) -> CertificateChange:
    if reason_code not in RevocationReason.values:
        raise DomainError(_("请选择撤销原因。"), code="reason_code_invalid")
    return _open_change(certificate, acting_user=acting_user, kind=ChangeKind.REVOKE, reason_code=reason_code,
                        reason=reason, corrections={})


def clean_corrections(certificate: Certificate, corrections: dict[str, str]) -> dict[str, str]:
    """The printed fields that change (only those that differ), checked; DomainError when nothing changes."""
    cleaned: dict[str, str] = {}
    for field, raw in corrections.items():
        if field not in CORRECTABLE_FIELDS:
            raise DomainError(_("“%(field)s”不能更正。") % {"field": field}, code="correction_field")
        value = " ".join(str(raw or "").split())
        if field == "holder_name":
            value = selectors.normalize_holder_name(value)
        if field == "id_number":
            value = normalize_id_number(value)
        if field == "work_type_name":
            value = value or NO_WORK_TYPE
        if not value:
            raise DomainError(_("更正后的内容不能为空。"), code="correction_empty")
        if field == "id_type" and value not in IdType.values:
            raise DomainError(_("证件类型无效。"), code="correction_id_type")
        if value != getattr(certificate, field):
            cleaned[field] = value
    id_type = cleaned.get("id_type", certificate.id_type)
    if "id_number" in cleaned and id_type == IdType.RESIDENT_ID:
        try:
            validate_id_number(cleaned["id_number"])
        except ValidationError as exc:
            raise DomainError(exc.messages[0], code=exc.code or "id_number_invalid") from exc
    if "|" in cleaned.get("holder_name", ""):
        raise DomainError(_("姓名含有不允许的字符“|”。"), code="correction_name")
    if not cleaned:
        raise DomainError(_("更正内容与原证书相同，无需换发。"), code="correction_unchanged")
    return cleaned


def request_correction(certificate: Certificate, *, acting_user: User, corrections: dict[str, str],
                       reason: str) -> CertificateChange:
    return _open_change(certificate, acting_user=acting_user, kind=ChangeKind.CORRECT, reason_code="",
                        reason=reason, corrections=clean_corrections(certificate, corrections))


def _reissue(old: Certificate, corrections: dict[str, str], *, actor: User, today: dt.date) -> Certificate:
    """A new certificate (new number, today's date) with the corrections, for the same result (inside a transaction)."""
    filing = Filing.objects.select_for_update(of=("self",)).select_related(
        "province", "institution", "city", "application").get(pk=old.filing_id)
    batch = IssuanceBatch.objects.create(
        province_id=old.province_id, filing=filing, institution_id=old.institution_id, kind=BatchKind.REISSUE,
        issued_on=today, total=1, created_by=actor,
    )
    sequence = numbering.reserve(filing, today.year, old.level, 1)
    number = numbering.format_number(numbering.prefix(filing, today.year, old.level), sequence)
    new = Certificate.objects.create(
        province_id=old.province_id, filing=filing, institution_id=old.institution_id, batch=batch,
        candidate_id=old.candidate_id, number=number, holder_name=corrections.get("holder_name", old.holder_name),
        id_type=corrections.get("id_type", old.id_type), id_number=corrections.get("id_number", old.id_number),
        occupation_id=old.occupation_id, occupation_code=old.occupation_code, occupation_name=old.occupation_name,
        work_type_name=corrections.get("work_type_name", old.work_type_name), level=old.level,
        organization_name=old.organization_name, issued_on=today, photo=old.photo.name,
    )
    batch.number_ranges = [{"level": old.level, "count": 1, "first": number, "last": number}]
    batch.save(update_fields=["number_ranges"])
    return new


def approve_change(change: CertificateChange, *, acting_user: User, note: str = "") -> CertificateChange:
    """The approver agrees: a revocation takes effect (the lookup shows it at once), or a correction reissues the
    certificate with a new number and marks the old one superseded, pointing to the new."""
    certificate = change.certificate
    if not may_approve_changes(acting_user, certificate.filing):
        raise NotPermitted(_("只有机构所在地市或省级经办人员可以审批证书撤销与更正。")
                           if change_approver_level(certificate.province) == "city"
                           else _("只有省级经办人员可以审批证书撤销与更正。"))
    today = timezone.localdate()
    with transaction.atomic():
        locked_change = CertificateChange.objects.select_for_update().get(pk=change.pk)
        if locked_change.state != ChangeState.REQUESTED:
            raise ConflictError(_("该申请已处理（%(state)s），未重复办理。") % {"state": locked_change.get_state_display()},
                                code="change_decided")
        cert = Certificate.objects.select_for_update().select_related("province").get(pk=certificate.pk)
        if cert.status != CertificateStatus.VALID:
            raise InvalidTransition(_("证书状态为“%(status)s”，不能办理。") % {"status": cert.get_status_display()},
                                    code="certificate_not_valid")
        from_state = cert.status
        locked_change.approve(by=acting_user, note=(note or "").strip())
        locked_change.decided_at = timezone.now()
        if locked_change.kind == ChangeKind.REVOKE:
            cert.revoke(on=today, reason_code=locked_change.reason_code, reason=locked_change.reason)
            cert.save(update_fields=["status", "status_changed_on", "revocation_reason_code", "revocation_reason"])
            record_event(actor=acting_user, action="certificate_revoked", obj=cert, province=cert.province,
                         from_state=from_state, to_state=cert.status, reason=locked_change.reason,
                         changes={"status": {"before": from_state, "after": cert.status},
                                  "revocation_reason_code": {"before": "", "after": cert.revocation_reason_code},
                                  "change": {"before": None, "after": locked_change.pk}})
        else:
            cert.supersede(on=today)
            cert.save(update_fields=["status", "status_changed_on"])
            new = _reissue(cert, locked_change.corrections, actor=acting_user, today=today)
            cert.superseded_by = new
            cert.save(update_fields=["superseded_by"])
            locked_change.replacement = new
            record_event(actor=acting_user, action="certificate_superseded", obj=cert, province=cert.province,
                         from_state=from_state, to_state=cert.status, reason=locked_change.reason,
                         changes={"status": {"before": from_state, "after": cert.status},
                                  "superseded_by": {"before": None, "after": new.number},
                                  "change": {"before": None, "after": locked_change.pk}})
            record_event(actor=acting_user, action="certificate_reissued", obj=new, province=cert.province,
                         to_state=new.status, reason=locked_change.reason,
                         changes={"supersedes": {"before": None, "after": cert.number}}
                         | {f: {"before": getattr(cert, f), "after": v} for f, v in locked_change.corrections.items()})
            start_pipeline_on_commit(new.batch_id)
        locked_change.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "replacement"])
    filing = certificate.filing
    notify(_members(filing.institution),
           title=_("证书%(kind)s已批准：%(number)s") % {"kind": locked_change.get_kind_display(), "number": cert.number},
           body=(_("新证书编号%(new)s。") % {"new": locked_change.replacement.number}
                 if locked_change.replacement else locked_change.decision_note),
           link=reverse("certificates_issuance:certificate_detail",
                        kwargs={"province": cert.province.slug, "pk": cert.pk}),
           province=cert.province)
    return locked_change


def reject_change(change: CertificateChange, *, acting_user: User, note: str) -> CertificateChange:
    certificate = change.certificate
    if not may_approve_changes(acting_user, certificate.filing):
        raise NotPermitted(_("只有机构所在地市或省级经办人员可以审批证书撤销与更正。"))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("不予批准须填写理由。"), code="reason_required")
    with transaction.atomic():
        locked = CertificateChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != ChangeState.REQUESTED:
            raise ConflictError(_("该申请已处理（%(state)s），未重复办理。") % {"state": locked.get_state_display()},
                                code="change_decided")
        from_state = locked.state
        locked.reject(by=acting_user, note=note)
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        record_event(actor=acting_user, action=f"certificate_{locked.kind}_rejected", obj=certificate,
                     province=certificate.province, from_state=from_state, to_state=locked.state, reason=note,
                     changes={"change": {"before": None, "after": locked.pk}})
    notify(_members(certificate.filing.institution),
           title=_("证书%(kind)s未获批准：%(number)s") % {"kind": locked.get_kind_display(), "number": certificate.number},
           body=note,
           link=reverse("certificates_issuance:certificate_detail",
                        kwargs={"province": certificate.province.slug, "pk": certificate.pk}),
           province=certificate.province)
    return locked


def withdraw_change(change: CertificateChange, *, acting_user: User) -> CertificateChange:
    """The organization takes back a request that is not decided yet."""
    certificate = change.certificate
    _require_member(acting_user, certificate.filing.institution)
    with transaction.atomic():
        locked = CertificateChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != ChangeState.REQUESTED:
            raise ConflictError(_("该申请已处理（%(state)s），未重复办理。") % {"state": locked.get_state_display()},
                                code="change_decided")
        from_state = locked.state
        locked.withdraw()
        locked.save(update_fields=["state"])
        record_event(actor=acting_user, action=f"certificate_{locked.kind}_withdrawn", obj=certificate,
                     province=certificate.province, from_state=from_state, to_state=locked.state,
                     changes={"change": {"before": None, "after": locked.pk}})
    return locked
