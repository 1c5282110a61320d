"""Who reaches which plan: other organizations and other cities of the same province get 404 in the UI and the API;
the calendar, the list and the worklists show each role its own."""

from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client

from certificates import services
from certificates.models import ExamPlan
from portal.models import Province, Role, User
from portal.roles import ProvinceAccess
from portal.worklists import items_for
from tests.factories import (
    NOW,
    MembershipFactory,
    TokenFactory,
    city_officer_of,
    filed_plan_in,
    provincial_officer,
    ready_plan,
    the_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_national_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _other_org_member() -> User:
    return MembershipFactory(province="sd", institution_member=True).user


def _qingdao_officer() -> User:
    return MembershipFactory(province="sd", role=Role.CITY_OFFICER,
                             city=Province.objects.get(slug="sd").cities.get(code="3702")).user


PAGES = ["", "roster/", "results/", "review/"]
API = ["", "roster/", "results/"]


@pytest.mark.parametrize("who", ["other organization", "other city"])
def test_plans_of_others_are_404_in_the_ui_and_the_api(who: str, login: Callable[[User], Client]) -> None:
    exam_plan = filed_plan_in("sd")
    user = _other_org_member() if who == "other organization" else _qingdao_officer()
    client = login(user)
    token = TokenFactory(user=user)

    answers = {f"/sd/exams/{exam_plan.pk}/{p}": client.get(f"/sd/exams/{exam_plan.pk}/{p}").status_code for p in PAGES}
    answers |= {f"/api/v1/sd/exams/plans/{exam_plan.pk}/{p}": Client().get(
        f"/api/v1/sd/exams/plans/{exam_plan.pk}/{p}", HTTP_AUTHORIZATION=f"Token {token.key}").status_code
        for p in API}
    answers[f"POST /sd/exams/{exam_plan.pk}/acknowledge/"] = client.post(
        f"/sd/exams/{exam_plan.pk}/acknowledge/").status_code

    assert answers == dict.fromkeys(answers, 404)
    exam_plan.refresh_from_db()
    assert exam_plan.state == "filed"


def test_the_plans_own_organization_city_and_province_reach_it(login: Callable[[User], Client]) -> None:
    exam_plan = filed_plan_in("sd")
    for user in (the_member(exam_plan.institution), city_officer_of(exam_plan), provincial_officer("sd")):
        assert login(user).get(f"/sd/exams/{exam_plan.pk}/").status_code == 200


def test_a_draft_is_the_organizations_alone(login: Callable[[User], Client]) -> None:
    exam_plan = filed_plan_in("sd", state="draft")
    ExamPlan.objects.filter(pk=exam_plan.pk).update(version=0)

    assert login(the_member(exam_plan.institution)).get(f"/sd/exams/{exam_plan.pk}/").status_code == 200
    assert login(city_officer_of(exam_plan)).get(f"/sd/exams/{exam_plan.pk}/").status_code == 404
    assert login(provincial_officer("sd")).get(f"/sd/exams/{exam_plan.pk}/").status_code == 404


def test_the_list_and_calendar_show_each_role_its_plans(
    login: Callable[[User], Client], django_assert_max_num_queries: Callable[..., object]
) -> None:
    mine = filed_plan_in("sd")
    filed_plan_in("sd")  # another organization's, in Jinan as well
    client = login(the_member(mine.institution))

    with django_assert_max_num_queries(20):  # type: ignore[operator]
        response = client.get("/sd/exams/")
    assert [p.pk for p in response.context["object_list"]] == [mine.pk]

    officer = login(city_officer_of(mine))
    listed = officer.get("/sd/exams/")
    assert {p.pk for p in listed.context["object_list"]} == set(ExamPlan.objects.values_list("pk", flat=True))
    calendar = officer.get("/sd/exams/calendar/?month=2026-10")
    assert calendar.status_code == 200
    days = {cell.date.day: len(cell.sessions) for week in calendar.context["weeks"] for cell in week if cell.date}
    assert days[12] == 2  # both plans' theory sessions on 10-12
    assert list(login(_qingdao_officer()).get("/sd/exams/").context["object_list"]) == []


def test_worklists_show_what_waits_for_each_role() -> None:
    exam_plan = ready_plan(candidates=5)
    org = the_member(exam_plan.institution)
    province = exam_plan.province
    draft_items = items_for(ProvinceAccess.for_user(org, province), Role.INSTITUTION_MEMBER)
    assert [(i.title, i.count) for i in draft_items if "考核" in i.title] == [("未报备的考核计划草稿", 1)]

    services.file_plan(exam_plan, acting_user=org)
    officer = city_officer_of(exam_plan)
    city_items = items_for(ProvinceAccess.for_user(officer, province), Role.CITY_OFFICER)
    assert [(i.title, i.count) for i in city_items if "考核" in i.title] == [("待确认的考核计划", 1)]

    services.request_plan_changes(exam_plan, acting_user=officer, note="请补充评价流程说明")
    org_items = items_for(ProvinceAccess.for_user(org, province), Role.INSTITUTION_MEMBER)
    assert [(i.title, i.count, i.urgent) for i in org_items if "考核" in i.title] == [
        ("需修改后重新报备的考核计划", 1, True)]
