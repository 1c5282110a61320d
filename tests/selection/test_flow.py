"""The whole selection through its services: city scoring, the summary table, the province's review, selection,
approval, publicity with an upheld objection, and the end-of-period sweep."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from filings.models import Application
from portal import publicity
from portal.models import AuditEvent, NoticeState, Notification, ObjectionState, PublicityItem
from portal.tasks import end_due_publicity
from selection import selectors, services
from selection.models import PanelLevel, SheetState, TableState
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, expert_with_account

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% approval\n"


def _score(sheet, acting_user, total_per_criterion_share):  # type: ignore[no-untyped-def]
    """Score every criterion at `share` of its maximum and submit."""
    scores = [services.ScoreInput(c.pk, (c.max_score * total_per_criterion_share).quantize(Decimal("0.01")))
              for c, _ in selectors.sheet_scores(sheet)]
    return services.submit_sheet(sheet, acting_user=acting_user, scores=scores)


def test_guangdong_selection_from_city_scoring_to_publicity_ended(monday, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    # given a Guangdong call with three applications in Guangzhou's city scoring, two experts and the officers
    call = CallFactory(closed=True, province="gd")
    apps = [ApplicationFactory(city_scoring=True, province="gd", call=call) for _ in range(3)]
    city = apps[0].city
    city_officer = MembershipFactory(province="gd", city_officer=True).user
    province_officer = call.created_by
    experts = [expert_with_account("gd") for _ in range(3)]

    # when the city forms its panel, assigns both experts to each application and they score
    panel = services.form_panel(call, acting_user=city_officer, level=PanelLevel.CITY, city=city)
    for app in apps:
        for expert in experts[:2]:
            services.assign_expert(panel, app, expert, acting_user=city_officer)
    shares = {apps[0].pk: Decimal("0.9"), apps[1].pk: Decimal("0.8"), apps[2].pk: Decimal("0.5")}
    for sheet in panel.sheets.select_related("expert__user", "panel__call", "application"):
        _score(sheet, sheet.expert.user, shares[sheet.application_id])

    # then the city's ranking is 90, 80, 50
    overall, per_occupation = selectors.rankings(panel, list(selectors.with_occupations(
        selectors.city_applications(call, city))))
    assert [(r.application.pk, r.aggregate.score, r.rank) for r in overall] == [
        (apps[0].pk, Decimal("90.00"), 1), (apps[1].pk, Decimal("80.00"), 2), (apps[2].pk, Decimal("50.00"), 3)]
    assert [g.code for g in per_occupation] == ["6-18-01-01"]

    # when the city recommends two, not the third, and sends the table
    services.decide_recommendation(apps[0], acting_user=city_officer, recommended=True)
    services.decide_recommendation(apps[1], acting_user=city_officer, recommended=True, reason="行业代表性强")
    services.decide_recommendation(apps[2], acting_user=city_officer, recommended=False, reason="得分较低")
    with django_capture_on_commit_callbacks(execute=True):
        table = services.send_summary_table(call, city, acting_user=city_officer)

    # then the table is sent with scores and ranks recorded, and the applications moved through filings
    assert table.state == TableState.SENT
    assert [(r.application_id, r.score, r.rank, r.sheets) for r in table.rows.order_by("rank")] == [
        (apps[0].pk, Decimal("90.00"), 1, "2/2"), (apps[1].pk, Decimal("80.00"), 2, "2/2"),
        (apps[2].pk, Decimal("50.00"), 3, "2/2")]
    states = dict(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("pk", "state"))
    assert states == {apps[0].pk: "recommended", apps[1].pk: "recommended", apps[2].pk: "not_recommended"}
    assert Notification.objects.filter(recipient=province_officer, title="广州市遴选推荐汇总表已报送").count() == 1

    # when the province forms its panel (which starts the review), three experts score, and it selects one
    province_panel = services.form_panel(call, acting_user=province_officer, level=PanelLevel.PROVINCE)
    assert set(Application.objects.filter(pk__in=[apps[0].pk, apps[1].pk]).values_list("state", flat=True)) == {
        "province_review"}
    for app, share in ((apps[0], Decimal("0.95")), (apps[1], Decimal("0.7"))):
        for expert in experts:
            sheet = services.assign_expert(province_panel, app, expert, acting_user=province_officer)
            _score(sheet, expert.user, share)
    selected, not_selected = services.decide_selection(call, acting_user=province_officer,
                                                       selected_ids=[apps[0].pk], reason="综合得分未进入前列")

    # then one is selected and the other not, with the reason
    assert [a.pk for a in selected] == [apps[0].pk] and [a.pk for a in not_selected] == [apps[1].pk]
    apps[1].refresh_from_db()
    assert (apps[1].state, apps[1].decision_reason) == ("not_selected", "综合得分未进入前列")

    # when the leadership group's approval is recorded and the result published
    upload = SimpleUploadedFile("审定纪要.pdf", PDF, content_type="application/pdf")
    approval = services.record_approval(call, acting_user=province_officer, meeting_date=dt.date(2026, 5, 29),
                                        document_number="粤技评〔2026〕12号", attachment=upload)
    notice = services.publish_selection(call, acting_user=province_officer)

    # then the notice runs five working days from the next working day
    assert list(approval.applications.values_list("pk", flat=True)) == [apps[0].pk]
    assert (notice.starts_on, notice.ends_on, notice.working_days) == (dt.date(2026, 6, 2), dt.date(2026, 6, 8), 5)
    assert [i.title for i in notice.items.all()] == [apps[0].institution.name]
    apps[0].refresh_from_db()
    assert apps[0].state == "in_publicity"

    # when the sweep runs on the last day, nothing happens; the day after, the notice ends and the application moves
    with time_machine.travel(dt.datetime(2026, 6, 8, 23, 0, tzinfo=SHANGHAI), tick=False):
        assert end_due_publicity.delay().get() == 0
    with time_machine.travel(dt.datetime(2026, 6, 9, 0, 10, tzinfo=SHANGHAI), tick=False):
        assert end_due_publicity.delay().get() == 1
        assert end_due_publicity.delay().get() == 0  # idempotent
    notice.refresh_from_db()
    apps[0].refresh_from_db()
    assert notice.state == NoticeState.ENDED
    assert apps[0].state == "cultivating"  # publicity_ended, then Guangdong's cultivation (filings)
    assert AuditEvent.objects.filter(action="publicity_period_ended", object_id=str(notice.pk)).count() == 1
    assert AuditEvent.objects.filter(action="publicity_ended", object_id=str(apps[0].pk), actor=None).count() == 1


def test_upheld_objection_withdraws_the_item_and_the_application_is_not_selected(monday) -> None:  # type: ignore[no-untyped-def]
    # given two approved applications published together
    call = CallFactory(closed=True, province="gd")
    first, second = (ApplicationFactory(city_scoring=True, province="gd", call=call, state="approved") for _ in range(2))
    officer = call.created_by
    notice = services.publish_selection(call, acting_user=officer)
    item = PublicityItem.objects.get(notice=notice, object_id=str(first.pk))

    # when the public objects to the first and the officer upholds it
    objection = publicity.file_objection(notice, item=item, name="张三", contact="13800001111",
                                         text="该机构近三年存在违规培训记录。", ip="203.0.113.9")
    publicity.resolve_objection(objection, acting_user=officer, upheld=True, resolution="经核实，存在违规培训记录")

    # then the item is withdrawn and the application not selected with the reason; the other is untouched
    item.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert item.withdrawn_reason == "经核实，存在违规培训记录"
    assert (first.state, first.decision_reason) == ("not_selected", "公示期间异议成立：经核实，存在违规培训记录")
    assert second.state == "in_publicity"
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD

    # and at the end of the period only the other moves on
    with time_machine.travel(dt.datetime(2026, 6, 9, 0, 10, tzinfo=SHANGHAI), tick=False):
        assert publicity.end_due_notices() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("not_selected", "cultivating")


def test_sheets_complete_notify_the_city_officers(monday, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    call = CallFactory(closed=True, province="gd")
    app = ApplicationFactory(city_scoring=True, province="gd", call=call)
    city_officer = MembershipFactory(province="gd", city_officer=True).user
    expert = expert_with_account("gd")
    panel = services.form_panel(call, acting_user=city_officer, level=PanelLevel.CITY, city=app.city)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.assign_expert(panel, app, expert, acting_user=city_officer)
    assert Notification.objects.filter(recipient=expert.user, title=f"新的评审任务：{app.institution.name}").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        sheet = _score(sheet, expert.user, Decimal("0.6"))

    assert sheet.state == SheetState.SUBMITTED
    assert Notification.objects.filter(recipient=city_officer,
                                       title=f"评估表已全部提交：{app.institution.name}").count() == 1
