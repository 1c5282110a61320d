"""Celery tasks of supervision: thin and idempotent. The indicator sweep walks the rows past its high-water marks, so
a run with nothing new costs a handful of indexed queries and recomputes nothing."""

from celery import shared_task

from . import services


@shared_task(name="supervision.refresh_indicators")
def refresh_indicators() -> int:
    """Recompute the indicator cells touched since the last run; the number of cells recomputed."""
    # idempotency: the run starts from the last finished run's marks; nothing new → nothing recomputed.
    return services.refresh_indicators().cells


@shared_task(name="supervision.sweep_flags")
def sweep_flags() -> int:
    """Check the plans with results or certificates added since the last run; the number of new flags."""
    # idempotency: each pattern has a unique key per province, and the run starts from the last run's marks.
    return services.sweep_flags().raised


@shared_task(name="supervision.sweep_rectification_deadlines")
def sweep_rectification_deadlines() -> int:
    """Mark the rectification orders past their deadline still waiting for the organization; how many were marked."""
    # idempotency: an order is marked once (overdue_at), re-checked under its row lock.
    return services.sweep_overdue_orders().acted


@shared_task(name="supervision.close_due_campaigns")
def close_due_campaigns() -> int:
    """Close the drawn campaigns past their end date whose inspections are all done; how many were closed."""
    # idempotency: only drawn campaigns are due; each is re-checked under its row lock.
    return services.close_due_campaigns().acted
@shared_task(name="supervision.sweep_complaints")
def sweep_complaints() -> int:
    """Complaints whose next deadline passed before today: flag, escalate or close each; the number changed."""
    # idempotency: each complaint is re-checked under its row lock and its next_sweep_on moves past what was done.
    return services.sweep_complaints().acted
@shared_task(name="supervision.send_renewal_reminders")
def send_renewal_reminders() -> int:
    """Renewal reminders due today (90, 60, 30 days before expiry); the number sent."""
    # idempotency: each reminder is a unique row per filing, validity period and stage; a sent one is skipped.
    return services.send_renewal_reminders()


@shared_task(name="supervision.send_city_review_reminders")
def send_city_review_reminders() -> int:
    """Reminders to cities before a call's city-review deadline; the number sent."""
    # idempotency: each reminder is a unique row per call, city and stage.
    return services.send_city_review_reminders()


@shared_task(name="supervision.render_renewal_letter")
def render_renewal_letter_task(renewal_id: int) -> bool:
    """Render an approved renewal's letter to PDF."""
    # idempotency: a stored letter is never rendered again.
    return services.render_renewal_letter(renewal_id)
@shared_task(name="supervision.sweep_exits")
def sweep_exits() -> dict[str, int]:
    """Daily: voluntary exits reaching their day, automatic exits at expiry, wrap-ups past their last day."""
    # idempotency: each row is re-checked under its lock; a moved or flagged row is not acted on again.
    return services.sweep_exits()


@shared_task(name="supervision.sweep_suspensions")
def sweep_suspensions() -> int:
    """Daily: suspensions past their last day end and their filings are active again."""
    # idempotency: an ended suspension is no longer in force, so a second run finds nothing.
    return services.sweep_suspensions()


@shared_task(name="supervision.render_termination_notice")
def render_termination_notice(exit_id: int) -> bool:
    # idempotency: a stored notice PDF is never rendered again.
    return services.render_termination_notice(exit_id)
