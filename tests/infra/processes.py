"""The processes of a drill: a Redis of its own, gunicorn web nodes, Celery workers and beats on the run's PostgreSQL.

Each process is started with `tests.infra.drill_settings` against the test database of the pytest process (a
transactional test commits what it makes, so the processes see it) and stopped by the fixture that started it,
whatever happened. `extra` environment variables reach drill_settings (DRILL_STORAGE_ROOT, DRILL_VISIBILITY_TIMEOUT,
DRILL_BEAT_EVERY) or replace DATABASE_URL (a PostgreSQL of the drill's own, `Postgres`).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

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


def environment(redis: Redis, extra: dict[str, str] | None = None) -> dict[str, str]:
    db = connection.settings_dict
    # Celery reads CELERY_BROKER_URL from the environment before the settings: it must name the drill's Redis.
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.infra.drill_settings", "DRILL_REDIS_URL": redis.url,
            "CELERY_BROKER_URL": f"{redis.url}/0", "REDIS_URL": f"{redis.url}/0",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PYTHONPATH": str(ROOT), **(extra or {})}


@contextmanager
def web_node(redis: Redis, log: Path, *, workers: int = 2, extra: dict[str, str] | None = None) -> Iterator[str]:
    """A gunicorn node on a free port; yields its base URL. Its log must not show a server error."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120"],
            cwd=ROOT, env=environment(redis, extra), stdout=out, stderr=subprocess.STDOUT)
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


def ready(log: Path, kind: str = "worker") -> bool:
    """Whether the worker (or beat) writing `log` has started."""
    return ("ready." if kind == "worker" else "beat: Starting") in log.read_text(errors="replace")


@contextmanager
def celery_worker(redis: Redis, log: Path, *, name: str, queues: str = "celery", extra: dict[str, str] | None = None,
                  wait: bool = True) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker process (solo pool) consuming `queues`; wait=False yields at once (see `ready`). Without mingle
    and gossip: a drill's workers have nothing to sync at start, and mingle alone waits a second for replies."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "portal", "worker", "-P", "solo", "-n", f"{name}@%h", "-Q", queues,
             "-l", "info", "--without-mingle", "--without-gossip"], cwd=ROOT, env=environment(redis, extra),
            stdout=out, stderr=subprocess.STDOUT)
    try:
        if wait:
            wait_for(lambda: ready(log), f"worker {name}", 60)
        yield process
    finally:
        _stop(process)


def add_consumer(redis: Redis, name: str, queue: str) -> None:
    """Tell the running worker `name` (started on another queue) to consume `queue` too, through the broker's remote
    control, as `celery control add_consumer` does; returns once the worker has answered. Celery's broker URL is
    the environment's CELERY_BROKER_URL before any setting, so it names the drill's Redis for the call."""
    from celery import Celery

    with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": f"{redis.url}/0"}):
        control = Celery("drill", set_as_current=False)
        try:
            replies = control.control.add_consumer(queue, destination=[f"{name}@{socket.gethostname()}"],
                                                   reply=True, timeout=30)
        finally:
            control.close()
    assert replies and all("ok" in answer for reply in replies for answer in reply.values()), replies


@contextmanager
def celery_beat(redis: Redis, log: Path, *, extra: dict[str, str] | None = None,
                wait: bool = True) -> Iterator[subprocess.Popen[bytes]]:
    """A `celery beat` process with a schedule file of its own (beside its log); wait=False yields at once."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "celery"), "-A", "portal", "beat", "-s", str(log.with_suffix(".schedule")), "-l", "info",
             "--max-interval", "1"], cwd=ROOT, env=environment(redis, extra), stdout=out, stderr=subprocess.STDOUT)
    try:
        if wait:
            wait_for(lambda: ready(log, "beat"), f"beat {log.stem}", 60)
        yield process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a worker finishes its task), then SIGKILL after a minute; nothing to do when it is already gone."""
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


class Postgres:
    """A PostgreSQL server of the drill's own, holding a copy of the run's test database, that the drill stops and
    starts under the processes it serves (the run's server serves the other tests and is never restarted)."""

    def __init__(self) -> None:
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1])
        self.dir = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        self.dir.chmod(0o755)
        self.data = self.dir / "data"
        self.port = free_port()
        self.owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses root
        if self.owner:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://portal:portal@127.0.0.1:{self.port}/portal"

    def _run(self, *command: str, stdin: bytes | None = None) -> None:
        subprocess.run([*self.owner, *command], input=stdin, capture_output=True, timeout=60, check=True)

    def create(self) -> None:
        """initdb, start, and load a dump of the pytest process's test database (schema and the rows made so far)."""
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        self.start()
        self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                  "-v", "ON_ERROR_STOP=1", "-c", "CREATE ROLE portal SUPERUSER LOGIN PASSWORD 'portal'",
                  "-c", "CREATE DATABASE portal OWNER portal")
        db = connection.settings_dict
        dump = subprocess.run(
            [str(self.bin / "pg_dump"), "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], "--no-owner",
             "--no-privileges", db["NAME"]], env={**os.environ, "PGPASSWORD": db["PASSWORD"]},
            capture_output=True, timeout=60, check=True).stdout
        self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "portal", "-d", "portal",
                  "-q", "-v", "ON_ERROR_STOP=1", stdin=dump)

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-t", "30",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-m", "fast",
                  "-w", "-t", "30", "restart")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
