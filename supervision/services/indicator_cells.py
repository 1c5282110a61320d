"""Indicator cells computed a set at a time: one grouped query per source for every cell a sweep touched, and one
upsert per shape of change — the sweep's cost follows the rows that changed, not the number of cells.

A cell's fields fall in groups, each fed by its own sources (``SOURCE_GROUP``); a sweep recomputes in a cell only
the groups whose sources changed there. Every value is computed from all the cell's rows, never adjusted by a
delta, so recomputing a cell again gives the same cell.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Field, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from certificates.models import Candidate, Certificate, CertificateStatus, ExamPlan, PlanState
from portal.models import Institution

from ..models import (
    EMPLOYED_STATUSES,
    Complaint,
    ComplaintDecision,
    EmployerFeedback,
    EnrolmentDeclaration,
    IndicatorCell,
    PeriodKind,
    TraineeFeedback,
)
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
    "complaint": "complaint",
}
GROUP_FIELDS = {
    "exam": ("registered", "sat", "passed"),
    "certificates": ("certificates",),
    "trainee": ("feedback_responses", "employed", "match_answered", "matched", "wage_answered", "wage_median_band",
                "training_satisfaction_mean", "evaluation_satisfaction_mean"),
    "employer": ("employer_ratings", "employer_skill_mean", "employer_rehire"),
    "enrolment": ("enrolment",),
    "complaint": ("complaints", "complaints_answered", "complaints_on_time"),
}
ALL_GROUPS = frozenset(GROUP_FIELDS)
ADDITIVE_GROUPS = ("exam", "certificates")  # plain counts: a year is the sum of its quarters
FOREIGN_KEYS = ("province", "institution", "occupation")
CELL_IDENTITY = ("institution", "occupation", "period_kind", "period")
UPSERT_BATCH = 5000


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


def _complaints(span: _Span) -> dict[CellKey, Values]:
    """Complaints filed in the cell's period about the organization and occupation: counted (those found not upheld
    left out), and of all of them, answered, and answered by the legal deadline (the first answer counts: a
    reopened complaint is not answered on time twice)."""
    rows = (_in_span(Complaint, span, "filed_on").values_list("institution_id", "occupation_id", "filed_on")
            .annotate(n=Count("pk", filter=~Q(decision=ComplaintDecision.NOT_UPHELD)),
                      answered=Count("pk", filter=Q(first_answered_on__isnull=False)),
                      on_time=Count("pk", filter=Q(answered_on_time=True)))
            .order_by())
    out: dict[CellKey, Values] = {
        key: {"complaints": 0, "complaints_answered": 0, "complaints_on_time": 0} for key in span.keys}
    for institution_id, occupation_id, on, n, answered, on_time in rows:
        for key in span.cells_of(institution_id, occupation_id, on):
            cell = out[key]
            cell["complaints"] += n
            cell["complaints_answered"] += answered
            cell["complaints_on_time"] += on_time
    return out


COMPUTE = {"exam": _exam, "certificates": _certificates, "trainee": _trainee, "employer": _employer,
           "enrolment": _enrolment, "complaint": _complaints}


def complaints_count(institution_id: int, occupation_id: int, period: Period) -> int:
    """Complaints filed in the period about the organization and occupation, those found not upheld left out."""
    key = (institution_id, occupation_id, period.kind, period.key)
    return int(_complaints(_Span([key]))[key]["complaints"])


def organization_periods(institution_ids: Iterable[int]) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Per organization: its province and the period kinds its pack keeps (PackSettings.indicator_periods)."""
    from filings.selectors import pack_for

    return {institution.pk: (institution.province_id, tuple(pack_for(institution.province).settings.indicator_periods))
            for institution in Institution.objects.filter(pk__in=set(institution_ids)).select_related("province")}


def _years_from_quarters(keys: list[CellKey], group: str, quarters: dict[CellKey, Values]) -> dict[CellKey, Values]:
    """A year's counts of an additive group as the sum of its four quarter cells: those just computed, the others
    as stored (a quarter without a cell has no rows: any row would have made its cell)."""
    fields = GROUP_FIELDS[group]
    names = {f"{k[3]}Q{q}" for k in keys for q in range(1, 5)}
    stored = (IndicatorCell.objects.filter(institution_id__in={k[0] for k in keys},
                                           occupation_id__in={k[1] for k in keys}, period_kind=PeriodKind.QUARTER,
                                           period__in=names)
              .values_list("institution_id", "occupation_id", "period", *fields))
    values: dict[CellKey, Values] = {(i, o, PeriodKind.QUARTER, p): dict(zip(fields, rest, strict=True))
                                     for i, o, p, *rest in stored}
    values.update(quarters)
    out: dict[CellKey, Values] = {}
    for institution_id, occupation_id, kind, year in keys:
        total = dict.fromkeys(fields, 0)
        for q in range(1, 5):
            quarter = values.get((institution_id, occupation_id, PeriodKind.QUARTER, f"{year}Q{q}"), {})
            for f in fields:
                total[f] += quarter.get(f, 0)
        out[(institution_id, occupation_id, kind, year)] = total
    return out


def _compute_group(group: str, keys: list[CellKey], keeps_quarters: set[int]) -> dict[CellKey, Values]:
    """The group's values for these cells: from the source rows, except the years of additive groups of
    organizations that keep quarters, summed from their quarters (a year's rows are four quarters' rows)."""
    derived = [k for k in keys if group in ADDITIVE_GROUPS and k[2] == PeriodKind.YEAR and k[0] in keeps_quarters]
    derived_set = set(derived)
    direct = [k for k in keys if k not in derived_set]
    out = COMPUTE[group](_Span(direct)) if direct else {}
    if derived:
        out.update(_years_from_quarters(derived, group, {k: v for k, v in out.items() if k[2] == PeriodKind.QUARTER}))
    return out


def _cell_rows(values: dict[CellKey, Values], fields: list[str], provinces: dict[int, int]) -> list[tuple[Any, ...]]:
    """One row per cell: its identity, then every field — the computed ones, and the others' defaults, which a new
    cell gets and an existing one keeps (the upsert updates only the computed ones)."""
    now = timezone.now()
    defaults = {f: cast(Field[Any, Any], IndicatorCell._meta.get_field(f)).get_default() for group in GROUP_FIELDS.values() for f in group}
    rows = []
    for key, cell_values in values.items():
        institution_id, occupation_id, kind, name = key
        period = _period(key)
        rows.append((provinces[institution_id], institution_id, occupation_id, kind, name, period.start, period.end,
                     now,
                     *(cell_values.get(f, default) for f, default in defaults.items())))
    return rows


def _upsert_sql(columns: list[str], updated: list[str]) -> str:
    """INSERT … SELECT FROM unnest(one array per column) ON CONFLICT (the cell) DO UPDATE the updated columns; the
    identifiers come from the model, the values are parameters."""
    meta = IndicatorCell._meta
    q = connection.ops.quote_name

    def column(name: str) -> str:
        return q(str(cast(Field[Any, Any], meta.get_field(name)).column))

    arrays = ", ".join(f"%s::{'bigint' if c in FOREIGN_KEYS else meta.get_field(c).db_type(connection)}[]"
                       for c in columns)
    sets = ", ".join(f"{column(c)} = EXCLUDED.{column(c)}" for c in updated)
    return (f"INSERT INTO {q(meta.db_table)} ({', '.join(column(c) for c in columns)}) "  # noqa: S608
            f"SELECT * FROM unnest({arrays}) "
            f"ON CONFLICT ({', '.join(column(c) for c in CELL_IDENTITY)}) DO UPDATE SET {sets}")


def _upsert(values: dict[CellKey, Values], groups: frozenset[str], provinces: dict[int, int]) -> None:
    """Insert the cells, or update only the fields of these groups (and computed_at) where they exist — on
    PostgreSQL in one statement over column arrays (unnest), elsewhere through bulk_create."""
    fields = [f for group in sorted(groups) for f in GROUP_FIELDS[group]]
    columns = ["province", "institution", "occupation", "period_kind", "period", "period_start", "period_end",
               "computed_at", *(f for group in GROUP_FIELDS.values() for f in group)]
    rows = _cell_rows(values, fields, provinces)
    if connection.vendor != "postgresql":
        IndicatorCell.objects.bulk_create(
            [IndicatorCell(**{(f"{c}_id" if c in FOREIGN_KEYS else c): v for c, v in zip(columns, row, strict=True)})
             for row in rows], batch_size=UPSERT_BATCH, update_conflicts=True,
            unique_fields=["institution", "occupation", "period_kind", "period"], update_fields=[*fields, "computed_at"])
        return
    sql = _upsert_sql(columns, [*fields, "computed_at"])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH):
            batch = rows[start:start + UPSERT_BATCH]
            cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])


def recompute_cells(cells: dict[CellKey, frozenset[str]]) -> int:
    """Recompute the given groups of each cell from its source rows and store them; returns the number of cells."""
    if not cells:
        return 0
    # complaints are counted in every cell a sweep touches (one grouped query), so no new cell is left without them
    cells = {key: groups | {"complaint"} for key, groups in cells.items()}
    organizations = organization_periods(k[0] for k in cells)
    provinces = {pk: province for pk, (province, _kinds) in organizations.items()}
    keeps_quarters = {pk for pk, (_province, kinds) in organizations.items() if PeriodKind.QUARTER in kinds}
    computed: dict[str, dict[CellKey, Values]] = {}
    for group in sorted(ALL_GROUPS):
        keys = [key for key, groups in cells.items() if group in groups]
        if keys:
            computed[group] = _compute_group(group, keys, keeps_quarters)
    by_shape: dict[frozenset[str], dict[CellKey, Values]] = defaultdict(dict)
    for key, groups in cells.items():
        by_shape[groups][key] = {f: v for group in groups for f, v in computed[group][key].items()}
    for groups, values in by_shape.items():
        _upsert(values, groups, provinces)
    return len(cells)
