"""Fraud flags (真实性疑点): the sweep over new results and certificates, one detector per pattern, and dismissal."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Candidate, Certificate, ExamPlan, ExamSession, PlanState
from filings.selectors import pack_for
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Province, Role, User
from portal.roles import require_role, users_with_role
from portal.sweeps import sweep

from ..errors import Codes
from ..funnel import limits
from ..models import FlagKind, FlagRun, FlagState, FraudFlag

# Plans whose results were entered (the pass-rate norm counts candidates with a decided result in these).
DECIDED = Q(passed__isnull=False)


def _supervisor(province: Province) -> User | None:
    """The quality supervisor with the fewest open flags (the first by id on a tie), or None."""
    people = users_with_role(province, Role.QUALITY_SUPERVISOR)
    if not people:
        return None
    load = dict(FraudFlag.objects.filter(province=province, state=FlagState.OPEN, assigned_to__in=people)
                .values_list("assigned_to").annotate(n=Count("id")).values_list("assigned_to", "n"))
    return min(people, key=lambda u: (load.get(u.pk, 0), u.pk))


def raise_flag(province: Province, *, kind: str, key: str, summary: str, evidence: list[dict[str, Any]],
               institution_id: int | None, plan_id: int | None) -> FraudFlag | None:
    """Record a pattern once (its key is unique per province); None when it was already flagged."""
    if FraudFlag.objects.filter(province=province, key=key).exists():
        return None
    try:
        with transaction.atomic():
            flag = FraudFlag.objects.create(
                province=province, kind=kind, key=key[:200], summary=summary[:300], evidence=evidence,
                institution_id=institution_id, plan_id=plan_id, assigned_to=_supervisor(province),
                found_at=timezone.now())
            record_event(actor=None, action="fraud_flag_raised", obj=flag, province=province,
                         to_state=FlagState.OPEN, changes={"kind": {"before": None, "after": kind}})
    except IntegrityError:
        return None
    return flag


def _evidence_candidates(candidates: list[Candidate]) -> list[dict[str, Any]]:
    return [{"type": "candidate", "id": c.pk, "plan": c.plan_id, "text": f"{c.name}（{c.masked_id}）"}
            for c in candidates]


def _duplicate_scores(plan: ExamPlan, minimum: int) -> int:
    vectors: dict[tuple[Any, ...], list[Candidate]] = defaultdict(list)
    for c in plan.candidates.filter(theory_score__isnull=False, practical_score__isnull=False).order_by("line"):
        vectors[(c.theory_score, c.practical_score, c.review_score)].append(c)
    raised = 0
    for (theory, practical, review), people in vectors.items():
        if len(people) >= minimum:
            scores = "/".join("—" if s is None else f"{s:.1f}" for s in (theory, practical, review))
            raised += bool(raise_flag(
                plan.province, kind=FlagKind.DUPLICATE_SCORES, key=f"dup:{plan.pk}:{scores}",
                summary=_("“%(plan)s”有%(n)d名考生成绩完全相同（理论/实操/综合评审 %(scores)s）。")
                % {"plan": plan.title, "n": len(people), "scores": scores},
                evidence=_evidence_candidates(people), institution_id=plan.institution_id, plan_id=plan.pk))
    return raised


def _overlapping_sessions(plan: ExamPlan) -> int:
    """One flag per person and pair of plans whose sessions overlap in time at different venues."""
    sessions = list(plan.sessions.all())
    if not sessions:
        return 0
    mine = {c.id_number: c for c in plan.candidates.all()}
    others = (Candidate.objects.filter(id_number__in=list(mine)).exclude(plan=plan)
              .exclude(plan__state=PlanState.CANCELLED).select_related("plan"))
    raised = 0
    for other in others:
        theirs = ExamSession.objects.filter(plan_id=other.plan_id, date__in={s.date for s in sessions})
        pairs = [(a, b) for a in sessions for b in theirs if a.venue_id != b.venue_id and a.overlaps(b)]
        if not pairs:
            continue
        low, high = sorted((plan.pk, other.plan_id))
        raised += bool(raise_flag(
            plan.province, kind=FlagKind.OVERLAPPING_SESSIONS, key=f"overlap:{other.id_number}:{low}:{high}",
            summary=_("考生%(name)s在%(day)s同一时段出现在两个不同考核场所。")
            % {"name": other.name, "day": pairs[0][0].date.isoformat()},
            evidence=_evidence_candidates([mine[other.id_number], other])
            + [{"type": "session", "id": s.pk, "plan": s.plan_id, "text": str(s)} for pair in pairs for s in pair],
            institution_id=plan.institution_id, plan_id=plan.pk))
    return raised


def _over_capacity(plan: ExamPlan) -> int:
    capacity: dict[str, int] = defaultdict(int)
    for session in plan.sessions.all():
        capacity[session.kind] += session.capacity
    count = plan.candidates.count()
    raised = 0
    for kind, seats in capacity.items():
        if count > seats:
            raised += bool(raise_flag(
                plan.province, kind=FlagKind.OVER_CAPACITY, key=f"capacity:{plan.pk}:{kind}",
                summary=_("“%(plan)s”有%(n)d名考生，而其场次合计只能容纳%(seats)d人。")
                % {"plan": plan.title, "n": count, "seats": seats},
                evidence=[{"type": "plan", "id": plan.pk, "plan": plan.pk, "text": plan.title}],
                institution_id=plan.institution_id, plan_id=plan.pk))
    return raised


def _pass_rate_outlier(plan: ExamPlan) -> int:
    decided = plan.candidates.filter(DECIDED)
    n = decided.count()
    if not n:
        return 0
    passed = decided.filter(passed=True).count()
    province = Candidate.objects.filter(DECIDED, plan__province=plan.province_id, plan__occupation=plan.occupation_id)
    total = province.count()
    p0 = province.filter(passed=True).count() / total
    if passed / n <= limits(p0, n).high_998:
        return 0
    return int(bool(raise_flag(
        plan.province, kind=FlagKind.PASS_RATE_OUTLIER, key=f"passrate:{plan.pk}",
        summary=_("“%(plan)s”合格率%(rate).1f%%（%(passed)d/%(n)d），高于全省同职业%(p0).1f%%的99.8%%控制限%(limit).1f%%。")
        % {"plan": plan.title, "rate": 100 * passed / n, "passed": passed, "n": n, "p0": 100 * p0,
           "limit": 100 * limits(p0, n).high_998},
        evidence=[{"type": "plan", "id": plan.pk, "plan": plan.pk, "text": plan.title}],
        institution_id=plan.institution_id, plan_id=plan.pk)))


def _shared_mobile(plan: ExamPlan, minimum: int) -> int:
    raised = 0
    phones = set(plan.candidates.exclude(phone="").values_list("phone", flat=True))
    shared = (Candidate.objects.filter(plan__province=plan.province_id, phone__in=phones).values("phone")
              .annotate(people=Count("id_number", distinct=True)).filter(people__gte=minimum))
    for entry in shared:
        people = list(Candidate.objects.filter(plan__province=plan.province_id, phone=entry["phone"])
                      .order_by("pk")[:50])
        raised += bool(raise_flag(
            plan.province, kind=FlagKind.SHARED_MOBILE, key=f"mobile:{entry['phone']}",
            summary=_("%(n)d名考生登记了同一手机号码（尾号%(tail)s）。") % {"n": entry["people"],
                                                                       "tail": entry["phone"][-4:]},
            evidence=_evidence_candidates(people), institution_id=plan.institution_id, plan_id=plan.pk))
    return raised


def check_plan(plan_id: int) -> bool:
    """Run the roster detectors over one plan; whether any new flag was raised."""
    plan = ExamPlan.objects.select_related("province").filter(pk=plan_id).first()
    if plan is None:
        return False
    settings = pack_for(plan.province).settings
    raised = (_duplicate_scores(plan, settings.duplicate_scores_min) + _overlapping_sessions(plan)
              + _over_capacity(plan) + _pass_rate_outlier(plan) + _shared_mobile(plan, settings.shared_mobile_min))
    return raised > 0


def check_certificates_of_plan(plan_id: int) -> bool:
    """Certificates issued for results of a plan the province has not approved."""
    plan = ExamPlan.objects.select_related("province").filter(pk=plan_id).first()
    if plan is None or plan.state == PlanState.APPROVED:
        return False
    numbers = list(Certificate.objects.filter(candidate__plan=plan).order_by("number")
                   .values_list("pk", "number")[:50])
    return bool(raise_flag(
        plan.province, kind=FlagKind.CERTIFICATE_WITHOUT_PLAN, key=f"certplan:{plan.pk}",
        summary=_("“%(plan)s”状态为“%(state)s”，却已发出%(n)d本证书。")
        % {"plan": plan.title, "state": plan.get_state_display(), "n": len(numbers)},
        evidence=[{"type": "certificate", "id": pk, "plan": plan.pk, "text": number} for pk, number in numbers],
        institution_id=plan.institution_id, plan_id=plan.pk))


def sweep_flags(now: dt.datetime | None = None) -> FlagRun:
    """Check the plans with candidates and certificates added since the last run's marks; record the new marks."""
    last = FlagRun.objects.order_by("-id").first()
    lower = last.marks if last else {}
    upper = {
        "candidate": Candidate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "certificate": Certificate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }
    new_candidates = Q(candidates__pk__gt=lower.get("candidate", 0), candidates__pk__lte=upper["candidate"])
    new_certificates = Candidate.objects.filter(
        certificates__pk__gt=lower.get("certificate", 0), certificates__pk__lte=upper["certificate"]).values("plan_id")
    roster = sweep(ExamPlan.objects.filter(new_candidates).distinct(), check_plan)
    issued = sweep(ExamPlan.objects.filter(pk__in=new_certificates), check_certificates_of_plan)
    run = FlagRun.objects.create(started_at=now or timezone.now(), marks=upper, raised=roster.acted + issued.acted)
    record_event(actor=None, action="fraud_sweep", obj=run, province=None,
                 changes={"plans": {"before": None, "after": roster.seen + issued.seen},
                          "marks": {"before": lower, "after": upper}})
    return run


def dismiss_flag(flag: FraudFlag, *, acting_user: User, reason: str) -> FraudFlag:
    """排除疑点: a supervisor or provincial officer closes the flag with a reason (audited)."""
    require_role(acting_user, flag.province, Role.QUALITY_SUPERVISOR, Role.PROVINCIAL_OFFICER)
    if not reason.strip():
        raise DomainError(_("请填写排除理由。"), code=Codes.REASON_REQUIRED, field="reason")
    with transaction.atomic():
        flag = FraudFlag.objects.select_for_update(of=("self",)).get(pk=flag.pk)
        if flag.state != FlagState.OPEN:
            raise DomainError(_("该疑点已排除。"), code=Codes.FLAG_CLOSED, status=409)
        flag.state, flag.dismissed_reason = FlagState.DISMISSED, reason.strip()
        flag.dismissed_by, flag.dismissed_at = acting_user, timezone.now()
        flag.save(update_fields=["state", "dismissed_reason", "dismissed_by", "dismissed_at"])
        record_event(actor=acting_user, action="fraud_flag_dismissed", obj=flag, province=flag.province,
                     from_state=FlagState.OPEN, to_state=FlagState.DISMISSED, reason=flag.dismissed_reason)
    return flag
