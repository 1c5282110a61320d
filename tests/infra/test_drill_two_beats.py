"""Fault drill: two beat schedulers running at once (a second `celery beat` started by mistake, or left behind by a
deployment), each sending every entry of the production schedule every 2 seconds to three workers.

Each due row is acted on once however many sweeps run and however they overlap: the sweeps select due ids as a hint
and each service re-checks the row under `select_for_update` (portal.sweeps). The overlap is made certain, not left
to timing: the drill holds the lock of the first due notice and of the first due cultivation, and lets each go only
when two sweeps wait on it, so two copies of each sweep walk the same rows at the same moment. Counted per row: one
`publicity_period_ended` event per due notice, one `cultivation_eliminated` event per cultivation past its last day,
one reminder notification per cultivation a week from its end; and the acted counts the sweep tasks returned, summed
over every run on every worker, equal the due rows.
"""

import ast
import datetime as dt
import re
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from filings.models import Cultivation, CultivationState
from portal.models import AuditEvent, NoticeState, Notification, PublicityNotice
from tests.factories import CultivationFactory, PublicityNoticeFactory, the_member
from tests.infra.processes import Redis, celery_beat, celery_worker, ready, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("reference_data")]
NOTICES, ENDING, REMINDED = 30, 15, 15
SENT = re.compile(r"Sending due task (\S+)")
SUCCEEDED = re.compile(r"Task (\S+)\[[^\]]+\] succeeded in [\d.e-]+s: (.+)$", re.MULTILINE)


def _runs(logs: list[Path]) -> dict[str, list[object]]:
    """What each task returned, every run on every worker."""
    runs: dict[str, list[object]] = {}
    for log in logs:
        for name, value in SUCCEEDED.findall(log.read_text(errors="replace")):
            runs.setdefault(name, []).append(ast.literal_eval(value))
    return runs


def _sent(log: Path) -> Counter[str]:
    return Counter(SENT.findall(log.read_text(errors="replace")))


class RowLock:
    """A row held FOR UPDATE by a session of its own, until `release`."""

    def __init__(self, table: str, pk: int) -> None:
        db = connection.settings_dict
        self.table = table
        self.session = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                                        dbname=db["NAME"])
        self.session.cursor().execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
        self.held = True

    def waiters(self) -> int:
        """Sessions of the sweeps waiting for a row lock of the table (the held row is the first they lock); the
        query text shown is cut at 1 kB, so it is known by its start."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock' AND query LIKE %s", [f'SELECT "{self.table}"."id"%'])
            return int(cursor.fetchone()[0])

    def release(self) -> None:
        self.session.rollback()
        self.session.close()
        self.held = False


def _sessions() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state, wait_event_type, wait_event, left(query, 160) FROM pg_stat_activity "
                       "WHERE datname = current_database()")
        return "\n".join(map(str, cursor.fetchall()))


def _due_rows() -> tuple[list[int], list[int], list[int]]:
    today = timezone.localdate()
    notices = [PublicityNoticeFactory(kind="selection", province="gd", ends_on=today - dt.timedelta(days=1)).pk
               for _ in range(NOTICES)]
    ending = [CultivationFactory(province="gd", ends_on=today - dt.timedelta(days=1)) for _ in range(ENDING)]
    reminded = [CultivationFactory(province="gd", ends_on=today + dt.timedelta(days=5)) for _ in range(REMINDED)]
    for cultivation in ending + reminded:
        the_member(cultivation.institution)
    return notices, [c.pk for c in ending], [c.pk for c in reminded]


def test_two_beats_at_once_act_once_on_each_due_row(redis: Redis, tmp_path: Path) -> None:
    notices, ending, _ = _due_rows()
    extra = {"DRILL_BEAT_EVERY": "2"}
    workers = [tmp_path / f"worker-{i}.log" for i in range(3)]
    beats = [tmp_path / "beat-a.log", tmp_path / "beat-b.log"]

    def done() -> bool:
        open_left = PublicityNotice.objects.filter(pk__in=notices, state=NoticeState.OPEN).exists()
        active_left = Cultivation.objects.filter(pk__in=ending, state=CultivationState.ACTIVE).exists()
        told = Notification.objects.filter(title__contains="距最后一天还有").count()
        rounds = min(_sent(beat)["portal.end_due_publicity"] for beat in beats)
        return not open_left and not active_left and told >= REMINDED and rounds >= 2

    def let_two_in(locks: list[RowLock]) -> bool:
        for lock in locks:
            if lock.held and lock.waiters() >= 2:
                contended.append(lock.table)
                lock.release()
        return not any(lock.held for lock in locks)

    contended: list[str] = []
    with ExitStack() as stack:
        locks = [RowLock("portal_publicitynotice", notices[0]), RowLock("filings_cultivation", ending[0])]
        stack.callback(lambda: [lock.release() for lock in locks if lock.held])  # before the workers stop
        for i, log in enumerate(workers):  # all started at once, then waited for
            stack.enter_context(celery_worker(redis, log, name=f"w{i}", extra=extra, wait=False))
        for log in beats:
            stack.enter_context(celery_beat(redis, log, extra=extra, wait=False))
        wait_for(lambda: all(ready(log) for log in workers) and all(ready(log, "beat") for log in beats),
                 "the workers and beats to start", 90)
        stack.callback(lambda: [lock.release() for lock in locks if lock.held])
        try:
            wait_for(lambda: let_two_in(locks), "two sweeps to wait on each held row", 60)
        except AssertionError as timed_out:
            raise AssertionError(_sessions()) from timed_out
        wait_for(done, "both beats' sweeps to end the due rows and run two rounds", 60)
    assert sorted(contended) == ["filings_cultivation", "portal_publicitynotice"]

    def per_row(action: str, ids: list[int]) -> Counter[int]:
        events = AuditEvent.objects.filter(action=action, object_id__in=[str(i) for i in ids])
        return Counter(int(i) for i in events.values_list("object_id", flat=True))

    assert per_row("publicity_period_ended", notices) == Counter(notices)
    assert per_row("cultivation_eliminated", ending) == Counter(ending)
    reminders = (Notification.objects.filter(title__contains="距最后一天还有").values("recipient")
                 .annotate(n=Count("pk")).values_list("n", flat=True))
    assert sorted(reminders) == [1] * REMINDED
    runs = _runs(workers)
    assert sum(runs["portal.end_due_publicity"]) == NOTICES, runs
    assert sum(r["ended"] for r in runs["filings.sweep_cultivations"]) == ENDING, runs
    assert sum(r["reminders"] for r in runs["filings.sweep_cultivations"]) == REMINDED, runs
    # both schedulers sent every sweep, and every worker ran sweeps
    for beat in beats:
        assert {"portal.end_due_publicity", "filings.sweep_cultivations"} <= set(_sent(beat)), beat.read_text()[-2000:]
    assert all("succeeded" in log.read_text() for log in workers)
