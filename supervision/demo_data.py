"""Demo data of supervision: a year of exam results, certificates, trainee and employer feedback and declarations
for the Shandong demo organizations (four more are filed here), then one indicator sweep — so that `make run` shows
indicators with real denominators and intervals. Rows are written as history would have left them (the plans
approved, the certificates backdated to their quarter), which only demo data may do."""

import datetime as dt
import logging
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from certificates import services as certificate_services
from certificates.models import Candidate, Certificate, ExamPlan, IssuanceBatch, PlanState
from filings.models import Filing, FilingOccupation, FilingStatus
from portal import demo
from portal.errors import DomainError
from portal.models import City, Institution, InstitutionLevel, Membership, Occupation, Province, Role, User

from . import services
from .models import EmploymentStatus, IndicatorRun
from .periods import Period, period_of, recent_periods

logger = logging.getLogger(__name__)

OCCUPATIONS = ("6-31-01-03", "4-12-01-01")  # 电工, 汽车维修工 (the Shandong demo filing's scope)
# (number of the sd-org-N account, name, city code, pass probability, feedback share) — varied on purpose.
ORGANIZATIONS = [
    (3, "济南泉城职业技能评价中心（演示）", "3701", 0.93, 0.7),
    (4, "青岛港湾技能培训学校（演示）", "3702", 0.82, 0.5),
    (5, "历城区鲁匠职业培训学校（演示）", "3701", 0.68, 0.4),
    (6, "黄岛新区蓝海技工学校（演示）", "3702", 0.55, 0.25),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def _id(serial: int) -> str:
    day = dt.date(1985, 1, 1) + dt.timedelta(days=serial % 9000)
    body = f"370102{day:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _credit_code(number: int) -> str:
    body = f"91370100MA{number:04d}DEM".replace("I", "1").replace("O", "0").replace("S", "5")
    body = body.replace("V", "W").replace("Z", "2")[:17]
    return body + uscc.calc_check_digit(body)


def _member(username: str, name: str, institution: Institution) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": name})
    if created:
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, province=institution.province, role=Role.INSTITUTION_MEMBER,
                                     institution=institution)
    return user


def _demo_filings(province: Province) -> list[Filing]:
    """The province's demo filing plus four more organizations, each filed for the two demo occupations."""
    filings = list(Filing.objects.filter(province=province, status=FilingStatus.ACTIVE).order_by("pk")[:1])
    occupations = list(Occupation.objects.filter(code__in=OCCUPATIONS).order_by("code"))
    today = timezone.localdate()
    for number, name, city_code, _p, _f in ORGANIZATIONS:
        city = City.objects.get(code=city_code)
        institution, _ = Institution.objects.get_or_create(
            province=province, credit_code=_credit_code(number), defaults={
                "city": city, "name": name, "category": "private_training", "nature": "private_non_enterprise",
                "level": InstitutionLevel.CITY, "address": f"{city.name}示范路{number}号",
                "legal_representative": "张明", "registered_capital": Decimal("500.00"), "contact_person": "李华",
                "contact_phone": "0531-12345678"})
        _member(f"sd-org-{number}", name, institution)
        filing = Filing.objects.filter(institution=institution).first() or Filing.objects.create(
            province=province, institution=institution, city=city, filing_number=f"鲁人社技评备〔演示〕{number}号",
            filed_on=today - dt.timedelta(days=400), valid_from=today - dt.timedelta(days=400),
            valid_until=today + dt.timedelta(days=700), organization_sequence=f"{900 + number:06d}",
            published_at=timezone.now(), reported_at=timezone.now())
        for occupation in occupations[number % 2:][:1]:  # one occupation each, alternating: fewer PDFs to render
            FilingOccupation.objects.get_or_create(filing=filing, occupation=occupation, work_type=None, defaults={
                "levels": [5, 4], "added_on": filing.filed_on, "valid_until": filing.valid_until})
        filings.append(filing)
    return filings


def _filed(filing: Filing) -> list[Occupation]:
    return list(Occupation.objects.filter(code__in=OCCUPATIONS, pk__in=filing.occupations.values("occupation_id"))
                .order_by("code"))


def _plan(filing: Filing, occupation: Occupation, day: dt.date, rng: random.Random, pass_p: float,
          user: User) -> ExamPlan:
    plan = ExamPlan.objects.create(
        province=filing.province, institution=filing.institution, filing=filing, city=filing.city,
        title=f"{occupation.name}考核 {day:%Y-%m}（演示）", occupation=occupation, levels=[4],
        state=PlanState.APPROVED, version=1, first_session_on=day, last_session_on=day, filed_at=timezone.now(),
        province_approved_at=timezone.now(), created_by=user)
    for line in range(1, rng.randint(10, 16) + 1):
        serial = plan.pk * 100 + line
        absent = rng.random() < 0.06
        passed = not absent and rng.random() < pass_p
        theory = None if absent else Decimal(rng.randint(72, 98) if passed else rng.randint(35, 59))
        Candidate.objects.create(
            plan=plan, line=line, name=SURNAMES[serial % 20] + GIVEN[serial // 20 % 20] + GIVEN[serial % 7],
            id_number=_id(serial), gender="M" if line % 2 else "F", phone=f"139{serial % 10**8:08d}", level=4,
            theory_score=theory, theory_absent=absent,
            practical_score=None if absent else Decimal(rng.randint(70, 95) if passed else rng.randint(40, 59)),
            practical_absent=absent, passed=passed)
    return plan


def _certify(plan: ExamPlan, user: User, day: dt.date) -> list[Certificate]:
    try:
        batch = certificate_services.issue_certificates(plan.filing, acting_user=user, plan=plan)
    except DomainError:
        return []
    issued_on = min(day + dt.timedelta(days=21), timezone.localdate())
    IssuanceBatch.objects.filter(pk=batch.pk).update(issued_on=issued_on)
    Certificate.objects.filter(batch=batch).update(issued_on=issued_on)
    return list(Certificate.objects.filter(batch=batch).order_by("number"))


def _feedback(certificates: list[Certificate], rng: random.Random, share: float, quality: float) -> None:
    for certificate in certificates:
        if rng.random() < share:
            employed = rng.random() < 0.55 + 0.4 * quality
            services.submit_trainee_feedback(certificate, services.TraineeAnswers(
                employment_status=EmploymentStatus.EMPLOYED if employed else rng.choice(
                    [EmploymentStatus.UNEMPLOYED, EmploymentStatus.STUDYING]),
                job_matches=(rng.random() < 0.4 + 0.5 * quality) if employed else None,
                wage_band=rng.choice([2, 2, 3, 3, 3, 4, 5] if quality > 0.8 else [1, 2, 2, 3]) if employed else None,
                training_satisfaction=max(1, min(5, round(rng.gauss(2 + 3 * quality, 0.8)))),
                evaluation_satisfaction=max(1, min(5, round(rng.gauss(2.2 + 2.8 * quality, 0.7)))),
                comment=rng.choice(["", "", "实操设备充足", "考核组织规范", "希望增加实操课时"])))
        if rng.random() < share / 3:
            number = 1000 + certificate.pk % 50
            services.submit_employer_feedback(certificate, services.Employer(
                f"山东演示制造有限公司{number % 7 + 1}号厂", _credit_code(number % 7 + 100), "人事部王经理",
                "0531-88886666"), skill_match=max(1, min(5, round(rng.gauss(2 + 3 * quality, 0.7)))),
                would_hire_again=rng.random() < 0.4 + 0.55 * quality)


def _declarations(filing: Filing, user: User, periods: list[Period], rng: random.Random) -> None:
    for occupation in _filed(filing):
        for period in [*periods, period_of(periods[0].start, "year")]:
            services.declare_enrolment(filing.institution, acting_user=user, occupation=occupation,
                                       period=period.key, enrolled=rng.randint(20, 60) * (4 if period.kind == "year" else 1))
        for price, start in ((Decimal("2400"), periods[-1].start), (Decimal("2600"), periods[0].start)):
            services.declare_course_price(filing.institution, acting_user=user, occupation=occupation, level=4,
                                          price=price + rng.randint(0, 8) * 50, hours=rng.choice([80, 96, 120]),
                                          effective_from=start)


@demo.register(60, "supervision: a year of results, certificates, feedback, declarations and indicators")
def load_supervision_history() -> None:
    province = Province.objects.filter(slug="sd").first()
    if not settings.SUPERVISION_DEMO_HISTORY or province is None or IndicatorRun.objects.exists():
        return  # idempotency: loaded once (and never in the test settings: rendering its PDFs takes half a minute)
    today = timezone.localdate()
    quarters = recent_periods("quarter", today=today, count=4)
    rng = random.Random(2026)  # noqa: S311 - reproducible demo figures, nothing secret
    with transaction.atomic():
        filings = _demo_filings(province)
    for index, filing in enumerate(filings):
        pass_p, share = (0.88, 0.6) if index == 0 else ORGANIZATIONS[index - 1][3:5]
        user = Membership.objects.filter(institution=filing.institution, role=Role.INSTITUTION_MEMBER).first()
        if user is None:
            continue
        for occupation in _filed(filing):
            for quarter in quarters:
                day = min(quarter.start + dt.timedelta(days=rng.randint(10, 50)), today - dt.timedelta(days=1))
                plan = _plan(filing, occupation, day, rng, pass_p, user.user)
                _feedback(_certify(plan, user.user, day), rng, share, pass_p)
        _declarations(filing, user.user, quarters, rng)
    run = services.refresh_indicators()
    logger.info("Supervision demo: %d indicator cells computed", run.cells)
