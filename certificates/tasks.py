"""Celery tasks of the exam pipeline: thin, idempotent sweeps that select due ids through an index, in batches,
and call the service per row (which re-checks the state under its row lock)."""

import datetime as dt

from celery import shared_task
from django.db.models import QuerySet
from django.utils import timezone

from . import services
from .models import ExamPlan, PlanState

SWEEP_BATCH_SIZE = 200


def _due_ids(qs: QuerySet[ExamPlan], last_pk: int) -> list[int]:
    return list(qs.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH_SIZE])


def end_due_result_publicity(today: dt.date | None = None) -> int:
    """Plans whose result publicity is over go to the city's review (their notice is ended here if the core's sweep
    has not yet done it). A plan held by an open objection waits for the organization's answer."""
    today = today or timezone.localdate()
    due = ExamPlan.objects.filter(state=PlanState.IN_PUBLICITY, publicity_notice__ends_on__lt=today)
    moved, last_pk = 0, 0
    while ids := _due_ids(due, last_pk):
        for plan_id in ids:
            moved += services.end_result_publicity(plan_id, today=today)
        last_pk = ids[-1]
    return moved


def lapse_due_plans(today: dt.date | None = None) -> int:
    """Drafts (and plans sent back) whose first session is now inside the lead time can no longer be filed."""
    today = today or timezone.localdate()
    # No pack's lead time (at most 15 working days) spans a month of calendar days, even across the Golden Week;
    # the service decides on the real calendar.
    due = ExamPlan.objects.filter(state__in=[PlanState.DRAFT, PlanState.CHANGES_REQUESTED],
                                  first_session_on__lt=today + dt.timedelta(days=31))
    lapsed, last_pk = 0, 0
    while ids := _due_ids(due, last_pk):
        for plan_id in ids:
            lapsed += services.lapse_plan(plan_id, today=today)
        last_pk = ids[-1]
    return lapsed


@shared_task(name="certificates.end_result_publicity")
def end_result_publicity() -> int:
    return end_due_result_publicity()


@shared_task(name="certificates.lapse_exam_plans")
def lapse_exam_plans() -> int:
    return lapse_due_plans()


# --- certificate issuance: the pipeline render → notify (certificates.tasks_certificates) ---
from .tasks_certificates import notify_certificates_issued, render_certificate_pdfs  # noqa: E402, F401  (registered with the worker)
