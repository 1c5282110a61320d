"""The lookup log through Redis: counted and queued in one round trip, flushed by COPY, nothing lost or doubled.

In-process: lookups with a Redis cache reach the table only through the flush, the rate limit still refuses (and
logs the first refusal), and a batch committed but not acknowledged (a flusher dead between the two) is inserted
once when flushed again. Drill: a real Celery worker SIGKILLed in the middle of flushing 100,000 queued lookups;
its successor leaves every lookup in the table exactly once.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from unittest import mock

import psycopg2
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from certificates.models import LookupLog
from certificates.services import lookup_log
from filings import selectors as filing_selectors
from tests.factories import a_certificate
from tests.infra.processes import ROOT, Redis, celery_worker, environment, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
QUEUED = 100_000


def _redis_cache(redis: Redis) -> override_settings:
    return override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                 "LOCATION": f"{redis.url}/1"}},
                             CERTIFICATE_LOOKUP_RATE=(3, 600))


def _lookup(client: Client, number: str) -> int:
    return client.post("/verify/", {"mode": "number", "number-number": number, "number-name": "王小明"}).status_code


def test_lookups_reach_the_log_through_the_flush_with_the_rate_limit_kept(redis: Redis) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the flush uses COPY (PostgreSQL)")
    certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
    with _redis_cache(redis):
        client = Client()
        statuses = [_lookup(client, certificate.number) for _ in range(5)]
        queue = lookup_log.queue_client()

        assert statuses == [200, 200, 200, 429, 429]
        assert LookupLog.objects.count() == 0 and queue.llen(lookup_log.QUEUE_KEY) == 4
        assert lookup_log.flush() == 4
        assert queue.llen(lookup_log.QUEUE_KEY) == 0 and queue.llen(lookup_log.PROCESSING_KEY) == 0
        rows = list(LookupLog.objects.order_by("at", "rate_limited").values_list(
            "rate_limited", "certificate_id", "number"))
        assert rows == [(False, certificate.pk, certificate.number)] * 3 + [(True, None, certificate.number)]
        cache.clear()


def test_the_count_and_queue_survives_a_script_flush_a_restart_and_an_outage(redis: Redis) -> None:
    """The lookup's own Redis connection: a script Redis forgot is loaded again, a connection a restarted Redis
    dropped is reopened, and while Redis is down the lookup is logged straight to the table (fail open)."""
    if connection.vendor != "postgresql":
        pytest.skip("the queued lookup needs PostgreSQL")
    certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                               "LOCATION": f"{redis.url}/1"}}, CERTIFICATE_LOOKUP_RATE=(100, 600)):
        client = Client()
        queue = lookup_log.queue_client()
        assert _lookup(client, certificate.number) == 200 and queue.llen(lookup_log.QUEUE_KEY) == 1

        queue.script_flush()
        assert _lookup(client, certificate.number) == 200 and queue.llen(lookup_log.QUEUE_KEY) == 2

        redis.stop()
        redis.start()  # empty (no persistence); the lookup's connection is now a dead socket
        assert _lookup(client, certificate.number) == 200
        assert queue.llen(lookup_log.QUEUE_KEY) == 1 and LookupLog.objects.count() == 0

        redis.stop()
        assert _lookup(client, certificate.number) == 200
        assert list(LookupLog.objects.values_list("certificate_id", "rate_limited")) == [(certificate.pk, False)]

        redis.start()
        assert _lookup(client, certificate.number) == 200
        assert queue.llen(lookup_log.QUEUE_KEY) == 1 and LookupLog.objects.count() == 1
        assert lookup_log.flush() == 1
        assert LookupLog.objects.filter(certificate=certificate, rate_limited=False).count() == 2
        cache.clear()


def _issuer_evidence(client: Client, number: str) -> str:
    response = client.post("/api/v1/public/certificates/lookup/", {"number": number, "name": "王小明"},
                           content_type="application/json")
    assert response.status_code == 200
    return next(line["evidence"] for line in response.json()["results"][0]["checklist"] if line["key"] == "issuer")


def test_the_issuers_history_comes_with_the_count_and_a_change_reaches_the_next_lookup(redis: Redis) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the queued lookup needs PostgreSQL")
    certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
    filing_id = certificate.filing_id
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                               "LOCATION": f"{redis.url}/1"}}):
        client = Client()
        first = _issuer_evidence(client, certificate.number)  # reads the history from the database, caches it
        [key] = filing_selectors.standing_cache_keys([filing_id])
        cached = cache.get(filing_selectors._standing_key(filing_id))
        assert cached[0] in first

        # the history in the cache is what the lookup uses, read in its one Redis round trip with the count:
        # the checklist asks the cache nothing more
        cache.set(filing_selectors._standing_key(filing_id), ("粤备-测试-0001", *cached[1:]), 600)
        asked: list[str] = []
        real_get = cache.get

        def spy(key: str, *args: object, **kwargs: object) -> object:
            asked.append(key)
            return real_get(key, *args, **kwargs)

        with mock.patch.object(cache, "get", spy):
            assert "粤备-测试-0001" in _issuer_evidence(client, certificate.number)
        assert not [k for k in asked if "standing" in k]
        assert lookup_log.queue_client().exists(key)

        # a change drops the cached history: the next lookup reads the filing again
        filing_selectors.forget_standing(filing_id)
        assert _issuer_evidence(client, certificate.number) == first
        cache.clear()


def test_a_batch_committed_but_not_acknowledged_is_not_inserted_twice(redis: Redis) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the flush uses COPY (PostgreSQL)")
    with _redis_cache(redis):
        queue = lookup_log.queue_client()
        ids = _queue_records(queue, 10)
        # a flusher that committed its batch and died before dropping the processing list
        queue.eval(lookup_log._MOVE_BATCH, 2, lookup_log.QUEUE_KEY, lookup_log.PROCESSING_KEY, 6)
        assert lookup_log._insert_batch(queue.lrange(lookup_log.PROCESSING_KEY, 0, -1)) == 6

        assert lookup_log.flush(batch=6) == 4  # the six again (none new), then the other four
        assert sorted(str(u).replace("-", "") for u in LookupLog.objects.values_list("request_id", flat=True)) == ids
        assert queue.llen(lookup_log.PROCESSING_KEY) == 0
        cache.clear()


def _queue_records(queue: object, n: int) -> list[str]:
    ids = sorted(uuid.uuid4().hex for _ in range(n))
    at = timezone.now()
    pipe = queue.pipeline(transaction=False)  # type: ignore[attr-defined]
    for i, request_id in enumerate(ids):
        pipe.rpush(lookup_log.QUEUE_KEY, lookup_log._encode(
            (request_id, at, "number", f"N{i}", "", "", 0, None, "drill", False)))
        if i % 5000 == 4999:
            pipe.execute()
    pipe.execute()
    return ids


def test_any_text_a_record_carries_reaches_the_table_as_it_was(redis: Redis) -> None:
    """The batch goes to PostgreSQL as one JSON array: quotes, backslashes, an escape typed as text, other scripts
    and a null character (dropped: text cannot hold it) neither break the batch nor change what is stored."""
    if connection.vendor != "postgresql":
        pytest.skip("the flush needs PostgreSQL")
    numbers = ['A"B', "C\\D", "\\u0000x", "王伟·𠀀", "N\x00UL", "tab\there", "]},["]
    with _redis_cache(redis):
        queue = lookup_log.queue_client()
        at = timezone.now()
        for i, number in enumerate(numbers):
            queue.rpush(lookup_log.QUEUE_KEY, lookup_log._encode(
                (f"{i:032x}", at, "number", number, "", "", 0, None, "drill", False)))
        assert lookup_log.flush() == len(numbers)
        stored = dict(LookupLog.objects.values_list("request_id", "number"))
        assert [stored[uuid.UUID(int=i)] for i in range(len(numbers))] == [n.replace("\x00", "") for n in numbers]
        cache.clear()


def test_a_flush_waits_for_no_certificate_a_revocation_holds(redis: Redis) -> None:
    """The log's certificate column has no constraint in the database. With one, the flush's commit share-locked
    each certificate it logged: a revocation holding a certificate's row (as `changes` does, FOR UPDATE) stalled
    the flush, and every flush wrote to the row of every certificate looked up."""
    if connection.vendor != "postgresql":
        pytest.skip("the flush needs PostgreSQL")
    certificate = a_certificate("gd", name="王小明", id_number="44010619900307123X")
    with _redis_cache(redis):
        assert _lookup(Client(), certificate.number) == 200
        holder = psycopg2.connect(**connection.get_connection_params())
        try:
            with holder.cursor() as cursor:  # psycopg2 opens a transaction: the lock is held until the rollback
                cursor.execute("SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [certificate.pk])
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")  # a wait ends in an error, not a hang
            assert lookup_log.flush() == 1
        finally:
            holder.rollback()
            holder.close()
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        assert LookupLog.objects.get().certificate_id == certificate.pk
        cache.clear()


def test_a_flusher_killed_mid_batch_loses_and_doubles_nothing(redis: Redis, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("the flush uses COPY (PostgreSQL)")
    extra = {"DRILL_LOOKUP_LOG_BATCH": "1000", "DRILL_LOOKUP_LOG_LOCK": "2"}
    with _redis_cache(redis):
        queue = lookup_log.queue_client()
        ids = _queue_records(queue, QUEUED)
        send = [sys.executable, "manage.py", "shell", "-c",
                "from certificates.tasks import flush_lookup_log; flush_lookup_log.delay()"]
        with celery_worker(redis, tmp_path / "worker-a.log", name="a", extra=extra) as first:
            subprocess.run(send, cwd=ROOT, env=environment(redis, extra), check=True, timeout=180)
            deadline = time.monotonic() + 120
            while not (LookupLog.objects.count() >= 5000 and queue.llen(lookup_log.PROCESSING_KEY)):
                assert time.monotonic() < deadline, "the worker never flushed 5,000 lookups"
                time.sleep(0.01)
            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
        at_kill = LookupLog.objects.count()
        assert 5000 <= at_kill < QUEUED, at_kill
        assert queue.llen(lookup_log.PROCESSING_KEY) + queue.llen(lookup_log.QUEUE_KEY) > 0

        with celery_worker(redis, tmp_path / "worker-b.log", name="b", extra=extra):
            wait_for(lambda: not queue.exists(lookup_log.LOCK_KEY), "the killed flusher's lock to lapse", 30)
            subprocess.run(send, cwd=ROOT, env=environment(redis, extra), check=True, timeout=180)
            wait_for(lambda: not queue.llen(lookup_log.QUEUE_KEY) and not queue.llen(lookup_log.PROCESSING_KEY),
                     "the successor to flush the queue", 180)

        stored = sorted(str(u).replace("-", "") for u in LookupLog.objects.values_list("request_id", flat=True))
        assert len(stored) == QUEUED and stored == ids
        cache.clear()
