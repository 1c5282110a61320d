"""Roster import: every row validated, a file with a bad row stores nothing and reports every bad row."""

import io
from collections.abc import Iterator

import pytest
import time_machine
from openpyxl import Workbook

from certificates import selectors, services
from certificates.imports import id_number_problem
from certificates.models import Candidate, ExamPlan, SessionKind
from certificates.models.issuance import Certificate, IssuanceBatch
from portal.models import AuditEvent
from tests.factories import (
    NOW,
    ROSTER_HEADER,
    SIX_WORKING_DAYS,
    TODAY,
    person_id,
    plan,
    ready_plan,
    roster_csv,
    roster_rows,
    session,
    shandong_filing,
    the_member,
    venue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_national_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _draft(candidates: int = 0) -> ExamPlan:
    filing = shandong_filing()
    exam_plan = plan(filing)
    session(exam_plan, SessionKind.THEORY, SIX_WORKING_DAYS, place=venue(filing))
    return exam_plan


def _import(exam_plan: ExamPlan, content: bytes, **kwargs: object) -> services.ImportResult:
    return services.import_roster(exam_plan, acting_user=the_member(exam_plan.institution), content=content, **kwargs)  # type: ignore[arg-type]


def test_a_valid_roster_is_stored_with_its_lines() -> None:
    exam_plan = _draft()
    rows = roster_rows(3, occupation=exam_plan.occupation.name)

    result = _import(exam_plan, roster_csv(rows), filename="名册.csv")

    assert result.count == 3
    stored = list(Candidate.objects.filter(plan=exam_plan).order_by("line").values_list(
        "line", "name", "id_number", "gender", "phone", "level", "training_class"))
    assert stored == [
        (2, "考生00000", person_id(0), "F", "13900000000", 4, "2026年第3期"),
        (3, "考生00001", person_id(1), "M", "13900000001", 4, "2026年第3期"),
        (4, "考生00002", person_id(2), "F", "13900000002", 4, "2026年第3期"),
    ]
    event = AuditEvent.objects.get(object_id=str(exam_plan.pk), action="exam_roster_imported")
    assert event.changes["roster"] == {"before": 0, "after": 3}


def test_a_file_with_bad_rows_stores_nothing_and_reports_every_bad_row() -> None:
    # given a roster of 30 already stored, and a new file of 30 with a bad check digit, a duplicate and bad values
    exam_plan = _draft()
    occupation = exam_plan.occupation.name
    _import(exam_plan, roster_csv(roster_rows(30, occupation=occupation)))
    rows = roster_rows(30, occupation=occupation)
    bad = rows[4][2][:17] + ("0" if rows[4][2][17] != "0" else "1")
    rows[4][2] = bad
    rows[9][2] = rows[8][2]
    rows[9][3] = rows[8][3]
    rows[12][4] = "12345"
    rows[15][6] = "二级/技师"
    rows[20][3] = "男" if rows[20][3] == "女" else "女"

    with pytest.raises(services.RowsRejected) as rejected:
        _import(exam_plan, roster_csv(rows))

    expected_digit = person_id(4)[17]
    assert rejected.value.code == "roster_invalid"
    assert str(rejected.value) == "名册有5行错误，未导入任何考生，请修改后重新导入。"
    assert [(e.line, e.message) for e in rejected.value.errors] == [
        (6, f"身份证号码校验位错误：第18位应为“{expected_digit}”，实际为“{bad[17]}”。"),
        (11, "证件号码与第10行重复"),
        (14, "手机号码“12345”应为以1开头的11位数字"),
        (17, "等级“二级/技师”不在本计划的考核等级内"),
        (22, f"性别“{rows[20][3]}”与身份证号码不符"),
    ]
    # and the stored roster is the previous one, untouched
    assert Candidate.objects.filter(plan=exam_plan).count() == 30
    assert not AuditEvent.objects.filter(object_id=str(exam_plan.pk), action="exam_roster_imported").exclude(
        changes__roster__before=0).exists()


def test_a_birth_date_that_does_not_exist_is_reported() -> None:
    from stdnum.cn import ric

    body = "37010219950230123"  # 30 February
    number = body + ric.calc_check_digit(body + "0")

    assert id_number_problem(number) == "身份证号码中的出生日期“19950230”不存在。"


def test_the_same_person_in_another_plan_at_an_overlapping_time_is_rejected() -> None:
    # given a filed plan of another organization in Shandong whose roster holds person 0, on the same morning
    other = ready_plan(candidates=3)
    services.file_plan(other, acting_user=the_member(other.institution))
    exam_plan = _draft()

    with pytest.raises(services.RowsRejected) as rejected:
        _import(exam_plan, roster_csv(roster_rows(2, occupation=exam_plan.occupation.name, start=0)))

    assert [(e.line, e.message) for e in rejected.value.errors] == [
        (2, f"该考生已在同一时间参加计划“{other.title}”的考核"),
        (3, f"该考生已在同一时间参加计划“{other.title}”的考核"),
    ]
    assert not Candidate.objects.filter(plan=exam_plan).exists()


def test_a_person_already_certified_is_a_warning_the_organization_confirms() -> None:
    # given person 1 holds a valid certificate of this occupation at level 4
    exam_plan = _draft()
    earlier = ready_plan(candidates=2, filing=exam_plan.filing)
    holder = earlier.candidates.get(line=3)
    batch = IssuanceBatch.objects.create(province=earlier.province, filing=earlier.filing,
                                         institution=earlier.institution, plan=earlier, issued_on=TODAY, total=1,
                                         created_by=the_member(earlier.institution))
    Certificate.objects.create(
        province=earlier.province, filing=earlier.filing, institution=earlier.institution, batch=batch,
        candidate=holder, number="S000037000001264000001", holder_name=holder.name, id_number=holder.id_number,
        occupation=earlier.occupation, occupation_code=earlier.occupation.code,
        occupation_name=earlier.occupation.name, level=4, organization_name=earlier.institution.name,
        issued_on=TODAY)
    content = roster_csv(roster_rows(3, occupation=exam_plan.occupation.name, start=10)
                         + roster_rows(1, occupation=exam_plan.occupation.name, start=1))

    # when the roster with that person is imported, it stops for confirmation and stores nothing
    with pytest.raises(services.RowsRejected) as held:
        _import(exam_plan, content)
    assert held.value.code == "roster_needs_confirmation"
    assert [(e.line, e.message) for e in held.value.errors] == [
        (5, f"考生00001已取得{exam_plan.occupation.name}四级/中级工证书，请确认是否仍安排考核")]
    assert not Candidate.objects.filter(plan=exam_plan).exists()

    # and once confirmed it is stored, the warning recorded on the row
    result = _import(exam_plan, content, confirm_certified=True)
    assert result.count == 4
    assert list(Candidate.objects.filter(plan=exam_plan, certified_warning_confirmed=True)
                .values_list("line", flat=True)) == [5]
    assert selectors.is_certified(holder.id_number, exam_plan.occupation, 4) is True
    assert selectors.is_certified(holder.id_number, exam_plan.occupation, 3) is False


def test_excel_rosters_are_read_like_csv() -> None:
    exam_plan = _draft()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ROSTER_HEADER)  # type: ignore[union-attr]
    for row in roster_rows(2, occupation=exam_plan.occupation.name):
        sheet.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _import(exam_plan, buffer.getvalue(), filename="名册.xlsx").count == 2


def test_a_file_without_the_template_columns_is_refused() -> None:
    exam_plan = _draft()

    with pytest.raises(services.DomainError) as refused:
        _import(exam_plan, "姓名,电话\n张三,139\n".encode())

    assert refused.value.code == "file_unreadable"
    assert str(refused.value) == "表头缺少列：证件号码、性别、手机号码、等级。请使用下载的模板。"


def test_the_template_downloads_with_every_column(login: object) -> None:
    exam_plan = _draft()
    client = login(the_member(exam_plan.institution))  # type: ignore[operator]

    response = client.get("/sd/exams/roster-template.csv")

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(ROSTER_HEADER)


@pytest.mark.postgres
def test_on_postgresql_a_large_roster_is_copied_and_a_bad_row_leaves_it_untouched() -> None:
    # given 2,000 rows copied in on PostgreSQL
    exam_plan = _draft()
    occupation = exam_plan.occupation.name
    assert _import(exam_plan, roster_csv(roster_rows(2000, occupation=occupation))).count == 2000

    # when a new file of 2,000 has one bad row at the end
    rows = roster_rows(2000, occupation=occupation, start=5000)
    rows[-1][1] = "驾驶证"
    with pytest.raises(services.RowsRejected) as rejected:
        _import(exam_plan, roster_csv(rows))

    # then nothing of it is stored: the first roster is still there, row for row
    assert [(e.line, e.message) for e in rejected.value.errors] == [
        (2001, "证件类型“驾驶证”应为居民身份证、港澳台居民居住证或护照")]
    assert Candidate.objects.filter(plan=exam_plan).count() == 2000
    assert Candidate.objects.filter(plan=exam_plan, id_number=person_id(5000)).exists() is False
    assert Candidate.objects.filter(plan=exam_plan, line=2001, id_number=person_id(1999)).exists()
