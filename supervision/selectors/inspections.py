"""Reads of inspections shared by pages, the API and the homes: a campaign's outcome summary (一公开, without any
inspector's personal data), its published draw, and each person's inspections and rectification orders."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.roles import ProvinceAccess

from ..access_inspections import scope_inspections, scope_orders
from ..models import (
    Campaign,
    DrawPick,
    Finding,
    Inspection,
    InspectionState,
    OrderState,
    RectificationOrder,
    Severity,
)


@dataclass(frozen=True)
class Outcome:
    """One inspected organization on the public page: what was found and where its rectification stands."""

    organization: str
    inspected_on: dt.date | None
    findings: dict[str, int]
    orders: int
    closed: int
    closed_late: int
    summary: str


def _summary(inspection: Inspection, findings: int, orders: int, closed: int) -> str:
    if inspection.state != InspectionState.COMPLETED:
        return _("尚未检查")
    if not findings:
        return _("未发现问题")
    if closed == orders:
        return _("发现问题%(n)d项，已全部整改") % {"n": findings}
    return _("发现问题%(n)d项，整改中（已整改%(closed)d项）") % {"n": findings, "closed": closed}


def campaign_outcomes(campaign: Campaign) -> list[Outcome]:
    inspections = list(campaign.inspections.select_related("institution").order_by("draw_order"))
    severities: dict[int, Counter[str]] = {i.pk: Counter() for i in inspections}
    for inspection_id, severity in Finding.objects.filter(inspection__campaign=campaign).values_list(
            "inspection_id", "severity"):
        severities[inspection_id][severity] += 1
    orders = {row["finding__inspection_id"]: row for row in RectificationOrder.objects.filter(
        finding__inspection__campaign=campaign).values("finding__inspection_id").annotate(
        total=Count("id"), closed=Count("id", filter=Q(state=OrderState.CLOSED)),
        late=Count("id", filter=Q(closed_late=True)))}
    outcomes = []
    for i in inspections:
        row = orders.get(i.pk, {"total": 0, "closed": 0, "late": 0})
        counts = {str(label): severities[i.pk][key] for key, label in Severity.choices}
        outcomes.append(Outcome(i.institution.name, i.scheduled_on if i.state == InspectionState.COMPLETED else None,
                                counts, row["total"], row["closed"], row["late"],
                                _summary(i, sum(counts.values()), row["total"], row["closed"])))
    return outcomes


def campaign_picks(campaign: Campaign) -> QuerySet[DrawPick]:
    return campaign.picks.order_by("index")


def my_inspections(access: ProvinceAccess) -> QuerySet[Inspection]:
    """The scheduled inspections the person was drawn for (still in post)."""
    return scope_inspections(access).filter(
        state=InspectionState.SCHEDULED, assignments__inspector=access.user,
        assignments__replaced_at__isnull=True).select_related("institution", "campaign").distinct()


def open_orders(access: ProvinceAccess) -> QuerySet[RectificationOrder]:
    return scope_orders(access).exclude(state=OrderState.CLOSED).select_related("institution")


def order_counts(access: ProvinceAccess, today: dt.date | None = None) -> dict[str, Any]:
    """Open, awaiting verification and overdue orders the person may see, for the homes."""
    qs = open_orders(access)
    today = today or timezone.localdate()
    return qs.aggregate(open=Count("id", filter=Q(state=OrderState.OPEN)),
                        submitted=Count("id", filter=Q(state=OrderState.SUBMITTED)),
                        overdue=Count("id", filter=Q(state=OrderState.OPEN, deadline__lt=today)))
