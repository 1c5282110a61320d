"""Numbers assigned at filing under concurrency, on the real PostgreSQL server (threads, each its own connection)."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from filings import numbering, services
from filings.models import NumberCounter
from filings.services import _common as services_common, filing as filing_services
from portal.models import Province
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FILERS = 8


def _at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released together by a barrier; each thread uses (and closes) its own connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001 - reported to the test below, not swallowed
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_shandong_filings_at_the_same_moment_never_get_the_same_code(
    reference_data: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given applications of eight Jinan organizations at the end of publicity, and no counter yet
    monkeypatch.setattr(filing_services, "_queue", lambda *args: None)  # no PDF rendering in the threads
    real_record_event = filing_services.record_event

    def slow_record_event(**kwargs: Any) -> Any:
        time.sleep(0.05)  # a slow database: each filing holds its transaction open after taking its numbers
        return real_record_event(**kwargs)

    monkeypatch.setattr(filing_services, "record_event", slow_record_event)
    monkeypatch.setattr(services_common, "record_event", slow_record_event)
    applications = [f.ApplicationFactory(publicity_ended=True, province="sd", route="city") for _ in range(FILERS)]
    assert not NumberCounter.objects.exists()

    # when all are filed at the same moment
    results = _at_once([lambda a=a: services.file_application(a) for a in applications])

    # then every filing succeeded with its own institution code, organization sequence and receipt number
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    codes = sorted(r.institution_code for r in results)
    assert codes == [f"3701{n:04d}" for n in range(1, FILERS + 1)]
    assert sorted(r.organization_sequence for r in results) == [f"{n:06d}" for n in range(1, FILERS + 1)]
    assert len({r.filing_number for r in results}) == FILERS
    assert NumberCounter.objects.get(key="institution_code:3701").value == FILERS


def test_the_counter_hands_out_each_number_once_while_transactions_overlap(reference_data: None) -> None:
    # given a counter that exists, and transactions that take a number and stay open a while after
    province = Province.objects.get(slug="sd")
    with transaction.atomic():
        numbering.next_value(province, "test")

    def take() -> int:
        with transaction.atomic():
            value = numbering.next_value(province, "test")
            time.sleep(0.1)
            return value

    # when eight take one at the same moment
    results = _at_once([take] * FILERS)

    # then each got its own number
    assert sorted(results) == list(range(2, FILERS + 2))
