"""Exits of a filing (003 articles 13–16): the voluntary request's 30 days, the automatic exit the day after expiry
with its 15 days of wrap-up, the province's confirmation and the termination notice — with exact dates."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from certificates import services as certificate_services
from filings.models import ExitKind, Filing, FilingStatus
from portal.errors import DomainError, NotPermitted
from portal.models import AuditEvent
from supervision import services
from supervision.models import ExitState, FilingExit, Renewal, RenewalState, WrapUpTask
from tests.factories import SHANGHAI, FilingFactory, pdf_upload, provincial_officer, the_member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def on_a_monday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        yield


def _filing(**kwargs: object) -> Filing:
    filing = FilingFactory(province="gz", with_scope=True, **kwargs)
    the_member(filing)
    return filing


def _tick_all(filing_exit: FilingExit) -> None:
    for task in filing_exit.tasks.all():
        services.complete_wrap_up_task(task, acting_user=the_member(filing_exit.filing), evidence=pdf_upload("归档.pdf"),
                                       note="已完成")


def test_a_voluntary_exit_29_days_ahead_is_refused_with_the_earliest_date() -> None:
    filing = _filing()

    with pytest.raises(DomainError) as refused:
        services.request_voluntary_exit(filing, acting_user=the_member(filing), exit_on=dt.date(2026, 3, 31),
                                        reason="业务调整")

    assert refused.value.code == "exit_too_early"
    assert refused.value.extra["earliest"] == "2026-04-01"
    assert str(refused.value) == "自愿退出须提前30日申请：最早可申请的退出日期为2026-04-01。"
    assert not FilingExit.objects.exists()


def test_a_voluntary_exit_30_days_ahead_is_accepted_and_stops_new_plans() -> None:
    filing = _filing()

    filing_exit = services.request_voluntary_exit(filing, acting_user=the_member(filing),
                                                  exit_on=dt.date(2026, 4, 1), reason="业务调整")

    assert filing_exit.state == ExitState.REQUESTED
    assert filing_exit.kind == ExitKind.VOLUNTARY
    assert sorted(WrapUpTask.objects.filter(exit=filing_exit).values_list("kind", flat=True)) == [
        "archives", "certificate_data"]
    filing.refresh_from_db()
    assert (filing.status, filing.exit_requested_on) == (FilingStatus.ACTIVE, TODAY)
    line = filing.occupations.get()
    with pytest.raises(DomainError) as refused:
        certificate_services.create_plan(filing, acting_user=the_member(filing), occupation=line.occupation,
                                         levels=[4])
    assert refused.value.code == "filing_exit_requested"
    assert str(refused.value) == "本机构已于2026-03-02申请自愿退出，不再受理新的考核计划。"


def test_the_voluntary_exit_begins_on_its_day_with_15_days_of_wrap_up() -> None:
    filing = _filing()
    filing_exit = services.request_voluntary_exit(filing, acting_user=the_member(filing),
                                                  exit_on=dt.date(2026, 4, 1), reason="业务调整")

    assert services.sweep_exits(dt.date(2026, 3, 31))["voluntary"] == 0
    assert services.sweep_exits(dt.date(2026, 4, 1))["voluntary"] == 1
    assert services.sweep_exits(dt.date(2026, 4, 1))["voluntary"] == 0

    filing_exit.refresh_from_db()
    filing.refresh_from_db()
    assert filing_exit.state == ExitState.WRAPPING_UP
    assert filing_exit.wrap_up_due_on == dt.date(2026, 4, 15)
    assert (filing.status, filing.exit_kind, filing.exit_started_on) == (
        FilingStatus.EXITING, ExitKind.VOLUNTARY, dt.date(2026, 4, 1))


def on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=False)


def test_the_province_confirms_only_when_the_wrap_up_is_done_and_issues_the_termination_notice(
        django_capture_on_commit_callbacks: Any) -> None:
    filing = _filing()
    filing_exit = services.request_voluntary_exit(filing, acting_user=the_member(filing),
                                                  exit_on=dt.date(2026, 4, 1), reason="业务调整")
    services.sweep_exits(dt.date(2026, 4, 1))
    officer = provincial_officer("gz")

    with on(dt.date(2026, 4, 10)), pytest.raises(DomainError) as refused:
        services.confirm_exit(filing_exit, acting_user=officer)
    assert refused.value.code == "wrap_up_incomplete"
    assert str(refused.value) == "收尾工作尚未完成：评价资料整理归档、证书数据合规上报。"

    _tick_all(filing_exit)
    with on(dt.date(2026, 4, 10)), django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_exit(filing_exit, acting_user=officer)

    filing.refresh_from_db()
    assert confirmed.state == ExitState.TERMINATED
    assert confirmed.notice_number == "黔技评终〔2026〕1号"
    assert (filing.status, filing.exit_kind) == (FilingStatus.TERMINATED, ExitKind.VOLUNTARY)
    assert filing.terminated_on == confirmed.terminated_on == dt.date(2026, 4, 10)
    confirmed.refresh_from_db()
    assert confirmed.notice_pdf.name.endswith(".pdf")
    assert confirmed.notice_pdf.open("rb").read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(object_id=str(filing.pk), action="filing_terminated").count() == 1


def test_only_the_organization_requests_its_voluntary_exit() -> None:
    filing = _filing()

    with pytest.raises(NotPermitted):
        services.request_voluntary_exit(filing, acting_user=provincial_officer("gz"), exit_on=dt.date(2026, 5, 1),
                                        reason="业务调整")


def test_the_automatic_exit_begins_the_day_after_expiry_and_is_overdue_after_15_days() -> None:
    filing = _filing(valid_until=dt.date(2026, 3, 10))

    assert services.sweep_exits(dt.date(2026, 3, 10))["automatic"] == 0
    assert services.sweep_exits(dt.date(2026, 3, 11))["automatic"] == 1
    assert services.sweep_exits(dt.date(2026, 3, 12))["automatic"] == 0

    filing.refresh_from_db()
    filing_exit = FilingExit.objects.get(filing=filing)
    assert (filing.status, filing.exit_kind, filing.exit_started_on) == (
        FilingStatus.EXITING, ExitKind.AUTOMATIC, dt.date(2026, 3, 11))
    assert (filing_exit.exit_on, filing_exit.wrap_up_due_on) == (dt.date(2026, 3, 11), dt.date(2026, 3, 25))

    assert services.sweep_exits(dt.date(2026, 3, 25))["overdue"] == 0
    assert services.sweep_exits(dt.date(2026, 3, 26))["overdue"] == 1
    assert services.sweep_exits(dt.date(2026, 3, 27))["overdue"] == 0
    filing_exit.refresh_from_db()
    assert filing_exit.overdue_flagged_on == dt.date(2026, 3, 26)
    assert filing_exit.is_overdue(dt.date(2026, 3, 26)) and not filing_exit.is_overdue(dt.date(2026, 3, 25))

    # past its wrap-up the province terminates even with tasks open, and says which
    with on(dt.date(2026, 3, 26)):
        confirmed = services.confirm_exit(filing_exit, acting_user=provincial_officer("gz"))
    assert confirmed.state == ExitState.TERMINATED
    event = AuditEvent.objects.get(object_id=str(filing_exit.pk), action="exit_confirmed")
    assert event.reason == "收尾期已于2026-03-25届满，仍有未完成事项：评价资料整理归档、证书数据合规上报。"


def test_the_automatic_exit_waits_while_a_renewal_is_under_review() -> None:
    filing = _filing(valid_until=dt.date(2026, 3, 10))
    renewal = Renewal.objects.create(province=filing.province, filing=filing, institution=filing.institution,
                                     period_start=filing.valid_from, period_end=filing.valid_until,
                                     state=RenewalState.SUBMITTED, created_by=the_member(filing))

    assert services.sweep_exits(dt.date(2026, 3, 11))["automatic"] == 0
    assert services.sweep_exits(dt.date(2026, 3, 19))["automatic"] == 0

    # the renewal is refused on 03-20: the next sweep moves it, and the 15 days run from that day
    with on(dt.date(2026, 3, 20)):
        services.refuse_renewal(renewal, acting_user=provincial_officer("gz"), reason="核发证书数量不足。")
    assert services.sweep_exits(dt.date(2026, 3, 20))["automatic"] == 1
    filing_exit = FilingExit.objects.get(filing=filing)
    assert (filing_exit.exit_on, filing_exit.wrap_up_due_on) == (dt.date(2026, 3, 11), dt.date(2026, 4, 3))


def test_a_second_exit_of_the_same_filing_is_refused() -> None:
    filing = _filing()
    services.request_voluntary_exit(filing, acting_user=the_member(filing), exit_on=dt.date(2026, 5, 1), reason="调整")

    with pytest.raises(DomainError) as refused:
        services.request_voluntary_exit(filing, acting_user=the_member(filing), exit_on=dt.date(2026, 5, 2),
                                        reason="再次")

    assert refused.value.code == "exit_open"


def test_a_withdrawn_request_lets_the_organization_file_plans_again() -> None:
    filing = _filing()
    filing_exit = services.request_voluntary_exit(filing, acting_user=the_member(filing),
                                                  exit_on=dt.date(2026, 5, 1), reason="调整")

    services.withdraw_voluntary_exit(filing_exit, acting_user=the_member(filing), reason="继续开展")

    filing.refresh_from_db()
    assert filing.exit_requested_on is None
    line = filing.occupations.get()
    plan = certificate_services.create_plan(filing, acting_user=the_member(filing), occupation=line.occupation,
                                            levels=[4])
    assert plan.pk
    assert services.sweep_exits(dt.date(2026, 5, 1))["voluntary"] == 0

