"""Fault drills on the real services: a web node (gunicorn) and a Celery worker as separate processes, on the
PostgreSQL of the run and a Redis of the drill's own, which the drill stops and starts again.

Redis stopped while the web serves: pages and the public lookup still answer (rate limits fail open, by the
documented setting RATE_LIMIT_FAIL_OPEN), a public objection is still filed, and the notification it queues is
kept in the task outbox; once Redis is back the outbox is relayed and a worker delivers it, once.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

from portal.models import Notification, Objection, PendingTask
from tests.factories import MembershipFactory, PublicityItemFactory, PublicityNoticeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    return int(subprocess.check_output([sys.executable, str(ROOT / "scripts" / "free_port.py")], text=True))


class Redis:
    """A redis-server of the drill's own, on a free port, that the test stops and starts."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                                     text=True, check=False).stdout.strip() == "PONG", "redis to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _wait(condition: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _environment(redis: Redis) -> dict[str, str]:
    db = connection.settings_dict
    # Celery reads CELERY_BROKER_URL from the environment before the settings: it must name the drill's Redis.
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.infra.drill_settings", "DRILL_REDIS_URL": redis.url,
            "CELERY_BROKER_URL": f"{redis.url}/0", "REDIS_URL": f"{redis.url}/0",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PYTHONPATH": str(ROOT)}


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def web(redis: Redis, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = tmp_path / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
            cwd=ROOT, env=_environment(redis), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{base}/verify/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    try:
        _wait(up, "the web node", 90)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
    assert "Internal Server Error" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-4000:]


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


def test_redis_stopped_under_the_web_loses_nothing(redis: Redis, web: str, tmp_path: Path) -> None:
    officer = MembershipFactory(province="gd", provincial_officer=True).user
    notice = PublicityNoticeFactory(kind="selection", province="gd")
    item = PublicityItemFactory(notice=notice, title="甲机构")
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
    assert filed.status_code in (200, 302), filed.text[-2000:]
    assert Objection.objects.filter(item=item).count() == 1
    kept = list(PendingTask.objects.values_list("name", flat=True))
    assert kept and set(kept) == {"portal.deliver_notification"}
    assert not Notification.objects.filter(recipient=officer).exists()

    redis.start()
    env = _environment(redis)
    relayed = subprocess.run([sys.executable, "manage.py", "shell", "-c",
                              "from portal.outbox import relay; print(relay())"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert relayed.stdout.strip().splitlines()[-1] == str(len(kept))
    with (tmp_path / "worker.log").open("wb") as out:
        worker = subprocess.Popen([str(BIN / "celery"), "-A", "portal", "worker", "-P", "solo", "-l", "info"],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: Notification.objects.filter(recipient=officer).exists(), "the worker to deliver", 60)
        time.sleep(1)  # a second delivery, if any, would show now
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert not PendingTask.objects.exists()
