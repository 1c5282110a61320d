"""Factories for certificates: approved exam plans with passed candidates, issued batches and certificates.

Earlier stages (exam plans, results, publicity, reviews) are not the point here: a plan is created in the state where
issuing begins (approved by the province), and everything after goes through certificates.services.

    approved_plan(filing, candidates=3, level=3)    an approved plan with 3 passed candidates of level 3
    issued(filing)                                  issue every issuable result of the filing: the batch
"""

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from certificates import services
from certificates.models import (
    Candidate,
    Certificate,
    ExamPlan,
    IdType,
    IssuanceBatch,
    PlanState,
)
from filings.models import Filing
from portal.models import Occupation, Province
from tests.factories.cultivation import FilingFactory
from tests.factories.portal import UserFactory, id_number, province_of, the_member

WELDER = "6-18-02-04"  # 焊工, in the shipped reference data


def _candidate_id(serial: int) -> str:
    """A Guangzhou resident ID number, unique per `serial` (born from 1980 on)."""
    day = dt.date(1980, 1, 1) + dt.timedelta(days=serial // 1000)
    return id_number("440106", f"{day:%Y%m%d}", serial % 1000)


class ExamPlanFactory(factory.django.DjangoModelFactory):
    """An exam plan approved by the province (results reviewed): where issuing begins."""

    class Meta:
        model = ExamPlan

    filing = factory.SubFactory(FilingFactory)
    province = factory.LazyAttribute(lambda o: o.filing.province)
    institution = factory.LazyAttribute(lambda o: o.filing.institution)
    city = factory.LazyAttribute(lambda o: o.filing.city)
    title = factory.Sequence(lambda n: f"测试考核计划{n}")
    occupation = factory.LazyFunction(lambda: Occupation.objects.get(code=WELDER))
    work_type = None
    levels = factory.LazyFunction(lambda: [3])
    state = PlanState.APPROVED
    first_session_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    last_session_on = factory.LazyAttribute(lambda o: o.first_session_on)
    province_approved_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)


_serial = iter(range(1, 10**9))


class CandidateFactory(factory.django.DjangoModelFactory):
    """A candidate who passed."""

    class Meta:
        model = Candidate

    plan = factory.SubFactory(ExamPlanFactory)
    line = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"张{'伟芳娜敏静丽强磊军洋'[n % 10]}{'一二三四五六七八九十'[n // 10 % 10]}")
    id_type = IdType.RESIDENT_ID
    id_number = factory.LazyFunction(lambda: _candidate_id(next(_serial)))
    gender = "M"
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    level = factory.LazyAttribute(lambda o: o.plan.levels[0])
    theory_score = 85
    practical_score = 78
    passed = True


def approved_plan(filing: Filing | None = None, *, candidates: int = 3, level: int = 3, **plan_kwargs: Any) -> ExamPlan:
    plan = ExamPlanFactory(filing=filing or FilingFactory(), levels=[level], **plan_kwargs)
    for _ in range(candidates):
        CandidateFactory(plan=plan, level=level)
    return plan


def issued(filing: Filing, *, plan: ExamPlan | None = None) -> IssuanceBatch:
    return services.issue_certificates(filing, acting_user=the_member(filing), plan=plan)


def a_certificate(province: Province | str = "gd", **candidate_kwargs: Any) -> Certificate:
    """One issued certificate of a new organization of the province (its PDF rendered when tasks run eagerly)."""
    filing = FilingFactory(province=province_of(province))
    plan = approved_plan(filing, candidates=0)
    CandidateFactory(plan=plan, level=3, **candidate_kwargs)
    batch = issued(filing, plan=plan)
    return Certificate.objects.get(batch=batch)
