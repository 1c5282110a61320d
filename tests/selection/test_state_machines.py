"""Sheets and summary tables are django-fsm state machines: the state is never assigned directly, every transition
writes one audit event, and a guard refuses a move with the service's code and changes nothing."""

import pytest
from django.db.models import Model

from portal.errors import DomainError
from portal.models import AuditEvent
from selection import selectors, services
from selection.models import ScoreSheet, SheetState, SummaryTable, TableState
from tests.factories import ApplicationFactory, MembershipFactory, PanelFactory, expert_with_account

pytestmark = pytest.mark.django_db


def _assigned_sheet() -> ScoreSheet:
    panel = PanelFactory()
    application = ApplicationFactory(city_scoring=True, call=panel.call)
    return services.assign_expert(panel, application, expert_with_account(), acting_user=panel.call.created_by)


def _full_marks(sheet: ScoreSheet) -> list[services.ScoreInput]:
    return [services.ScoreInput(c.pk, c.max_score) for c, _ in selectors.sheet_scores(sheet)]


def _moves(obj: Model) -> list[tuple[str, str, str]]:
    return list(AuditEvent.objects.filter(object_id=str(obj.pk), object_type=obj._meta.label_lower)
                .exclude(from_state="", to_state="").order_by("pk").values_list("action", "from_state", "to_state"))


def test_the_states_cannot_be_assigned_directly() -> None:
    sheet = ScoreSheet.objects.get(pk=_assigned_sheet().pk)
    table = SummaryTable.objects.create(province=sheet.panel.province, call=sheet.panel.call, city=sheet.panel.city)

    with pytest.raises(AttributeError):
        sheet.state = SheetState.SUBMITTED
    with pytest.raises(AttributeError):
        table.state = TableState.SENT


def test_each_move_of_a_sheet_writes_one_audit_event() -> None:
    sheet = _assigned_sheet()
    officer = sheet.panel.call.created_by

    services.submit_sheet(sheet, acting_user=sheet.expert.user, scores=_full_marks(sheet))
    services.reopen_sheet(sheet, acting_user=officer, reason="第2项请复核")
    services.declare_conflict(sheet.application, acting_user=sheet.expert.user, kind="same_employer")

    assert _moves(sheet) == [("expert_assigned", "", "assigned"), ("sheet_submitted", "assigned", "submitted"),
                             ("sheet_reopened", "submitted", "assigned"), ("sheet_recused", "assigned", "recused")]


def test_the_reopen_guard_refuses_once_the_application_is_decided() -> None:
    sheet = _assigned_sheet()
    services.submit_sheet(sheet, acting_user=sheet.expert.user, scores=_full_marks(sheet))
    city_officer = MembershipFactory(province="gd", city_officer=True, city=sheet.panel.city).user
    services.decide_recommendation(sheet.application, acting_user=city_officer, recommended=True)
    services.send_summary_table(sheet.panel.call, sheet.panel.city, acting_user=city_officer)

    with pytest.raises(DomainError) as refused:
        services.reopen_sheet(sheet, acting_user=city_officer, reason="再看一下")

    sheet.refresh_from_db()
    assert (refused.value.code, sheet.state) == ("sheet_decided", SheetState.SUBMITTED)
    assert [m[0] for m in _moves(sheet)] == ["expert_assigned", "sheet_submitted"]


def test_sending_the_table_is_one_transition_with_one_event() -> None:
    sheet = _assigned_sheet()
    services.submit_sheet(sheet, acting_user=sheet.expert.user, scores=_full_marks(sheet))
    officer = MembershipFactory(province="gd", city_officer=True, city=sheet.panel.city).user
    services.decide_recommendation(sheet.application, acting_user=officer, recommended=True)

    table = services.send_summary_table(sheet.panel.call, sheet.panel.city, acting_user=officer)

    table.refresh_from_db()
    assert (table.state, table.sent_by) == (TableState.SENT, officer)
    assert _moves(table) == [("summary_table_sent", "draft", "sent")]
