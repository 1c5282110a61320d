"""The exam API: one endpoint per operation, stable error codes, every bad row of a file in the answer."""

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certificates.models import Candidate
from portal.models import User
from tests.factories import (
    FOUR_WORKING_DAYS,
    NOW,
    TokenFactory,
    city_officer_of,
    ready_plan,
    roster_csv,
    roster_rows,
    shandong_filing,
    the_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def before_national_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _api(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")


def _json(response: Any) -> Any:
    return response.json()


def test_a_plan_is_created_and_a_late_one_refused_with_a_stable_code() -> None:
    filing = shandong_filing()
    api = _api(the_member(filing.institution))
    occupation = filing.occupations.get().occupation

    created = api.post("/api/v1/sd/exams/plans/", {"occupation": occupation.code, "levels": [4],
                                                    "evaluation_process": "理论—实操—评定"},
                       content_type="application/json")
    assert created.status_code == 201
    plan_id = _json(created)["id"]
    assert _json(created)["state"] == "draft"

    venue = api.post("/api/v1/sd/exams/venues/", {"name": "济南基地", "city": "3701", "address": "经十路1号"},
                     content_type="application/json")
    assert venue.status_code == 201
    session = api.post(f"/api/v1/sd/exams/plans/{plan_id}/sessions/", {
        "kind": "theory", "date": FOUR_WORKING_DAYS.isoformat(), "start_time": "09:00", "end_time": "11:00",
        "venue": _json(venue)["id"], "room": "101", "capacity": 10}, content_type="application/json")
    assert session.status_code == 201

    refused = api.post(f"/api/v1/sd/exams/plans/{plan_id}/file/", {}, content_type="application/json")
    body = _json(refused)
    assert refused.status_code == 400
    assert body["code"] == "lead_time"
    assert "首场最早可安排在2026-10-10" in body["problems"][0]


def test_an_out_of_scope_plan_is_refused_with_its_code() -> None:
    filing = shandong_filing(levels=(5,))
    api = _api(the_member(filing.institution))

    refused = api.post("/api/v1/sd/exams/plans/", {"occupation": filing.occupations.get().occupation.code,
                                                    "levels": [3]}, content_type="application/json")

    assert refused.status_code == 400
    assert _json(refused)["code"] == "out_of_scope"


def test_a_rejected_roster_lists_every_bad_row() -> None:
    exam_plan = ready_plan(candidates=3)
    rows = roster_rows(3, occupation=exam_plan.occupation.name, start=100)
    rows[1][4] = "123"
    rows[2][3] = "未知"
    upload = SimpleUploadedFile("名册.csv", roster_csv(rows), content_type="text/csv")

    answer = _api(the_member(exam_plan.institution)).post(f"/api/v1/sd/exams/plans/{exam_plan.pk}/roster/",
                                                       {"file": upload})

    assert answer.status_code == 400
    assert _json(answer) == {
        "code": "roster_invalid", "detail": "名册有2行错误，未导入任何考生，请修改后重新导入。",
        "errors": [{"line": 3, "message": "手机号码“123”应为以1开头的11位数字"},
                   {"line": 4, "message": "性别“未知”应为男或女"}],
    }
    assert Candidate.objects.filter(plan=exam_plan).count() == 3  # the earlier roster stands


def test_the_city_acknowledges_through_the_api_and_a_second_time_is_refused() -> None:
    exam_plan = ready_plan(candidates=3)
    org = _api(the_member(exam_plan.institution))
    assert org.post(f"/api/v1/sd/exams/plans/{exam_plan.pk}/file/", {}, content_type="application/json"
                    ).status_code == 200
    city = _api(city_officer_of(exam_plan))

    first = city.post(f"/api/v1/sd/exams/plans/{exam_plan.pk}/acknowledge/", {"reason": "同意"},
                      content_type="application/json")
    second = city.post(f"/api/v1/sd/exams/plans/{exam_plan.pk}/acknowledge/", {"reason": "同意"},
                       content_type="application/json")

    assert (first.status_code, _json(first)["state"]) == (200, "acknowledged")
    assert (second.status_code, _json(second)["code"]) == (409, "invalid_transition")


def test_the_organization_cannot_review_its_own_results() -> None:
    exam_plan = ready_plan(candidates=3)

    answer = _api(the_member(exam_plan.institution)).post(f"/api/v1/sd/exams/plans/{exam_plan.pk}/review/",
                                                       {"decision": "approve"}, content_type="application/json")

    assert answer.status_code == 404


def test_the_organization_answers_an_objection_through_the_api() -> None:
    from tests.factories import filed_plan_in, objection_on

    exam_plan = filed_plan_in("sd")
    objection = objection_on(exam_plan)

    answer = _api(the_member(exam_plan.institution)).post(
        f"/api/v1/sd/exams/objections/{objection.pk}/answer/", {"upheld": False, "resolution": "经核实，成绩无误"},
        content_type="application/json")

    assert answer.status_code == 200
    assert (_json(answer)["state"], _json(answer)["resolution"]) == ("dismissed", "经核实，成绩无误")
