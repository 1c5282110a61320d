"""The indicator sweep: recompute only the (organization, occupation, period) cells that rows changed since the last
run touched, found through high-water marks on the source rows, and record the run as one audit event."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Candidate, Certificate, CertificateStatus, ExamPlan, PlanState, ResultCorrection
from filings.selectors import pack_for
from portal.audit import record_event
from portal.models import Institution, Province, Role, User
from portal.roles import require_role

from ..models import (
    EMPLOYED_STATUSES,
    Complaint,
    ComplaintDecision,
    EmployerFeedback,
    EnrolmentDeclaration,
    IndicatorCell,
    IndicatorRun,
    TraineeFeedback,
)
from ..periods import Period, parse_period, period_of
from ..stats import mean, median_band

# Plans whose results were published: their rosters are the base of participation and pass rates.
RESULT_STATES = (PlanState.IN_PUBLICITY, PlanState.CITY_REVIEW, PlanState.PROVINCE_REVIEW,
                 PlanState.RESULTS_RETURNED, PlanState.APPROVED)
EPOCH = "1970-01-01T00:00:00+00:00"
ID_SOURCES = ("candidate", "correction", "certificate", "enrolment")
TIME_SOURCES = ("plan", "trainee_feedback", "employer_feedback", "complaint")

Touch = tuple[int, int, dt.date]  # (institution id, occupation id, a day of the period)
CellKey = tuple[int, int, str, str]  # (institution id, occupation id, period kind, period key)


def _upper_marks(now: dt.datetime) -> dict[str, Any]:
    """Where this run stops: the newest ids now, and now for the timestamped sources (rows after wait for the next)."""
    def top(model: Any) -> int:
        return int(model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)

    marks: dict[str, Any] = {
        "candidate": top(Candidate), "correction": top(ResultCorrection), "certificate": top(Certificate),
        "enrolment": top(EnrolmentDeclaration),
    }
    marks.update(dict.fromkeys(TIME_SOURCES, now.isoformat()))
    return marks


def _plan_day(last: dt.date | None, first: dt.date | None) -> dt.date | None:
    return last or first


def _touches(lower: dict[str, Any], upper: dict[str, Any]) -> tuple[set[Touch], dict[str, int]]:
    """The cells (as a day of their period) touched by the rows between the two marks, and how many rows each had."""
    plan_fields = ("institution_id", "occupation_id", "last_session_on", "first_session_on")

    def span(source: str, field: str) -> Q:
        low = lower.get(source, 0 if source in ID_SOURCES else EPOCH)
        return Q(**{f"{field}__gt": low, f"{field}__lte": upper[source]})

    queries: dict[str, QuerySet[Any, tuple[Any, ...]]] = {
        "candidate": Candidate.objects.filter(span("candidate", "pk")).values_list(
            *(f"plan__{f}" for f in plan_fields)),
        "correction": ResultCorrection.objects.filter(span("correction", "pk")).values_list(
            *(f"candidate__plan__{f}" for f in plan_fields)),
        "plan": ExamPlan.objects.filter(span("plan", "updated_at")).values_list(*plan_fields),
        "certificate": Certificate.objects.filter(span("certificate", "pk")).values_list(
            "institution_id", "occupation_id", "issued_on"),
        "trainee_feedback": TraineeFeedback.objects.filter(span("trainee_feedback", "updated_at")).values_list(
            "institution_id", "occupation_id", "certified_on"),
        "employer_feedback": EmployerFeedback.objects.filter(span("employer_feedback", "updated_at")).values_list(
            "institution_id", "occupation_id", "certified_on"),
        "enrolment": EnrolmentDeclaration.objects.filter(span("enrolment", "pk")).values_list(
            "institution_id", "occupation_id", "period_start"),
        "complaint": Complaint.objects.filter(span("complaint", "updated_at"), occupation__isnull=False).values_list(
            "institution_id", "occupation_id", "filed_on"),
    }
    touched: set[Touch] = set()
    rows_seen: dict[str, int] = {}
    for source, rows in queries.items():
        count = 0
        for row in rows.iterator(chunk_size=2000):
            count += 1
            day = _plan_day(row[2], row[3]) if len(row) == 4 else row[2]
            if day is not None:
                touched.add((row[0], row[1], day))
        rows_seen[source] = count
    return touched, rows_seen


def _cells_of(touched: set[Touch]) -> set[CellKey]:
    """Each touched day becomes one cell per period kind the organization's province keeps (a pack setting)."""
    institution_ids = {t[0] for t in touched}
    kinds: dict[int, tuple[str, ...]] = {}
    for institution in Institution.objects.filter(pk__in=institution_ids).select_related("province"):
        kinds[institution.pk] = tuple(pack_for(institution.province).settings.indicator_periods)
    cells: set[CellKey] = set()
    for institution_id, occupation_id, day in touched:
        for kind in kinds.get(institution_id, ()):
            cells.add((institution_id, occupation_id, kind, period_of(day, kind).key))
    return cells


def _exam_counts(institution_id: int, occupation_id: int, period: Period) -> dict[str, int]:
    in_period = Q(last_session_on__range=(period.start, period.end)) | Q(
        last_session_on__isnull=True, first_session_on__range=(period.start, period.end))
    plans = ExamPlan.objects.filter(in_period, institution_id=institution_id, occupation_id=occupation_id,
                                    state__in=RESULT_STATES)
    sat = Q(theory_score__isnull=False) | Q(practical_score__isnull=False) | Q(review_score__isnull=False)
    counts = Candidate.objects.filter(plan__in=plans).aggregate(
        registered=Count("pk"), sat=Count("pk", filter=sat), passed=Count("pk", filter=Q(passed=True)))
    counts["certificates"] = Certificate.objects.filter(
        institution_id=institution_id, occupation_id=occupation_id, issued_on__range=(period.start, period.end),
    ).exclude(status=CertificateStatus.SUPERSEDED).count()
    return counts


def _trainee_counts(institution_id: int, occupation_id: int, period: Period) -> dict[str, Any]:
    rows = list(TraineeFeedback.objects.filter(
        institution_id=institution_id, occupation_id=occupation_id, certified_on__range=(period.start, period.end),
    ).values_list("employment_status", "job_matches", "wage_band", "training_satisfaction",
                  "evaluation_satisfaction"))
    employed = [r for r in rows if r[0] in EMPLOYED_STATUSES]
    wages = [r[2] for r in employed if r[2] is not None]
    return {
        "feedback_responses": len(rows), "employed": len(employed),
        "match_answered": sum(r[1] is not None for r in employed), "matched": sum(r[1] is True for r in employed),
        "wage_answered": len(wages), "wage_median_band": median_band(wages),
        "training_satisfaction_mean": mean(r[3] for r in rows),
        "evaluation_satisfaction_mean": mean(r[4] for r in rows),
    }


def _employer_counts(institution_id: int, occupation_id: int, period: Period) -> dict[str, Any]:
    rows = list(EmployerFeedback.objects.filter(
        institution_id=institution_id, occupation_id=occupation_id, certified_on__range=(period.start, period.end),
    ).values_list("skill_match", "would_hire_again"))
    return {"employer_ratings": len(rows), "employer_skill_mean": mean(r[0] for r in rows),
            "employer_rehire": sum(bool(r[1]) for r in rows)}


def _declared_enrolment(institution_id: int, occupation_id: int, period: Period) -> int | None:
    latest = EnrolmentDeclaration.objects.filter(
        institution_id=institution_id, occupation_id=occupation_id, period_kind=period.kind, period=period.key,
    ).order_by("-id").values_list("enrolled", flat=True).first()
    return latest


def _complaints_of(institution_id: int, occupation_id: int, period: Period) -> QuerySet[Complaint]:
    return Complaint.objects.filter(institution_id=institution_id, occupation_id=occupation_id,
                                    filed_on__range=(period.start, period.end))


def complaints_count(institution_id: int, occupation_id: int, period: Period) -> int:
    """Complaints filed in the period about the organization and occupation, those found not upheld left out."""
    return _complaints_of(institution_id, occupation_id, period).exclude(
        decision=ComplaintDecision.NOT_UPHELD).count()


def _complaint_counts(institution_id: int, occupation_id: int, period: Period) -> dict[str, int]:
    """The complaint count, and of every complaint filed in the period: answered, and answered by the legal
    deadline (the first answer counts: a reopened complaint is not answered on time twice)."""
    handled = _complaints_of(institution_id, occupation_id, period).aggregate(
        answered=Count("pk", filter=Q(first_answered_on__isnull=False)),
        on_time=Count("pk", filter=Q(answered_on_time=True)))
    return {"complaints": complaints_count(institution_id, occupation_id, period),
            "complaints_answered": handled["answered"], "complaints_on_time": handled["on_time"]}


def recompute_cell(institution: Institution, occupation_id: int, period: Period) -> IndicatorCell:
    """Compute one cell from the source rows and store it (idempotent: the same rows give the same cell)."""
    values: dict[str, Any] = {
        "province_id": institution.province_id, "period_start": period.start, "period_end": period.end,
        **_exam_counts(institution.pk, occupation_id, period),
        **_trainee_counts(institution.pk, occupation_id, period),
        **_employer_counts(institution.pk, occupation_id, period),
        "enrolment": _declared_enrolment(institution.pk, occupation_id, period),
        **_complaint_counts(institution.pk, occupation_id, period),
        "computed_at": timezone.now(),
    }
    cell, _created = IndicatorCell.objects.update_or_create(
        institution=institution, occupation_id=occupation_id, period_kind=period.kind, period=period.key,
        defaults=values,
    )
    return cell


def _recompute(cells: set[CellKey]) -> int:
    institutions = Institution.objects.in_bulk({c[0] for c in cells})
    for institution_id, occupation_id, kind, key in sorted(cells):
        period = parse_period(key)
        if period is None or period.kind != kind:
            continue
        recompute_cell(institutions[institution_id], occupation_id, period)
    return len(cells)


def refresh_indicators() -> IndicatorRun:
    """One sweep: from the last run's marks to now, recompute the touched cells, store the new marks, audit once.

    Idempotent: a second run with no new rows touches nothing; two runs at once serialize on the last run's row.
    """
    now = timezone.now()
    with transaction.atomic():
        last = IndicatorRun.objects.select_for_update().filter(finished_at__isnull=False).order_by("-id").first()
        lower = last.marks if last else {}
        upper = _upper_marks(now)
        touched, rows_seen = _touches(lower, upper)
        cells = _cells_of(touched)
        count = _recompute(cells)
        run = IndicatorRun.objects.create(started_at=now, finished_at=timezone.now(), marks=upper,
                                          rows_seen=rows_seen, cells=count)
        record_event(actor=None, action="indicators_refreshed", obj=run, province=None,
                     changes={"cells": count, "rows_seen": rows_seen, "from": lower, "to": upper})
    return run


def request_indicator_refresh(province: Province, *, acting_user: User) -> None:
    """A provincial officer asks for the sweep now rather than at the next beat; it runs after commit."""
    require_role(acting_user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以立即刷新指标。"))
    from ..tasks import refresh_indicators as task

    transaction.on_commit(task.delay)
