"""Shandong's route in real Chromium (002 三(二)4): the Jinan centre determines its result on its table page and
publishes it itself — no provincial selection, no leadership approval — and the page says what happens next, at
1366 and 390 px, axe-core clean."""

from collections.abc import Callable
from typing import Any

import pytest

from filings.models import Application
from portal.models import PublicityNotice, User
from selection import services
from tests.factories import ApplicationFactory, CallFactory

from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def test_a_shandong_city_determines_and_publishes_its_result(
    demo_data: Any, axe_page: Any, log_in: Callable[..., None],
) -> None:
    base = demo_data.url
    call = CallFactory(closed=True, province="sd", title="山东省评价机构遴选（路线测试）")
    apps = [ApplicationFactory(city_scoring=True, province="sd", call=call, institution__name=name)
            for name in ("泉城技能评价中心", "历下职业培训学校", "章丘评价服务公司")]
    officer = User.objects.get(username="sd-city-3701")
    for n, application in enumerate(apps):
        services.decide_recommendation(application, acting_user=officer, recommended=n < 2,
                                       reason="" if n < 2 else "评估得分较低")
    ui = axe_page
    ui.on("dialog", lambda dialog: dialog.accept())

    log_in(ui, base, "sd-city-3701")
    ui.goto(f"{base}/sd/selection/calls/{call.pk}/cities/3701/")
    assert "不再报省遴选，也无需领导小组审定" in ui.inner_text("#route-note")
    assert "确定后，下一步由本中心发布遴选结果公示。" in ui.content()
    _axe_clean(ui, "city table before determining")
    with ui.expect_navigation():
        ui.click("#send-table")
    assert "遴选结果已确定。下一步：发布遴选结果公示。" in ui.content()
    assert [a.state for a in Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")] == [
        "selected", "selected", "not_recommended"]
    publish = ui.locator("#publish-city")
    assert publish.is_visible()
    _axe_clean(ui, "city table with its result to publish")

    with ui.expect_navigation():
        publish.click()
    assert "遴选结果公示已发布。公示期满无异议的，赋予机构代码并出具回执。" in ui.content()
    notice = PublicityNotice.objects.get(source=f"filings.call:{call.pk}:3701")
    assert ui.get_by_role("link", name=notice.title).is_visible()
    _axe_clean(ui, "city table after publishing")

    ui.set_viewport_size({"width": 390, "height": 844})
    ui.reload()
    assert ui.locator("#city-publicity").is_visible()
    overflow = ui.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, "the city table page scrolls sideways at 390 px"
    _axe_clean(ui, "city table at 390 px")
