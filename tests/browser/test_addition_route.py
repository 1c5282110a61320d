"""A Guangdong organization that is not a chain-leader unit adds an occupation in real Chromium (001 二(二)): the form
says the addition goes through selection, submitting it opens a prefilled application in the open call that says which
filing it joins, and the city officer's review page says the same — at 1366 and 390 px, axe-core clean."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from filings import services
from filings.models import AdditionState, Filing, OccupationAddition
from tests.factories import (
    COMPLIANT_OCCUPATION_FACTS,
    PASSWORD,
    CallFactory,
    OccupationFactory,
    city_officer_of,
    filed_cultivation,
    make_ready,
    the_member,
)

from .crawl import save_screenshot
from .helpers import describe_violations, run_axe

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}
# The organization was filed after its cultivation; months later the province opens its next call.
FILED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NEXT_CALL = FILED + dt.timedelta(days=200)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _looks_right(page: Any, label: str) -> None:
    """axe-core clean and no sideways scrolling, at both widths; a screenshot of each for a person to look at."""
    for size, width in ((DESKTOP, "1366"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.reload()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{label} is {overflow} px wider than a {width} px window"
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert not blocking, f"{label} at {width} px ({page.url}):\n{describe_violations(blocking)}"
        save_screenshot(page, f"addition-{label}")


def test_an_addition_goes_through_the_open_call_and_the_city_sees_which_filing_it_joins(
    live_server: Any, transactional_db: None, axe_page: Any, log_in: Callable[..., None],
) -> None:
    from portal.reference_data import ensure_reference_data

    ensure_reference_data()
    page = axe_page
    with time_machine.travel(FILED, tick=False):
        _, filing = filed_cultivation("gd", occupations=1)
    with time_machine.travel(NEXT_CALL, tick=True):
        _walk(page, live_server.url, filing, log_in)


def _walk(page: Any, base: str, filing: Filing, log_in: Callable[..., None]) -> None:
    call = CallFactory(province="gd", title="广东省评价机构遴选（新增职业测试）")
    new = OccupationFactory(name="新增测试职业")
    member = the_member(filing.institution)

    log_in(page, base, member.username, PASSWORD)
    page.goto(f"{base}/gd/filings/{filing.pk}/")
    page.get_by_role("link", name="申请新增职业（工种）").click()
    assert "随当前开放的申报批次作为一份申请提交" in page.inner_text("#addition-route")
    page.get_by_label("新增职业").select_option(value=str(new.pk))
    page.get_by_label("四级/中级工").check()
    page.get_by_label("本机构已自主完成至少一个职业试题审核备案").check()
    page.get_by_label("本机构已正常开展职业技能等级认定工作").check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()

    addition = OccupationAddition.objects.get(filing=filing)
    application = addition.application
    assert application is not None and application.call == call
    assert page.url.endswith(f"/gd/applications/{application.pk}/")
    assert "已为您在本批次建立申请并填入已知信息" in page.content()
    note = page.inner_text("#addition-note")
    assert filing.filing_number in note and filing.valid_until.strftime("%Y-%m-%d") in note
    _looks_right(page, "application")

    # the organization completes and submits the prefilled draft (its own journey is tested elsewhere)
    application.occupations.update(facts=dict(COMPLIANT_OCCUPATION_FACTS["gd"]))
    make_ready(application, occupations=())
    services.submit_application(application, acting_user=member)
    officer = city_officer_of(filing.institution)

    page.context.clear_cookies()
    log_in(page, base, officer.username, PASSWORD)
    page.goto(f"{base}/gd/review/{application.pk}/")
    assert filing.filing_number in page.inner_text("#addition-note")
    _looks_right(page, "review")
    addition.refresh_from_db()
    assert addition.state == AdditionState.SUBMITTED
