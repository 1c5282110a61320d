"""The complaint clock (投诉办理时限): deadlines in working days on the calendar, suspensions that move them, and the
daily sweep that flags overdue complaints, escalates the ones a city let pass the legal deadline and closes answers
whose reply window passed."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.selectors import pack_for
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Province, Role
from portal.notifications import notify
from portal.roles import users_with_role
from portal.sweeps import SweepResult, sweep
from portal.workdays import add_working_days, working_days_between

from ..errors import Codes
from ..models import (
    CLOCK_RUNNING,
    Complaint,
    ComplaintMessage,
    ComplaintSatisfaction,
    ComplaintState,
    ComplaintSuspension,
    HandlingLevel,
    MessageKind,
)

# "Three times overdue" (超期三倍): the service norm counted three times over, as case systems flag the worst delays.
TRIPLE_FACTOR = 3


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    legal_days: int
    service_days: int


def categories(province: Province) -> list[Category]:
    """The pack's complaint categories with their legal deadline and service norm (working days)."""
    return [Category(*row) for row in pack_for(province).settings.complaint_categories]


def category_of(province: Province, key: str) -> Category:
    for category in categories(province):
        if category.key == key:
            return category
    raise DomainError(_("请选择投诉类别。"), code=Codes.COMPLAINT_INVALID, field="category")


@dataclass(frozen=True)
class Deadlines:
    legal: dt.date
    service: dt.date
    triple: dt.date


def deadlines(start: dt.date, *, legal_days: int, service_days: int, suspended: int = 0) -> Deadlines:
    """The last day of each deadline: the n-th working day after `start`, plus the working days suspended."""
    return Deadlines(legal=add_working_days(start, legal_days + suspended),
                     service=add_working_days(start, service_days + suspended),
                     triple=add_working_days(start, TRIPLE_FACTOR * service_days + suspended))


def set_deadlines(complaint: Complaint) -> None:
    """Recompute the complaint's due dates from its clock start, its category's days and the days suspended."""
    due = deadlines(complaint.clock_started_on, legal_days=complaint.legal_days,
                    service_days=complaint.service_days, suspended=complaint.suspended_days)
    complaint.legal_due_on, complaint.service_due_on, complaint.triple_due_on = due.legal, due.service, due.triple
    complaint.next_sweep_on = next_sweep_date(complaint)


def next_sweep_date(complaint: Complaint) -> dt.date | None:
    """The earliest deadline the sweep has still to act on (it acts the day after), or None when nothing is due."""
    if complaint.state in CLOCK_RUNNING:
        pending = []
        if complaint.overdue_at is None:
            pending.append(complaint.service_due_on)
        if complaint.triple_overdue_at is None:
            pending.append(complaint.triple_due_on)
        if complaint.level == HandlingLevel.CITY and complaint.escalated_at is None:
            pending.append(complaint.legal_due_on)
        return min(pending) if pending else None
    if complaint.state == ComplaintState.ANSWERED:
        return complaint.reply_window_ends_on
    return None


def suspend_clock(complaint: Complaint, today: dt.date) -> ComplaintSuspension:
    """Stop the clock from today (the complainant was asked for information); nothing is due while it stands."""
    complaint.next_sweep_on = None
    return ComplaintSuspension.objects.create(complaint=complaint, started_on=today)


def resume_clock(complaint: Complaint, today: dt.date) -> ComplaintSuspension | None:
    """End the open suspension today: its working days (started_on, today] move every deadline."""
    suspension = complaint.suspensions.filter(ended_on__isnull=True).order_by("-id").first()
    if suspension is None:
        return None
    suspension.ended_on = today
    suspension.working_days = max(0, working_days_between(suspension.started_on, today))
    suspension.save(update_fields=["ended_on", "working_days"])
    complaint.suspended_days += suspension.working_days
    set_deadlines(complaint)
    return suspension


def restart_clock(complaint: Complaint, today: dt.date) -> None:
    """A reopened complaint is handled again within its category's days from today; earlier overdue flags lapse."""
    complaint.clock_started_on = today
    complaint.suspended_days = 0
    complaint.overdue_at = None
    complaint.triple_overdue_at = None
    set_deadlines(complaint)


def is_past_legal(complaint: Complaint, today: dt.date) -> bool:
    return complaint.state in CLOCK_RUNNING and today > complaint.legal_due_on


# --- the daily sweep ---

def _flag_overdue(complaint: Complaint, today: dt.date) -> list[str]:
    now = timezone.now()
    actions = []
    if complaint.overdue_at is None and today > complaint.service_due_on:
        complaint.overdue_at = now
        actions.append("complaint_overdue")
    if complaint.triple_overdue_at is None and today > complaint.triple_due_on:
        complaint.triple_overdue_at = now
        actions.append("complaint_triple_overdue")
    return actions


def _escalate(complaint: Complaint, today: dt.date) -> list[str]:
    """The city let the legal deadline pass: the province takes the complaint over (the city still sees it)."""
    if complaint.level != HandlingLevel.CITY or complaint.escalated_at is not None or today <= complaint.legal_due_on:
        return []
    complaint.level = HandlingLevel.PROVINCE
    complaint.escalated_at = timezone.now()
    ComplaintMessage.objects.create(complaint=complaint, kind=MessageKind.ESCALATED, text=_(
        "地市未在法定期限（%(date)s）内办结，已提级由省级办理。") % {"date": complaint.legal_due_on.isoformat()})
    link = reverse("supervision:complaint_detail", kwargs={"province": complaint.province.slug, "pk": complaint.pk})
    notify(users_with_role(complaint.province, Role.PROVINCIAL_OFFICER),
           title=_("投诉超过法定时限，已提级省级办理"), body=str(complaint), link=link, province=complaint.province)
    return ["complaint_escalated"]


def _close_unanswered_reply(complaint: Complaint, today: dt.date) -> list[str]:
    if complaint.reply_window_ends_on is None or today <= complaint.reply_window_ends_on:
        return []
    complaint.close(satisfaction=ComplaintSatisfaction.NOT_STATED)
    return ["complaint_closed"]


def check_complaint(pk: int, *, today: dt.date) -> bool:
    """Act on one complaint the sweep selected, re-checked under its row lock; True when something changed."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("province", "institution").get(pk=pk)
        if complaint.next_sweep_on is None or complaint.next_sweep_on >= today:
            return False
        before_state, before_level = complaint.state, complaint.level
        actions: list[str] = []
        if complaint.state in CLOCK_RUNNING:
            actions = _flag_overdue(complaint, today) + _escalate(complaint, today)
        elif complaint.state == ComplaintState.ANSWERED:
            actions = _close_unanswered_reply(complaint, today)
        complaint.next_sweep_on = next_sweep_date(complaint)
        complaint.save()
        for action in actions:
            record_event(actor=None, action=action, obj=complaint, province=complaint.province,
                         from_state=before_state, to_state=complaint.state, changes={
                             "level": {"before": before_level, "after": complaint.level},
                             "legal_due_on": complaint.legal_due_on, "service_due_on": complaint.service_due_on,
                             "today": today})
    return bool(actions)


def sweep_complaints(today: dt.date | None = None) -> SweepResult:
    """Every complaint with a deadline passed before today, through the partial index on next_sweep_on."""
    today = today or timezone.localdate()
    return sweep(Complaint.objects.filter(next_sweep_on__lt=today), lambda pk: check_complaint(pk, today=today))
