"""Helpers for supervision: plans with given results, trainee answers and feedback on issued certificates; clean
plans (venues, sessions, distinct scores and phones) for the fraud flags."""

import datetime as dt
from decimal import Decimal
from typing import Any

from certificates.models import Certificate, ExamPlan, ExamSession, ExamVenue, SessionKind
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


_scores = iter(range(10**6))


def venue_of(plan: ExamPlan, name: str = "一号考点") -> ExamVenue:
    return ExamVenue.objects.create(province=plan.province, institution=plan.institution, city=plan.city, name=name,
                                    address=f"{name}路1号")


def session_of(plan: ExamPlan, venue: ExamVenue, *, kind: str = SessionKind.THEORY, start: int = 9, end: int = 11,
               capacity: int = 30, on: dt.date | None = None) -> ExamSession:
    return ExamSession.objects.create(plan=plan, kind=kind, date=on or plan.first_session_on, start_time=dt.time(start),
                                      end_time=dt.time(end), venue=venue, room="101", capacity=capacity, levels=[3])


def clean_plan(filing: Filing | None = None, *, candidates: int = 6, passed: int = 4, start: int = 9,
               **plan_kwargs: Any) -> ExamPlan:
    """A plan with nothing suspicious: distinct scores and phones, sessions with room for everyone at its venue."""
    plan = ExamPlanFactory(filing=filing or FilingFactory(), **plan_kwargs)
    venue = venue_of(plan)
    session_of(plan, venue, start=start, end=start + 2)
    session_of(plan, venue, kind=SessionKind.PRACTICAL, start=start + 4, end=start + 6)
    for i in range(candidates):
        n = next(_scores)
        ok = i < passed
        CandidateFactory(plan=plan, theory_score=Decimal(60 + n % 40) + Decimal("0.5") * (n % 2) if ok else 40 + n % 19,
                         practical_score=Decimal(61 + n * 7 % 38), passed=ok)
    return plan
