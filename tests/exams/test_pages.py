"""The organization's and the officers' pages: forms post to the services and show what they refused."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from certificates import services
from certificates.models import ExamPlan, ExamStaff, ExamVenue, PlanState, SupervisionVisit
from portal.errors import DomainError
from portal.models import Notification, User
from tests.factories import NOW, MembershipFactory, city_officer_of, person_id, ready_plan, shandong_filing, the_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_national_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_organization_keeps_its_venues_and_staff(login: Callable[[User], Client]) -> None:
    filing = shandong_filing()
    client = login(the_member(filing.institution))
    occupation = filing.occupations.get().occupation

    venue = client.post("/sd/exams/venues/", {"name": "济南基地", "city": filing.institution.city_id,
                                              "address": "经十路1号"})
    bad = client.post("/sd/exams/staff/", {"name": "张三", "id_number": person_id(3)[:17] + "0",
                                           "duty": "assessor", "occupation": occupation.pk, "levels": ["4"]})
    good = client.post("/sd/exams/staff/", {"name": "张三", "id_number": person_id(3), "duty": "assessor",
                                            "occupation": occupation.pk, "levels": ["4", "3"]})

    assert venue.status_code == 302
    assert ExamVenue.objects.get(institution=filing.institution).name == "济南基地"
    assert bad.status_code == 400
    assert "身份证号码校验位错误" in bad.content.decode()
    assert good.status_code == 302
    staff = ExamStaff.objects.get(institution=filing.institution)
    assert [(q.occupation_id, q.levels) for q in staff.qualifications.all()] == [(occupation.pk, [4, 3])]


def test_a_plan_is_created_from_the_filing_scope(login: Callable[[User], Client]) -> None:
    filing = shandong_filing()
    client = login(the_member(filing.institution))
    line = filing.occupations.get()

    response = client.post("/sd/exams/new/", {"scope_line": line.pk, "levels": ["4"], "evaluation_process": "流程"})

    plan = ExamPlan.objects.get(filing=filing)
    assert response.status_code == 302
    assert response["Location"] == f"/sd/exams/{plan.pk}/"
    assert (plan.levels, plan.state) == ([4], PlanState.DRAFT)
    page = client.get(f"/sd/exams/{plan.pk}/")
    assert "请至少安排一个考核场次" in page.content.decode()


def test_a_late_plan_shows_every_reason_on_the_page(login: Callable[[User], Client]) -> None:
    exam_plan = ready_plan(candidates=10)
    services.remove_session(exam_plan.sessions.get(kind="practical"), acting_user=the_member(exam_plan.institution))
    client = login(the_member(exam_plan.institution))

    response = client.post(f"/sd/exams/{exam_plan.pk}/file/", follow=True)

    text = response.content.decode()
    assert "考核计划不能报备：" in text
    assert "四级/中级工考生中有10人没有安排操作技能考核场次（场次或容量不足）" in text
    exam_plan.refresh_from_db()
    assert exam_plan.state == PlanState.DRAFT


def test_officers_request_changes_and_schedule_a_visit(login: Callable[[User], Client]) -> None:
    exam_plan = ready_plan(candidates=5)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    client = login(city_officer_of(exam_plan))
    session = exam_plan.sessions.first()
    assert session is not None

    visit = client.post(f"/sd/exams/{exam_plan.pk}/visits/", {"visit_on": "2026-10-12", "inspector": "质量督导员王五",
                                                              "session": session.pk, "note": "实操考场"})
    changes = client.post(f"/sd/exams/{exam_plan.pk}/request-changes/", {"reason": "请补充考场座位图"})

    assert (visit.status_code, changes.status_code) == (302, 302)
    assert SupervisionVisit.objects.get(plan=exam_plan).inspector == "质量督导员王五"
    exam_plan.refresh_from_db()
    assert (exam_plan.state, exam_plan.officer_note) == (PlanState.CHANGES_REQUESTED, "请补充考场座位图")
    assert "质量督导员王五" not in login(the_member(exam_plan.institution)).get(
        f"/sd/exams/{exam_plan.pk}/").content.decode()  # visits are not announced to the organization


def test_the_export_of_the_plan_list(login: Callable[[User], Client]) -> None:
    exam_plan = ready_plan(candidates=5)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))

    response = login(city_officer_of(exam_plan)).get("/sd/exams/?export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_one_candidate_is_entered_on_the_results_page(login: Callable[[User], Client]) -> None:
    exam_plan = ready_plan(candidates=2)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    ExamPlan.objects.filter(pk=exam_plan.pk).update(state=PlanState.RESULTS_ENTRY)
    client = login(the_member(exam_plan.institution))
    first = exam_plan.candidates.get(line=2)

    page = client.get(f"/sd/exams/{exam_plan.pk}/results/")
    saved = client.post(f"/sd/exams/{exam_plan.pk}/results/{first.pk}/",
                        {f"c{first.pk}-theory": "缺考", f"c{first.pk}-practical": "88.5"})
    refused = client.post(f"/sd/exams/{exam_plan.pk}/results/{first.pk}/",
                          {f"c{first.pk}-theory": "六十", f"c{first.pk}-practical": "88"}, follow=True)

    assert f'name="c{first.pk}-theory"' in page.content.decode()
    assert saved.status_code == 302
    first.refresh_from_db()
    assert (first.theory_absent, first.theory_score, str(first.practical_score), first.passed) == (
        True, None, "88.5", False)
    assert "成绩“六十”应为0—100的数字或“缺考”" in refused.content.decode()


def test_a_visit_given_to_a_quality_supervisor_reaches_their_home(
        login: Callable[[User], Client], django_capture_on_commit_callbacks: Any) -> None:
    # given a filed plan and a quality supervisor of its province
    exam_plan = ready_plan(candidates=5)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    supervisor = MembershipFactory(province=exam_plan.province, quality_supervisor=True).user
    session = exam_plan.sessions.first()
    assert session is not None

    # when the city officer gives the visit to that supervisor's account
    with django_capture_on_commit_callbacks(execute=True):
        response = login(city_officer_of(exam_plan)).post(
            f"/sd/exams/{exam_plan.pk}/visits/", {"visit_on": "2026-10-12", "supervisor": supervisor.pk,
                                                  "session": session.pk, "note": "实操考场"})

    # then the visit is theirs, they are told, and their home lists it with the session's venue
    assert response.status_code == 302
    visit = SupervisionVisit.objects.get(plan=exam_plan)
    assert (visit.supervisor, visit.inspector) == (supervisor, supervisor.get_full_name() or supervisor.username)
    assert Notification.objects.filter(recipient=supervisor, title__contains=exam_plan.title).exists()
    home = login(supervisor).get("/sd/")
    items = [i.title for s in home.context["sections"] for i in s["items"]]
    assert "安排给我的考核督导" in items
    assert session.venue.address in home.content.decode()


def test_a_visit_names_a_supervisor_or_an_external_inspector(login: Callable[[User], Client]) -> None:
    exam_plan = ready_plan(candidates=5)
    services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
    not_a_supervisor = MembershipFactory(province=exam_plan.province, expert=True).user
    client = login(city_officer_of(exam_plan))

    neither = client.post(f"/sd/exams/{exam_plan.pk}/visits/", {"visit_on": "2026-10-12"}, follow=True)
    expert = client.post(f"/sd/exams/{exam_plan.pk}/visits/", {"visit_on": "2026-10-12",
                                                               "supervisor": not_a_supervisor.pk}, follow=True)

    assert "请选择质量督导员，或填写外部督导人员姓名。" in neither.content.decode()
    assert expert.status_code == 200
    assert not SupervisionVisit.objects.filter(plan=exam_plan).exists()
    with pytest.raises(DomainError) as refused:
        services.schedule_visit(exam_plan, acting_user=city_officer_of(exam_plan), visit_on=NOW.date(),
                                supervisor=not_a_supervisor)
    assert refused.value.code == "supervisor_invalid"
