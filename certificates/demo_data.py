"""Demo data of the exam pipeline: for the Shandong demo filing (if the filing demo made one), a venue, staff and a
filed exam plan with a roster, ahead of the lead time on the real calendar."""

import datetime as dt
import logging

from django.utils import timezone
from stdnum.cn import ric

from filings.models import Filing, FilingStatus
from portal import demo
from portal.errors import DomainError
from portal.models import Membership, Role

from . import imports, rules, services
from .models import ExamPlan, ExamStaff, ExamVenue, SessionKind, StaffDuty

logger = logging.getLogger(__name__)
DEMO_TITLE_SUFFIX = "（演示）"
DEMO_CANDIDATES = 20


def _id(region: str, birth: dt.date, serial: int) -> str:
    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@demo.register(50, "exam plan of the Shandong demo filing")
def load_exam_plan() -> None:
    filing = (Filing.objects.filter(province__slug="sd", status=FilingStatus.ACTIVE)
              .select_related("institution", "province").prefetch_related("occupations__occupation")
              .order_by("pk").first())
    if filing is None or not filing.occupations.exists():
        return  # no Shandong demo filing: nothing to hold exams with
    if ExamPlan.objects.filter(filing=filing, title__endswith=DEMO_TITLE_SUFFIX).exists():
        return
    membership = Membership.objects.filter(institution=filing.institution, role=Role.INSTITUTION_MEMBER).first()
    if membership is None:
        return
    user, institution = membership.user, filing.institution
    line = filing.occupations.all()[0]
    level = max(int(x) for x in line.levels)
    try:
        date = services.add_working_days_for_demo(filing.province, timezone.localdate(), 2)
    except DomainError:
        logger.info("Exam demo skipped: the working-day calendar does not cover the next weeks")
        return
    venue = ExamVenue.objects.filter(institution=institution).first() or services.create_venue(
        institution, acting_user=user, name="演示考核基地", address="历下区经十路88号", city=institution.city)
    people: dict[str, list[ExamStaff]] = {}
    needs = {StaffDuty.INVIGILATOR: rules.invigilators_needed(DEMO_CANDIDATES, rules.Figures()),
             StaffDuty.ASSESSOR: rules.assessors_needed(DEMO_CANDIDATES, rules.Figures()), StaffDuty.SUPERVISOR: 1}
    for n, (duty, count) in enumerate(needs.items()):
        people[duty] = list(ExamStaff.objects.filter(institution=institution, duty=duty)[:count])
        for i in range(len(people[duty]), count):
            people[duty].append(services.create_staff(
                institution, acting_user=user, name=f"{StaffDuty(duty).label}{i + 1}",
                id_number=_id("370102", dt.date(1980 + n, 1, 1) + dt.timedelta(days=i), 111), duty=duty,
                qualifications=[services.Qualification(line.occupation, tuple(int(x) for x in line.levels))]
                if duty == StaffDuty.ASSESSOR else ()))
    plan = services.create_plan(filing, acting_user=user, occupation=line.occupation, work_type=line.work_type,
                                levels=[level], title=f"{line.occupation.name}考核{DEMO_TITLE_SUFFIX}",
                                evaluation_process="资格审核—理论知识考试—操作技能考核—成绩评定—结果公示—证书颁发")
    theory = services.add_session(plan, acting_user=user, kind=SessionKind.THEORY, date=date,
                                  start_time=dt.time(9), end_time=dt.time(11), venue=venue, room="理论考场101",
                                  capacity=DEMO_CANDIDATES)
    practical = services.add_session(plan, acting_user=user, kind=SessionKind.PRACTICAL, date=date,
                                     start_time=dt.time(13, 30), end_time=dt.time(17), venue=venue, room="实训车间1",
                                     capacity=DEMO_CANDIDATES)
    services.assign_staff(theory, acting_user=user, staff=people[StaffDuty.INVIGILATOR] + people[StaffDuty.SUPERVISOR])
    services.assign_staff(practical, acting_user=user, staff=people[StaffDuty.ASSESSOR] + people[StaffDuty.SUPERVISOR])
    rows = []
    for i in range(DEMO_CANDIDATES):
        number = _id("370102", dt.date(1998, 3, 1) + dt.timedelta(days=i), 121 + i % 2)
        rows.append([f"演示考生{i + 1:02d}", "居民身份证", number, "男" if int(number[16]) % 2 else "女",
                     f"1390000{i:04d}", line.occupation.name, str(level), "2026年第4期"])
    content = imports.template_csv(imports.ROSTER_COLUMNS, rows[0]) + "".join(
        ",".join(r) + "\r\n" for r in rows[1:]).encode()
    services.import_roster(plan, acting_user=user, content=content, filename="demo.csv")
    services.file_plan(plan, acting_user=user)
