"""The lookup log in production shape: counted and queued in one Redis round trip, flushed to PostgreSQL by COPY.

With a Redis cache and PostgreSQL (`queued()`), a lookup's rate-limit count and its log record go to Redis in one
script call (`count_and_queue`); a Celery beat task (`flush`) moves records in batches from the queue to a
processing list, COPYs them into a temporary table and inserts them once each (ON CONFLICT on the lookup's
request id), and only then drops the processing list. A flusher killed at any point leaves its batch in the
processing list, which the next flush inserts again without doubling a row; a web node that dies has already handed
its records to Redis. Without Redis or on SQLite the lookup inserts its row itself (certificates.services.lookup).
"""

import json
import logging
import uuid
import weakref
from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from redis import Redis
from redis.commands.core import Script
from redis.exceptions import RedisError

from portal.copy import copy_rows

from ..models.issuance import LookupLog

logger = logging.getLogger(__name__)

__all__ = [
    "LOG_COLUMNS",
    "PROCESSING_KEY",
    "QUEUE_KEY",
    "QueueUnavailable",
    "count_and_queue",
    "flush",
    "queue_client",
    "queued",
]

LOG_COLUMNS = ("request_id", "at", "channel", "number", "id_digest", "id_masked", "found", "certificate_id",
               "ip_hash", "rate_limited")
QUEUE_KEY = "certificates:lookup-log"
PROCESSING_KEY = "certificates:lookup-log:processing"
LOCK_KEY = "certificates:lookup-log:flush-lock"

# KEYS: counter, queue, then cache keys to read. ARGV: window, limit, the record, the refusal's record. The first
# refusal in a window is logged, later ones only counted, so a flood costs the database nothing (as the direct path
# does). Returns the count, then each key's value (false when absent) in the same round trip.
_COUNT_AND_QUEUE = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
local limit = tonumber(ARGV[2])
if n <= limit then redis.call('RPUSH', KEYS[2], ARGV[3])
elseif n == limit + 1 then redis.call('RPUSH', KEYS[2], ARGV[4]) end
local answer = {n}
for i = 3, #KEYS do answer[i - 1] = redis.call('GET', KEYS[i]) end
return answer
"""
# KEYS: queue, processing. ARGV: batch size. Moves up to a batch atomically; the records are in one list or the other.
_MOVE_BATCH = """
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items > 0 then
  redis.call('RPUSH', KEYS[2], unpack(items))
  redis.call('LTRIM', KEYS[1], #items, -1)
end
return #items
"""
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class QueueUnavailable(Exception):
    """The Redis that holds the counters and the queue did not answer."""


def queued() -> bool:
    """Whether lookups are logged through the Redis queue: settings.CERTIFICATE_LOOKUP_LOG_QUEUE, else automatically
    when the cache is Redis and the database PostgreSQL (COPY)."""
    choice = getattr(settings, "CERTIFICATE_LOOKUP_LOG_QUEUE", None)
    if choice is not None:
        return bool(choice)
    return (settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
            and connection.vendor == "postgresql")


def _redis_cache() -> Any:
    return cache._cache  # type: ignore[attr-defined]  # RedisCache internals: its client and its serializer


_clients: "weakref.WeakKeyDictionary[Any, Redis]" = weakref.WeakKeyDictionary()


def queue_client() -> Redis:
    """The cache's Redis client (the counters live there; the queue beside them, in the same database): one per cache
    client, on the cache's connection pool. Django's RedisCache builds a client object on every call, which cost
    the lookup about 30 µs a request (docs/performance.md)."""
    cache_client = _redis_cache()
    client = _clients.get(cache_client)
    if client is None:
        client = _clients[cache_client] = cast(Redis, cache_client.get_client(write=True))
    return client


_script: list[Script] = []  # EVALSHA: the script is sent (and hashed by Redis) once, not on every lookup


def _count_and_queue_script(client: Redis) -> Script:
    if not _script:
        _script.append(client.register_script(_COUNT_AND_QUEUE))  # the sha; each call passes its own client
    return _script[0]


def count_and_queue(scope: str, key: str, *, limit: int, window: int, record: Sequence[Any],
                    refusal: Sequence[Any], reads: Sequence[str] = ()) -> tuple[int, list[Any]]:
    """Count one hit of `key` (the same counter as portal.ratelimit.count_hit) and queue `record` (or, for the first
    hit past `limit`, `refusal`) in one round trip; return the count and the cache's values under `reads` (full cache
    keys, as cache.make_and_validate_key gives them; None where absent), decoded as cache.get would. Raises
    QueueUnavailable when Redis is down."""
    counter = cache.make_key(f"ratelimit:{scope}:{key}")  # the scope is ours, the key a hex digest: nothing to validate
    try:
        client = queue_client()
        hits, *values = _count_and_queue_script(client)(
            keys=[counter, QUEUE_KEY, *reads], args=[window, limit, _encode(record), _encode(refusal)], client=client)
        decode = _redis_cache()._serializer.loads  # decoded as cache.get would
        return int(hits), [None if value is None else decode(value) for value in values]
    except (RedisError, ConnectionError, OSError, TimeoutError) as exc:
        raise QueueUnavailable(str(exc)) from exc


def _encode(record: Sequence[Any]) -> str:
    return json.dumps([value.isoformat() if hasattr(value, "isoformat") else value for value in record],
                      ensure_ascii=False, separators=(",", ":"))


def _insert_batch(items: Sequence[bytes | str]) -> int:
    """COPY the records into a temporary table and insert each lookup once; return how many rows were new."""
    rows = [json.loads(item) for item in items]
    table = connection.ops.quote_name(LookupLog._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LOG_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE lookup_log_batch ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        copy_rows("lookup_log_batch", LOG_COLUMNS, rows)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT DISTINCT ON (request_id) {columns} "  # noqa: S608
                       "FROM lookup_log_batch ORDER BY request_id ON CONFLICT (request_id) DO NOTHING")
        return int(cursor.rowcount)


def _flush_batches(client: Redis, batch: int, max_batches: int) -> int:
    inserted = 0
    for _ in range(max_batches):
        pending = client.lrange(PROCESSING_KEY, 0, -1)  # a batch a killed flusher left: inserted again, once
        if not pending:
            if not client.eval(_MOVE_BATCH, 2, QUEUE_KEY, PROCESSING_KEY, batch):  # type: ignore[no-untyped-call]  # redis-py
                break
            pending = client.lrange(PROCESSING_KEY, 0, -1)
        inserted += _insert_batch(pending)
        client.delete(PROCESSING_KEY)  # the acknowledgement: only after the rows are committed
    return inserted


def flush(*, batch: int | None = None, max_batches: int = 100) -> int:
    """Move the queued lookups to the log table, a batch at a time; return how many rows were inserted.

    One flusher at a time (a lock with a lifetime, so a killed flusher's lock lapses on its own).
    """
    batch = batch or int(getattr(settings, "CERTIFICATE_LOOKUP_LOG_BATCH", 5000))
    lock_seconds = int(getattr(settings, "CERTIFICATE_LOOKUP_LOG_LOCK_SECONDS", 300))
    client = queue_client()
    token = uuid.uuid4().hex
    if not client.set(LOCK_KEY, token, nx=True, ex=lock_seconds):
        logger.info("lookup log flush skipped: another flush holds the lock")
        return 0
    try:
        inserted = _flush_batches(client, batch, max_batches)
    finally:
        client.eval(_RELEASE, 1, LOCK_KEY, token)  # type: ignore[no-untyped-call]  # redis-py's eval is untyped
    if inserted:
        logger.info("Flushed %d lookup log records", inserted)
    return inserted
