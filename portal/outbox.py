"""No task is lost while the broker is away: a task that cannot be published is kept in the database and relayed.

`OutboxTask` is the Celery app's task class (portal.celery): `apply_async` publishes as usual; when the broker does
not answer (Redis stopped, a network cut) it stores the task as a `PendingTask` row with its id, arguments and
options, logs it and returns the task's AsyncResult, so the request that queued it still succeeds. `relay()` —
run by beat every minute (`portal.relay_outbox`) — sends the kept tasks in order, each under a row lock
(`skip_locked` where the database has it, so two relays never send one twice), and deletes each row once sent.
Tasks are idempotent (each checks its own state first), so a task sent again after a crash does no harm.
"""

import logging
from typing import Any

from celery import Task
from celery.utils import uuid
from django.db import connection, transaction
from kombu.exceptions import OperationalError
from kombu.utils.json import dumps, loads
from redis.exceptions import RedisError

from .models import PendingTask

logger = logging.getLogger(__name__)
BROKER_ERRORS = (OperationalError, RedisError, ConnectionError, OSError)
RELAY_BATCH = 100


class OutboxTask(Task):
    """A task whose publication falls back to the database outbox when the broker is unreachable."""

    def apply_async(self, args: Any = None, kwargs: Any = None, task_id: str | None = None, producer: Any = None,
                    link: Any = None, link_error: Any = None, shadow: Any = None, **options: Any) -> Any:
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        task_id = task_id or uuid()
        try:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        except BROKER_ERRORS as exc:
            keep(self.name, task_id, args, kwargs, {**options, "link": link, "link_error": link_error}, exc)
            return self.AsyncResult(task_id)


def keep(name: str, task_id: str, args: Any, kwargs: Any, options: dict[str, Any], error: Exception) -> None:
    """Store a task the broker refused; its own transaction, so a rollback of the caller cannot lose it."""
    payload = dumps({"args": list(args or ()), "kwargs": dict(kwargs or {}),
                     "options": {k: v for k, v in options.items() if v is not None}})
    with transaction.atomic():
        PendingTask.objects.get_or_create(task_id=task_id, defaults={"name": name, "payload": payload,
                                                                     "last_error": str(error)[:2000]})
    logger.warning("Broker unavailable (%s): task %s %s kept in the outbox", error, name, task_id)


def relay(*, batch: int = RELAY_BATCH) -> int:
    """Send the kept tasks in order; stop at the first the broker still refuses. Returns how many were sent."""
    from .celery import app

    sent = 0
    while True:
        with transaction.atomic():
            rows = PendingTask.objects.order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            pending = list(rows[:batch])
            if not pending:
                return sent
            for row in pending:
                data = loads(row.payload)
                try:
                    app.send_task(row.name, args=data["args"], kwargs=data["kwargs"], task_id=row.task_id,
                                  **data["options"])
                except BROKER_ERRORS as exc:
                    PendingTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error=str(exc)[:2000])
                    logger.warning("Outbox relay stopped, the broker is still unavailable: %s", exc)
                    return sent
                row.delete()
                sent += 1
