"""A complaint in real Chromium: someone finds the organization from the public catalog, files a complaint with a
file and an e-mail address, keeps the tracking code and follows it; the city officer forwards it, the organization
answers (without seeing who complained), the officer decides; the complainant is not satisfied and the complaint
reopens. axe-core clean at every page."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import PASSWORD, PDF, FilingFactory, city_officer_of, member_of

from .helpers import describe_violations, new_context, run_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
ORGANIZATION = "广州市示范职业技能评价中心"


def _axe_clean(page: Any, label: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{label} ({page.url}):\n{describe_violations(blocking)}"


def _person(browser: Any) -> Any:
    return new_context(browser, bypass_csp=True).new_page()


def _with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return user


def _file_a_complaint(page: Any, base: str) -> str:
    page.goto(f"{base}/catalog/gd/")
    with page.expect_navigation():
        page.click("#complaint-link")
    page.fill("#org-search", "示范")
    with page.expect_navigation():
        page.press("#org-search", "Enter")
    assert "找到 1 家机构" in page.inner_text("#search-result")
    _axe_clean(page, "complaint form")
    page.select_option("#id_organization", label=ORGANIZATION)
    page.select_option("#id_category", "fees")
    page.fill("#id_text", "报名时被要求另交资料费800元，未开具发票。")
    page.set_input_files("#id_attachments", files=[{"name": "收据.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF}])
    page.fill("#id_name", "张三")
    page.fill("#id_email", "zhangsan@example.com")
    with page.expect_navigation():
        page.click("#submit-complaint")
    code = page.inner_text("#tracking-code").strip()
    assert len(code) == 19 and "查询码已同时发送" in page.inner_text("#complaint-done")
    _axe_clean(page, "complaint received")
    return code


def _track(page: Any, base: str, code: str) -> None:
    page.goto(f"{base}/complaints/track/")
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click("#track-submit")


def test_a_complaint_from_the_public_form_to_reopening(
    demo_data: Any, browser: Any, log_in: Callable[..., None],
) -> None:
    cache.clear()
    base = demo_data.url
    filing = FilingFactory(province="gd", with_scope=True, institution__name=ORGANIZATION)
    officer = _with_password(city_officer_of(filing))
    member = _with_password(member_of(filing.institution))
    public = _person(browser)

    # given a complaint filed from the public catalog, whose code is e-mailed and tracks it
    code = _file_a_complaint(public, base)
    assert any(code in m.body for m in mail.outbox)
    _track(public, base, code)
    assert public.inner_text("#complaint-state") == "处理中"
    assert "计时中" in public.inner_text("#clock-state")
    _axe_clean(public, "tracking page")

    # when the city officer forwards it to the organization
    desk = _person(browser)
    log_in(desk, base, officer.username, PASSWORD)
    assert "办理中的投诉" in desk.inner_text("main")
    with desk.expect_navigation():
        desk.click("nav >> text=投诉办理")
    _axe_clean(desk, "complaint list")
    with desk.expect_navigation():
        desk.click(f"#complaint-table >> text={ORGANIZATION}")
    assert "zhangsan@example.com" in desk.inner_text("main")
    _axe_clean(desk, "complaint detail")
    desk.fill("#id_note", "请核实收费情况并答复。")
    with desk.expect_navigation():
        desk.click("#forward-complaint")
    assert desk.inner_text("#complaint-state") == "待机构答复"

    # and the organization answers, never seeing who complained
    org = _person(browser)
    log_in(org, base, member.username, PASSWORD)
    with org.expect_navigation():
        org.click("main >> text=待本机构答复的投诉")
    with org.expect_navigation():
        org.click("#waiting-complaints a")
    assert "zhangsan" not in org.content() and "张三" not in org.content()
    _axe_clean(org, "organization's complaint")
    org.fill("#id_text", "已退还资料费并补开发票。")
    with org.expect_navigation():
        org.click("#answer-complaint")
    assert org.inner_text("#complaint-state") == "机构已答复，待认定"

    # and the officer decides with a reason
    desk.reload()
    assert "已退还资料费" in desk.inner_text("#organization-answer")
    desk.check("input[name='decision'][value='partly']")
    desk.fill("#id_reason", "资料费已退还；未公示收费项目属实，已责令改正。")
    with desk.expect_navigation():
        desk.click("#decide-complaint")
    assert desk.inner_text("#complaint-state") == "已答复"

    # then the complainant reads the answer, is not satisfied, and the complaint reopens once
    _track(public, base, code)
    assert public.inner_text("#complaint-decision") == "部分属实"
    assert "未公示收费项目属实" in public.inner_text("#complaint-messages")
    _axe_clean(public, "answered complaint")
    public.check("input[name='satisfied'][value='no']")
    public.fill("#id_comment", "资料费本不应收取，应予处罚。")
    with public.expect_navigation():
        public.click("#send-reaction")
    assert "投诉已重新办理" in public.inner_text("#track-notice")
    assert public.inner_text("#complaint-state") == "处理中"
    assert "投诉人表示不满意" in public.inner_text("#complaint-messages")
    _axe_clean(public, "reopened complaint")
    desk.reload()
    assert desk.inner_text("#complaint-state") == "处理中" and "重新办理" in desk.inner_text("#complaint-clock")
    for page in (public, desk, org):
        page.context.close()
