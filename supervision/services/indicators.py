"""The indicator sweep: recompute only the (organization, occupation, period) cells that rows changed since the last
run touched, found through high-water marks on the source rows, and record the run as one audit event. The cells
themselves are computed a set at a time by indicator_cells."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Candidate, Certificate, ExamPlan, ResultCorrection
from portal.audit import record_event
from portal.models import Institution, Province, Role, User
from portal.roles import require_role

from ..models import Complaint, EmployerFeedback, EnrolmentDeclaration, IndicatorCell, IndicatorRun, TraineeFeedback
from ..periods import Period, period_of
from .certificate_months import refresh_certificate_months, touched_months
from .indicator_cells import (
    ALL_GROUPS,
    RESULT_STATES,
    SOURCE_GROUP,
    CellKey,
    complaints_count,
    organization_periods,
    recompute_cells,
)

__all__ = ["RESULT_STATES", "complaints_count", "recompute_cell", "refresh_indicators", "request_indicator_refresh"]

EPOCH = "1970-01-01T00:00:00+00:00"
ID_SOURCES = ("candidate", "correction", "certificate", "enrolment")
TIME_SOURCES = ("plan", "trainee_feedback", "employer_feedback", "complaint")

Touch = tuple[int, int, dt.date, str]  # (institution id, occupation id, a day of the period, source)


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


def _source_rows(lower: dict[str, Any], upper: dict[str, Any]) -> dict[str, QuerySet[Any, tuple[Any, ...]]]:
    """Per source, its rows between the two marks grouped by (organization, occupation, day) with their count."""
    def span(source: str, field: str) -> Q:
        low = lower.get(source, 0 if source in ID_SOURCES else EPOCH)
        return Q(**{f"{field}__gt": low, f"{field}__lte": upper[source]})

    def grouped(qs: QuerySet[Any], institution: str, occupation: str, day: Any) -> QuerySet[Any, tuple[Any, ...]]:
        return qs.annotate(touched_day=F(day) if isinstance(day, str) else day).values_list(institution, occupation, "touched_day").annotate(
            n=Count("pk")).order_by()

    plan_day = Coalesce("last_session_on", "first_session_on")
    return {
        "candidate": grouped(Candidate.objects.filter(span("candidate", "pk")), "plan__institution_id",
                             "plan__occupation_id", Coalesce("plan__last_session_on", "plan__first_session_on")),
        "correction": grouped(ResultCorrection.objects.filter(span("correction", "pk")),
                              "candidate__plan__institution_id", "candidate__plan__occupation_id",
                              Coalesce("candidate__plan__last_session_on", "candidate__plan__first_session_on")),
        "plan": grouped(ExamPlan.objects.filter(span("plan", "updated_at")), "institution_id", "occupation_id",
                        plan_day),
        "certificate": grouped(Certificate.objects.filter(span("certificate", "pk")), "institution_id",
                               "occupation_id", "issued_on"),
        "trainee_feedback": grouped(TraineeFeedback.objects.filter(span("trainee_feedback", "updated_at")),
                                    "institution_id", "occupation_id", "certified_on"),
        "employer_feedback": grouped(EmployerFeedback.objects.filter(span("employer_feedback", "updated_at")),
                                     "institution_id", "occupation_id", "certified_on"),
        "complaint": grouped(Complaint.objects.filter(span("complaint", "updated_at"), occupation__isnull=False),
                             "institution_id", "occupation_id", "filed_on"),
        "enrolment": grouped(EnrolmentDeclaration.objects.filter(span("enrolment", "pk")), "institution_id",
                             "occupation_id", "period_start"),
    }


def _touches(lower: dict[str, Any], upper: dict[str, Any]) -> tuple[set[Touch], dict[str, int]]:
    """The cells (as a day of their period and the source) touched by the rows between the two marks, and how many
    rows each source had — grouped by the database, so Python sees one line per organization, occupation and day."""
    touched: set[Touch] = set()
    rows_seen: dict[str, int] = {}
    for source, rows in _source_rows(lower, upper).items():
        count = 0
        if source in ID_SOURCES and lower.get(source, 0) >= upper[source]:
            rows_seen[source] = 0  # no id past the mark: nothing to read
            continue
        for institution_id, occupation_id, day, n in rows:
            count += n
            if day is not None:
                touched.add((institution_id, occupation_id, day, source))
        rows_seen[source] = count
    return touched, rows_seen


def _cells_of(touched: set[Touch]) -> dict[CellKey, frozenset[str]]:
    """Each touched day becomes one cell per period kind the organization's province keeps (a pack setting), with
    the groups of fields its sources feed."""
    kinds = {pk: periods for pk, (_province, periods) in organization_periods(t[0] for t in touched).items()}
    cells: dict[CellKey, set[str]] = defaultdict(set)
    for institution_id, occupation_id, day, source in touched:
        for kind in kinds.get(institution_id, ()):
            cells[(institution_id, occupation_id, kind, period_of(day, kind).key)].add(SOURCE_GROUP[source])
    return {key: frozenset(groups) for key, groups in cells.items()}


def recompute_cell(institution: Institution, occupation_id: int, period: Period) -> IndicatorCell:
    """Compute one cell from the source rows and store it (idempotent: the same rows give the same cell)."""
    recompute_cells({(institution.pk, occupation_id, period.kind, period.key): ALL_GROUPS})
    return IndicatorCell.objects.get(institution=institution, occupation_id=occupation_id, period_kind=period.kind,
                                     period=period.key)


def refresh_indicators() -> IndicatorRun:
    """One sweep: from the last run's marks to now, recompute the touched cells (and the monthly certificate counts
    of the dashboards), store the new marks, audit once.

    Idempotent: a second run with no new rows touches nothing; two runs at once serialize on the last run's row.
    """
    now = timezone.now()
    with transaction.atomic():
        last = IndicatorRun.objects.select_for_update().filter(finished_at__isnull=False).order_by("-id").first()
        lower = last.marks if last else {}
        upper = _upper_marks(now)
        touched, rows_seen = _touches(lower, upper)
        count = recompute_cells(_cells_of(touched))
        months = refresh_certificate_months(touched_months(lower.get("certificate", 0), upper["certificate"]))
        run = IndicatorRun.objects.create(started_at=now, finished_at=timezone.now(), marks=upper,
                                          rows_seen=rows_seen, cells=count)
        record_event(actor=None, action="indicators_refreshed", obj=run, province=None,
                     changes={"cells": count, "certificate_months": months, "rows_seen": rows_seen, "from": lower,
                              "to": upper})
    return run


def request_indicator_refresh(province: Province, *, acting_user: User) -> None:
    """A provincial officer asks for the sweep now rather than at the next beat; it runs after commit."""
    require_role(acting_user, province, Role.PROVINCIAL_OFFICER, message=_("只有省级经办人员可以立即刷新指标。"))
    from ..tasks import refresh_indicators as task

    transaction.on_commit(task.delay)
