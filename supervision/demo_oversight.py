"""Demo data of rankings and fraud flags: after the supervision history (demo_data.py), one planted suspicious plan
(identical score vectors, one shared mobile number), the flag sweep, and rankings per occupation group — the year
published as a ranking notice, the latest quarter as a draft — so that the dashboards, the ranking pages and the
catalog show real bands in `make run`."""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from certificates.models import Candidate, ExamPlan, ExamSession, ExamVenue, PlanState, SessionKind
from filings.models import Filing, FilingStatus
from portal import demo
from portal.errors import DomainError
from portal.models import Province, Role
from portal.roles import users_with_role

from . import services
from .models import IndicatorCell, IndicatorRun, Ranking
from .periods import period_of

logger = logging.getLogger(__name__)
PLANTED = "（演示：成绩雷同）"


def _id(line: int) -> str:
    body = f"37010219900101{line + 500:03d}"
    return body + ric.calc_check_digit(body + "0")


def _plant_suspicious_plan(filing: Filing) -> None:
    """Five candidates with one score vector and one mobile number, in a session at the organization's venue."""
    occupation = filing.occupations.select_related("occupation").first()
    if occupation is None or ExamPlan.objects.filter(title__endswith=PLANTED).exists():
        return
    day = timezone.localdate().replace(day=1)
    plan = ExamPlan.objects.create(
        province=filing.province, institution=filing.institution, filing=filing, city=filing.city,
        title=f"{occupation.occupation.name}考核{PLANTED}", occupation=occupation.occupation, levels=[4],
        state=PlanState.RESULTS_ENTRY, version=1, first_session_on=day, last_session_on=day,
        filed_at=timezone.now(), created_by=users_with_role(filing.province, Role.PROVINCIAL_OFFICER)[0])
    venue, _ = ExamVenue.objects.get_or_create(
        province=filing.province, institution=filing.institution, name="演示考点",
        defaults={"city": filing.city, "address": "演示路1号"})
    ExamSession.objects.create(plan=plan, kind=SessionKind.THEORY, date=day, start_time=dt.time(9),
                               end_time=dt.time(11), venue=venue, room="201", capacity=30, levels=[4])
    for line in range(1, 6):
        Candidate.objects.create(
            plan=plan, line=line, name=f"赵演示{line}", id_number=_id(line), gender="M", phone="13900001111", level=4, theory_score=Decimal("86.0"),
            practical_score=Decimal("91.0"), passed=True)


def _rank(province: Province) -> None:
    officer = users_with_role(province, Role.PROVINCIAL_OFFICER)[0]
    groups = sorted({services.group_of(code) for code in IndicatorCell.objects.filter(province=province)
                     .values_list("occupation__code", flat=True).distinct()})
    today = timezone.localdate()
    for group in groups:
        for period, publish in ((period_of(today, "year").key, True), (period_of(today, "quarter").key, False)):
            try:
                ranking = services.build_ranking(province, acting_user=officer, group=group, period=period)
                if publish:
                    services.publish_ranking(ranking, acting_user=officer)
            except DomainError as exc:
                logger.info("Supervision demo: no ranking of %s %s (%s)", group, period, exc.message)


@demo.register(61, "supervision: a planted suspicious plan, the flag sweep, rankings with funnel bands")
def load_supervision_oversight() -> None:
    province = Province.objects.filter(slug="sd").first()
    if province is None or not IndicatorRun.objects.exists() or Ranking.objects.filter(province=province).exists():
        return  # idempotency: once, and only over the history (off in the test settings)
    filing = Filing.objects.filter(province=province, status=FilingStatus.ACTIVE,
                                   institution__name__startswith="黄岛新区").first()
    with transaction.atomic():
        if filing is not None:
            _plant_suspicious_plan(filing)
    run = services.sweep_flags()
    _rank(province)
    logger.info("Supervision demo: %d flags raised, %d rankings", run.raised,
                Ranking.objects.filter(province=province).count())
