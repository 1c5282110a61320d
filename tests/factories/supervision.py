"""Helpers for supervision: plans with given results, trainee answers and feedback on issued certificates."""

import datetime as dt
from typing import Any

from certificates.models import Certificate, ExamPlan
from filings.models import Filing
from supervision import services
from supervision.models import TraineeFeedback
from tests.factories.certificates import CandidateFactory, ExamPlanFactory, issued
from tests.factories.cultivation import FilingFactory


def plan_with_results(filing: Filing | None = None, *, on: dt.date, passed: int, failed: int = 0, absent: int = 0,
                      **plan_kwargs: Any) -> ExamPlan:
    """An approved plan whose last exam day is `on`, with this many passed, failed and absent candidates."""
    plan = ExamPlanFactory(filing=filing or FilingFactory(), first_session_on=on, last_session_on=on, **plan_kwargs)
    CandidateFactory.create_batch(passed, plan=plan)
    CandidateFactory.create_batch(failed, plan=plan, theory_score=40, practical_score=50, passed=False)
    CandidateFactory.create_batch(absent, plan=plan, theory_score=None, practical_score=None, theory_absent=True,
                                  practical_absent=True, passed=False)
    return plan


def certificates_of(plan: ExamPlan) -> list[Certificate]:
    """Issue the plan's passed results and return the certificates, in number order."""
    batch = issued(plan.filing, plan=plan)
    return list(Certificate.objects.filter(batch=batch).order_by("number"))


def answers(**overrides: Any) -> services.TraineeAnswers:
    values: dict[str, Any] = {"employment_status": "employed", "training_satisfaction": 4,
                              "evaluation_satisfaction": 5, "job_matches": True, "wage_band": 2}
    values.update(overrides)
    return services.TraineeAnswers(**values)


def feedback_on(certificate: Certificate, **overrides: Any) -> TraineeFeedback:
    return services.submit_trainee_feedback(certificate, answers(**overrides))
