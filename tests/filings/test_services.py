"""filings.services: the application's state machine, its audit trail, its guards and what it tells whom.

Every transition is called as the views call it (a fresh object in, the service locks and re-reads the row).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings import selectors, services
from filings.models import Application, ApplicationState, Correction, Evidence, Route, Submission
from filings.selectors import Change
from portal.audit_chain import SealOnCommit
from portal.errors import ConflictError, DomainError, InvalidTransition, NotPermitted
from portal.models import AuditEvent, InstitutionLevel, Notification, User
from tests.factories import (
    PASTRY_CHEF,
    TEA,
    ApplicationFactory,
    ApplicationOccupationFactory,
    CallFactory,
    city_officer,
    member_of,
    occupation,
    pdf_bytes,
    provincial_officer,
    the_member,
)

pytestmark = pytest.mark.django_db

S = ApplicationState
RETURN_ITEMS = [
    services.CorrectionRequest("fact:venue_area_m2", "场所总建筑面积", "面积与平面图不符，请核实。"),
    services.CorrectionRequest("doc:staff_list", "专职工作人员名单及任职资格证明", "名单缺少内部质量督导员。"),
]


def _fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def _submitted(**traits: Any) -> Application:
    """A Guangzhou application, ready and submitted by its member through the service."""
    application = ApplicationFactory(ready=True, **traits)
    services.submit_application(application, acting_user=the_member(application))
    return _fresh(application)


def _in_review(officer: User) -> Application:
    application = _submitted()
    services.start_city_review(application, acting_user=officer)
    return _fresh(application)


def _events(action: str | None = None) -> list[AuditEvent]:
    qs = AuditEvent.objects.order_by("pk")
    return list(qs.filter(action=action) if action else qs)


# --- submission ---


def test_submit_moves_a_ready_draft_to_its_city_with_a_snapshot_and_an_audit_event() -> None:
    # given a ready draft of a Guangzhou association
    application = ApplicationFactory(ready=True)
    member = the_member(application)

    # when its member submits it
    result = services.submit_application(application, acting_user=member)

    # then it is submitted to its city, numbered, snapshotted and audited with what changed
    result.refresh_from_db()
    assert (result.state, result.route, result.submission_count) == (S.SUBMITTED, Route.CITY, 1)
    assert application.state == S.SUBMITTED  # the caller's object is refreshed too
    submission = Submission.objects.get()
    assert (submission.number, submission.submitted_by) == (1, member)
    assert submission.snapshot == selectors.snapshot(result)
    event = AuditEvent.objects.get(action="application_submitted")
    assert (event.actor, event.from_state, event.to_state, event.reason) == (member, "draft", "submitted", "")
    assert (event.object_type, event.object_id, event.province.slug) == ("filings.application", str(result.pk), "gd")
    assert set(event.changes) == {"state", "route", "submission_count", "submitted_at"}
    assert event.changes["state"] == {"before": "draft", "after": "submitted"}
    assert event.changes["route"] == {"before": "", "after": "city"}
    assert event.changes["submission_count"] == {"before": 0, "after": 1}
    assert event.changes["submitted_at"] == {"before": None, "after": result.submitted_at.isoformat()}


def test_submission_without_the_pledge_is_refused_with_that_reason() -> None:
    application = ApplicationFactory(ready=True)
    Application.objects.filter(pk=application.pk).update(pledge_confirmed_at=None, pledge_signer="")

    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(_fresh(application), acting_user=the_member(application))

    assert refused.value.code == "submission_refused"
    assert refused.value.problems == ["请先确认诚信承诺"]
    assert str(refused.value) == "申请尚不能提交：请先确认诚信承诺"
    assert _fresh(application).state == S.DRAFT
    assert (Submission.objects.count(), _events()) == (0, [])


def test_submission_needs_every_required_material_but_no_optional_one() -> None:
    # given a ready draft whose required staff list is taken off (optional items such as the lease were never there)
    application = ApplicationFactory(ready=True)
    services.remove_evidence(application.evidence.get(checklist_key="staff_list"), acting_user=the_member(application))
    assert not application.evidence.filter(checklist_key="venue_lease").exists()

    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(_fresh(application), acting_user=the_member(application))

    assert refused.value.problems == ["请上传“专职工作人员名单及任职资格证明”"]
    assert _fresh(application).state == S.DRAFT


def test_submission_lists_every_problem_of_an_empty_draft() -> None:
    application = ApplicationFactory()

    problems = services.submission_problems(application)

    assert problems == [
        "请至少申报一个职业（工种）",
        "请上传“广东省社会培训评价组织备案申请表（附件2）”",
        "请上传“营业执照或法人登记证书”",
        "请上传“场所产权或使用证明及平面图”",
        "请上传“设施设备资产清单”",
        "请上传“专职工作人员名单及任职资格证明”",
        "请上传“人员聘用合同、劳动合同或劳务协议”",
        "请上传“管理制度汇编”",
        "请先确认诚信承诺",
    ]


def test_a_failed_basic_condition_blocks_submission_by_name() -> None:
    application = ApplicationFactory(ready=True)
    services.save_facts(application, acting_user=the_member(application), facts={"member_units": 45})

    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit_application(_fresh(application), acting_user=the_member(application))

    assert refused.value.problems == [
        "未满足基本条件【候选机构为协会的，原则上应达到50个以上会员单位或500人以上个人会员规模，提供相应佐证材料】会员单位45个、个人会员0人，未达到50个会员单位或500名个人会员。"
    ]


def test_only_a_member_of_the_institution_submits() -> None:
    application = ApplicationFactory(ready=True)
    outsider = member_of(ApplicationFactory().institution)

    with pytest.raises(NotPermitted):
        services.submit_application(application, acting_user=outsider)

    assert _fresh(application).state == S.DRAFT


# --- every transition is audited ---


def _start(app: Application, officer: User) -> Any:
    return services.start_city_review(app, acting_user=officer)


def _return(app: Application, officer: User) -> Any:
    return services.return_application(app, acting_user=officer, items=RETURN_ITEMS, note="请在5个工作日内补正。")


def _not_recommend(app: Application, officer: User) -> Any:
    return services.not_recommend_application(app, acting_user=officer, reason="  场所为临时租用，不符合要求。 ")


def _pass(app: Application, officer: User) -> Any:
    return services.pass_city_review(app, acting_user=officer)


def _recommend(app: Application, officer: User) -> Any:
    return services.recommend_application(app, acting_user=officer, reason="综合评估排名第一。")


TRANSITIONS: dict[str, tuple[dict[str, Any], Callable[[Application, User], Any], str, str, str, str, set[str]]] = {
    # name: (traits, call, action, from, to, reason, changed columns besides the state)
    "start_city_review": ({"submitted": True}, _start, "city_review_started", "submitted", "city_review", "",
                          {"reviewer_id"}),
    "return_for_correction": ({"in_city_review": True}, _return, "application_returned", "city_review", "returned",
                              "请在5个工作日内补正。", {"items"}),
    "not_recommend": ({"in_city_review": True}, _not_recommend, "application_not_recommended", "city_review",
                      "not_recommended", "场所为临时租用，不符合要求。", {"decision_reason", "decided_at"}),
    "pass_city_review": ({"in_city_review": True}, _pass, "city_review_passed", "city_review", "city_scoring", "",
                         set()),
    "recommend": ({"city_scoring": True}, _recommend, "application_recommended", "city_scoring", "recommended",
                  "综合评估排名第一。", {"decision_reason", "decided_at"}),
}


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_each_officer_transition_writes_one_audit_event_with_from_to_reason_and_changes(name: str) -> None:
    traits, call, action, from_state, to_state, reason, changed = TRANSITIONS[name]
    application = ApplicationFactory(**traits)
    officer = city_officer("gd", "4401")

    call(_fresh(application), officer)

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_id) == (officer, action, str(application.pk))
    assert (event.from_state, event.to_state, event.reason) == (from_state, to_state, reason)
    assert event.changes["state"] == {"before": from_state, "after": to_state}
    assert set(event.changes) == {"state", *changed}
    assert _fresh(application).state == to_state


def test_the_return_event_lists_its_items_and_the_reviewer_event_names_the_officer() -> None:
    officer = city_officer("gd", "4401")
    application = ApplicationFactory(submitted=True)

    _start(_fresh(application), officer)
    _return(_fresh(application), officer)

    started, returned = _events()
    assert started.changes["reviewer_id"] == {"before": None, "after": officer.pk}
    assert returned.changes["items"] == [
        "场所总建筑面积：面积与平面图不符，请核实。", "专职工作人员名单及任职资格证明：名单缺少内部质量督导员。"
    ]


def test_withdrawal_is_audited_with_its_reason() -> None:
    application = ApplicationFactory(submitted=True)
    member = the_member(application)

    services.withdraw_application(application, acting_user=member, reason="本年度暂不申报。")

    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.from_state, event.to_state, event.reason) == (
        member, "application_withdrawn", "submitted", "withdrawn", "本年度暂不申报。"
    )
    assert set(event.changes) == {"state", "decision_reason", "decided_at"}
    assert _fresh(application).decision_reason == "本年度暂不申报。"


# --- illegal moves ---

ILLEGAL: dict[str, tuple[dict[str, Any], str, str]] = {
    # name: (traits, service, state shown in the refusal)
    "start a draft": ({}, "start_city_review", "草稿"),
    "pass before accepting": ({"submitted": True}, "pass_city_review", "已提交"),
    "return before accepting": ({"submitted": True}, "return_application", "已提交"),
    "accept twice": ({"in_city_review": True}, "start_city_review", "地市初审中"),
    "recommend during review": ({"in_city_review": True}, "recommend_application", "地市初审中"),
    "not recommend a returned one": ({"returned": True}, "not_recommend_application", "退回补正"),
    "pass a final decision": ({"not_recommended": True}, "pass_city_review", "不予推荐"),
}


@pytest.mark.parametrize("name", sorted(ILLEGAL))
def test_an_illegal_move_is_refused_and_changes_nothing(name: str) -> None:
    traits, service, state_label = ILLEGAL[name]
    application = ApplicationFactory(**traits)
    before = _fresh(application)
    kwargs: dict[str, Any] = {"acting_user": provincial_officer("gd")}
    if service == "return_application":
        kwargs["items"] = RETURN_ITEMS
    if service == "not_recommend_application":
        kwargs["reason"] = "理由"

    with pytest.raises(InvalidTransition) as refused:
        getattr(services, service)(_fresh(application), **kwargs)

    assert refused.value.code == "invalid_transition"
    assert str(refused.value) == f"申请当前状态为“{state_label}”，不能执行该操作。"
    after = _fresh(application)
    assert (after.state, after.reviewer_id, after.decision_reason) == (
        before.state, before.reviewer_id, before.decision_reason)
    assert (_events(), Correction.objects.count()) == ([], 0)


def test_an_applicant_cannot_submit_what_is_under_review() -> None:
    application = ApplicationFactory(in_city_review=True)

    with pytest.raises(InvalidTransition) as refused:
        services.submit_application(_fresh(application), acting_user=the_member(application))

    assert str(refused.value) == "申请当前状态为“地市初审中”，不能执行该操作。"
    assert _events() == []


def test_an_applicant_cannot_edit_what_is_under_review() -> None:
    application = ApplicationFactory(in_city_review=True)

    with pytest.raises(InvalidTransition) as refused:
        services.save_facts(application, acting_user=the_member(application), facts={"member_units": 1})

    assert refused.value.code == "application_not_editable"
    assert str(refused.value) == "申请当前状态为“地市初审中”，不能修改。"
    assert _fresh(application).facts == {}


# --- concurrency ---


def test_a_stale_copy_meets_a_conflict_and_nothing_is_done_twice() -> None:
    # given two officers who opened the same submitted application
    application = ApplicationFactory(submitted=True)
    first_copy, second_copy = _fresh(application), _fresh(application)
    first, second = city_officer("gd", "4401"), provincial_officer("gd")

    # when both accept it, one after the other
    services.start_city_review(first_copy, acting_user=first)
    with pytest.raises(ConflictError) as conflict:
        services.start_city_review(second_copy, acting_user=second)

    # then the second is told it moved, and the first one's acceptance stands alone
    assert conflict.value.code == "conflict"
    assert str(conflict.value) == "该申请刚刚已被处理（当前状态：地市初审中），请刷新页面查看。"
    assert _fresh(application).reviewer == first
    assert [(e.actor, e.action) for e in _events()] == [(first, "city_review_started")]


def test_a_decision_on_a_stale_copy_after_a_withdrawal_is_a_conflict() -> None:
    application = ApplicationFactory(in_city_review=True)
    officer_copy = _fresh(application)
    services.withdraw_application(_fresh(application), acting_user=the_member(application), reason="撤回")

    with pytest.raises(ConflictError):
        _not_recommend(officer_copy, city_officer("gd", "4401"))

    assert _fresh(application).state == S.WITHDRAWN
    assert [e.action for e in _events()] == ["application_withdrawn"]


# --- who is told, and when ---


def test_submission_notifies_the_city_officers_of_that_city_after_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given two Guangzhou officers, a Shenzhen officer and a provincial officer
    guangzhou = [city_officer("gd", "4401"), city_officer("gd", "4401")]
    city_officer("gd", "4403")
    provincial_officer("gd")
    application = ApplicationFactory(ready=True)

    # when the application is submitted, nothing is sent until the transaction commits
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit_application(application, acting_user=the_member(application))
        assert Notification.objects.count() == 0
    notifying = [c for c in callbacks if not isinstance(c, SealOnCommit)]  # the other seals the audit chain
    assert len(notifying) == 1
    assert Notification.objects.count() == 0
    notifying[0]()

    # then exactly the Guangzhou officers are told, with a link to the review page
    notes = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notes] == guangzhou
    assert {(n.title, n.body, n.link) for n in notes} == {(
        f"新的备案申请待受理：{application.institution.name}",
        f"{application.institution.name} 已提交（第1次），请在初审截止前完成审核。",
        f"/gd/review/{application.pk}/",
    )}


def test_a_province_route_submission_notifies_the_provincial_officers(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    city_officer("gd", "4401")
    province = provincial_officer("gd")
    application = ApplicationFactory(ready=True)
    services.save_facts(application, acting_user=the_member(application), facts={"filed_with_mohrss": True})

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(_fresh(application), acting_user=the_member(application))

    assert _fresh(application).route == Route.PROVINCE
    assert [n.recipient for n in Notification.objects.all()] == [province]


def test_a_refused_submission_sends_nothing(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    city_officer("gd", "4401")
    application = ApplicationFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(services.SubmissionRefused):
        services.submit_application(application, acting_user=the_member(application))

    assert (callbacks, Notification.objects.count()) == ([], 0)


def test_a_return_notifies_the_institutions_members_with_the_itemized_list(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given an application under review whose institution has two members (and another institution one)
    application = ApplicationFactory(in_city_review=True)
    members = [the_member(application), member_of(application.institution)]
    member_of(ApplicationFactory().institution)

    with django_capture_on_commit_callbacks(execute=True):
        correction = _return(_fresh(application), city_officer("gd", "4401"))

    notes = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notes] == members
    assert {(n.title, n.body, n.link) for n in notes} == {(
        "备案申请被退回补正：2项",
        "1. 场所总建筑面积：面积与平面图不符，请核实。\n2. 专职工作人员名单及任职资格证明：名单缺少内部质量督导员。",
        f"/gd/applications/{application.pk}/",
    )}
    assert (correction.round, correction.note) == (1, "请在5个工作日内补正。")
    assert [(i.target, i.target_label, i.problem) for i in correction.items.all()] == [
        (i.target, i.target_label, i.problem) for i in RETURN_ITEMS
    ]


# --- guards of the decisions ---


@pytest.mark.parametrize("items", [[], [services.CorrectionRequest("doc:staff_list", "名单", "  ")]])
def test_a_return_needs_at_least_one_item_with_a_problem(items: list[services.CorrectionRequest]) -> None:
    application = ApplicationFactory(in_city_review=True)

    with pytest.raises(DomainError) as refused:
        services.return_application(_fresh(application), acting_user=city_officer("gd", "4401"), items=items)

    assert refused.value.code == "correction_items_missing"
    assert str(refused.value) == "请至少列出一项需要补正的内容，并说明问题。"
    assert _fresh(application).state == S.CITY_REVIEW
    assert (Correction.objects.count(), _events()) == (0, [])


@pytest.mark.parametrize("reason", ["", "   "])
def test_not_recommending_needs_a_reason(reason: str) -> None:
    application = ApplicationFactory(in_city_review=True)

    with pytest.raises(DomainError) as refused:
        services.not_recommend_application(_fresh(application), acting_user=city_officer("gd", "4401"), reason=reason)

    assert (refused.value.code, str(refused.value)) == ("reason_required", "不予推荐必须填写理由。")
    assert _fresh(application).state == S.CITY_REVIEW
    assert _events() == []


def test_an_officer_of_another_city_may_not_decide() -> None:
    application = ApplicationFactory(submitted=True)

    with pytest.raises(NotPermitted) as refused:
        services.start_city_review(application, acting_user=city_officer("gd", "4403"))

    assert str(refused.value) == "只有申请所在地市的经办人员或省级经办人员可以办理此事项。"
    assert _fresh(application).state == S.SUBMITTED


@pytest.mark.parametrize("traits", [{}, {"submitted": True}, {"in_city_review": True}, {"returned": True},
                                    {"city_scoring": True}], ids=["draft", "submitted", "city_review", "returned",
                                                                  "city_scoring"])
def test_the_applicant_may_withdraw_before_a_decision(traits: dict[str, Any]) -> None:
    application = ApplicationFactory(**traits)

    services.withdraw_application(_fresh(application), acting_user=the_member(application), reason="不再申报")

    assert _fresh(application).state == S.WITHDRAWN


@pytest.mark.parametrize("state", [S.NOT_RECOMMENDED, S.RECOMMENDED, S.WITHDRAWN])
def test_the_applicant_may_not_withdraw_after_a_decision(state: str) -> None:
    application = ApplicationFactory(in_city_review=True, state=state)

    with pytest.raises(InvalidTransition):
        services.withdraw_application(_fresh(application), acting_user=the_member(application), reason="不再申报")

    assert _fresh(application).state == state
    assert _events() == []


def test_after_a_withdrawal_the_institution_may_start_again_in_the_same_call() -> None:
    application = ApplicationFactory(submitted=True)
    member = the_member(application)
    services.withdraw_application(application, acting_user=member, reason="重新准备")

    again = services.create_application(application.call, application.institution, acting_user=member)

    assert again.pk != application.pk
    assert (again.state, again.call, again.city) == (S.DRAFT, application.call, application.city)


def test_starting_twice_returns_the_same_draft() -> None:
    application = ApplicationFactory()

    again = services.create_application(application.call, application.institution, acting_user=the_member(application))

    assert again == application
    assert _events() == []


# --- routes ---


@pytest.mark.parametrize(
    ("level", "prefers_province", "facts", "route"),
    [
        (InstitutionLevel.CITY, False, {}, Route.CITY),
        (InstitutionLevel.CITY, True, {}, Route.CITY),  # a city-level institution has no choice
        (InstitutionLevel.PROVINCE, False, {}, Route.CITY),
        (InstitutionLevel.PROVINCE, True, {}, Route.PROVINCE),
        (InstitutionLevel.CENTRAL, False, {}, Route.PROVINCE),
        (InstitutionLevel.CITY, False, {"is_chain_leader": True}, Route.PROVINCE),
    ],
    ids=["city", "city-choosing-province", "province", "province-choosing-province", "central", "chain-leader"],
)
def test_guangdong_routes(level: str, prefers_province: bool, facts: dict[str, Any], route: str) -> None:
    application = ApplicationFactory(ready=True)
    application.institution.level = level
    application.institution.save()
    services.save_facts(application, acting_user=the_member(application), facts=facts,
                        prefers_province_route=prefers_province)

    services.submit_application(_fresh(application), acting_user=the_member(application))

    assert _fresh(application).route == route


def test_the_route_is_shown_to_the_applicant_and_the_officer(login: Callable[[User], Any]) -> None:
    application = ApplicationFactory(ready=True)
    application.institution.level = InstitutionLevel.PROVINCE
    application.institution.save()
    member = the_member(application)
    services.save_facts(application, acting_user=member, facts={}, prefers_province_route=True)
    services.submit_application(_fresh(application), acting_user=member)

    mine = login(member).get(f"/gd/applications/{application.pk}/").content.decode()
    review = login(provincial_officer("gd")).get(f"/gd/review/{application.pk}/").content.decode()

    assert " · 直接向省申报" in mine
    assert " · 直接向省申报" in review


# --- Shandong's limits ---


def test_shandong_refuses_a_fourth_occupation_naming_the_limit() -> None:
    application = ApplicationFactory(province="sd")
    member = the_member(application)
    for code in ("4-03-02-01", PASTRY_CHEF, TEA):
        services.add_occupation(application, acting_user=member, occupation=occupation(code), work_type=None,
                                levels=[5, 4])

    with pytest.raises(DomainError) as refused:
        services.add_occupation(application, acting_user=member, occupation=occupation("4-01-06-01"), work_type=None,
                                levels=[5])

    assert refused.value.code == "too_many_occupations"
    assert str(refused.value) == "每个评价机构申报职业（工种）不得超过3个。"
    assert application.occupations.count() == 3
    assert [e.action for e in _events()] == ["occupation_added"] * 3


def test_shandong_refuses_level_two_naming_the_levels_it_takes() -> None:
    application = ApplicationFactory(province="sd")

    with pytest.raises(DomainError) as refused:
        services.add_occupation(application, acting_user=the_member(application), occupation=occupation(TEA),
                                work_type=None, levels=[4, 2])

    assert refused.value.code == "level_not_allowed"
    assert str(refused.value) == "本省只受理以下等级：五级/初级工、四级/中级工、三级/高级工；不能申报二级/技师。"
    assert (application.occupations.count(), _events()) == (0, [])


def test_guangdong_takes_level_two_and_a_fourth_occupation() -> None:
    application = ApplicationFactory()
    member = the_member(application)
    for code in ("4-03-02-01", PASTRY_CHEF, TEA, "4-01-06-01"):
        services.add_occupation(application, acting_user=member, occupation=occupation(code), work_type=None,
                                levels=[3, 2])

    assert [o.levels for o in application.occupations.all()] == [[3, 2]] * 4


def test_a_shandong_draft_holding_four_occupations_or_level_two_cannot_be_submitted() -> None:
    # given ready Shandong drafts that got past add_occupation's guard (written directly, as an import might)
    four = ApplicationFactory(province="sd", ready=True)
    for code in (PASTRY_CHEF, TEA, "4-01-06-01"):
        ApplicationOccupationFactory(application=four, occupation=occupation(code),
                                     facts={"within_own_scope": True, "evaluation_years": 2, "evaluated_count": 90})
    level_two = ApplicationFactory(province="sd", ready=True)
    level_two.occupations.update(levels=[3, 2])

    refusals = {}
    for name, application in (("four", four), ("level_two", level_two)):
        with pytest.raises(services.SubmissionRefused) as refused:
            services.submit_application(_fresh(application), acting_user=the_member(application))
        refusals[name] = refused.value.problems

    assert refusals == {
        "four": ["未满足基本条件【每个评价机构试点评价职业（工种）不得超过3个】申报职业（工种）4个，超过每个评价机构3个的上限。"],
        "level_two": ["未满足基本条件【试点期间职业技能等级原则考评三级：五级/初级工、四级/中级工、三级/高级工】中式烹调师（4-03-02-01）申报二级/技师，试点期间只考评五级/初级工、"
                      "四级/中级工、三级/高级工。"],
    }


# --- deadlines ---


def test_a_draft_stays_editable_after_the_deadline_but_cannot_be_submitted() -> None:
    application = ApplicationFactory(ready=True)
    deadline = application.call.application_deadline
    member = the_member(application)

    with time_machine.travel(deadline + dt.timedelta(minutes=1)):
        services.save_facts(application, acting_user=member, facts={"member_units": 130})
        with pytest.raises(DomainError) as refused:
            services.submit_application(_fresh(application), acting_user=member)

    local = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")
    assert refused.value.code == "deadline_passed"
    assert str(refused.value) == f"本批次申报截止时间为{local}，已截止，不能再提交。草稿已保留。"
    assert (_fresh(application).state, _fresh(application).facts["member_units"]) == (S.DRAFT, 130)
    assert [e.action for e in _events()] == ["facts_saved"]


def test_a_returned_application_may_be_resubmitted_after_the_application_deadline_until_the_city_deadline() -> None:
    # given an application returned for correction during the city's review, after the application deadline
    officer = city_officer("gd", "4401")
    call = CallFactory(application_deadline=timezone.now() + dt.timedelta(days=1))
    application = ApplicationFactory(ready=True, call=call)
    member = the_member(application)
    services.submit_application(application, acting_user=member)
    with time_machine.travel(call.application_deadline + dt.timedelta(days=2)):
        services.start_city_review(_fresh(application), acting_user=officer)
        _return(_fresh(application), officer)

        # when the applicant resubmits before the city's deadline
        services.submit_application(_fresh(application), acting_user=member)

    # then it is submitted again; after the city's deadline it would be refused with that deadline
    assert (_fresh(application).state, _fresh(application).submission_count) == (S.SUBMITTED, 2)
    services.start_city_review(_fresh(application), acting_user=officer)
    _return(_fresh(application), officer)
    with time_machine.travel(call.city_review_deadline + dt.timedelta(minutes=1)), \
            pytest.raises(DomainError) as refused:
        services.submit_application(_fresh(application), acting_user=member)
    local = timezone.localtime(call.city_review_deadline).strftime("%Y-%m-%d %H:%M")
    assert str(refused.value) == f"本批次地市初审截止时间为{local}，已截止，不能再重新提交。修改已保留。"
    assert _fresh(application).state == S.RETURNED


def test_no_application_is_started_in_a_closed_call() -> None:
    call = CallFactory(closed=True)
    institution = ApplicationFactory().institution

    with pytest.raises(DomainError) as refused:
        services.create_application(call, institution, acting_user=member_of(institution))

    assert refused.value.code == "deadline_passed"
    assert Application.objects.filter(call=call).count() == 0


# --- what changed between two submissions ---


def test_changes_since_the_previous_submission_are_exactly_the_corrected_fact_and_document() -> None:
    # given a submitted application returned with two items
    officer = city_officer("gd", "4401")
    application = _in_review(officer)
    member = the_member(application)
    _return(_fresh(application), officer)
    old_list = application.evidence.get(checklist_key="staff_list")
    assert selectors.changes_since_previous_submission(_fresh(application)) == []

    # when the applicant corrects the area and replaces the staff list, then resubmits
    services.save_facts(_fresh(application), acting_user=member, facts={"venue_area_m2": 300})
    services.remove_evidence(old_list, acting_user=member)
    new_list = services.upload_evidence(
        _fresh(application), acting_user=member, checklist_key="staff_list",
        upload=SimpleUploadedFile("人员名单-修订.pdf", pdf_bytes("修订"), content_type="application/pdf"),
    )
    services.submit_application(_fresh(application), acting_user=member)

    # then the officer sees exactly those two changes
    assert selectors.changes_since_previous_submission(_fresh(application)) == [
        Change("facts", "venue_area_m2", "场所总建筑面积", 260, 300),
        Change(
            "documents", "staff_list", "专职工作人员名单及任职资格证明",
            [f"staff_list.pdf ({old_list.sha256[:12]})"], [f"人员名单-修订.pdf ({new_list.sha256[:12]})"],
        ),
    ]
    assert Correction.objects.get().resubmitted_at is not None
    assert list(Submission.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


# --- the draft's own writes ---


def test_saving_facts_audits_only_what_changed() -> None:
    application = ApplicationFactory(ready=True)
    item = application.occupations.get()
    member = the_member(application)

    services.save_facts(application, acting_user=member, facts={"member_units": 120, "full_time_staff": 9},
                        occupation_facts={item.pk: {"note": "新增"}})
    services.save_facts(_fresh(application), acting_user=member, facts={"member_units": 120})

    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == ("facts_saved", member)
    assert event.changes == {
        "full_time_staff": {"before": 8, "after": 9},
        "4-03-02-01.note": {"before": None, "after": "新增"},
    }


def test_removing_a_file_keeps_it_and_marks_it_removed() -> None:
    application = ApplicationFactory(ready=True)
    evidence = application.evidence.get(checklist_key="staff_list")

    services.remove_evidence(evidence, acting_user=the_member(application))
    services.remove_evidence(evidence, acting_user=the_member(application))  # a second click changes nothing

    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert evidence.file.read() == pdf_bytes()
    assert [e.action for e in _events()] == ["evidence_removed"]
    assert Evidence.objects.filter(application=application, removed_at__isnull=True).count() == 7
