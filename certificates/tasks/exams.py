"""Celery beat sweeps of the exam pipeline: the due plans' ids come through an index in keyset batches
(portal.sweeps), and the service re-checks each plan under its row lock and says whether it acted."""

import datetime as dt
import functools

from celery import shared_task
from django.utils import timezone

from portal.sweeps import sweep

from .. import services
from ..models import ExamPlan, PlanState


def end_due_result_publicity(today: dt.date | None = None) -> int:
    """Plans whose result publicity is over go to the city's review (their notice is ended here if the core's sweep
    has not yet done it). A plan held by an open objection waits for the organization's answer."""
    today = today or timezone.localdate()
    due = ExamPlan.objects.filter(state=PlanState.IN_PUBLICITY, publicity_notice__ends_on__lt=today)
    return sweep(due, functools.partial(services.end_result_publicity, today=today)).acted


def lapse_due_plans(today: dt.date | None = None) -> int:
    """Drafts (and plans sent back) whose first session is now inside the lead time can no longer be filed."""
    today = today or timezone.localdate()
    # No pack's lead time (at most 15 working days) spans a month of calendar days, even across the Golden Week;
    # the service decides on the real calendar.
    due = ExamPlan.objects.filter(state__in=[PlanState.DRAFT, PlanState.CHANGES_REQUESTED],
                                  first_session_on__lt=today + dt.timedelta(days=31))
    return sweep(due, functools.partial(services.lapse_plan, today=today)).acted


@shared_task(name="certificates.end_result_publicity")
def end_result_publicity() -> int:
    return end_due_result_publicity()


@shared_task(name="certificates.lapse_exam_plans")
def lapse_exam_plans() -> int:
    return lapse_due_plans()
