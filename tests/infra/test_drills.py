"""Fault drills on the real services: web nodes (gunicorn) and Celery workers as separate processes, on the
PostgreSQL of the run and a Redis of the drill's own, which the drill stops and starts again.

Redis stopped while the web serves: pages and the public lookup still answer (rate limits fail open, by the
documented setting RATE_LIMIT_FAIL_OPEN), a public objection is still filed, and the notification it queues is
kept in the task outbox; once Redis is back the outbox is relayed and a worker delivers it, once.
"""

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from portal.models import Notification, Objection, PendingTask
from tests.factories import MembershipFactory, PublicityItemFactory, PublicityNoticeFactory
from tests.infra.processes import Redis, celery_worker, manage, wait_for, web_node

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _lookup(base: str) -> requests.Response:
    session = requests.Session()
    token = _csrf(session, f"{base}/verify/")
    return session.post(f"{base}/verify/", data={"csrfmiddlewaretoken": token, "mode": "number",
                                                 "number-number": "S000044000123263000045", "number-name": "王小明"},
                        headers={"Referer": f"{base}/verify/"}, timeout=10)


def test_redis_stopped_under_the_web_loses_nothing(redis: Redis, tmp_path: Path) -> None:
    officer = MembershipFactory(province="gd", provincial_officer=True).user
    notice = PublicityNoticeFactory(kind="selection", province="gd")
    item = PublicityItemFactory(notice=notice, title="甲机构")
    with web_node(redis, tmp_path / "web.log") as web:
        assert _lookup(web).status_code == 200

        redis.stop()
        for path in ("/", "/verify/", f"/publicity/gd/{notice.pk}/"):
            assert requests.get(f"{web}{path}", timeout=10).status_code == 200, path
        assert _lookup(web).status_code == 200  # the rate limit could not count: it lets the lookup through
        session = requests.Session()
        url = f"{web}/publicity/gd/{notice.pk}/"
        filed = session.post(url, data={"csrfmiddlewaretoken": _csrf(session, url), "item": item.pk, "name": "张三",
                                        "contact": "13800138000", "text": "该机构的场地与申报不符。"},
                             headers={"Referer": url}, timeout=30, allow_redirects=False)
        assert filed.status_code == 302, filed.text[-2000:]
    assert Objection.objects.filter(item=item).count() == 1
    kept = list(PendingTask.objects.values_list("name", flat=True))
    assert kept and set(kept) == {"portal.deliver_notification"}
    assert not Notification.objects.filter(recipient=officer).exists()

    redis.start()
    assert manage(redis, "from portal.outbox import relay; print(relay())") == str(len(kept))
    with celery_worker(redis, tmp_path / "worker.log", name="drill"):
        wait_for(lambda: Notification.objects.filter(recipient=officer).exists(), "the worker to deliver", 60)
        time.sleep(1)  # a second delivery, if any, would show now
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert not PendingTask.objects.exists()
