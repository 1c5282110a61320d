"""Random inspections in real Chromium: the provincial officer defines a campaign and publishes its commitment, the
public page shows it, the officer types in the public numbers and draws; the drawn inspector records a finding
(which opens a rectification order), the organization answers, the inspector rejects it once with a reason and then
accepts it; the campaign closes and the public page lists the outcome without any inspector's name. axe-core clean
on every page."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.models import Province
from supervision.models import Campaign, Inspection, RectificationOrder
from tests.factories import PASSWORD, FilingFactory, member_of

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}
NUMBERS = "9319\n2 5 8 10 12\n9 18 26 34 41 45"


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _as(page: Any, log_in: Callable[..., None], base: str, username: str, password: str | None = None) -> None:
    page.context.clear_cookies()
    if password is None:
        log_in(page, base, username)
    else:
        log_in(page, base, username, password)


def _define_and_commit(ui: Any, base: str) -> Campaign:
    today = timezone.localdate()
    ui.goto(f"{base}/gd/supervision/campaigns/")
    _axe_clean(ui, "campaign list")
    ui.click("#new-campaign")
    ui.fill("#id_title", "浏览器抽查任务")
    ui.fill("#id_organizations_to_draw", "1")
    ui.fill("#id_inspectors_per_organization", "1")
    ui.fill("#id_random_source", "中国福利彩票双色球 今日开奖号码")
    ui.fill("#id_random_source_date", today.isoformat())
    ui.fill("#id_inspect_from", today.isoformat())
    ui.fill("#id_inspect_until", (today + dt.timedelta(days=30)).isoformat())
    _axe_clean(ui, "new campaign")
    ui.click("#create-campaign")
    ui.wait_for_selector("#commit-campaign")
    _axe_clean(ui, "draft campaign")
    ui.click("#commit-campaign")
    ui.wait_for_selector("#draw-campaign")
    assert "抽取方案已公示" in ui.inner_text("main")
    return Campaign.objects.get(title="浏览器抽查任务")


def test_campaign_inspection_and_rectification(demo_data: Any, axe_page: Any, log_in: Callable[..., None]) -> None:
    cache.clear()
    base, ui = demo_data.url, axe_page
    province = Province.objects.get(slug="gd")
    filings = [FilingFactory(province=province, institution__name=f"{n}职业技能评价中心") for n in ("甲", "乙", "丙")]
    members = {f.institution_id: member_of(f.institution, username=f"org-{i}") for i, f in enumerate(filings)}

    _as(ui, log_in, base, "gd-province")
    campaign = _define_and_commit(ui, base)

    # the public sees the commitment (no login): the frame's hash, the source, no draw yet
    ui.context.clear_cookies()
    ui.goto(f"{base}/inspections/gd/{campaign.pk}/")
    assert ui.inner_text("#frame-sha") == campaign.commitment["frame_sha256"]
    assert "录入号码并抽取" in ui.inner_text("main")
    _axe_clean(ui, "public commitment")

    # the officer types in the numbers: the draw happens once, with the RFC 3797 key
    _as(ui, log_in, base, "gd-province")
    ui.goto(f"{base}/gd/supervision/campaigns/{campaign.pk}/")
    ui.fill("#id_sources", "93x")
    ui.click("#draw-campaign")
    assert "随机数只能是非负整数" in ui.inner_text("main")
    ui.fill("#id_sources", NUMBERS)
    ui.click("#draw-campaign")
    ui.wait_for_selector("#pick-table")
    assert ui.inner_text("#draw-key") == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    _axe_clean(ui, "drawn campaign")
    inspection = Inspection.objects.get(campaign=campaign)
    inspector = inspection.assignments.get().inspector

    # the drawn inspector records a finding: it opens a rectification order
    _as(ui, log_in, base, inspector.username)
    ui.goto(f"{base}/gd/")
    assert inspection.institution.name in ui.inner_text("main")
    ui.goto(f"{base}/gd/supervision/inspections/{inspection.pk}/")
    _axe_clean(ui, "inspection")
    ui.select_option("#id_severity", "serious")
    ui.fill("#id_text", "考务档案缺少签到表")
    ui.click("#record-finding")
    ui.wait_for_selector("#findings a")
    ui.fill("#id_report", "发现较重问题1项，已下达整改通知。")
    ui.click("#complete-inspection")
    ui.wait_for_selector("#inspection-report")
    order = RectificationOrder.objects.get(finding__inspection=inspection)

    # the organization answers; the inspector rejects once with a reason, then accepts the second answer
    member = members[inspection.institution_id]
    for attempt, text in enumerate(("已补充签到表", "已补充签到表并建立归档制度")):
        _as(ui, log_in, base, member.username, PASSWORD)
        ui.goto(f"{base}/gd/supervision/rectification/{order.pk}/")
        _axe_clean(ui, f"order for the organization ({attempt})")
        ui.fill("#id_text", text)
        ui.click("#submit-answer")
        ui.wait_for_selector(f"#response-{attempt + 1}")
        _as(ui, log_in, base, inspector.username)
        ui.goto(f"{base}/gd/supervision/rectification/{order.pk}/")
        _axe_clean(ui, f"order for the inspector ({attempt})")
        if attempt == 0:
            ui.check("input[name=decision][value=reject]")
            ui.click("#submit-verify")
            assert "退回整改必须说明理由" in ui.inner_text("main")
            ui.check("input[name=decision][value=reject]")
            ui.fill("#id_reason", "请附签到表扫描件")
        else:
            ui.check("input[name=decision][value=accept]")
        ui.click("#submit-verify")
        ui.wait_for_selector(f"#response-{attempt + 1} .decision")
    assert ui.inner_text("#order-state").startswith("已整改销号")

    # the officer closes the campaign; the public page lists the outcome, never an inspector's name
    _as(ui, log_in, base, "gd-province")
    ui.goto(f"{base}/gd/supervision/campaigns/{campaign.pk}/")
    ui.click("#close-campaign")
    ui.wait_for_selector("#outcome-table")
    ui.context.clear_cookies()
    ui.goto(f"{base}/inspections/gd/{campaign.pk}/")
    outcome = ui.inner_text("#outcome-table")
    assert inspection.institution.name in outcome and "已全部整改" in outcome
    page_text = ui.inner_text("main")
    assert inspector.display_name and inspector.display_name not in page_text and inspector.username not in page_text
    _axe_clean(ui, "public outcome")
