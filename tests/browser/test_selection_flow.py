"""A Guangdong selection in real Chromium: two experts score six applications for Guangzhou, the city recommends four
and downloads its summary table, three provincial experts score, the province selects, records the leadership
group's approval and publishes; the public reads the notice and objects; the objection is upheld for one item; the
sweep after the period moves the other three on. axe-core checks the scoring sheet, the rankings and the notice."""

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from openpyxl import load_workbook

from filings.models import Application
from portal.models import NoticeState, ObjectionState, PublicityNotice, Role, User
from portal.tasks import end_due_publicity
from selection import selectors, services
from selection.models import Expert, PanelLevel, ScoreSheet, SheetState
from tests.factories import PASSWORD, ApplicationFactory, CallFactory, ExpertFactory, MembershipFactory, UserFactory

from .helpers import DEMO_PASSWORD, describe_violations, new_context, run_axe

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)  # publicity runs Tuesday 2 June – Monday 8 June
NAMES = ["广州甲职业技能评价中心", "广州乙培训学校", "广州丙行业协会", "广州丁人力资源服务公司", "广州戊实训基地",
         "广州己技术学会"]
BLOCKING = {"serious", "critical"}


def _assert_accessible(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _score_in_browser(page: Any, base: str, sheet: ScoreSheet, total: int) -> None:
    """Open the sheet, score each criterion at total% of its maximum, and submit."""
    page.goto(f"{base}/gd/selection/sheets/{sheet.pk}/")
    for criterion, _ in selectors.sheet_scores(sheet):
        page.fill(f"#id_score_{criterion.pk}", str((criterion.max_score * total / 100).quantize(Decimal("0.01"))))
    page.fill("#id_comment", "材料完整，评价能力较强。")
    page.once("dialog", lambda dialog: dialog.accept())  # the submit locks the sheet: it asks first
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert page.locator("#sheet-state").inner_text() == "已提交"
    assert page.locator("#sheet-total").inner_text() == f"{total}.00"


def test_guangdong_selection_in_the_browser(
    demo_data: Any, browser: Any, log_in: Callable[..., None], settings: Any, tmp_path: Path
) -> None:
    # The server's clock is pinned to June 2026 while Chromium's is not: keep cookies to the browser session, so
    # that Chromium never drops them as expired by its own clock.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    cache.clear()
    base = demo_data.url

    with time_machine.travel(MONDAY, tick=True):
        # given a Guangdong call with six applications of Guangzhou in city scoring and the city's panel
        officer = User.objects.get(username="gd-province")
        city_officer = User.objects.get(username="gd-city-4401")
        call = CallFactory(closed=True, province="gd", created_by=officer)
        apps = [ApplicationFactory(city_scoring=True, province="gd", call=call, institution__name=name) for name in NAMES]
        city_panel = services.form_panel(call, acting_user=city_officer, level=PanelLevel.CITY, city=apps[0].city)
        city_experts = [Expert.objects.get(user__username=f"gd-expert-{n}") for n in (1, 2)]
        for app in apps:
            for expert in city_experts:
                services.assign_expert(city_panel, app, expert, acting_user=city_officer)

        # when the two experts score in the browser: 95, 90, … for the first, two points less for the second
        for n, expert in enumerate(city_experts):
            context = new_context(browser, bypass_csp=n == 0)
            page = context.new_page()
            log_in(page, base, expert.user.username)
            for i, app in enumerate(apps):
                sheet = ScoreSheet.objects.get(panel=city_panel, application=app, expert=expert)
                if n == 0 and i == 0:
                    page.goto(f"{base}/gd/selection/sheets/{sheet.pk}/")
                    _assert_accessible(page, "scoring sheet")
                _score_in_browser(page, base, sheet, 95 - 5 * i - 2 * n)
            context.close()

        # then the city's ranking is 94, 89, 84, 79, 74, 69
        aggregates = selectors.aggregates(city_panel, [a.pk for a in apps])
        assert [aggregates[a.pk].score for a in apps] == [Decimal(f"{94 - 5 * i}.00") for i in range(6)]

        # when the city officer recommends the first four, not the last two, and sends the table
        context = new_context(browser, bypass_csp=True)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, "gd-city-4401")
        table_url = f"{base}/gd/selection/calls/{call.pk}/cities/4401/"
        page.goto(table_url)
        _assert_accessible(page, "city ranking and recommendation")
        for i, app in enumerate(apps):
            prefix = f"app{app.pk}"
            page.check(f"#id_{prefix}-recommended_{0 if i < 4 else 1}")
            if i >= 4:
                page.fill(f"#id_{prefix}-reason", "择优推荐名额外，评价能力有待提升")
            with page.expect_navigation():
                page.click(f"#row-{app.pk} button[type=submit]")
        with page.expect_navigation():
            page.click("#send-table")
        sent = page.locator("#table-state").inner_text()
        assert sent.startswith("已于2026-06-01 09:") and sent.endswith("报送")

        # and downloads the summary table as Excel and PDF
        with page.expect_download() as excel_download:
            page.click("#download-xlsx")
        with page.expect_download() as pdf_download:
            page.click("#download-pdf")
        workbook = load_workbook(io.BytesIO(Path(excel_download.value.path()).read_bytes()))
        rows = [list(r) for r in workbook.active.iter_rows(values_only=True)]
        pdf_text = "".join(subprocess.run(["pdftotext", "-raw", str(pdf_download.value.path()), "-"],
                                          capture_output=True, check=True).stdout.decode().split())
        context.close()

        # then the table holds the six in rank order with scores and the decisions
        assert rows[0][0] == "广东省社会培训评价组织遴选推荐汇总表（广州市）"
        assert [(r[1], r[5], r[6], r[7]) for r in rows[2:]] == [
            (name, 94 - 5 * i, i + 1, "推荐" if i < 4 else "不予推荐") for i, name in enumerate(NAMES)]
        assert rows[2][2] == apps[0].institution.credit_code
        assert rows[2][4] == "6-18-01-01 车工（四级/中级工、三级/高级工）"
        assert rows[7][8] == "择优推荐名额外，评价能力有待提升"
        assert "广东省社会培训评价组织遴选推荐汇总表" in pdf_text
        assert all(name in pdf_text for name in NAMES)
        assert "94.00" in pdf_text and "69.00" in pdf_text and "不予推荐" in pdf_text
        states = [Application.objects.get(pk=a.pk).state for a in apps]
        assert states == ["recommended"] * 4 + ["not_recommended"] * 2

        # when the province forms its panel and draws three experts for each recommended application
        account = UserFactory(username="gd-expert-3", display_name="广东省评审专家3")
        MembershipFactory(user=account, province="gd", role=Role.EXPERT)
        third = ExpertFactory(province="gd", user=account, name="广东省评审专家3", fields=["6-18"])
        context = new_context(browser, bypass_csp=True)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, "gd-province")
        page.goto(f"{base}/gd/selection/")
        with page.expect_navigation():
            page.click(f"#call-{call.pk} ~ div button:has-text('省级评审专家组')")
        for app in apps[:4]:
            page.select_option("#draw-form #id_application", str(app.pk))
            page.fill("#draw-form #id_count", "3")
            page.fill("#draw-form #id_seed", str(2026 + app.pk))
            with page.expect_navigation():
                page.click("#draw-form button[type=submit]")
        province_panel = city_panel.call.panels.get(level=PanelLevel.PROVINCE)
        assert ScoreSheet.objects.filter(panel=province_panel).count() == 12
        context.close()

        # and the three experts score: 92, 88, 84, 80 (each expert one point apart)
        province_experts = [*city_experts, third]
        for n, expert in enumerate(province_experts):
            context = new_context(browser)
            page = context.new_page()
            log_in(page, base, expert.user.username, PASSWORD if expert.pk == third.pk else DEMO_PASSWORD)
            for i, app in enumerate(apps[:4]):
                sheet = ScoreSheet.objects.get(panel=province_panel, application=app, expert=expert)
                _score_in_browser(page, base, sheet, 91 - 4 * i + n)
            context.close()

        # when the officer pre-ticks the top four, selects them, records the approval and publishes
        context = new_context(browser, bypass_csp=True)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, "gd-province")
        ranking_url = f"{base}/gd/selection/calls/{call.pk}/province/"
        page.goto(ranking_url)
        _assert_accessible(page, "province ranking")
        page.fill("#id_top_n", "4")
        with page.expect_navigation():
            page.click("form.filters button[type=submit]")
        assert [page.is_checked(f"#select-{a.pk}") for a in apps[:4]] == [True] * 4
        with page.expect_navigation():
            page.click("#selection-form button[type=submit]")
        page.fill("#id_meeting_date", "2026-05-29")
        page.fill("#id_document_number", "粤技评〔2026〕12号")
        approval_pdf = tmp_path / "领导小组会议纪要.pdf"
        approval_pdf.write_bytes(b"%PDF-1.4\n%leadership group minutes\n")
        page.set_input_files("#id_attachment", str(approval_pdf))
        with page.expect_navigation():
            page.click("#approval-form button[type=submit]")
        with page.expect_navigation():
            page.click("#publish")
        assert "已发布公示，公示期2026-06-02至2026-06-08。" in page.content()
        notice = PublicityNotice.objects.get(source=f"filings.call:{call.pk}")
        context.close()

        # then the public page shows the notice with the four institutions
        public = new_context(browser, bypass_csp=True)
        page = public.new_page()
        page.goto(f"{base}/publicity/gd/")
        with page.expect_navigation():
            page.click(f"text={notice.title}")
        _assert_accessible(page, "public notice")
        assert page.locator("#notice-items tbody tr").count() == 4
        assert "2026-06-02至2026-06-08（5个工作日）" in page.locator(".status-line").inner_text()

        # when someone objects to the second institution through the public form
        objected = notice.items.get(object_id=str(apps[1].pk))
        page.select_option("#id_item", str(objected.pk))
        page.fill("#id_name", "陈先生")
        page.fill("#id_contact", "13800138000")
        page.fill("#id_text", "该机构申报的考核场地为临时租用，租期不足一年。")
        with page.expect_navigation():
            page.click("#objection-form button[type=submit]")
        assert "异议已提交" in page.content()
        public.close()

        # and the officer upholds it
        context = new_context(browser)
        page = context.new_page()
        log_in(page, base, "gd-province")
        page.goto(f"{base}/gd/publicity/")
        with page.expect_navigation():
            page.click("#open-objections tbody a")
        page.check("#id_decision_0")
        page.fill("#id_resolution", "经实地核查，考核场地租期不足，异议成立。")
        with page.expect_navigation():
            page.click("#resolve-form button[type=submit]")
        assert page.locator("#objection-state").inner_text() == "异议成立"
        context.close()

    objection = objected.objections.get()
    objected.refresh_from_db()
    assert (objection.state, objected.withdrawn_reason) == (ObjectionState.UPHELD, "经实地核查，考核场地租期不足，异议成立。")
    assert Application.objects.get(pk=apps[1].pk).state == "not_selected"

    # when the sweep runs after the period (00:10 on Tuesday 9 June)
    with time_machine.travel(dt.datetime(2026, 6, 9, 0, 10, tzinfo=SHANGHAI), tick=False):
        assert end_due_publicity.delay().get() == 1

    # then the notice has ended and the other three moved on to Guangdong's cultivation
    notice.refresh_from_db()
    assert notice.state == NoticeState.ENDED
    assert [Application.objects.get(pk=a.pk).state for a in apps] == [
        "cultivating", "not_selected", "cultivating", "cultivating", "not_recommended", "not_recommended"]
    assert ScoreSheet.objects.filter(state=SheetState.SUBMITTED).count() == 24
