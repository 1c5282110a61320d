"""Reads of the exam-to-certificate pipeline that views, the API and other apps (supervision) share.

This module and certificates.services are the app's public face. Reads that a request makes are scoped through
certificates.access first; the functions here take objects already reached that way, or a province.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from filings.models import Filing
from portal.models import AuditEvent, Objection, Occupation, Province

from .models import Candidate, ExamPlan, ExamSession, PlanState, SessionStaff
from .models.issuance import Certificate, CertificateStatus

P = PlanState


def certified_among(id_numbers: Iterable[str], occupation: Occupation, level: int) -> set[str]:
    """The identity numbers among `id_numbers` that hold a certificate in force (not revoked, not superseded) of
    this occupation at this level, in any province (a certificate is valid nationwide), in one query."""
    numbers = set(id_numbers)
    if not numbers:
        return set()
    if connection.vendor == "postgresql":
        # one array parameter instead of ten thousand placeholders (their SQL alone takes longer than the query)
        wanted: Any = RawSQL("SELECT unnest(%s::varchar[])", (sorted(numbers),))
    else:
        wanted = numbers
    return set(
        Certificate.objects.filter(id_number__in=wanted, occupation=occupation, level=level,
                                   status=CertificateStatus.VALID).values_list("id_number", flat=True)
    )


def is_certified(id_number: str, occupation: Occupation, level: int) -> bool:
    """Whether this person already holds a certificate of this occupation at this level."""
    return bool(certified_among([id_number], occupation, level))


def issuable_results(filing: Filing) -> QuerySet[Candidate]:
    """Candidates of this filing's plans whose results passed and were approved by the city and the province: what
    the organization may issue certificates for (the certificates work filters out those already issued)."""
    return (
        Candidate.objects.filter(plan__filing=filing, plan__state=P.APPROVED, passed=True)
        .select_related("plan__occupation", "plan__work_type", "plan__institution")
        .order_by("plan_id", "line")
    )


def plan_sessions(plan: ExamPlan) -> list[ExamSession]:
    return list(
        plan.sessions.select_related("venue__city").prefetch_related(
            Prefetch("staff", queryset=SessionStaff.objects.select_related("staff").order_by("duty", "staff__name")))
    )


def roster_summary(plan: ExamPlan) -> dict[int, int]:
    return dict(plan.candidates.values_list("level").annotate(n=Count("id")).values_list("level", "n"))


def results_summary(plan: ExamPlan) -> dict[str, int]:
    counts = plan.candidates.aggregate(
        n_total=Count("id"), n_passed=Count("id", filter=Q(passed=True)),
        n_failed=Count("id", filter=Q(passed=False)), n_pending=Count("id", filter=Q(passed__isnull=True)),
    )
    return {k.removeprefix("n_"): int(v or 0) for k, v in counts.items()}


def plan_objections(plan: ExamPlan) -> QuerySet[Objection]:
    if plan.publicity_notice_id is None:
        return Objection.objects.none()
    return Objection.objects.filter(notice_id=plan.publicity_notice_id).select_related("item", "resolved_by")


def history(plan: ExamPlan) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        province=plan.province, object_type=plan._meta.label_lower, object_id=str(plan.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class CalendarDayCell:
    date: dt.date | None
    sessions: list[ExamSession]


def month_calendar(plans: QuerySet[ExamPlan], year: int, month: int) -> list[list[CalendarDayCell]]:
    """Weeks (Monday first) of the month with the sessions of `plans` on each day (one query)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    by_day: dict[dt.date, list[ExamSession]] = defaultdict(list)
    for s in (ExamSession.objects.filter(plan__in=plans, date__gte=first, date__lte=last)
              .select_related("plan__institution", "plan__occupation", "venue").order_by("date", "start_time")):
        by_day[s.date].append(s)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDayCell(d if d.month == month else None, by_day.get(d, []) if d.month == month else [])
                      for d in week])
    return weeks


def plans_for_supervision(province: Province) -> QuerySet[ExamPlan]:
    """Filed plans of a province with their sessions, for supervision (inspections read this)."""
    return (ExamPlan.objects.in_province(province).exclude(state__in=[P.DRAFT, P.CANCELLED, P.LAPSED])
            .select_related("institution", "city", "occupation"))
