"""Two people acting on one application at the same moment, in real threads on PostgreSQL: one wins, the other is
told the application moved, and nothing is done twice."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from filings import services
from filings.models import Application, ApplicationState, Submission
from filings.services import _common as services_common
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import AuditEvent, User
from tests.factories import ApplicationFactory, city_officer, member_of, provincial_officer, the_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = ApplicationState


def _race(calls: list[Callable[[], Any]]) -> list[str]:
    """Run the calls in threads released together; each result is "ok" or the refusal's code."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = [""] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            calls[index]()
            results[index] = "ok"
        except DomainError as exc:
            results[index] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def slow_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the row lock a little longer (the audit write is inside the transaction), so the threads overlap."""

    def slow(**kwargs: Any) -> AuditEvent:
        time.sleep(0.3)
        return record_event(**kwargs)

    monkeypatch.setattr(services_common, "record_event", slow)  # the application's transitions audit there


def test_two_officers_accepting_at_once(reference_data: None, slow_audit: None) -> None:
    # given a submitted application opened by a city officer and a provincial officer
    application = ApplicationFactory(submitted=True)
    officers: list[User] = [city_officer("gd", "4401"), provincial_officer("gd")]
    copies = [Application.objects.get(pk=application.pk) for _ in officers]

    # when both accept it at the same moment
    results = _race([
        lambda: services.start_city_review(copies[0], acting_user=officers[0]),
        lambda: services.start_city_review(copies[1], acting_user=officers[1]),
    ])

    # then one did, the other met a conflict; one acceptance, one audit event, by the winner
    assert sorted(results) == ["conflict", "ok"]
    winner = officers[results.index("ok")]
    application.refresh_from_db()
    assert (application.state, application.reviewer) == (S.CITY_REVIEW, winner)
    assert [(e.actor, e.action) for e in AuditEvent.objects.all()] == [(winner, "city_review_started")]


def test_two_tabs_submitting_at_once(reference_data: None, slow_audit: None) -> None:
    # given a ready draft and two members of its institution, each with the page open
    application = ApplicationFactory(ready=True)
    members = [the_member(application), member_of(application.institution)]
    copies = [Application.objects.get(pk=application.pk) for _ in members]

    results = _race([
        lambda: services.submit_application(copies[0], acting_user=members[0]),
        lambda: services.submit_application(copies[1], acting_user=members[1]),
    ])

    assert sorted(results) == ["conflict", "ok"]
    application.refresh_from_db()
    assert (application.state, application.submission_count) == (S.SUBMITTED, 1)
    assert Submission.objects.count() == 1
    assert [e.action for e in AuditEvent.objects.all()] == ["application_submitted"]
