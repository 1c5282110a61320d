"""Indicator cells computed a set at a time: one grouped query per source for every cell a sweep touched, and one
upsert per shape of change — the sweep's cost follows the rows that changed, not the number of cells.

A cell's fields fall in groups, each fed by its own sources (``SOURCE_GROUP``); a sweep recomputes in a cell only
the groups whose sources changed there. Every value is computed from all the cell's rows, never adjusted by a
delta, so recomputing a cell again gives the same cell.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from certificates.models import Candidate, Certificate, CertificateStatus, ExamPlan, PlanState
from portal.models import Institution

from ..models import EMPLOYED_STATUSES, EmployerFeedback, EnrolmentDeclaration, IndicatorCell, TraineeFeedback
from ..periods import Period, parse_period, period_of
from ..stats import mean, median_band

# Plans whose results were published: their rosters are the base of participation and pass rates.
RESULT_STATES = (PlanState.IN_PUBLICITY, PlanState.CITY_REVIEW, PlanState.PROVINCE_REVIEW,
                 PlanState.RESULTS_RETURNED, PlanState.APPROVED)

CellKey = tuple[int, int, str, str]  # (institution id, occupation id, period kind, period key)
Values = dict[str, Any]

SOURCE_GROUP = {
    "candidate": "exam", "correction": "exam", "plan": "exam", "certificate": "certificates",
    "trainee_feedback": "trainee", "employer_feedback": "employer", "enrolment": "enrolment",
}
GROUP_FIELDS = {
    "exam": ("registered", "sat", "passed"),
    "certificates": ("certificates",),
    "trainee": ("feedback_responses", "employed", "match_answered", "matched", "wage_answered", "wage_median_band",
                "training_satisfaction_mean", "evaluation_satisfaction_mean"),
    "employer": ("employer_ratings", "employer_skill_mean", "employer_rehire"),
    "enrolment": ("enrolment",),
}
ALL_GROUPS = frozenset(GROUP_FIELDS)
UPSERT_BATCH = 2000


class _Span:
    """The rows that can fall in a set of cells: their organizations, occupations and days; ``key_of`` maps a
    row's (organization, occupation, day) to each wanted cell it falls in."""

    def __init__(self, keys: Iterable[CellKey]) -> None:
        self.keys = set(keys)
        self.periods = {key: _period(key) for key in self.keys}
        self.institutions = sorted({k[0] for k in self.keys})
        self.occupations = sorted({k[1] for k in self.keys})
        self.kinds = sorted({k[2] for k in self.keys})
        self.start = min(p.start for p in self.periods.values())
        self.end = max(p.end for p in self.periods.values())

    def cells_of(self, institution_id: int, occupation_id: int, day: dt.date | None) -> list[CellKey]:
        if day is None:
            return []
        keys = ((institution_id, occupation_id, kind, period_of(day, kind).key) for kind in self.kinds)
        return [key for key in keys if key in self.keys]


def _period(key: CellKey) -> Period:
    period = parse_period(key[3])
    if period is None or period.kind != key[2]:
        raise ValueError(f"not a period of kind {key[2]}: {key[3]!r}")
    return period


def _exam(span: _Span) -> dict[CellKey, Values]:
    day = Coalesce("plan__last_session_on", "plan__first_session_on")
    sat = Q(theory_score__isnull=False) | Q(practical_score__isnull=False) | Q(review_score__isnull=False)
    plans = ExamPlan.objects.filter(
        Q(last_session_on__range=(span.start, span.end))
        | Q(last_session_on__isnull=True, first_session_on__range=(span.start, span.end)),
        institution_id__in=span.institutions, occupation_id__in=span.occupations, state__in=RESULT_STATES)
    rows = (Candidate.objects.filter(plan__in=plans).annotate(day=day)
            .values_list("plan__institution_id", "plan__occupation_id", "day")
            .annotate(registered=Count("pk"), sat=Count("pk", filter=sat), passed=Count("pk", filter=Q(passed=True)))
            .order_by())
    out: dict[CellKey, Values] = {key: {"registered": 0, "sat": 0, "passed": 0} for key in span.keys}
    for institution_id, occupation_id, on, registered, sat_n, passed in rows:
        for key in span.cells_of(institution_id, occupation_id, on):
            cell = out[key]
            cell["registered"] += registered
            cell["sat"] += sat_n
            cell["passed"] += passed
    return out


def _in_span(model: Any, span: _Span, date_field: str) -> QuerySet[Any]:
    return model.objects.filter(institution_id__in=span.institutions, occupation_id__in=span.occupations,
                                **{f"{date_field}__range": (span.start, span.end)})


def _certificates(span: _Span) -> dict[CellKey, Values]:
    rows = (_in_span(Certificate, span, "issued_on").exclude(status=CertificateStatus.SUPERSEDED)
            .values_list("institution_id", "occupation_id", "issued_on").annotate(n=Count("pk")).order_by())
    out: dict[CellKey, Values] = {key: {"certificates": 0} for key in span.keys}
    for institution_id, occupation_id, on, n in rows:
        for key in span.cells_of(institution_id, occupation_id, on):
            out[key]["certificates"] += n
    return out


def _trainee(span: _Span) -> dict[CellKey, Values]:
    rows = (_in_span(TraineeFeedback, span, "certified_on")
            .values_list("institution_id", "occupation_id", "certified_on", "employment_status", "job_matches",
                         "wage_band", "training_satisfaction", "evaluation_satisfaction")
            .annotate(n=Count("pk")).order_by())
    collected: dict[CellKey, list[tuple[Any, ...]]] = defaultdict(list)
    for institution_id, occupation_id, on, *answers, n in rows:
        for key in span.cells_of(institution_id, occupation_id, on):
            collected[key].extend([tuple(answers)] * n)
    return {key: _trainee_values(collected.get(key, [])) for key in span.keys}


def _trainee_values(rows: list[tuple[Any, ...]]) -> Values:
    employed = [r for r in rows if r[0] in EMPLOYED_STATUSES]
    wages = [r[2] for r in employed if r[2] is not None]
    return {
        "feedback_responses": len(rows), "employed": len(employed),
        "match_answered": sum(r[1] is not None for r in employed), "matched": sum(r[1] is True for r in employed),
        "wage_answered": len(wages), "wage_median_band": median_band(wages),
        "training_satisfaction_mean": mean(r[3] for r in rows),
        "evaluation_satisfaction_mean": mean(r[4] for r in rows),
    }


def _employer(span: _Span) -> dict[CellKey, Values]:
    rows = (_in_span(EmployerFeedback, span, "certified_on")
            .values_list("institution_id", "occupation_id", "certified_on", "skill_match", "would_hire_again")
            .annotate(n=Count("pk")).order_by())
    collected: dict[CellKey, list[tuple[int, bool]]] = defaultdict(list)
    for institution_id, occupation_id, on, skill, rehire, n in rows:
        for key in span.cells_of(institution_id, occupation_id, on):
            collected[key].extend([(skill, rehire)] * n)
    out: dict[CellKey, Values] = {}
    for key in span.keys:
        ratings = collected.get(key, [])
        out[key] = {"employer_ratings": len(ratings), "employer_skill_mean": mean(r[0] for r in ratings),
                    "employer_rehire": sum(bool(r[1]) for r in ratings)}
    return out


def _enrolment(span: _Span) -> dict[CellKey, Values]:
    """The latest declaration of each cell's period (the highest id wins)."""
    rows = (EnrolmentDeclaration.objects
            .filter(institution_id__in=span.institutions, occupation_id__in=span.occupations,
                    period__in={k[3] for k in span.keys})
            .order_by("id").values_list("institution_id", "occupation_id", "period_kind", "period", "enrolled"))
    out: dict[CellKey, Values] = {key: {"enrolment": None} for key in span.keys}
    for institution_id, occupation_id, kind, period, enrolled in rows:
        if (key := (institution_id, occupation_id, kind, period)) in out:
            out[key]["enrolment"] = enrolled
    return out


COMPUTE = {"exam": _exam, "certificates": _certificates, "trainee": _trainee, "employer": _employer,
           "enrolment": _enrolment}


def complaints_count(institution_id: int, occupation_id: int, period: Period) -> int | None:
    """Complaints per cell: None — complaints are not yet collected (no complaint model exists); the page says so."""
    return None


def _upsert(values: dict[CellKey, Values], groups: frozenset[str], provinces: dict[int, int]) -> None:
    """Insert the cells, or update only the fields of these groups (and computed_at) where they exist."""
    now = timezone.now()
    fields = [f for group in sorted(groups) for f in GROUP_FIELDS[group]]
    cells = []
    for (institution_id, occupation_id, kind, key), cell_values in values.items():
        period = _period((institution_id, occupation_id, kind, key))
        cells.append(IndicatorCell(
            province_id=provinces[institution_id], institution_id=institution_id, occupation_id=occupation_id,
            period_kind=kind, period=key, period_start=period.start, period_end=period.end, computed_at=now,
            complaints=complaints_count(institution_id, occupation_id, period), **cell_values))
    IndicatorCell.objects.bulk_create(
        cells, batch_size=UPSERT_BATCH, update_conflicts=True,
        unique_fields=["institution", "occupation", "period_kind", "period"], update_fields=[*fields, "computed_at"])


def recompute_cells(cells: dict[CellKey, frozenset[str]]) -> int:
    """Recompute the given groups of each cell from its source rows and store them; returns the number of cells."""
    if not cells:
        return 0
    provinces = dict(Institution.objects.filter(pk__in={k[0] for k in cells}).values_list("pk", "province_id"))
    computed: dict[str, dict[CellKey, Values]] = {}
    for group in sorted(ALL_GROUPS):
        keys = [key for key, groups in cells.items() if group in groups]
        if keys:
            computed[group] = COMPUTE[group](_Span(keys))
    by_shape: dict[frozenset[str], dict[CellKey, Values]] = defaultdict(dict)
    for key, groups in cells.items():
        by_shape[groups][key] = {f: v for group in groups for f, v in computed[group][key].items()}
    for groups, values in by_shape.items():
        _upsert(values, groups, provinces)
    return len(cells)
