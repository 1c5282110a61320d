"""The province: its panel starts the review of recommended applications, province-route applications are started
by hand, the ranking page pre-ticks with its helpers, selection and non-selection through filings, the leadership
group's approval with a checked upload, and publication on the working-day calendar."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filings.models import Application
from portal.errors import CalendarNotCovered, ConflictError, DomainError
from portal.models import AuditEvent, CalendarYear, Notification, PublicityNotice
from selection import services
from selection.models import LeadershipApproval, PanelLevel
from tests.factories import ApplicationFactory, CallFactory, ExpertFactory, PanelFactory, sheet_with_total

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% minutes\n"


def test_forming_the_provincial_panel_starts_the_review_of_recommended_applications() -> None:
    call = CallFactory(closed=True)
    recommended = [ApplicationFactory(city_scoring=True, call=call, state="recommended") for _ in range(2)]
    scoring = ApplicationFactory(city_scoring=True, call=call)

    panel = services.form_panel(call, acting_user=call.created_by, level=PanelLevel.PROVINCE)

    assert panel.level == "province" and panel.city is None
    assert [Application.objects.get(pk=a.pk).state for a in recommended] == ["province_review", "province_review"]
    assert Application.objects.get(pk=scoring.pk).state == "city_scoring"
    assert services.form_panel(call, acting_user=call.created_by, level=PanelLevel.PROVINCE) == panel


def test_a_recommended_application_arriving_after_the_panel_starts_its_review_when_assigned() -> None:
    panel = PanelFactory(provincial=True)
    late = ApplicationFactory(city_scoring=True, call=panel.call, state="recommended")
    expert = ExpertFactory()

    services.assign_expert(panel, late, expert, acting_user=panel.call.created_by)

    late.refresh_from_db()
    assert late.state == "province_review"


def test_a_province_route_application_is_started_by_the_provincial_officer() -> None:
    call = CallFactory(closed=True)
    direct = ApplicationFactory(call=call, province_route=True)
    city_route = ApplicationFactory(city_scoring=True, call=call, state="submitted")

    services.start_province_review(direct, acting_user=call.created_by)
    with pytest.raises(DomainError) as refused:
        services.start_province_review(city_route, acting_user=call.created_by)

    direct.refresh_from_db()
    assert direct.state == "province_review"
    assert refused.value.code == "application_city_route"


def _reviewed(n: int = 3):  # type: ignore[no-untyped-def]
    panel = PanelFactory(provincial=True)
    apps = [ApplicationFactory(city_scoring=True, call=panel.call, state="province_review", institution__name=f"机构{i}")
            for i in range(n)]
    for application, total in zip(apps, (92, 85, 71), strict=False):
        sheet_with_total(panel, application, total)
    return panel, apps


def test_the_ranking_page_pre_ticks_the_top_n_or_the_scores_above_x(login: Callable[..., Client],
                                                                     django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    panel, apps = _reviewed()
    client = login(panel.call.created_by)
    url = reverse("selection:province_ranking", kwargs={"province": "gd", "call_pk": panel.call.pk})

    with django_assert_max_num_queries(30):
        plain = client.get(url).content.decode()
    top_two = client.get(url, {"top_n": 2}).content.decode()
    above_80 = client.get(url, {"min_score": "80"}).content.decode()

    def ticked(html: str) -> list[int]:
        return [a.pk for a in apps if f'value="{a.pk}" id="select-{a.pk}" checked' in html]

    assert ticked(plain) == []
    assert ticked(top_two) == [apps[0].pk, apps[1].pk]
    assert ticked(above_80) == [apps[0].pk, apps[1].pk]
    assert "92.00" in plain and "71.00" in plain


def test_selection_selects_the_ticked_and_not_the_others_with_the_reason(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    panel, apps = _reviewed()
    officer = panel.call.created_by

    with pytest.raises(DomainError) as no_reason:
        services.decide_selection(panel.call, acting_user=officer, selected_ids=[apps[0].pk], reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_selection(panel.call, acting_user=officer, selected_ids=[apps[0].pk, apps[1].pk],
                                  reason="综合得分低于入选线")

    assert no_reason.value.code == "reason_required"
    states = [Application.objects.get(pk=a.pk).state for a in apps]
    assert states == ["selected", "selected", "not_selected"]
    assert Application.objects.get(pk=apps[2].pk).decision_reason == "综合得分低于入选线"
    assert Notification.objects.filter(recipient=apps[0].created_by, title="备案申请拟入选").count() == 1
    assert Notification.objects.filter(recipient=apps[2].created_by, title="备案申请未入选").count() == 1


def test_a_second_selection_from_another_officer_is_refused() -> None:
    panel, apps = _reviewed(2)
    officer = panel.call.created_by
    services.decide_selection(panel.call, acting_user=officer, selected_ids=[apps[0].pk], reason="未进入前列")

    with pytest.raises(ConflictError) as again:
        services.decide_selection(panel.call, acting_user=officer, selected_ids=[apps[1].pk], reason="")

    assert again.value.code == "nothing_to_select"
    assert Application.objects.get(pk=apps[1].pk).state == "not_selected"


def test_the_approval_document_is_checked_like_any_upload() -> None:
    call = CallFactory(closed=True)
    ApplicationFactory(city_scoring=True, call=call, state="selected")
    fake = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(DomainError) as refused:
        services.record_approval(call, acting_user=call.created_by, meeting_date=dt.date(2026, 5, 29),
                                 document_number="粤技评〔2026〕12号", attachment=fake)

    assert refused.value.code == "upload_type"
    assert not LeadershipApproval.objects.exists()


def test_recording_the_approval_approves_every_selected_application() -> None:
    call = CallFactory(closed=True)
    selected = [ApplicationFactory(city_scoring=True, call=call, state="selected") for _ in range(2)]
    other = ApplicationFactory(city_scoring=True, call=call, state="not_selected")

    approval = services.record_approval(
        call, acting_user=call.created_by, meeting_date=dt.date(2026, 5, 29), document_number="粤技评〔2026〕12号",
        attachment=SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"))

    assert sorted(approval.applications.values_list("pk", flat=True)) == sorted(a.pk for a in selected)
    assert [Application.objects.get(pk=a.pk).state for a in selected] == ["approved", "approved"]
    assert Application.objects.get(pk=other.pk).state == "not_selected"
    event = AuditEvent.objects.get(action="application_approved", object_id=str(selected[0].pk))
    assert event.reason == "领导小组审定：粤技评〔2026〕12号（2026-05-29）"


def test_publication_runs_the_packs_working_days_over_holidays() -> None:
    # given approved applications on Friday 29 May 2026; the Dragon Boat Festival is 19 June, far after
    call = CallFactory(closed=True)
    ApplicationFactory(city_scoring=True, call=call, state="approved")

    with time_machine.travel(dt.datetime(2026, 5, 29, 16, 0, tzinfo=SHANGHAI), tick=False):
        notice = services.publish_selection(call, acting_user=call.created_by)

    # then five working days: Monday 1 June to Friday 5 June
    assert (notice.starts_on, notice.ends_on) == (dt.date(2026, 6, 1), dt.date(2026, 6, 5))
    assert notice.title == f"{call.title}拟入选名单公示"


def test_publication_across_a_national_holiday() -> None:
    # published on Wednesday 30 September 2026: 1–7 October are the National Day holidays and Saturday 10 October
    # a make-up working day, so the five working days are 8, 9, 10, 12 and 13 October
    call = CallFactory(closed=True)
    ApplicationFactory(city_scoring=True, call=call, state="approved")

    with time_machine.travel(dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI), tick=False):
        notice = services.publish_selection(call, acting_user=call.created_by)

    assert (notice.starts_on, notice.ends_on) == (dt.date(2026, 10, 8), dt.date(2026, 10, 13))


def test_publication_in_a_year_without_a_calendar_says_so() -> None:
    call = CallFactory(closed=True)
    application = ApplicationFactory(city_scoring=True, call=call, state="approved")
    CalendarYear.objects.filter(year=2027).delete()

    with time_machine.travel(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(CalendarNotCovered) as refused:
            services.publish_selection(call, acting_user=call.created_by)

    assert str(refused.value) == "2027年的工作日历尚未录入，请省级管理员先录入该年度的节假日和调休安排。"
    application.refresh_from_db()
    assert application.state == "approved"
    assert not PublicityNotice.objects.exists()
