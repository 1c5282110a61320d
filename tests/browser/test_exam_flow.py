"""The exam pipeline in real Chromium: a filed Shandong organization files a plan six working days ahead across the
National Day holiday, imports a roster (a bad row first: nothing stored), staffs its sessions, holds the exam,
imports the scores and publishes them; the sweep ends the publicity; the city and the province approve.
axe-core finds no serious or critical violation on the plan page, the import page and the review page."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from certificates.models import Candidate, ExamPlan, PlanState, StaffDuty
from certificates.tasks import end_due_result_publicity
from tests.factories import (
    NOW,
    PASSWORD,
    SHANGHAI,
    person_id,
    results_csv,
    roster_csv,
    roster_rows,
    shandong_filing,
    staff,
    the_member,
    venue,
)

from .crawl import WIDTHS, save_screenshot
from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
AFTER_EXAM = dt.datetime(2026, 10, 13, 9, 0, tzinfo=SHANGHAI)
AFTER_PUBLICITY = dt.datetime(2026, 10, 21, 9, 0, tzinfo=SHANGHAI)


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _readable_on_a_phone(page: Any, cells: str) -> None:
    """At 390 px no cell of the table is squeezed to a column a few characters wide (each row is a card of labelled
    lines) and the page does not scroll sideways."""
    before = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 900})
    narrowest = page.eval_on_selector_all(cells, "cells => Math.min(...cells.map(c => c.getBoundingClientRect().width))")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(before)
    assert narrowest >= 250, f"a cell of {cells} is {narrowest:.0f} px wide at 390 px"
    assert overflow <= 1, f"the page is {overflow} px wider than a 390 px window"


def _screenshots(page: Any, name: str) -> None:
    """The page as a person sees it at both widths, for `make test`'s screenshot folder; the viewport is put back."""
    before = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        save_screenshot(page, name)
    page.set_viewport_size(before)


def _upload(page: Any, form: str, name: str, content: bytes) -> None:
    page.set_input_files(f"{form} input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    _submit(page, f"{form} button[type=submit]")


def test_a_plan_from_filing_to_approved_results(
    demo_data: Any, axe_page: Any, log_in: Callable[..., None]
) -> None:
    page, base = axe_page, demo_data.url
    with time_machine.travel(NOW, tick=True):
        # given a filed Shandong organization in Jinan with its venue and staff
        filing = shandong_filing()
        org = the_member(filing.institution)
        venue(filing)
        staff(filing, StaffDuty.INVIGILATOR, 2)
        staff(filing, StaffDuty.ASSESSOR, 7)
        staff(filing, StaffDuty.SUPERVISOR, 1)
        occupation = filing.occupations.get().occupation

        # the organization creates the plan
        log_in(page, base, org.username, PASSWORD)
        page.goto(f"{base}/sd/exams/new/")
        page.select_option("#id_scope_line", index=1)
        page.get_by_label("四级/中级工").check()
        page.fill("#id_evaluation_process", "资格审核—理论知识考试—操作技能考核—成绩评定—结果公示")
        _submit(page, "#plan-create-form button[type=submit]")
        plan = ExamPlan.objects.get(filing=filing)
        plan_url = f"{base}/sd/exams/{plan.pk}/"
        assert page.url == plan_url

        # two sessions on Monday 10-12: six working days after 09-28, across the holiday (10-01 … 10-07)
        for kind, start, end, room in (("theory", "09:00", "11:00", "101"), ("practical", "13:00", "17:00", "实训1")):
            page.select_option("#session-form #id_kind", kind)
            page.fill("#session-form #id_date", "2026-10-12")
            page.fill("#session-form #id_start_time", start)
            page.fill("#session-form #id_end_time", end)
            page.select_option("#session-form #id_venue", index=1)
            page.fill("#session-form #id_room", room)
            page.fill("#session-form #id_capacity", "30")
            _submit(page, "#session-form button[type=submit]")
        assert page.locator("#plan-problems").get_by_text("请导入考生名册").is_visible()

        # a roster of 30 with one bad identity number is rejected, and nothing is stored
        rows = roster_rows(30, occupation=occupation.name)
        good_number = rows[6][2]
        rows[6][2] = good_number[:17] + ("1" if good_number[17] != "1" else "2")
        page.goto(f"{plan_url}roster/")
        _upload(page, "#roster-form", "名册.csv", roster_csv(rows))
        assert page.locator("#row-errors li").count() == 1
        assert page.locator("#row-errors li[data-line='8']").inner_text().startswith("第8行：身份证号码校验位错误")
        assert Candidate.objects.filter(plan=plan).count() == 0
        _axe_clean(page, "roster import with a rejected row")

        # fixed, all 30 are stored
        rows[6][2] = good_number
        _upload(page, "#roster-form", "名册.csv", roster_csv(rows))
        assert page.get_by_text("已导入考生30人。").is_visible()
        assert Candidate.objects.filter(plan=plan).count() == 30

        # staff that meets the ratios: 2 invigilators and the supervisor in theory, 7 assessors in practical
        page.goto(plan_url)
        theory, practical = plan.sessions.order_by("start_time")
        for session, people in ((theory, ["监考0", "监考1", "督导0"]),
                                (practical, [f"考评{i}" for i in range(7)] + ["督导0"])):
            form = page.locator(f"#session-{session.pk} form.staff-form")
            for name in people:
                form.locator("label", has_text=name).click()
            with page.expect_navigation():
                form.locator("button[type=submit]").click()
        assert page.locator("#plan-ready").is_visible()
        _axe_clean(page, "plan page, ready to file")

        _submit(page, "#file-form button[type=submit]")
        assert page.locator("#plan-state").inner_text() == "已报备，待确认"

        # the city of the exam acknowledges it
        page.context.clear_cookies()
        log_in(page, base, "sd-city-3701")
        page.goto(plan_url)
        _submit(page, "#acknowledge-form button[type=submit]:not(.secondary)")
        assert page.locator("#plan-state").inner_text() == "已确认"

    with time_machine.travel(AFTER_EXAM, tick=True):
        # after the exam the organization imports the scores (one absent, one below 60) and publishes
        page.context.clear_cookies()
        log_in(page, base, org.username, PASSWORD)
        page.goto(plan_url)
        _submit(page, "#start-results-form button[type=submit]")
        candidates = list(Candidate.objects.filter(plan=plan).order_by("line"))
        scores = [[c.name, c.id_number, "82", "76", ""] for c in candidates]
        scores[0][2] = "缺考"
        scores[1][3] = "59.5"
        _upload(page, "#results-form", "成绩.csv", results_csv(scores))
        assert page.get_by_text("已导入30名考生的成绩。").is_visible()
        assert page.url.endswith(f"/exams/{plan.pk}/results/")
        _screenshots(page, "results")
        _readable_on_a_phone(page, "#results-table td")
        _submit(page, "#publish-form button[type=submit]")
        assert page.locator("#plan-state").inner_text() == "结果公示中"
        notice = ExamPlan.objects.get(pk=plan.pk).publicity_notice
        assert notice is not None and notice.items.count() == 28
        assert person_id(2) not in "".join(notice.items.values_list("title", flat=True))

    with time_machine.travel(AFTER_PUBLICITY, tick=True):
        # the sweep ends the publicity; the city, then the province approve
        assert end_due_result_publicity() == 1
        page.context.clear_cookies()
        log_in(page, base, "sd-city-3701")
        page.goto(f"{plan_url}review/")
        assert page.locator("#results-summary").inner_text() == "共 30 人，合格 28 人，不合格 2 人"
        _axe_clean(page, "review page of the city")
        _submit(page, "#review-form button[value=approve]")
        assert page.locator("#plan-state").inner_text() == "省级审核中"

        page.context.clear_cookies()
        log_in(page, base, "sd-province")
        page.goto(f"{plan_url}review/")
        _submit(page, "#review-form button[value=approve]")
        assert page.locator("#plan-state").inner_text() == "审核通过，可发证"
    assert ExamPlan.objects.get(pk=plan.pk).state == PlanState.APPROVED
