"""Rankings, flags and dashboards in real Chromium: the provincial officer builds a ranking and publishes it with its
funnel bands; the public objects on the notice; the catalog shows the band; a planted duplicate-score plan is flagged
by the sweep and the quality supervisor dismisses it with a reason; the officer's home draws its charts under the
portal's CSP, each with a data table. axe-core clean on every page."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from portal.models import Province
from supervision import services
from supervision.models import FlagState, FraudFlag, Ranking
from tests.factories import CandidateFactory, FilingFactory, approved_plan, clean_plan, issued
from tests.supervision.test_rankings import _cell

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _world() -> dict[str, Any]:
    province = Province.objects.get(slug="gd")
    orgs = {n: FilingFactory(province=province, institution__name=f"{n}评价中心") for n in ("甲", "乙", "丙", "丁")}
    for name, sat, passed in (("甲", 100, 93), ("乙", 100, 67), ("丙", 5, 5), ("丁", 195, 155)):
        _cell(orgs[name].institution, "2026Q3", sat, passed)
        _cell(orgs[name].institution, "2026", sat, passed)
    issued(orgs["丁"], plan=approved_plan(orgs["丁"], candidates=2))
    suspicious = clean_plan(orgs["乙"])
    for _ in range(3):
        CandidateFactory(plan=suspicious, theory_score=Decimal("88.0"), practical_score=Decimal("90.0"))
    return {"orgs": orgs, "suspicious": suspicious}


def _switch_user(page: Any, log_in: Callable[..., None], base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


def test_ranking_catalog_flags_and_dashboards(
    demo_data: Any, axe_page: Any, page: Any, log_in: Callable[..., None],
) -> None:
    cache.clear()
    base = demo_data.url
    world = _world()
    ui = axe_page

    # the provincial officer builds the 2026Q3 ranking of group 6-18 and sees bands, limits and the too-few list
    log_in(ui, base, "gd-province")
    ui.goto(f"{base}/gd/supervision/rankings/")
    _axe_clean(ui, "ranking list")
    ui.fill("#id_group", "6-18")
    ui.fill("#id_period", "2026Q3")
    with ui.expect_navigation():
        ui.click("#build-ranking")
    rows = ui.locator("#ranked-table tbody tr")
    assert rows.count() == 3
    first = rows.nth(0).inner_text()
    assert "甲评价中心" in first and "高于99.8%控制限" in first and "72.2%–87.8%" in first
    assert "丙评价中心（参评 5 人）" in ui.inner_text("#too-few")
    _axe_clean(ui, "ranking draft")

    # and publishes it (the page asks first)
    ui.once("dialog", lambda dialog: dialog.accept())
    with ui.expect_navigation():
        ui.click("#publish-ranking")
    assert ui.inner_text("#ranking-state") == "已公示"
    ranking = Ranking.objects.get()
    notice = ranking.notice
    assert notice is not None

    # the public reads the notice and objects to one organization's band
    ui.context.clear_cookies()
    ui.goto(f"{base}/publicity/gd/{notice.pk}/")
    assert "高于99.8%控制限" in ui.inner_text("main")
    _axe_clean(ui, "public ranking notice")
    ui.select_option("#id_item", str(notice.items.get(title="甲评价中心").pk))
    ui.fill("#id_name", "陈先生")
    ui.fill("#id_contact", "13800138000")
    ui.fill("#id_text", "该机构合格率高是因为生源均为在岗熟练工，请核实。")
    with ui.expect_navigation():
        ui.click("#objection-form button[type=submit]")
    assert "异议已提交" in ui.content()
    assert notice.objections.count() == 1

    # the catalog shows the band beside each organization
    ui.goto(f"{base}/catalog/gd/?q=甲评价中心")
    assert "2026Q3：高于99.8%控制限" in ui.inner_text("#catalog")
    _axe_clean(ui, "catalog with bands")

    # the sweep flags the planted duplicate-score plan; the supervisor dismisses it with a reason
    assert services.sweep_flags().raised == 1
    flag = FraudFlag.objects.get()
    _switch_user(ui, log_in, base, "gd-supervisor")
    assert ui.locator("#my-flags li").count() == 1
    _axe_clean(ui, "supervisor home")
    with ui.expect_navigation():
        ui.click("#my-flags a")
    assert "3名考生成绩完全相同" in ui.inner_text("#flag-summary")
    assert ui.locator("#evidence-table tbody tr").count() == 3
    _axe_clean(ui, "flag")
    with ui.expect_navigation():
        ui.click("#dismiss-flag")
    assert ui.locator(".has-error, .errorlist, [role=alert]").count() >= 1  # no reason: refused beside the field
    ui.fill("#id_reason", "调阅原始答卷，三人成绩确系巧合。")
    with ui.expect_navigation():
        ui.click("#dismiss-flag")
    assert ui.inner_text("#flag-state") == "已排除"
    flag.refresh_from_db()
    assert (flag.state, flag.dismissed_reason) == (FlagState.DISMISSED, "调阅原始答卷，三人成绩确系巧合。")

    # the officer's home: the dashboard with its two charts and their tables (axe with the CSP bypassed) ...
    _switch_user(ui, log_in, base, "gd-province")
    ui.wait_for_selector("canvas[data-chart='funnel'][data-drawn='true']")
    assert ui.locator("#funnel-table tbody tr").count() == 4
    _axe_clean(ui, "officer dashboard")
    # ... and the charts drawn under the portal's real CSP (no inline script: Chart.js served from /static/)
    log_in(page, base, "gd-province")
    page.wait_for_selector("canvas[data-chart='bar'][data-drawn='true']")
    page.wait_for_selector("canvas[data-chart='funnel'][data-drawn='true']")
    assert page.evaluate("typeof window.Chart") == "function"
    assert world["suspicious"].pk == flag.plan_id
