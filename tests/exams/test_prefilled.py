"""What the portal knows is not typed again: the results template of a plan holds its candidates (full ID numbers in
the organization's own download only, audited), the roster template's example names the plan's occupation and level,
and "录入成绩" is offered only from the last exam day (before it the page says when)."""

import csv
import io
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from certificates import services
from certificates.models import Candidate, ExamPlan
from portal.models import AuditEvent, User
from tests.factories import NOW, city_officer_of, ready_plan, the_member

pytestmark = pytest.mark.django_db


def _rows(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))  # type: ignore[attr-defined]


def _held(candidates: int = 3) -> ExamPlan:
    with time_machine.travel(NOW, tick=False):
        exam_plan = ready_plan(candidates=candidates, levels=(3,))
        services.file_plan(exam_plan, acting_user=the_member(exam_plan.institution))
        services.acknowledge_plan(exam_plan, acting_user=city_officer_of(exam_plan), note="同意")
    exam_plan.refresh_from_db()
    return exam_plan


def test_the_results_template_is_the_plans_candidates_and_comes_back_as_results(
    login: Callable[[User], Client],
) -> None:
    exam_plan = _held()
    member = the_member(exam_plan.institution)
    client = login(member)
    url = f"/sd/exams/{exam_plan.pk}/results-template.csv"
    candidates = list(Candidate.objects.filter(plan=exam_plan).order_by("line"))
    last_day = exam_plan.last_session_on
    assert last_day

    with time_machine.travel(last_day.isoformat() + "T18:00:00+08:00", tick=False):
        services.start_results(exam_plan, acting_user=member)
        rows = _rows(client.get(url))
        assert rows == [["姓名", "证件号码", "理论成绩", "实操成绩", "综合评审成绩"],
                        *[[c.name, c.id_number, "", "", ""] for c in candidates]]
        event = AuditEvent.objects.get(action="personal_data_viewed", object_id=str(exam_plan.pk))
        assert (event.actor, event.changes) == (member, {"personal_data": "results_template_full_id_numbers:3"})

        # filled in and sent back as it is, it is the plan's results
        filled = [rows[0], *[[name, number, "80", "缺考" if i == 0 else "70", ""]
                             for i, (name, number, *_) in enumerate(rows[1:])]]
        content = "\ufeff" + "".join(",".join(r) + "\n" for r in filled)
        assert services.import_results(exam_plan, acting_user=member, content=content.encode()) == 3


def test_an_officer_cannot_download_the_full_numbers(login: Callable[[User], Client]) -> None:
    exam_plan = _held()

    response = login(city_officer_of(exam_plan)).get(f"/sd/exams/{exam_plan.pk}/results-template.csv")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="personal_data_viewed").exists()


def test_the_roster_template_names_the_plans_occupation_and_level(login: Callable[[User], Client]) -> None:
    exam_plan = _held(candidates=1)

    rows = _rows(login(the_member(exam_plan.institution)).get(f"/sd/exams/{exam_plan.pk}/roster-template.csv"))

    assert rows[1][5:7] == [exam_plan.occupation.name, "三级/高级工"]


def test_entering_results_is_offered_from_the_last_exam_day_and_the_page_says_when(
    login: Callable[[User], Client],
) -> None:
    exam_plan = _held(candidates=1)
    client = login(the_member(exam_plan.institution))
    last_day = exam_plan.last_session_on
    assert last_day

    with time_machine.travel(NOW, tick=False):
        before = client.get(f"/sd/exams/{exam_plan.pk}/").content.decode()
    assert 'id="start-results-form"' not in before
    assert f"末场考核在{last_day.isoformat()}，当天起可在此录入成绩。" in before

    with time_machine.travel(last_day.isoformat() + "T09:00:00+08:00", tick=False):
        on_the_day = client.get(f"/sd/exams/{exam_plan.pk}/").content.decode()
    assert 'id="start-results-form"' in on_the_day and 'id="results-wait"' not in on_the_day
