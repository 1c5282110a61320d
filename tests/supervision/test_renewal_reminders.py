"""Reminder sweeps to the day: renewal reminders 90, 60 and 30 days before the last valid day, and reminders to the
city's officers 7, 3 and 1 days before a call's city-review deadline; each sent once, never after an application."""

import datetime as dt
from typing import Any

import pytest

from filings.models import ApplicationState, Route
from portal.models import Notification
from supervision import services
from supervision.models import CityReviewReminder, RenewalReminder
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    at,
    city_officer,
    renewing_filing,
    the_member,
)

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2026, 6, 30)


def _sent(filing: Any) -> list[int]:
    return sorted(RenewalReminder.objects.filter(filing=filing).values_list("days_before", flat=True), reverse=True)


def _run(day: dt.date, capture: Any) -> int:
    with at(day), capture(execute=True):
        return services.send_renewal_reminders(today=day)


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 3, 31), []),  # 91 days before: nothing yet
    (dt.date(2026, 4, 1), [90]),  # 90 days before
    (dt.date(2026, 5, 1), [60]),  # 60 days before
    (dt.date(2026, 5, 31), [30]),  # 30 days before
    (LAST_DAY, [30]),  # a sweep that missed the day catches up with the reminder due
    (dt.date(2026, 7, 1), []),  # expired: no reminder
])
def test_a_single_run_sends_the_reminder_due_that_day(day: dt.date, expected: list[int],
                                                      django_capture_on_commit_callbacks: Any) -> None:
    filing = renewing_filing()
    _run(day, django_capture_on_commit_callbacks)
    assert _sent(filing) == expected


def test_each_reminder_is_sent_once_to_the_organization(django_capture_on_commit_callbacks: Any) -> None:
    filing = renewing_filing()
    member = the_member(filing)

    assert _run(dt.date(2026, 4, 1), django_capture_on_commit_callbacks) == 1
    assert _run(dt.date(2026, 4, 1), django_capture_on_commit_callbacks) == 0
    assert _run(dt.date(2026, 4, 2), django_capture_on_commit_callbacks) == 0
    assert _run(dt.date(2026, 4, 30), django_capture_on_commit_callbacks) == 0  # 61 days: still the 90-day stage
    assert _sent(filing) == [90]
    assert _run(dt.date(2026, 5, 1), django_capture_on_commit_callbacks) == 1
    assert _run(dt.date(2026, 5, 2), django_capture_on_commit_callbacks) == 0
    assert _run(dt.date(2026, 5, 31), django_capture_on_commit_callbacks) == 1
    assert _run(dt.date(2026, 6, 1), django_capture_on_commit_callbacks) == 0
    assert _sent(filing) == [90, 60, 30]
    titles = list(Notification.objects.filter(recipient=member).values_list("title", flat=True))
    assert titles == ["备案有效期将于2026-06-30届满，请在届满前提出续期申请"] * 3


def test_no_reminder_once_the_renewal_is_submitted(django_capture_on_commit_callbacks: Any) -> None:
    from tests.supervision.test_renewal import _submitted_employer

    renewal = _submitted_employer()
    _run(dt.date(2026, 5, 1), django_capture_on_commit_callbacks)
    assert _sent(renewal.filing) == []


def _call_with_pending(deadline: dt.datetime) -> Any:
    call = CallFactory(province="gz", closed=True, city_review_deadline=deadline)
    ApplicationFactory(province="gz", call=call, submitted=True, route=Route.CITY)
    return call


@pytest.mark.parametrize(("day", "stage"), [
    (dt.date(2026, 5, 10), None),  # 8 days before
    (dt.date(2026, 5, 11), 7),
    (dt.date(2026, 5, 15), 3),
    (dt.date(2026, 5, 17), 1),
    (dt.date(2026, 5, 18), 1),  # the deadline day itself (17:00): the last reminder if it was missed
    (dt.date(2026, 5, 19), None),  # after the deadline
])
def test_city_review_reminders_to_the_day(day: dt.date, stage: int | None,
                                          django_capture_on_commit_callbacks: Any) -> None:
    from tests.factories.renewals import SHANGHAI

    call = _call_with_pending(dt.datetime(2026, 5, 18, 17, tzinfo=SHANGHAI))
    with at(day), django_capture_on_commit_callbacks(execute=True):
        services.send_city_review_reminders(today=day)
    stages = list(CityReviewReminder.objects.filter(call=call).values_list("days_before", flat=True))
    assert stages == ([stage] if stage else [])


def test_city_review_reminder_goes_once_to_the_citys_officers_only(django_capture_on_commit_callbacks: Any) -> None:
    from tests.factories.renewals import SHANGHAI

    call = _call_with_pending(dt.datetime(2026, 5, 18, 17, tzinfo=SHANGHAI))
    application = call.applications.get()
    officer = city_officer("gz", application.city.code)
    other = city_officer("gz", "5203")
    day = dt.date(2026, 5, 11)
    with at(day), django_capture_on_commit_callbacks(execute=True):
        assert services.send_city_review_reminders(today=day) == 1
        assert services.send_city_review_reminders(today=day) == 0

    assert Notification.objects.filter(recipient=officer).count() == 1
    assert not Notification.objects.filter(recipient=other).exists()


def test_no_city_review_reminder_when_nothing_waits(django_capture_on_commit_callbacks: Any) -> None:
    from tests.factories.renewals import SHANGHAI

    call = _call_with_pending(dt.datetime(2026, 5, 18, 17, tzinfo=SHANGHAI))
    call.applications.update(state=ApplicationState.RECOMMENDED)
    with at(dt.date(2026, 5, 11)), django_capture_on_commit_callbacks(execute=True):
        assert services.send_city_review_reminders(today=dt.date(2026, 5, 11)) == 0
