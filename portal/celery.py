"""The Celery application; tasks live in each app's tasks.py and are found by autodiscovery.

Celery keeps "may this code wait for a task's result" as one process-wide flag (`celery._state._task_join_will_block`),
which `denied_join_result()` sets while an eager task runs and `allow_join_result()` clears around an eager chain.
With eager tasks in threads (the embedded `make run` serves on a threaded server; the tests issue from threads), one
thread's eager task flips the flag under another thread's eager chain, whose `EagerResult.get()` then raises "Never
call result.get() within a task!". `thread_local_join_flag()` makes those two context managers set a per-thread value,
over the process-wide one that a worker sets at start (prefork children: joins would block; gevent: they would not).
"""

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from celery import Celery, _state, canvas, result
from celery.app import task as app_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

_join = threading.local()


def task_join_will_block() -> bool:
    """This thread's flag while it is inside an eager task or chain, else the process-wide one."""
    blocks: bool | None = getattr(_join, "blocks", None)
    return _state.task_join_will_block() if blocks is None else blocks


@contextmanager
def _join_blocks(blocks: bool) -> Iterator[None]:
    previous = getattr(_join, "blocks", None)
    _join.blocks = blocks
    try:
        yield
    finally:
        _join.blocks = previous


def allow_join_result() -> AbstractContextManager[None]:
    return _join_blocks(False)


def denied_join_result() -> AbstractContextManager[None]:
    return _join_blocks(True)


def thread_local_join_flag() -> None:
    """Point Celery's join guards at the per-thread flag (idempotent; the modules bound the names at import)."""
    setattr(result, "task_join_will_block", task_join_will_block)  # noqa: B010 - patching a module's global
    for module in (result, canvas, app_task):
        if hasattr(module, "allow_join_result"):
            setattr(module, "allow_join_result", allow_join_result)  # noqa: B010
        if hasattr(module, "denied_join_result"):
            setattr(module, "denied_join_result", denied_join_result)  # noqa: B010


thread_local_join_flag()

# Every task publishes through the outbox: kept in the database when the broker is away, relayed when it is back.
app = Celery("portal", task_cls="portal.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
