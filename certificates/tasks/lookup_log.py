"""Celery beat task of the public lookup: the lookup log queued in Redis flushed to PostgreSQL (services.lookup_log)."""

from celery import shared_task

from ..services import lookup_log


@shared_task(name="certificates.flush_lookup_log")
def flush_lookup_log() -> int:
    """Every few seconds: the queued lookups, in COPY batches; nothing to do when lookups are logged directly."""
    if not lookup_log.queued():
        return 0
    return lookup_log.flush()
