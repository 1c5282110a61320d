"""The processes of a drill: a Redis of its own, gunicorn web nodes and Celery workers on the run's PostgreSQL.

Each process is started with `tests.infra.drill_settings` against the test database of the pytest process (a
transactional test commits what it makes, so the processes see it) and stopped by the fixture that started it,
whatever happened.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    return int(subprocess.check_output([sys.executable, str(ROOT / "scripts" / "free_port.py")], text=True))


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Redis:
    """A redis-server of the drill's own, on a free port, that the test stops and starts."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def ping(self) -> bool:
        answer = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True,
                                check=False)
        return answer.stdout.strip() == "PONG"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(self.ping, "redis to start")
        except AssertionError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def environment(redis: Redis) -> dict[str, str]:
    db = connection.settings_dict
    # Celery reads CELERY_BROKER_URL from the environment before the settings: it must name the drill's Redis.
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.infra.drill_settings", "DRILL_REDIS_URL": redis.url,
            "CELERY_BROKER_URL": f"{redis.url}/0", "REDIS_URL": f"{redis.url}/0",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PYTHONPATH": str(ROOT)}


@contextmanager
def web_node(redis: Redis, log: Path, *, workers: int = 2) -> Iterator[str]:
    """A gunicorn node on a free port; yields its base URL. Its log must not show a server error."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120"],
            cwd=ROOT, env=environment(redis), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{base}/verify/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(up, "the web node", 90)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    text = log.read_text(errors="replace")
    assert "Internal Server Error" not in text and "Traceback" not in text, text[-4000:]


@contextmanager
def celery_worker(redis: Redis, log: Path, *, name: str, queues: str = "celery") -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker process (solo pool) consuming `queues`."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "portal", "worker", "-P", "solo", "-n", f"{name}@%h", "-Q", queues,
             "-l", "info"], cwd=ROOT, env=environment(redis), stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "ready." in log.read_text(errors="replace"), f"worker {name}", 60)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def manage(redis: Redis, code: str) -> str:
    """Run Python in a `manage.py shell` of the drill's settings; its last line of output."""
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment(redis),
                          capture_output=True, text=True, timeout=180, check=True)
    return done.stdout.strip().splitlines()[-1]
