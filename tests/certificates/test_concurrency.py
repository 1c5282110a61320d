"""Two batches of one organization at the same moment, on a real PostgreSQL: distinct, gap-free numbers; and the same
results issued twice at once are certified once. Real threads, real connections, real row locks."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from portal.errors import DomainError
from tests.factories import FilingFactory, approved_plan, the_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_the_same_moment(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result is the call's return value or its exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_batches_at_once_get_distinct_gap_free_ranges(reference_data: None) -> None:
    # given one organization with two approved plans of 25 welders each at level 3
    filing = FilingFactory(province="gd", organization_sequence="000555")
    plans = [approved_plan(filing, candidates=25, level=3) for _ in range(2)]
    member = the_member(filing)

    # when both plans are issued at the same moment
    batches = at_the_same_moment(*(lambda p=p: services.issue_certificates(filing, acting_user=member, plan=p)
                                   for p in plans))

    # then both succeed, and the 50 numbers are 1..50 with each batch a contiguous range
    assert all(isinstance(b, IssuanceBatch) for b in batches), batches
    prefix = f"S000044000555{timezone.localdate():%y}3"
    sequences = sorted(int(n[16:]) for n in Certificate.objects.values_list("number", flat=True))
    assert sequences == list(range(1, 51))
    assert all(n.startswith(prefix) for n in Certificate.objects.values_list("number", flat=True))
    for batch in batches:
        mine = sorted(int(n[16:]) for n in Certificate.objects.filter(batch=batch).values_list("number", flat=True))
        assert mine == list(range(mine[0], mine[0] + 25))


def test_the_same_results_issued_twice_at_once_are_certified_once(reference_data: None) -> None:
    filing = FilingFactory(province="gd")
    plan = approved_plan(filing, candidates=10)
    member = the_member(filing)

    results = at_the_same_moment(*(lambda: services.issue_certificates(filing, acting_user=member, plan=plan)
                                   for _ in range(2)))

    winners = [r for r in results if isinstance(r, IssuanceBatch)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].code == "nothing_to_issue"
    assert Certificate.objects.count() == 10
