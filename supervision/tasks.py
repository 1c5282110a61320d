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
