"""Factories of the certificate tests: filings, approved exam plans with passed candidates, certificates.

Earlier stages (exam plans, results, publicity, reviews) are not the point here: a plan is created in the state where
issuing begins (approved by the province), and everything after goes through certificates.services.

    FilingFactory(province="sd")                    an active filing, filed first with the province (code 0000)
    FilingFactory(city_route=True)                  filed through its city (an application with route "city")
    approved_plan(filing, candidates=3, level=3)    an approved plan with 3 passed candidates of level 3
    issued(filing)                                  issue every issuable result of the filing: the batch
"""

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from stdnum.cn import ric

from certificates import services
from certificates.models import (
    Candidate,
    Certificate,
    ExamPlan,
    IdType,
    IssuanceBatch,
    PlanState,
)
from filings.models import Filing, Route
from portal.models import Institution, Membership, Occupation, Province, Role, User
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory, province_of
from tests.filings.factories import ApplicationFactory

WELDER = "6-18-02-04"  # 焊工, in the shipped reference data


def person_id(serial: int, *, region: str = "440106") -> str:
    """A resident ID number with a correct check character, unique per `serial` (born from 1980 on)."""
    day = dt.date(1980, 1, 1) + dt.timedelta(days=serial // 1000)
    body = f"{region}{day:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class FilingFactory(factory.django.DjangoModelFactory):
    """An active filing of an institution of the province's capital; by default filed first with the province."""

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    province = factory.Transformer("gd", transform=province_of)
    institution = factory.SubFactory(InstitutionFactory, province=factory.SelfAttribute("..province"))
    city = factory.LazyAttribute(lambda o: o.institution.city)
    application = None
    filing_number = factory.Sequence(lambda n: f"测技评备〔2026〕{n + 1}号")
    filed_on = factory.LazyFunction(timezone.localdate)
    valid_from = factory.LazyAttribute(lambda o: o.filed_on)
    valid_until = factory.LazyAttribute(lambda o: o.filed_on + dt.timedelta(days=3 * 365))
    organization_sequence = factory.Sequence(lambda n: f"{123 + n:06d}")
    published_at = factory.LazyFunction(timezone.now)
    reported_at = factory.LazyFunction(timezone.now)

    class Params:
        city_route = factory.Trait(
            application=factory.SubFactory(
                ApplicationFactory, province=factory.SelfAttribute("..province"),
                institution=factory.SelfAttribute("..institution"), submitted=True, route=Route.CITY,
            )
        )


def member_of(institution: Institution, **user_kwargs: Any) -> User:
    return MembershipFactory(province=institution.province, role=Role.INSTITUTION_MEMBER, institution=institution,
                             user=UserFactory(**user_kwargs)).user


def city_officer_of(filing: Filing) -> User:
    return MembershipFactory(province=filing.province, role=Role.CITY_OFFICER, city=filing.city).user


def provincial_officer(province: Province | str = "gd") -> User:
    return MembershipFactory(province=province, role=Role.PROVINCIAL_OFFICER).user


def the_member(filing: Filing) -> User:
    """The institution's user (made on first use)."""
    membership = Membership.objects.filter(institution=filing.institution, role=Role.INSTITUTION_MEMBER).first()
    return membership.user if membership else member_of(filing.institution)


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
    id_number = factory.LazyFunction(lambda: person_id(next(_serial)))
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
