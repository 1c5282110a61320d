"""Celery tasks of filings: the daily cultivation sweep and document rendering. Each takes ids and is safe to run twice.

The sweep selects due ids through the `cultivation_due` index (state, ends_on), in batches, and calls the service
per row, which re-checks the state under select_for_update; its cost follows the due rows, not the table.
"""

import datetime as dt
import functools
import logging

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.errors import DomainError
from portal.sweeps import sweep

from . import services
from .models import Cultivation, CultivationReminder, CultivationState

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 500


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


def end_due_cultivations(today: dt.date) -> int:
    """End every cultivation whose last day is before `today`; returns how many changed."""

    def end(pk: int) -> bool:
        # idempotency: end_cultivation re-checks the state under its lock and returns None when nothing is due
        try:
            return services.end_cultivation(pk, today=today) is not None
        except DomainError:
            logger.exception("Cultivation %s could not be ended; the next sweep retries it", pk)
            return False

    return sweep(Cultivation.objects.due_for_sweep(today), end, batch_size=SWEEP_BATCH_SIZE).acted


def send_due_reminders(today: dt.date) -> int:
    """Send the reminders 30, 7 and 1 days before the last day that are due and not yet sent."""
    sent = 0
    thresholds = sorted(services.REMINDER_DAYS_BEFORE)  # 1, 7, 30
    lower = 0
    for days_before in thresholds:
        # due for this reminder: the last day is lower+1 .. days_before days away (a missed day catches up)
        due = Cultivation.objects.filter(
            state=CultivationState.ACTIVE,
            ends_on__gt=today + dt.timedelta(days=lower),
            ends_on__lte=today + dt.timedelta(days=days_before),
        ).filter(~Exists(CultivationReminder.objects.filter(cultivation=OuterRef("pk"), days_before=days_before)))
        sent += sweep(due, functools.partial(services.remind_cultivation, days_before=days_before, today=today),
                      batch_size=SWEEP_BATCH_SIZE).acted
        lower = days_before
    return sent


@shared_task(name="filings.sweep_cultivations")
def sweep_cultivations(today: str | None = None) -> dict[str, int]:
    """Daily: eliminate what is unfinished when day 180 has ended, and send the reminders before it."""
    day = _day(today)
    result = {"ended": end_due_cultivations(day), "reminders": send_due_reminders(day)}
    logger.info("Cultivation sweep of %s: %s", day, result)
    return result


@shared_task(name="filings.render_filing_letter")
def render_filing_letter(letter_id: int) -> bool:
    return services.render_filing_letter(letter_id)


@shared_task(name="filings.render_commitment_letter")
def render_commitment_letter(cultivation_id: int) -> bool:
    return services.render_commitment_letter(cultivation_id)
