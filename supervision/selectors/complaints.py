"""Reads of complaints: what each audience sees of one (the complainant, the organization, the officer), and the
counts the homes and dashboards show."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.roles import ProvinceAccess

from ..access import scope_complaints
from ..models import (
    CLOCK_RUNNING,
    ORGANIZATION_KINDS,
    PUBLIC_KINDS,
    UNFINISHED,
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    ComplaintState,
)

PUBLIC = "public"
ORGANIZATION = "organization"
OFFICER = "officer"


def messages_for(complaint: Complaint, audience: str) -> QuerySet[ComplaintMessage]:
    """The conversation as the audience may read it: the complainant never sees who handled it internally, the
    organization never sees the complainant's own words beyond the complaint."""
    qs = complaint.messages.select_related("author").order_by("created_at", "id")
    if audience == PUBLIC:
        return qs.filter(kind__in=PUBLIC_KINDS)
    if audience == ORGANIZATION:
        return qs.filter(kind__in=ORGANIZATION_KINDS)
    return qs


def attachments_for(complaint: Complaint, audience: str) -> QuerySet[ComplaintAttachment]:
    """Files: the officer sees all; the organization its own and the complaint's (not the complainant's later
    replies); the complainant sees none back (they have their own)."""
    qs = complaint.attachments.order_by("uploaded_at", "id")
    if audience == ORGANIZATION:
        return qs.filter(Q(from_organization=True) | Q(message__isnull=True))
    if audience == PUBLIC:
        return qs.none()
    return qs


@dataclass(frozen=True)
class Clock:
    """The deadlines as a person reads them, with whether each has passed and the suspensions so far."""

    legal_due_on: dt.date | None
    service_due_on: dt.date | None
    running: bool
    suspended: bool
    past_service: bool
    past_legal: bool
    suspended_days: int
    suspensions: list[Any]


def _past(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and today > due


def clock_of(complaint: Complaint, today: dt.date | None = None) -> Clock:
    today = today or timezone.localdate()
    running = complaint.state in CLOCK_RUNNING
    return Clock(complaint.legal_due_on, complaint.service_due_on, running,
                 complaint.state == ComplaintState.AWAITING_COMPLAINANT,
                 running and _past(complaint.service_due_on, today), running and _past(complaint.legal_due_on, today),
                 complaint.suspended_days, list(complaint.suspensions.order_by("started_on", "id")))


def complainant_view(complaint: Complaint, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the tracking page shows for a code, and which actions the complainant has."""
    today = today or timezone.localdate()
    can_react = (complaint.state == ComplaintState.ANSWERED
                 and (complaint.reply_window_ends_on is None or today <= complaint.reply_window_ends_on))
    return {
        "complaint": complaint, "clock": clock_of(complaint, today),
        "responses": list(messages_for(complaint, PUBLIC)),  # not "messages": that name is the messages framework's
        "can_provide_information": complaint.state == ComplaintState.AWAITING_COMPLAINANT,
        "can_react": can_react, "can_reopen": can_react and not complaint.reopened,
    }


def complainant_dict(complaint: Complaint) -> dict[str, Any]:
    """The tracking view for the API."""
    view = complainant_view(complaint)
    clock: Clock = view["clock"]
    return {
        "state": complaint.state, "state_label": str(complaint.get_state_display()),
        "organization": complaint.institution.name, "category": complaint.category_label,
        "filed_on": complaint.filed_on, "legal_due_on": clock.legal_due_on, "service_due_on": clock.service_due_on,
        "clock_suspended": clock.suspended, "suspended_working_days": clock.suspended_days,
        "suspensions": [{"started_on": s.started_on, "ended_on": s.ended_on, "working_days": s.working_days}
                        for s in clock.suspensions],
        "decision": complaint.decision or None, "decision_reason": complaint.decision_reason or None,
        "reply_window_ends_on": complaint.reply_window_ends_on, "reopened": complaint.reopened,
        "satisfaction": complaint.satisfaction or None,
        "responses": [{"kind": m.kind, "label": str(m.get_kind_display()), "text": m.text, "at": m.created_at}
                      for m in view["responses"]],
        "can_provide_information": view["can_provide_information"], "can_react": view["can_react"],
        "can_reopen": view["can_reopen"],
    }


@dataclass(frozen=True)
class ComplaintCounts:
    unfinished: int
    overdue: int
    past_legal: int
    awaiting_organization: int


def complaint_counts(access: ProvinceAccess, today: dt.date | None = None) -> ComplaintCounts:
    """Open complaints the caller may see, those past the service norm or the legal deadline, and those waiting on
    an organization — one query."""
    today = today or timezone.localdate()
    running = Q(state__in=CLOCK_RUNNING)
    row = scope_complaints(access).aggregate(
        unfinished=Count("pk", filter=Q(state__in=UNFINISHED)),
        overdue=Count("pk", filter=running & Q(service_due_on__lt=today)),
        past_legal=Count("pk", filter=running & Q(legal_due_on__lt=today)),
        awaiting_organization=Count("pk", filter=Q(state=ComplaintState.AWAITING_ORGANIZATION)))
    return ComplaintCounts(**row)
