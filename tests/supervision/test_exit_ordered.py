"""The ordered exit (责令终止退出, 003 article 15): by a provincial officer with reason and evidence, plans not yet held
cancelled at once with notices, a public announcement of kind `exit`, a suspension in force giving way."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from certificates.models import ExamPlan, PlanState, SessionKind
from filings.models import ExitKind, FilingStatus
from portal.errors import DomainError, NotPermitted
from portal.models import Notification, PublicityNotice
from supervision import services
from supervision.models import ExitState, SuspensionState
from tests.factories import (
    SHANGHAI,
    FilingFactory,
    pdf_upload,
    plan,
    provincial_officer,
    session,
    the_member,
    venue,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def on_a_monday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        yield


def _plan_on(filing: object, day: dt.date, state: str) -> ExamPlan:
    exam_plan = plan(filing)  # type: ignore[arg-type]
    session(exam_plan, SessionKind.THEORY, day, place=venue(filing))  # type: ignore[arg-type]
    ExamPlan.objects.filter(pk=exam_plan.pk).update(state=state, version=1, first_session_on=day, last_session_on=day)
    exam_plan.refresh_from_db()
    return exam_plan


def test_an_ordered_exit_stops_plans_not_yet_held_and_publishes_an_announcement(
        django_capture_on_commit_callbacks: object) -> None:
    filing = FilingFactory(province="gz", with_scope=True)
    member = the_member(filing)
    tomorrow = _plan_on(filing, TODAY + dt.timedelta(days=1), PlanState.FILED)
    today = _plan_on(filing, TODAY, PlanState.ACKNOWLEDGED)
    held = _plan_on(filing, TODAY - dt.timedelta(days=3), PlanState.RESULTS_ENTRY)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        filing_exit = services.order_exit(filing, acting_user=provincial_officer("gz"), reason="伪造考核记录",
                                          evidence=pdf_upload("检查记录.pdf"), proposal_type="supervision.inspection",
                                          proposal_id="12")

    filing.refresh_from_db()
    assert (filing.status, filing.exit_kind, filing.exit_started_on) == (FilingStatus.EXITING, ExitKind.ORDERED, TODAY)
    assert (filing_exit.state, filing_exit.exit_on, filing_exit.wrap_up_due_on) == (
        ExitState.WRAPPING_UP, TODAY, dt.date(2026, 3, 16))
    assert (filing_exit.proposal_type, filing_exit.proposal_id) == ("supervision.inspection", "12")
    states = dict(ExamPlan.objects.filter(filing=filing).values_list("pk", "state"))
    assert states == {tomorrow.pk: PlanState.CANCELLED, today.pk: PlanState.CANCELLED, held.pk: PlanState.RESULTS_ENTRY}
    assert sorted(p["id"] for p in filing_exit.cancelled_plans) == sorted([tomorrow.pk, today.pk])
    notice = PublicityNotice.objects.get(pk=filing_exit.announcement_id)
    assert notice.kind == "exit"
    assert notice.title == f"关于责令{filing.institution.name}终止职业技能等级认定活动的公告"
    assert notice.items.get().object_id == str(filing_exit.pk)
    titles = set(Notification.objects.filter(recipient=member).values_list("title", flat=True))
    assert {f"考核计划已被取消：{tomorrow.title}", "责令终止评价活动"} <= titles


def test_an_ordered_exit_needs_evidence_and_a_provincial_officer() -> None:
    filing = FilingFactory(province="gz")

    with pytest.raises(DomainError) as refused:
        services.order_exit(filing, acting_user=provincial_officer("gz"), reason="严重违规", evidence=None)
    assert refused.value.code == "evidence_required"
    with pytest.raises(NotPermitted):
        services.order_exit(filing, acting_user=the_member(filing), reason="严重违规", evidence=pdf_upload())
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACTIVE


def test_an_ordered_exit_of_a_suspended_filing_ends_the_suspension() -> None:
    filing = FilingFactory(province="gz")
    officer = provincial_officer("gz")
    suspension = services.suspend(filing, acting_user=officer, reason="限期整改", ends_on=dt.date(2026, 4, 30))

    services.order_exit(filing, acting_user=officer, reason="整改期间继续违规", evidence=pdf_upload())

    suspension.refresh_from_db()
    filing.refresh_from_db()
    assert (suspension.state, suspension.ended_on) == (SuspensionState.SUPERSEDED, TODAY)
    assert filing.status == FilingStatus.EXITING
    assert services.sweep_suspensions(dt.date(2026, 5, 1)) == 0
