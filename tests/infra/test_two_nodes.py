"""Two nodes, as production runs on two machines: two gunicorn web nodes and two Celery workers, separate processes
on separate ports, against one PostgreSQL and one Redis.

- 200 certificates issued at once through both nodes (eight plans of one organization, 25 candidates each, the
  requests released together and spread over the nodes): 200 distinct numbers, 1 to 200 with no gap, each batch a
  contiguous range, and every PDF rendered once by one of the two workers.
- A sweep started on both workers at once: each due publicity notice is ended once (one audit event each).
"""

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from certificates.models import Certificate, IssuanceBatch
from portal.models import AuditEvent, NoticeState, PublicityNotice
from tests.factories import FilingFactory, PublicityNoticeFactory, approved_plan, the_member
from tests.infra.processes import Redis, celery_worker, manage, wait_for, web_node

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
PLANS, CANDIDATES = 8, 25


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


def _released_together(calls: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except requests.RequestException as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return results


def test_two_hundred_certificates_through_two_nodes_are_numbered_once_without_gaps(redis: Redis,
                                                                                  tmp_path: Path) -> None:
    filing = FilingFactory(province="gd", organization_sequence="000777")
    plans = [approved_plan(filing, candidates=CANDIDATES, level=3) for _ in range(PLANS)]
    token = Token.objects.create(user=the_member(filing)).key
    headers = {"Authorization": f"Token {token}"}

    with web_node(redis, tmp_path / "web-a.log") as node_a, web_node(redis, tmp_path / "web-b.log") as node_b, \
            celery_worker(redis, tmp_path / "worker-a.log", name="a"), \
            celery_worker(redis, tmp_path / "worker-b.log", name="b"):
        nodes = [node_a, node_b]
        answers = _released_together([
            (lambda i=i, plan=plan: requests.post(f"{nodes[i % 2]}/api/v1/gd/certificates/issue/",
                                                  json={"plan": plan.pk}, headers=headers, timeout=240))
            for i, plan in enumerate(plans)])
        assert [getattr(a, "status_code", a) for a in answers] == [201] * PLANS, [getattr(a, "text", a) for a in answers]

        def rendered() -> bool:
            return not IssuanceBatch.objects.filter(rendered_at__isnull=True).exists()

        wait_for(rendered, "every batch's PDFs", 300)

    numbers = list(Certificate.objects.values_list("number", flat=True))
    prefix = f"S000044000777{timezone.localdate():%y}3"
    assert len(numbers) == len(set(numbers)) == PLANS * CANDIDATES
    assert all(n.startswith(prefix) for n in numbers)
    assert sorted(int(n[16:]) for n in numbers) == list(range(1, PLANS * CANDIDATES + 1))
    for batch in IssuanceBatch.objects.all():
        mine = sorted(int(n[16:]) for n in batch.certificates.values_list("number", flat=True))
        assert mine == list(range(mine[0], mine[0] + CANDIDATES))
    # every PDF rendered once: each batch counted each of its certificates once, and no file was written twice
    # (storage would have given a second file a suffixed name beside the first)
    assert list(IssuanceBatch.objects.values_list("rendered", flat=True)) == [CANDIDATES] * PLANS
    assert all(name.endswith(f"/{number}.pdf") for number, name in Certificate.objects.values_list("number", "pdf"))


def test_a_sweep_on_both_workers_at_once_ends_each_due_notice_once(redis: Redis, tmp_path: Path) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    notices = [PublicityNoticeFactory(kind="selection", province="gd", ends_on=yesterday) for _ in range(40)]
    with celery_worker(redis, tmp_path / "worker-a.log", name="a"), \
            celery_worker(redis, tmp_path / "worker-b.log", name="b"):
        manage(redis, "from portal.tasks import end_due_publicity as t; [t.delay() for _ in range(2)]; print('sent')")

        def all_ended() -> bool:
            return not PublicityNotice.objects.filter(pk__in=[n.pk for n in notices], state=NoticeState.OPEN).exists()

        wait_for(all_ended, "the notices to end", 120)
    ended = AuditEvent.objects.filter(action="publicity_period_ended", object_id__in=[str(n.pk) for n in notices])
    assert ended.count() == len(notices)
    assert sorted(int(i) for i in ended.values_list("object_id", flat=True)) == sorted(n.pk for n in notices)
