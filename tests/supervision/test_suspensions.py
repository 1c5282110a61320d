"""Suspensions (暂停): for a period with a reason; no plan and no certificate meanwhile; resumed by decision or on the
day after the last day (sweep), with exact dates."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from certificates import services as certificate_services
from filings.models import FilingStatus
from portal.errors import DomainError, InvalidTransition
from supervision import services
from supervision.models import SuspensionEnd, SuspensionState
from tests.factories import SHANGHAI, FilingFactory, approved_plan, provincial_officer, the_member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def on_a_monday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        yield


def test_a_suspension_ends_on_the_day_after_its_last_day() -> None:
    filing = FilingFactory(province="gz")
    suspension = services.suspend(filing, acting_user=provincial_officer("gz"), reason="督导检查发现问题，限期整改",
                                  ends_on=dt.date(2026, 3, 31))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUSPENDED

    assert services.sweep_suspensions(dt.date(2026, 3, 31)) == 0
    assert services.sweep_suspensions(dt.date(2026, 4, 1)) == 1
    assert services.sweep_suspensions(dt.date(2026, 4, 1)) == 0

    suspension.refresh_from_db()
    filing.refresh_from_db()
    assert (suspension.state, suspension.ended_on, suspension.ended_how) == (
        SuspensionState.ENDED, dt.date(2026, 4, 1), SuspensionEnd.END_DATE)
    assert filing.status == FilingStatus.ACTIVE


def test_the_province_resumes_a_suspension_early_by_decision() -> None:
    filing = FilingFactory(province="gz")
    officer = provincial_officer("gz")
    suspension = services.suspend(filing, acting_user=officer, reason="限期整改", ends_on=dt.date(2026, 6, 30))

    resumed = services.resume(suspension, acting_user=officer, reason="整改验收合格")

    filing.refresh_from_db()
    assert (resumed.state, resumed.ended_on, resumed.ended_how, resumed.end_reason) == (
        SuspensionState.ENDED, TODAY, SuspensionEnd.DECISION, "整改验收合格")
    assert filing.status == FilingStatus.ACTIVE
    with pytest.raises(InvalidTransition):
        services.resume(suspension, acting_user=officer, reason="再次")


def test_a_suspension_ending_before_today_is_refused() -> None:
    filing = FilingFactory(province="gz")

    with pytest.raises(DomainError) as refused:
        services.suspend(filing, acting_user=provincial_officer("gz"), reason="限期整改", ends_on=dt.date(2026, 3, 1))

    assert refused.value.code == "suspension_period_invalid"
    assert str(refused.value) == "暂停截止日不能早于今天（2026-03-02）。"


def test_a_suspended_filing_issues_no_certificate() -> None:
    filing = FilingFactory(province="gz")
    exam_plan = approved_plan(filing, candidates=2)
    services.suspend(filing, acting_user=provincial_officer("gz"), reason="限期整改", ends_on=dt.date(2026, 3, 31))

    with pytest.raises(DomainError) as refused:
        certificate_services.issue_certificates(filing, acting_user=the_member(filing), plan=exam_plan)

    assert refused.value.code == "filing_not_active"
    assert str(refused.value) == "备案状态为“暂停”，不能颁发证书。"
    assert not filing.certificates.exists()
