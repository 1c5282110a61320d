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
from portal.errors import CalendarNotCovered, DomainError
from portal.models import Province, Role
from portal.notifications import notify
from portal.roles import users_with_role
from portal.sweeps import SweepResult, sweep
from portal.workdays import add_working_days, covered_years, working_days_between

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
    """The last day of each deadline; None where it falls past the published calendar (never guessed)."""

    legal: dt.date | None
    service: dt.date | None
    triple: dt.date | None


def _nth_working_day(start: dt.date, n: int) -> dt.date | None:
    try:
        return add_working_days(start, n)
    except CalendarNotCovered:
        return None


def deadlines(start: dt.date, *, legal_days: int, service_days: int, suspended: int = 0) -> Deadlines:
    """The last day of each deadline: the n-th working day after `start`, plus the working days suspended."""
    return Deadlines(legal=_nth_working_day(start, legal_days + suspended),
                     service=_nth_working_day(start, service_days + suspended),
                     triple=_nth_working_day(start, TRIPLE_FACTOR * service_days + suspended))


def calendar_end() -> dt.date | None:
    """The last day of the last published calendar year."""
    years = covered_years()
    return dt.date(max(years), 12, 31) if years else None


def set_deadlines(complaint: Complaint) -> None:
    """Recompute the complaint's due dates from its clock start, its category's days and the days suspended."""
    due = deadlines(complaint.clock_started_on, legal_days=complaint.legal_days,
                    service_days=complaint.service_days, suspended=complaint.suspended_days)
    complaint.legal_due_on, complaint.service_due_on, complaint.triple_due_on = due.legal, due.service, due.triple
    complaint.next_sweep_on = next_sweep_date(complaint)


def next_sweep_date(complaint: Complaint) -> dt.date | None:
    """The earliest deadline the sweep has still to act on (it acts the day after), or None when nothing is due.

    A deadline past the calendar makes the sweep come back on the calendar's last day, to compute it once the next
    year is entered."""
    if complaint.state in CLOCK_RUNNING:
        pending: list[dt.date | None] = []
        if complaint.overdue_at is None:
            pending.append(complaint.service_due_on)
        if complaint.triple_overdue_at is None:
            pending.append(complaint.triple_due_on)
        if complaint.level == HandlingLevel.CITY and complaint.escalated_at is None:
            pending.append(complaint.legal_due_on)
        known = [d for d in pending if d is not None]
        if len(known) < len(pending) and (end := calendar_end()) is not None:
            known.append(end)
        return min(known) if known else None
    if complaint.state == ComplaintState.ANSWERED:
        return complaint.reply_window_ends_on
    return None


def answered_on_time(complaint: Complaint, today: dt.date) -> bool | None:
    """Whether an answer today meets the legal deadline; a deadline past the calendar is after any covered day."""
    if complaint.legal_due_on is not None:
        return today <= complaint.legal_due_on
    return True if today.year in covered_years() else None


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
    return complaint.state in CLOCK_RUNNING and complaint.legal_due_on is not None and today > complaint.legal_due_on


# --- the daily sweep ---

def _flag_overdue(complaint: Complaint, today: dt.date) -> list[str]:
    now = timezone.now()
    actions = []
    if complaint.overdue_at is None and complaint.service_due_on and today > complaint.service_due_on:
        complaint.overdue_at = now
        actions.append("complaint_overdue")
    if complaint.triple_overdue_at is None and complaint.triple_due_on and today > complaint.triple_due_on:
        complaint.triple_overdue_at = now
        actions.append("complaint_triple_overdue")
    return actions


def _escalate(complaint: Complaint, today: dt.date) -> list[str]:
    """The city let the legal deadline pass: the province takes the complaint over (the city still sees it)."""
    due = complaint.legal_due_on
    if complaint.level != HandlingLevel.CITY or complaint.escalated_at is not None or due is None or today <= due:
        return []
    complaint.level = HandlingLevel.PROVINCE
    complaint.escalated_at = timezone.now()
    ComplaintMessage.objects.create(complaint=complaint, kind=MessageKind.ESCALATED, text=_(
        "地市未在法定期限（%(date)s）内办结，已提级由省级办理。") % {"date": due.isoformat()})
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
        complaint = (Complaint.objects.select_for_update(of=("self",)).select_related("province", "institution")
                     .get(pk=pk))
        if complaint.next_sweep_on is None or complaint.next_sweep_on >= today:
            return False
        before_state, before_level = complaint.state, complaint.level
        if complaint.state in CLOCK_RUNNING and None in (complaint.legal_due_on, complaint.service_due_on,
                                                         complaint.triple_due_on):
            set_deadlines(complaint)  # the next year's calendar may have been entered since
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
