"""The exam demo step: a filed plan for the Shandong demo filing, once."""

import pytest
import time_machine

from certificates.demo_data import load_exam_plan
from certificates.models import ExamPlan, PlanState
from tests.factories import NOW, shandong_filing, the_member

pytestmark = pytest.mark.django_db


def test_the_demo_files_a_plan_for_the_shandong_filing_once() -> None:
    with time_machine.travel(NOW, tick=False):
        filing = shandong_filing()
        the_member(filing.institution)  # the demo organization's account

        load_exam_plan()
        load_exam_plan()

    plan = ExamPlan.objects.get(filing=filing)
    assert plan.state == PlanState.FILED
    assert plan.candidates.count() == 20
    assert plan.first_session_on is not None and plan.first_session_on.isoformat() == "2026-10-13"


def test_without_a_shandong_filing_the_demo_makes_nothing() -> None:
    load_exam_plan()

    assert not ExamPlan.objects.exists()
