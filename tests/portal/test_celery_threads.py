"""Eager Celery tasks in two threads at once: one thread's running task does not forbid the other's result.get()."""

import threading

import pytest
from celery import chain

from portal.celery import app

task_started = threading.Event()
release_task = threading.Event()


@app.task(name="tests.portal.wait_for_release")
def wait_for_release() -> str:
    task_started.set()
    release_task.wait(10)
    return "released"


@app.task(name="tests.portal.add_one")
def add_one(value: int) -> int:
    return value + 1


def test_a_result_is_joined_while_another_thread_runs_an_eager_task() -> None:
    # given a thread blocked inside an eager task (Celery denies joins while an eager task runs)
    task_started.clear()
    release_task.clear()
    outcome: dict[str, object] = {}
    other = threading.Thread(target=lambda: outcome.update(blocked=wait_for_release.delay().get()))
    other.start()
    assert task_started.wait(10)
    try:
        # when this thread runs an eager chain (which joins its first step's result) and joins its own result
        chained = chain(add_one.si(1), add_one.s()).apply_async()
        single = add_one.delay(41)
        # then neither join is refused
        assert chained.get() == 3
        assert single.get() == 42
    finally:
        release_task.set()
        other.join(10)
    assert outcome == {"blocked": "released"}


def test_a_join_inside_an_eager_task_is_still_refused() -> None:
    # given an eager task that waits for another task's result, as a worker's task must not
    @app.task(name="tests.portal.joins_inside")
    def joins_inside() -> int:
        return int(add_one.delay(1).get())

    # when it is queued (eager), then Celery's guard still refuses the join, in this thread
    with pytest.raises(RuntimeError, match=r"Never call result.get\(\) within a task"):
        joins_inside.delay()
