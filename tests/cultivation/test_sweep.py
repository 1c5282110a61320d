"""The day-180 sweep and the reminders before it, with time moved forward (time-machine)."""

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filings import tasks
from filings.models import ApplicationState, Cultivation, CultivationReminder, CultivationState
from portal.models import AuditEvent, Notification, Province
from tests import factories as f
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # day 1; day 180 is 2026-08-28


def _at(day: dt.date, hour: int = 0, minute: int = 30) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _states(*cultivations: Cultivation) -> list[tuple[str, list[str]]]:
    result = []
    for c in cultivations:
        c.refresh_from_db()
        result.append((c.state, sorted(o.state for o in c.occupations.all())))
    return result


def test_day_181_eliminates_what_is_unfinished_and_leaves_the_rest_untouched() -> None:
    # given, on day 1: one organization with one of two occupations accepted, one with nothing done, one filed
    # with an occupation still in progress; and one that started a week later
    with time_machine.travel(START, tick=False):
        partly = f.cultivation(occupations=2)
        f.accept_occupation(partly.occupations.order_by("pk")[0])
        idle = f.cultivation(occupations=1)
        filed, _ = f.filed_cultivation(occupations=1)
    with time_machine.travel(START, tick=False):
        filed_more = f.cultivation(occupations=2)
        f.accept_occupation(filed_more.occupations.order_by("pk")[0])
        from filings import services

        services.file_cultivation(filed_more, acting_user=f.provincial_officer())
    with time_machine.travel(START + dt.timedelta(days=7), tick=False):
        later = f.cultivation(occupations=1)
    assert partly.ends_on == dt.date(2026, 8, 28)

    # when the sweep runs on day 180 (the last day, included), nothing happens
    with time_machine.travel(_at(dt.date(2026, 8, 28)), tick=False):
        assert tasks.sweep_cultivations() == {"ended": 0, "reminders": 1}  # `later`: 7 days before its end

    # when it runs on day 181
    events_before = AuditEvent.objects.count()
    with time_machine.travel(_at(dt.date(2026, 8, 29)), tick=False):
        result = tasks.sweep_cultivations()

    # then the unfinished occupation and the wholly unfinished organization are eliminated
    assert result["ended"] == 3
    assert _states(partly, idle, filed, filed_more, later) == [
        (CultivationState.ENDED, ["accepted", "eliminated"]),  # awaits the province's filing decision
        (CultivationState.ELIMINATED, ["eliminated"]),
        (CultivationState.COMPLETED, ["filed"]),  # settled before: untouched
        (CultivationState.COMPLETED, ["eliminated", "filed"]),
        (CultivationState.ACTIVE, ["in_progress"]),
    ]
    assert idle.application.state == ApplicationState.ELIMINATED
    assert partly.application.state == ApplicationState.CULTIVATING
    new_events = list(AuditEvent.objects.filter(pk__gt=0).order_by("pk").values_list("action", flat=True))[events_before:]
    assert sorted(new_events) == sorted([
        "cultivation_occupation_eliminated", "cultivation_ended",  # partly
        "cultivation_occupation_eliminated", "cultivation_eliminated", "application_eliminated",  # idle
        "cultivation_occupation_eliminated", "cultivation_completed",  # filed_more
    ])

    # and running it again changes nothing
    with time_machine.travel(_at(dt.date(2026, 8, 29), 14), tick=False):
        assert tasks.sweep_cultivations()["ended"] == 0
    assert AuditEvent.objects.count() == events_before + len(new_events)

    # the accepted occupation can still be filed after day 180
    from filings import services

    with time_machine.travel(_at(dt.date(2026, 9, 3), 10), tick=False):
        filing = services.file_cultivation(partly, acting_user=f.provincial_officer())
    partly.refresh_from_db()
    assert partly.state == CultivationState.COMPLETED
    assert filing.occupations.count() == 1


def test_a_cultivation_closes_for_tasks_after_its_last_day_even_before_the_sweep() -> None:
    with time_machine.travel(START, tick=False):
        cultivation = f.cultivation(occupations=1)
    from filings import services
    from filings.models import TaskKind
    from portal.errors import InvalidTransition

    with time_machine.travel(_at(dt.date(2026, 8, 29), 0, 5), tick=False), pytest.raises(InvalidTransition) as closed:
        services.submit_question_bank(f.task(cultivation.occupations.get(), TaskKind.QUESTION_BANK),
                                      acting_user=f.the_member(cultivation.institution), items=f.pdf_upload())
    assert closed.value.code == "cultivation_not_active"


def test_reminders_go_out_30_7_and_1_days_before_the_end_once_each(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with time_machine.travel(START, tick=False):
        cultivation = f.cultivation(occupations=1)
    member = f.the_member(cultivation.institution)
    end = cultivation.ends_on

    for days_before in (45, 30, 30, 20, 7, 6, 1, 1):
        with time_machine.travel(_at(end - dt.timedelta(days=days_before)), tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            tasks.sweep_cultivations()

    assert sorted(CultivationReminder.objects.filter(cultivation=cultivation).values_list("days_before", flat=True)) == [
        1, 7, 30]
    titles = list(Notification.objects.filter(recipient=member, title__contains="距最后一天").order_by("pk")
                  .values_list("title", flat=True))
    assert titles == [
        "培育辅导期将于2026-08-28结束，距最后一天还有30天",
        "培育辅导期将于2026-08-28结束，距最后一天还有7天",
        "培育辅导期将于2026-08-28结束，距最后一天还有1天",
    ]


def test_a_missed_day_catches_up_with_the_reminder_that_is_due() -> None:
    with time_machine.travel(START, tick=False):
        cultivation = f.cultivation(occupations=1)
    with time_machine.travel(_at(cultivation.ends_on - dt.timedelta(days=5)), tick=False):
        assert tasks.sweep_cultivations()["reminders"] == 1
    assert list(CultivationReminder.objects.values_list("days_before", flat=True)) == [7]


def _filler(province: Province, count: int, today: dt.date) -> None:
    """`count` cultivations that are not due today: active ones ending later, settled ones that ended before.

    One INSERT … SELECT over a recursive counter (SQLite and PostgreSQL alike): the rows are written by the
    database in about a second, where building 100,000 model instances for bulk_create takes most of a minute.
    """
    institution = InstitutionFactory(province=province)
    ops = connection.ops
    past = [ops.adapt_datefield_value(today - dt.timedelta(days=d)) for d in (1, 30, 400)]
    future = [ops.adapt_datefield_value(today + dt.timedelta(days=d)) for d in (45, 90, 170)]  # no reminder due
    started = ops.adapt_datefield_value(today - dt.timedelta(days=600))
    now = ops.adapt_datetimefield_value(timezone.now())
    sql = """
        WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)
        INSERT INTO filings_cultivation (province_id, institution_id, city_id, state, started_on, ends_on,
            commitment_text, commitment_signer_name, commitment_signer_title, commitment_pdf, created_at)
        SELECT %s, %s, %s,
            CASE n %% 6 WHEN 0 THEN 'eliminated' WHEN 2 THEN 'completed' WHEN 4 THEN 'ended' ELSE 'active' END,
            %s,
            CASE n %% 6 WHEN 0 THEN %s WHEN 2 THEN %s WHEN 4 THEN %s WHEN 1 THEN %s WHEN 3 THEN %s ELSE %s END,
            '', '', '', '', %s
        FROM seq
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, province.pk, institution.pk, institution.city_id, started, *past, *future, now])


def _uses_due_index(sql: str, params: Any) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        else:
            cursor.execute("ANALYZE filings_cultivation")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
    return "cultivation_due" in plan


def test_a_sweep_over_100000_cultivations_of_which_10_are_due_touches_only_those_10() -> None:
    started = time.monotonic()
    with time_machine.travel(START, tick=False):
        due = [f.cultivation(occupations=1) for _ in range(10)]
    day_181 = due[0].ends_on + dt.timedelta(days=1)
    _filler(due[0].province, 100_000 - len(due), day_181)
    assert Cultivation.objects.count() == 100_000
    untouched_before = dict(Cultivation.objects.exclude(pk__in=[c.pk for c in due]).values_list("state")
                            .annotate(n=Count("pk")).order_by())
    events_before = AuditEvent.objects.count()

    with time_machine.travel(_at(day_181), tick=False), CaptureQueriesContext(connection) as queries:
        result = tasks.sweep_cultivations()

    # then exactly the 10 due ones changed: each eliminated with its occupation and its application
    assert result["ended"] == 10
    assert Cultivation.objects.filter(pk__in=[c.pk for c in due], state=CultivationState.ELIMINATED).count() == 10
    assert AuditEvent.objects.count() - events_before == 10 * 3
    assert dict(Cultivation.objects.exclude(pk__in=[c.pk for c in due]).values_list("state")
                .annotate(n=Count("pk")).order_by()) == untouched_before
    # no query per row of the table: a fixed cost per due row plus a few selects through the due index (each of a
    # row's three audit events is three statements: the chain head under its lock, the insert, the head's move)
    per_due_row = 22
    assert len(queries) <= 10 * per_due_row + 10, f"{len(queries)} queries"
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "filings_cultivation"')]
    assert len(updates) == 10
    selects = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('SELECT "filings_cultivation"."id"') and '"filings_cultivation"."ends_on" <' in q["sql"]]
    assert selects, "the sweep selects due ids first"
    due_ids = Cultivation.objects.due_for_sweep(day_181).values_list("pk", flat=True)
    sql, params = due_ids.query.sql_with_params()
    assert _uses_due_index(sql, params)
    assert time.monotonic() - started < 60
