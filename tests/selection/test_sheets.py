"""Scoring sheets (评估表): criterion by criterion within 0..max, submitted once and then locked; a second submit
from another tab changes nothing and says so; experts never see another's scores before their own is submitted;
an organizer may reopen a sheet with a reason; the call's rubric is editable until the first sheet is submitted."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent
from selection import selectors, services
from selection.models import Criterion, ScoreSheet, SheetState
from tests.factories import ApplicationFactory, PanelFactory, TokenFactory, expert_with_account, sheet_with_total

pytestmark = pytest.mark.django_db
D = Decimal


def _assigned_sheet(expert=None):  # type: ignore[no-untyped-def]
    panel = PanelFactory()
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    expert = expert or expert_with_account()
    return services.assign_expert(panel, application, expert, acting_user=panel.call.created_by)


def _form_data(sheet: ScoreSheet, share: Decimal, action: str) -> dict[str, str]:
    data = {"action": action, "comment": "总体较好"}
    for criterion, _ in selectors.sheet_scores(sheet):
        data[f"score_{criterion.pk}"] = str((criterion.max_score * share).quantize(D("0.01")))
        data[f"comment_{criterion.pk}"] = f"{criterion.label}符合要求"
    return data


def test_an_expert_scores_and_submits_in_the_browser_form(login: Callable[..., Client]) -> None:
    sheet = _assigned_sheet()
    client = login(sheet.expert.user)
    url = reverse("selection:sheet", kwargs={"province": "gd", "pk": sheet.pk})

    page = client.get(url)
    assert page.status_code == 200
    assert "产业代表性和行业权威性" in page.content.decode()  # the "other" category's first criterion

    client.post(url, _form_data(sheet, D("0.5"), "save"))
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == (SheetState.ASSIGNED, D("50.00"))

    response = client.post(url, _form_data(sheet, D("0.8"), "submit"), follow=True)
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == (SheetState.SUBMITTED, D("80.00"))
    assert "评估表已提交。" in response.content.decode()
    assert list(sheet.scores.order_by("criterion__position").values_list("score", flat=True)) == [
        D("16.00"), D("12.00"), D("12.00"), D("16.00"), D("12.00"), D("12.00")]


def test_a_second_submit_from_another_tab_changes_nothing_and_says_so(login: Callable[..., Client]) -> None:
    # given two tabs open on the same sheet; the first submits 80 points
    sheet = _assigned_sheet()
    client = login(sheet.expert.user)
    url = reverse("selection:sheet", kwargs={"province": "gd", "pk": sheet.pk})
    client.post(url, _form_data(sheet, D("0.8"), "submit"))
    sheet.refresh_from_db()
    submitted_at = sheet.submitted_at
    events = AuditEvent.objects.count()

    # when the second tab submits other scores
    response = client.post(url, _form_data(sheet, D("0.3"), "submit"), follow=True)

    # then nothing changed and the expert is told the sheet was already submitted
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total, sheet.submitted_at) == (SheetState.SUBMITTED, D("80.00"), submitted_at)
    assert AuditEvent.objects.count() == events
    text = response.content.decode()
    assert "该评估表已于" in text and "提交并锁定，本次提交未作任何更改。" in text


def test_a_second_submit_through_the_api_is_a_409_with_a_stable_code() -> None:
    sheet = _assigned_sheet()
    token = TokenFactory(user=sheet.expert.user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api_selection_sheet_submit", kwargs={"province": "gd", "pk": sheet.pk})
    scores = [{"criterion": c.pk, "score": str(c.max_score)} for c, _ in selectors.sheet_scores(sheet)]

    first = client.post(url, {"scores": scores}, content_type="application/json")
    second = client.post(url, {"scores": [{"criterion": scores[0]["criterion"], "score": "0"}]},
                         content_type="application/json")

    assert first.status_code == 200
    assert first.json()["total"] == "100.00"
    assert second.status_code == 409
    assert second.json()["code"] == "sheet_already_submitted"
    sheet.refresh_from_db()
    assert sheet.total == D("100.00")


def test_scores_outside_zero_to_max_are_refused_with_the_criterion_named() -> None:
    sheet = _assigned_sheet()
    criterion = Criterion.objects.get(round__call=sheet.panel.call, category="other", key="industry_authority")

    with pytest.raises(DomainError) as refused:
        services.save_sheet(sheet, acting_user=sheet.expert.user, scores=[services.ScoreInput(criterion.pk, D("20.5"))])

    assert refused.value.code == "score_out_of_range"
    assert str(refused.value) == "“产业代表性和行业权威性”的得分应在0至20分之间。"


def test_an_incomplete_sheet_cannot_be_submitted() -> None:
    sheet = _assigned_sheet()
    first = selectors.sheet_scores(sheet)[0][0]

    with pytest.raises(DomainError) as refused:
        services.submit_sheet(sheet, acting_user=sheet.expert.user, scores=[services.ScoreInput(first.pk, D(10))])

    assert refused.value.code == "sheet_incomplete"
    assert str(refused.value).startswith("以下指标尚未评分：评价专业性、")


def test_experts_see_other_scores_only_after_submitting_their_own(login: Callable[..., Client]) -> None:
    # given a colleague who submitted 93.50 and an expert who has not submitted yet
    sheet = _assigned_sheet()
    colleague = sheet_with_total(sheet.panel, sheet.application, "93.50", expert=expert_with_account(name="李评委"))
    client = login(sheet.expert.user)
    page_url = reverse("selection:sheet", kwargs={"province": "gd", "pk": sheet.pk})
    api_url = reverse("api_selection_sheet", kwargs={"province": "gd", "pk": sheet.pk})

    # then neither the page nor the API shows the colleague's score
    before = client.get(page_url).content.decode()
    assert "93.50" not in before and "李评委" not in before
    assert client.get(api_url).json()["others"] == []

    # when the expert submits, the colleague's total appears
    client.post(page_url, _form_data(sheet, D("0.7"), "submit"))
    assert "李评委：93.50" in client.get(page_url).content.decode()
    assert client.get(api_url).json()["others"] == [{"expert": "李评委", "total": "93.50"}]
    assert colleague.total == D("93.50")


def test_an_organizer_reopens_a_sheet_with_a_reason_and_it_is_audited() -> None:
    sheet = _assigned_sheet()
    officer = sheet.panel.call.created_by
    services.submit_sheet(sheet, acting_user=sheet.expert.user,
                          scores=[services.ScoreInput(c.pk, c.max_score) for c, _ in selectors.sheet_scores(sheet)])

    with pytest.raises(DomainError):
        services.reopen_sheet(sheet, acting_user=officer, reason=" ")
    reopened = services.reopen_sheet(sheet, acting_user=officer, reason="第3项评分依据不足，请复核")

    assert (reopened.state, reopened.reopened_count) == (SheetState.ASSIGNED, 1)
    event = AuditEvent.objects.get(action="sheet_reopened", object_id=str(sheet.pk))
    assert (event.actor, event.reason, event.from_state, event.to_state) == (
        officer, "第3项评分依据不足，请复核", "submitted", "assigned")
    with pytest.raises(ConflictError):
        services.reopen_sheet(sheet, acting_user=officer, reason="再次退回")


def test_the_rubric_is_editable_until_the_first_sheet_is_submitted() -> None:
    sheet = _assigned_sheet()
    round_ = sheet.panel.call.selection_round
    officer = sheet.panel.call.created_by
    rows = list(Criterion.objects.filter(round=round_, category="school").order_by("position"))  # 25/30/20/25

    # a total other than 100 is refused
    changes = [services.CriterionChange(c.pk, c.label, c.max_score, c.description) for c in rows]
    changes[0] = services.CriterionChange(rows[0].pk, "人才培养能力", D(30), rows[0].description)
    with pytest.raises(DomainError) as refused:
        services.update_rubric(round_, acting_user=officer, category="school", changes=changes)
    assert str(refused.value) == "各项分值合计应为100分，现为105分。"

    # moving five points between two criteria is accepted and audited
    changes[1] = services.CriterionChange(rows[1].pk, rows[1].label, D(25), rows[1].description)
    services.update_rubric(round_, acting_user=officer, category="school", changes=changes, drop_extremes=False)
    assert list(Criterion.objects.filter(round=round_, category="school").order_by("position")
                .values_list("max_score", flat=True)) == [D(30), D(25), D(20), D(25)]
    round_.refresh_from_db()
    assert round_.drop_extremes is False
    assert AuditEvent.objects.filter(action="rubric_updated").count() == 1

    # after the first submitted sheet of the call, no more changes
    services.submit_sheet(sheet, acting_user=sheet.expert.user,
                          scores=[services.ScoreInput(c.pk, D(1)) for c, _ in selectors.sheet_scores(sheet)])
    with pytest.raises(DomainError) as locked:
        services.update_rubric(round_, acting_user=officer, category="school", changes=changes)
    assert locked.value.code == "rubric_locked"


def test_the_rubric_page_copies_the_pack_and_shows_the_lock(login: Callable[..., Client]) -> None:
    panel = PanelFactory()
    page = login(panel.call.created_by).get(reverse("selection:rubric", kwargs={"province": "gd",
                                                                                 "call_pk": panel.call.pk}))

    text = page.content.decode()
    assert page.status_code == 200
    assert "人才评价能力" in text and "合计100分" in text
    assert Criterion.objects.filter(round__call=panel.call).count() == 3 * 4 + 6


def test_declaring_a_conflict_recuses_the_sheet_and_requires_a_reason_for_other_cases() -> None:
    sheet = _assigned_sheet()

    with pytest.raises(DomainError) as refused:
        services.declare_conflict(sheet.application, acting_user=sheet.expert.user, kind="relation")
    assert refused.value.code == "reason_required"

    services.declare_conflict(sheet.application, acting_user=sheet.expert.user, kind="same_employer")
    sheet.refresh_from_db()
    assert sheet.state == SheetState.RECUSED
    with pytest.raises(DomainError) as recused:
        services.save_sheet(sheet, acting_user=sheet.expert.user, scores=[])
    assert recused.value.code == "sheet_recused"
