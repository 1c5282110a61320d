"""Public reads from a real streaming replica (the one `make test` starts beside its PostgreSQL; skipped elsewhere).

Proved on the servers, not mocks: with the replica's replay paused, a certificate issued on the primary is not
found by the lookup (it reads the replica) until replay resumes; a browser that just wrote reads the primary; the
officers' pages never read the replica; and with the replica stopped the lookup answers from the primary.
"""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client, override_settings

from certificates.models import Certificate
from portal import db_router
from tests.factories import a_certificate
from tests.infra.processes import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_REPLICA_URL") or "replica" not in settings.DATABASES,
                       reason="needs the streaming replica `make test` starts (TEST_DATABASE_REPLICA_URL)"),
]
FOUND = "有效"
MISS = "未查询到匹配的证书"


def _replica_sql(sql: str) -> None:
    replica = settings.DATABASES["replica"]
    with psycopg2.connect(host=replica["HOST"], port=replica["PORT"], user="postgres", dbname="postgres") as db:
        db.autocommit = True
        db.cursor().execute(sql)


def _pg_ctl(*args: str) -> None:
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*owner, str(pg_bin / "pg_ctl"), "-D", os.environ["TEST_DATABASE_REPLICA_DATA"], *args],
                   check=True, capture_output=True, timeout=120)


@pytest.fixture(autouse=True)
def _routed() -> Iterator[None]:
    cache.clear()
    db_router._down_until = 0.0
    with override_settings(DATABASE_ROUTERS=["portal.db_router.ReplicaRouter"], REPLICA_RETRY_SECONDS=0):
        yield
    connections["replica"].close()
    cache.clear()


def _lookup(client: Client, certificate: Certificate) -> str:
    response = client.post("/verify/", {"mode": "number", "number-number": certificate.number,
                                        "number-name": "王小明"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_lookup_reads_the_replica_and_sees_a_new_certificate_once_replicated() -> None:
    _replica_sql("SELECT pg_wal_replay_pause()")
    try:
        certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
        assert Certificate.objects.using("default").filter(pk=certificate.pk).exists()

        assert MISS in _lookup(Client(), certificate)  # the replica has not replayed the issuance yet
        pinned = Client()
        pinned.cookies[db_router.PIN_COOKIE] = "1"  # a browser that has just written
        assert FOUND in _lookup(pinned, certificate)
    finally:
        _replica_sql("SELECT pg_wal_replay_resume()")
    wait_for(lambda: FOUND in _lookup(Client(), certificate), "the replica to replay the issuance", 60)


def test_the_lookup_falls_back_to_the_primary_when_the_replica_is_down() -> None:
    certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
    wait_for(lambda: FOUND in _lookup(Client(), certificate), "the replica to replay the issuance", 60)
    replica = settings.DATABASES["replica"]
    _pg_ctl("stop", "-m", "fast", "-w")
    try:
        connections["replica"].close()
        assert FOUND in _lookup(Client(), certificate)
        api = Client().post("/api/v1/public/certificates/lookup/", {"number": certificate.number, "name": "王小明"},
                            content_type="application/json")
        assert api.status_code == 200 and [r["number"] for r in api.json()["results"]] == [certificate.number]
    finally:
        _pg_ctl("start", "-w", "-t", "120", "-l", os.environ["TEST_DATABASE_REPLICA_DATA"] + "/../replica.log",
                "-o", f"-p {replica['PORT']} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on")
