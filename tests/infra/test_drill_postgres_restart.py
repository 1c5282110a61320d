"""Fault drill: PostgreSQL restarted under a running gunicorn node (a PostgreSQL of the drill's own, with a copy of
the test database: the run's server serves the other tests and is never restarted).

- A quick restart between two requests: the node's persistent connections are dead, and the next requests still
  succeed (each is checked before use and replaced: CONN_HEALTH_CHECKS; the public lookup's read instead runs
  again on a new connection, portal.optimistic).
- Stopped: every request answers at once with 503 and a Chinese message — a page, or JSON with the stable code
  `database_unavailable` under /api/ — never a traceback, a 500 or a hang (portal.unavailable), whether the
  failure comes in a view, in DRF's authentication or in a middleware reading the session.
- Started again: the next requests succeed, without restarting gunicorn.

A poller requests every URL throughout and must see only those two answers, each within its 10-second timeout.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import MembershipFactory, PublicityNoticeFactory, a_certificate
from tests.infra.processes import Postgres, Redis, wait_for, web_node

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("reference_data")]
CODE = "database_unavailable"
MESSAGE = "系统数据库暂时无法使用，请稍后重试。"


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    server = Postgres()
    try:
        yield server
    finally:
        server.remove()


Target = tuple[str, dict[str, str], dict[str, str] | None]  # (path, headers, JSON body to POST or None to GET)


def _targets() -> list[Target]:
    """Each way a request reaches the database: a public page's view, the officer's page (the session, read in a
    middleware), the API with a token (DRF's authentication), a public API view and the public lookup (its read
    without the health check)."""
    officer = MembershipFactory(province="gd", provincial_officer=True).user
    client = Client()
    client.force_login(officer)
    session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    token = {"Authorization": f"Token {Token.objects.create(user=officer).key}"}
    notice = PublicityNoticeFactory(kind="selection", province="gd")
    certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
    # the lookup first: after a restart it meets a dead connection (no other request has replaced it yet)
    return [("/api/v1/public/certificates/lookup/", {}, {"number": certificate.number, "name": "王小明"}),
            (f"/publicity/gd/{notice.pk}/", {}, None), ("/gd/", session, None), ("/api/v1/me/", token, None),
            ("/api/v1/public/gd/notices/", {}, None)]


def _verdict(response: requests.Response) -> str:
    """'ok', 'unavailable' (a clean 503), or what was wrong."""
    if response.status_code == 200:
        return "ok"
    body = response.text
    if response.status_code != 503 or "Traceback" in body:
        return f"{response.status_code}: {body[:300]}"
    if response.url.split("/", 3)[-1].startswith("api/"):
        if response.json() != {"code": CODE, "detail": MESSAGE}:
            return f"503 without the code and message: {body[:300]}"
    elif f'data-code="{CODE}"' not in body or f"<h1>{MESSAGE}</h1>" not in body:
        return f"503 page without the code: {body[:300]}"
    return "unavailable" if response.headers.get("Retry-After") else "503 without Retry-After"


def _ask(base: str, target: Target) -> str:
    path, headers, body = target
    try:
        if body is not None:
            response = requests.post(f"{base}{path}", json=body, headers=headers, timeout=10)
            if response.status_code == 200 and not response.json()["results"]:
                return "the lookup found nothing"
            return _verdict(response)
        return _verdict(requests.get(f"{base}{path}", headers=headers, timeout=10, allow_redirects=False))
    except requests.RequestException as exc:  # a hang (timeout) or a dropped connection
        return f"no answer: {exc!r}"


@contextmanager
def _poller(base: str, targets: list[Target]) -> Iterator[list[tuple[float, str, str]]]:
    """Requests every target in turn until the block ends; yields (started at, path, verdict) as they come."""
    seen: list[tuple[float, str, str]] = []
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            for target in targets:
                started = time.monotonic()
                seen.append((started, target[0], _ask(base, target)))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join(30)


def _all(base: str, targets: list[Target], times: int = 3) -> list[str]:
    return [_ask(base, target) for _ in range(times) for target in targets]


def test_postgres_restarted_under_the_web_fails_cleanly_and_recovers(redis: Redis, postgres: Postgres,
                                                                      tmp_path: Path) -> None:
    targets = _targets()
    postgres.create()
    with web_node(redis, tmp_path / "web.log", extra={"DATABASE_URL": postgres.url}) as web:
        assert _all(web, targets) == ["ok"] * 3 * len(targets)

        postgres.restart()  # between two requests: every persistent connection of the node is now dead
        assert _all(web, targets) == ["ok"] * 3 * len(targets)

        with _poller(web, targets) as seen:
            wait_for(lambda: len(seen) >= len(targets), "the poller's first round", 30)
            postgres.stop()
            down = _all(web, targets, times=2)
            assert down == ["unavailable"] * 2 * len(targets), down
            postgres.start()
            back = time.monotonic()
            assert _all(web, targets) == ["ok"] * 3 * len(targets)
            wait_for(lambda: sum(1 for at, _, _ in seen if at > back) >= len(targets), "a poller round after", 30)

    verdicts = {verdict for _, _, verdict in seen}
    assert verdicts <= {"ok", "unavailable"}, verdicts
    assert "unavailable" in verdicts
    assert {verdict for at, _, verdict in seen if at > back} == {"ok"}
