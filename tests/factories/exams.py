"""Helpers for exams: a filed organization, its venues and staff, rosters as files, plans driven through the
services to the state a test needs.

Dates: the tests travel to Monday 2026-09-28 (NOW), just before the 2026 National Day holiday (10-01 … 10-07, with
Saturday 10-10 a make-up working day), so that working days and calendar days differ.
"""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from certificates import rules, services
from certificates.models import Candidate, ExamPlan, ExamSession, ExamStaff, ExamVenue, SessionKind, StaffDuty
from filings import services as filing_services
from filings.models import Filing, FilingOccupation
from portal.models import Objection, Occupation, Province, PublicityItem, PublicityNotice
from tests.factories.cultivation import FilingFactory
from tests.factories.filings import ApplicationFactory
from tests.factories.portal import OccupationFactory, id_number, the_member

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI)  # Monday before the National Day holiday
TODAY = NOW.date()
SIX_WORKING_DAYS = dt.date(2026, 10, 12)  # 9-29, 9-30, 10-08, 10-09, 10-10 (make-up), 10-12
FIVE_WORKING_DAYS = dt.date(2026, 10, 10)
FOUR_WORKING_DAYS = dt.date(2026, 10, 9)

ROSTER_HEADER = ["姓名", "证件类型", "证件号码", "性别", "手机号码", "职业（工种）", "等级", "培训班次"]


def person_id(n: int, *, region: str = "370102", year: int = 1995) -> str:
    """A valid resident identity number, different for each n (odd n: male, even n: female)."""
    birth = dt.date(year, 1, 1) + dt.timedelta(days=n // 10)
    return id_number(region, f"{birth:%Y%m%d}", 100 + n % 10)


def gender_of(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def roster_rows(count: int, *, occupation: str, level: str = "四级/中级工", start: int = 0) -> list[list[str]]:
    rows = []
    for i in range(start, start + count):
        number = person_id(i)
        rows.append([f"考生{i:05d}", "居民身份证", number, gender_of(number), f"139{i:08d}", occupation, level,
                     "2026年第3期"])
    return rows


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def roster_csv(rows: Sequence[Sequence[str]]) -> bytes:
    return csv_bytes(ROSTER_HEADER, rows)


def results_csv(rows: Sequence[Sequence[str]]) -> bytes:
    return csv_bytes(["姓名", "证件号码", "理论成绩", "实操成绩", "综合评审成绩"], rows)


def shandong_filing(occupation: Occupation | None = None, levels: Sequence[int] = (5, 4, 3)) -> Filing:
    """A Shandong organization filed the way the province files (at the end of publicity), in Jinan."""
    occupation = occupation or OccupationFactory()
    application = ApplicationFactory(province="sd", publicity_ended=True, occupations=[(occupation, list(levels))])
    return filing_services.file_application(application)


def venue(filing: Filing, name: str = "济南实训基地") -> ExamVenue:
    existing = ExamVenue.objects.filter(institution=filing.institution, name=name).first()
    return existing or services.create_venue(filing.institution, acting_user=the_member(filing), name=name,
                                 address="历下区经十路100号", city=filing.institution.city)


def staff(filing: Filing, duty: str, count: int, *, start: int = 0, levels: Sequence[int] = (5, 4, 3),
          occupation: Occupation | None = None) -> list[ExamStaff]:
    qualifications = []
    if duty == StaffDuty.ASSESSOR:
        qualifications = [services.Qualification(occupation or filing.occupations.get().occupation, tuple(levels))]
    people = []
    for i in range(start, start + count):
        prefix = {"invigilator": "监考", "assessor": "考评", "supervisor": "督导"}[duty]
        number = person_id(9000 + i + 100 * list(StaffDuty.values).index(duty), region="370103", year=1980)
        existing = ExamStaff.objects.filter(institution=filing.institution, id_number=number, duty=duty).first()
        people.append(existing or services.create_staff(
            filing.institution, acting_user=the_member(filing), name=f"{prefix}{i}",
            id_number=number, duty=duty, qualifications=qualifications))
    return people


def plan(filing: Filing, *, levels: Sequence[int] = (4,), **kwargs: Any) -> ExamPlan:
    return services.create_plan(filing, acting_user=the_member(filing),
                                occupation=filing.occupations.get().occupation, levels=levels,
                                evaluation_process="资格审核—理论考试—实操考核—成绩评定—结果公示", **kwargs)


def session(exam_plan: ExamPlan, kind: str, date: dt.date, *, place: ExamVenue, start: str = "09:00",
            end: str = "11:00", room: str = "101", capacity: int = 30, levels: Sequence[int] = ()) -> ExamSession:
    return services.add_session(
        exam_plan, acting_user=the_member(exam_plan.institution), kind=kind, date=date,
        start_time=dt.time.fromisoformat(start), end_time=dt.time.fromisoformat(end), venue=place, room=room,
        capacity=capacity, levels=levels)


def ready_plan(*, candidates: int = 10, date: dt.date = SIX_WORKING_DAYS, levels: Sequence[int] = (4,),
               filing: Filing | None = None) -> ExamPlan:
    """A draft that may be filed: a theory and a practical session, staff that meets the ratios, the roster."""
    filing = filing or shandong_filing()
    place = venue(filing)
    exam_plan = plan(filing, levels=levels)
    theory = session(exam_plan, SessionKind.THEORY, date, place=place, capacity=max(candidates, 1))
    practical = session(exam_plan, SessionKind.PRACTICAL, date, place=place, start="13:00", end="17:00", room="实训1",
                        capacity=max(candidates, 1))
    user = the_member(filing)
    invigilators = staff(filing, StaffDuty.INVIGILATOR, rules.invigilators_needed(candidates, rules.Figures()))
    assessors = staff(filing, StaffDuty.ASSESSOR, rules.assessors_needed(candidates, rules.Figures()))
    supervisor = staff(filing, StaffDuty.SUPERVISOR, 1)
    services.assign_staff(theory, acting_user=user, staff=invigilators + supervisor)
    services.assign_staff(practical, acting_user=user, staff=assessors + supervisor)
    occupation = exam_plan.occupation.name
    label = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}[levels[0]]
    services.import_roster(exam_plan, acting_user=user, content=roster_csv(roster_rows(candidates,
                                                                                       occupation=occupation,
                                                                                       level=label)))
    exam_plan.refresh_from_db()
    return exam_plan


def scores(exam_plan: ExamPlan, value: Decimal | str = "75") -> bytes:
    rows = [[c.name, c.id_number, str(value), str(value), ""] for c in Candidate.objects.filter(plan=exam_plan)]
    return results_csv(rows)


def direct_filing(province: Province | str, levels: Sequence[int] = (5, 4, 3)) -> Filing:
    """An active filing of `province` with one occupation, written directly (as a fixture does), for provinces whose
    filing path goes through a cultivation (Guangdong): exam tests need a filing, not the way it was made."""
    filing = FilingFactory(province=province, filed_on=TODAY, valid_until=TODAY + dt.timedelta(days=3 * 365),
                           published_at=None, reported_at=None)
    the_member(filing)
    FilingOccupation.objects.create(filing=filing, occupation=OccupationFactory(), levels=list(levels),
                                    added_on=TODAY, valid_until=filing.valid_until)
    return filing


def filed_plan_in(province: Province | str, *, state: str = "filed") -> ExamPlan:
    """A plan of `province` in `state` with one session and one candidate, written directly (as a fixture does):
    for pages that only need an object to show, not the path that led there."""
    filing = direct_filing(province)
    exam_plan = plan(filing)
    place = venue(filing)
    session(exam_plan, SessionKind.THEORY, TODAY + dt.timedelta(days=14), place=place)
    Candidate.objects.create(plan=exam_plan, line=2, name="考生甲", id_number=person_id(1), gender="M",
                             phone="13900000001", level=4)
    ExamPlan.objects.filter(pk=exam_plan.pk).update(state=state, version=1)
    exam_plan.refresh_from_db()
    return exam_plan


def objection_on(exam_plan: ExamPlan) -> Objection:
    """A public objection against the first candidate of a plan put in publicity directly."""
    candidate = exam_plan.candidates.first()
    assert candidate is not None
    notice = PublicityNotice.objects.create(
        province=exam_plan.province, kind=services.RESULTS_KIND, source=f"certificates.examplan:{exam_plan.pk}",
        title="结果公示", published_at=NOW, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=7), working_days=5,
        created_by=the_member(exam_plan.institution))
    item = PublicityItem.objects.create(notice=notice, object_type=services.CANDIDATE_TYPE, object_id=str(candidate.pk),
                                        title=str(candidate))
    ExamPlan.objects.filter(pk=exam_plan.pk).update(publicity_notice=notice, state="in_publicity")
    return Objection.objects.create(notice=notice, item=item, name="王五", contact="13800000000", text="成绩有误")
