"""Filing applications in real Chromium: a Guangdong association from registration to a corrected resubmission seen
by its city's officer; Shandong's occupation limits; Guizhou's assessors per occupation in the pre-check; axe-core on
the workspace, the facts form, the review list and the review detail."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from filings import services
from filings.models import Application, ApplicationOccupation, ApplicationState, Call
from filings.policies import get_pack
from portal.models import Institution, Membership, Occupation, Role, User
from tests.factories import GD_OTHER_FACTS, ApplicationFactory, credit_code, make_ready, pdf_bytes, png_bytes

from .helpers import describe_violations, new_context, run_axe

pytestmark = pytest.mark.browser

S = ApplicationState
PASSWORD = "Skill-portal-2026"
BLOCKING = {"serious", "critical"}
GD_MATERIALS = ["application_form", "registration_certificate", "venue_proof", "equipment_list", "staff_list",
                "staff_contracts", "management_rules", "association_members"]


# --- small page helpers ---


def _messages(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".messages .message").all_inner_texts()]


def _verdict(page: Any, rule_id: str) -> str:
    return page.locator(f'table.precheck tr[data-rule="{rule_id}"] td.verdict').inner_text().strip()


def _reason(page: Any, rule_id: str) -> str:
    return page.locator(f'table.precheck tr[data-rule="{rule_id}"] td.reason').inner_text().strip()


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _press_enter(page: Any, selector: str) -> None:
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _fill_facts(page: Any, facts: dict[str, Any]) -> None:
    """On the facts form: yes/no declarations are selects, figures are inputs; then save. A question the form does
    not ask (it asks only those of the applicant's nature) is skipped."""
    for key, value in facts.items():
        field = page.locator(f"#id_{key}")
        if field.count() == 0:
            continue
        if isinstance(value, bool):
            field.select_option("1" if value else "0")
        else:
            field.fill(str(value))
    _click(page, page.get_by_role("button", name="保存"))


def _open_facts(page: Any) -> None:
    _click(page, page.get_by_role("link", name="填写或修改申报信息"))


def _upload(page: Any, key: str, name: str, content: bytes, mime: str) -> None:
    row = page.locator(f"#file-{key}")
    row.set_input_files({"name": name, "mimeType": mime, "buffer": content})
    _click(page, page.locator(f'form.upload-form:has(#file-{key}) button[type="submit"]'))


def _start_application(page: Any, base: str, slug: str) -> int:
    page.goto(f"{base}/{slug}/applications/")
    _click(page, page.get_by_role("button", name="开始申请"))
    assert page.locator("#application-state").inner_text() == "草稿"
    return int(page.url.rstrip("/").split("/")[-1])


def _add_occupation(page: Any, label: str, levels: tuple[int, ...]) -> None:
    page.select_option("#id_occupation", label=label)
    for level in levels:  # the checkboxes are 5, 4, 3, 2, 1 in that order; Space ticks the focused one
        page.focus(f'input[name="levels"][value="{level}"]')
        page.keyboard.press("Space")
    _click(page, page.get_by_role("button", name="添加职业"))


def _occupation_rows(page: Any) -> list[str]:
    return [t.split("\t")[0] for t in page.locator("#occ-heading + table tbody tr").all_inner_texts()]


# --- Guangdong: register, file, be returned, correct, resubmit ---


def test_guangdong_association_files_is_returned_corrects_and_resubmits(
    demo_data: Any, browser: Any, log_in: Callable[..., None],
) -> None:
    base = demo_data.url
    applicant_context, officer_context = new_context(browser), new_context(browser)
    page, officer = applicant_context.new_page(), officer_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # submitting asks for a confirmation first

    # registers through /gd/register/ — a Guangzhou association, typed with the keyboard
    page.goto(f"{base}/gd/register/")
    page.focus("#id_username")
    for value in ("gd-welding-assoc", "谢晖", "13912345678", "xiehui@example.cn", PASSWORD, PASSWORD,
                  "广东省焊接技术协会", credit_code("440101", 31)):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.select_option("#id_category", "other")
    page.select_option("#id_nature", "social_group")
    page.select_option("#id_level", "city")
    page.select_option("#id_city", label="广州市")
    page.fill("#id_address", "广州市天河区天河路1号")
    page.fill("#id_legal_representative", "王强")
    page.fill("#id_contact_person", "李华")
    page.fill("#id_contact_phone", "020-12345678")
    _press_enter(page, "#id_contact_phone")
    assert _messages(page) == ["注册成功，请登录。"]
    institution = Institution.objects.get(name="广东省焊接技术协会")
    assert (institution.city.code, institution.category) == ("4401", "other")

    # logs in and starts an application in the open call, with one occupation
    log_in(page, base, "gd-welding-assoc", PASSWORD)
    pk = _start_application(page, base, "gd")
    _add_occupation(page, "4-03-02-01 中式烹调师", (5, 4, 3))
    assert _messages(page) == ["已添加申报职业。"]
    assert _occupation_rows(page) == ["4-03-02-01"]

    # declares its facts with 45 member units: the pre-check fails the association's scale
    _open_facts(page)
    _fill_facts(page, {**GD_OTHER_FACTS, "member_units": 45})
    assert _messages(page) == ["申报信息已保存。"]
    assert _verdict(page, "gd.association_scale") == "不符合"
    assert _reason(page, "gd.association_scale") == "会员单位45个、个人会员0人，未达到50个会员单位或500名个人会员。"
    assert "未满足基本条件【候选机构为协会的，原则上应达到50个以上会员单位或500人以上个人会员规模，提供相应佐证材料】" in page.locator("#submission-problems").inner_text()

    # fixes it (50)
    _open_facts(page)
    _fill_facts(page, {"member_units": 50})
    assert _verdict(page, "gd.association_scale") == "待补充"  # the figure is met; the member roll is not uploaded
    assert "gd.association_scale" not in page.locator("#submission-problems").inner_text()

    # uploads its materials: real small PDFs, and a PNG for the venue
    for key in GD_MATERIALS:
        if key == "venue_proof":
            _upload(page, key, "场所平面图.png", png_bytes(), "image/png")
        else:
            _upload(page, key, f"{key}.pdf", pdf_bytes(key), "application/pdf")
        assert _messages(page) == []  # the message is in the material's row, not at the top
        assert page.locator(f"#material-{key} [role=status]").inner_text().startswith("✓ 已上传：")
    assert page.locator("#materials tr.missing").count() == 0
    assert _verdict(page, "gd.association_scale") == "符合"
    assert page.locator("table.precheck td.verdict").all_inner_texts() == ["符合"] * len(get_pack("guangdong").rules_for("other"))

    # confirms the pledge with the keyboard (Space ticks, Enter sends) and submits to its city
    page.focus("#id_confirm")
    page.keyboard.press("Space")
    _press_enter(page, "#id_signer")
    assert _messages(page) == ["已确认诚信承诺。"]
    assert page.locator("#submission-problems").count() == 0
    _click(page, page.locator("#submit-application"))
    assert _messages(page) == ["申请已提交。"]
    assert page.locator("#application-state").inner_text() == "已提交"
    assert "向所在地市申报" in page.locator(".status-line").inner_text()

    # Guangzhou's officer accepts it and returns it with two items
    log_in(officer, base, "gd-city-4401")
    officer.goto(f"{base}/gd/review/")
    _click(officer, officer.get_by_role("link", name="广东省焊接技术协会"))
    _click(officer, officer.get_by_role("button", name="受理并开始初审"))
    assert _messages(officer) == ["已受理，进入初审。"]
    officer.locator("#return-fold > summary").click()  # the alternatives to passing are folded in the decision panel
    officer.select_option("#id_items-0-target", "fact:venue_area_m2")
    officer.fill("#id_items-0-problem", "场所面积与平面图不符，请核实后重新填报。")
    officer.select_option("#id_items-1-target", "doc:staff_list")
    officer.fill("#id_items-1-problem", "名单缺少内部质量督导员。")
    _click(officer, officer.locator("#return-form button[type=submit]"))
    assert _messages(officer) == ["已退回补正，共2项。"]
    assert officer.locator("#application-state").inner_text() == "退回补正"

    # the applicant sees exactly those two items
    page.goto(f"{base}/gd/applications/{pk}/")
    assert page.locator("#application-state").inner_text() == "退回补正"
    assert page.locator(".correction-items li").all_inner_texts() == [
        "场所总建筑面积：场所面积与平面图不符，请核实后重新填报。",
        "专职工作人员名单及任职资格证明：名单缺少内部质量督导员。",
    ]

    # fixes both (area 260 → 300, a new staff list) and resubmits
    _open_facts(page)
    _fill_facts(page, {"venue_area_m2": 300})
    _click(page, page.get_by_role("button", name="移除 staff_list.pdf"))
    assert _messages(page) == ["文件已移除。"]
    _upload(page, "staff_list", "人员名单（补正）.pdf", pdf_bytes("补正"), "application/pdf")
    _click(page, page.get_by_role("button", name="重新提交"))
    assert _messages(page) == ["申请已提交。"]

    # the officer sees what changed, and only that
    officer.goto(f"{base}/gd/review/{pk}/")
    assert officer.locator("#changes-heading").inner_text() == "本次重新提交的变化"
    rows = [r.split("\t") for r in officer.locator("#changes tbody tr").all_inner_texts()]
    application = Application.objects.get(pk=pk)
    old, new = application.evidence.filter(checklist_key="staff_list").order_by("pk")
    assert rows == [
        ["场所总建筑面积", "260", "300"],
        ["专职工作人员名单及任职资格证明", f"staff_list.pdf ({old.sha256[:12]})",
         f"人员名单（补正）.pdf ({new.sha256[:12]})"],
    ]
    assert (application.state, application.submission_count) == (S.SUBMITTED, 2)
    applicant_context.close()
    officer_context.close()


# --- Shandong: three occupations at levels 5–3 ---


def test_shandong_applicant_cannot_add_or_submit_a_fourth_occupation_or_level_two(
    demo_data: Any, page: Any, log_in: Callable[..., None],
) -> None:
    base = demo_data.url
    log_in(page, base, "sd-org-2")  # 青岛海工职业培训学校, a private training institution
    page.on("dialog", lambda dialog: dialog.accept())  # submitting asks for a confirmation first
    pk = _start_application(page, base, "sd")
    for label in ("4-03-02-01 中式烹调师", "4-03-02-02 中式面点师", "4-03-02-07 茶艺师"):
        _add_occupation(page, label, (5, 4))
        assert _messages(page) == ["已添加申报职业。"]

    _add_occupation(page, "4-01-06-01 电子商务师", (5,))
    assert _messages(page) == ["每个评价机构申报职业（工种）不得超过3个。"]
    assert _occupation_rows(page) == ["4-03-02-01", "4-03-02-02", "4-03-02-07"]

    _click(page, page.get_by_role("button", name="移除 茶艺师"))
    _add_occupation(page, "4-03-02-07 茶艺师", (3, 2))
    assert _messages(page) == ["本省只受理以下等级：五级/初级工、四级/中级工、三级/高级工；不能申报二级/技师。"]
    assert _occupation_rows(page) == ["4-03-02-01", "4-03-02-02"]

    # a fourth occupation and a level 2 that got in some other way (an import) block the submission by rule
    application = Application.objects.get(pk=pk)
    for code, levels in (("4-03-02-07", [3, 2]), ("4-01-06-01", [5])):
        ApplicationOccupation.objects.create(application=application, occupation=Occupation.objects.get(code=code),
                                             levels=levels)
    page.reload()
    assert _verdict(page, "sd.max_occupations") == "不符合"
    assert _verdict(page, "sd.levels") == "不符合"
    _click(page, page.locator("#submit-application"))
    [message] = _messages(page)
    assert message.startswith("申请尚不能提交：")
    assert "未满足基本条件【每个评价机构试点评价职业（工种）不得超过3个】申报职业（工种）4个，超过每个评价机构3个的上限。" in message
    assert "未满足基本条件【试点期间职业技能等级原则考评三级：五级/初级工、四级/中级工、三级/高级工】茶艺师（4-03-02-07）申报二级/技师" in message
    assert Application.objects.get(pk=pk).state == S.DRAFT


# --- Guizhou: assessors per occupation ---


def test_guizhou_social_organization_with_three_assessors_fails_that_rule_by_name(
    demo_data: Any, page: Any, log_in: Callable[..., None],
) -> None:
    base = demo_data.url
    log_in(page, base, "gz-org-1")  # 贵州黔匠职业技能评价中心, a social training evaluation organization
    pk = _start_application(page, base, "gz")
    _add_occupation(page, "4-03-02-01 中式烹调师", (5, 4, 3))
    item = ApplicationOccupation.objects.get(application_id=pk)

    _open_facts(page)
    _fill_facts(page, {f"occ{item.pk}__assessors": 3, f"occ{item.pk}__trainees": 1500})

    assert _verdict(page, "gz.assessors_per_occupation") == "不符合"
    assert _reason(page, "gz.assessors_per_occupation") == "中式烹调师（4-03-02-01）考评人员3人，少于要求的4人。"
    row = page.locator('tr[data-rule="gz.assessors_per_occupation"]')
    assert row.locator("td.condition").inner_text() == "每个拟认定职业（工种）的考评人员不少于4人。"  # words, no rule id
    assert row.locator("code").count() == 0

    _open_facts(page)
    _fill_facts(page, {f"occ{item.pk}__assessors": 4})
    assert _verdict(page, "gz.assessors_per_occupation") == "符合"


# --- axe-core on the four filings pages ---


class AxeReport:
    def __init__(self, page: Any) -> None:
        self.page, self.failures, self.checked = page, [], []  # type: ignore[var-annotated]

    def check(self, label: str) -> None:
        blocking = [v for v in run_axe(self.page) if v["impact"] in BLOCKING]
        self.checked.append(label)
        if blocking:
            self.failures.append(f"--- {label} ({self.page.url})\n{describe_violations(blocking)}")

    def assert_clean(self) -> None:
        assert not self.failures, "\n".join(self.failures)


def _demo_member(username: str) -> tuple[User, Institution]:
    membership = Membership.objects.select_related("user", "institution").get(
        user__username=username, role=Role.INSTITUTION_MEMBER)
    return membership.user, membership.institution


def test_filings_pages_have_no_serious_accessibility_violations(
    demo_data: Any, axe_page: Any, browser: Any, log_in: Callable[..., None],
) -> None:
    base, page = demo_data.url, axe_page
    report = AxeReport(page)

    # a ready draft of the demo association, with a second (returned, resubmitted) one for the change table
    member, institution = _demo_member("gd-org-1")
    call = Call.objects.get(province__slug="gd", application_deadline__gt=timezone.now())
    draft = make_ready(ApplicationFactory(province="gd", institution=institution, call=call, created_by=member))
    log_in(page, base, "gd-org-1")

    page.goto(f"{base}/gd/applications/{draft.pk}/")
    report.check("application workspace (draft)")
    _open_facts(page)
    report.check("facts form")
    page.get_by_role("button", name="保存").click()  # empty figures are allowed in a draft
    page.wait_for_load_state()

    officer = User.objects.get(username="gd-city-4401")
    services.submit_application(draft, acting_user=member)
    services.start_city_review(draft, acting_user=officer)
    services.return_application(draft, acting_user=officer, items=[
        services.CorrectionRequest("fact:venue_area_m2", "场所总建筑面积", "面积与平面图不符"),
    ])
    page.goto(f"{base}/gd/applications/{draft.pk}/")
    report.check("application workspace (returned)")
    services.save_facts(draft, acting_user=member, facts={"venue_area_m2": 300})
    services.submit_application(draft, acting_user=member)
    services.start_city_review(draft, acting_user=officer)

    officer_context = new_context(browser, bypass_csp=True)
    officer_page = officer_context.new_page()
    officer_report = AxeReport(officer_page)
    log_in(officer_page, base, "gd-city-4401")
    officer_page.goto(f"{base}/gd/review/")
    officer_report.check("review list")
    officer_page.goto(f"{base}/gd/review/{draft.pk}/")
    assert officer_page.locator("#changes tbody tr").count() == 1
    officer_report.check("review detail (in review, with changes and the return form)")
    officer_page.locator("#return-fold > summary").click()
    _click(officer_page, officer_page.locator("#return-form button[type=submit]"))  # nothing listed: an error
    officer_report.check("review detail with the return form's error")
    officer_context.close()

    report.assert_clean()
    officer_report.assert_clean()
