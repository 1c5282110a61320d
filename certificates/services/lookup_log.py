"""The lookup log in production shape: counted and queued in one Redis round trip, flushed to PostgreSQL by COPY.

With a Redis cache and PostgreSQL (`queued()`), a lookup's rate-limit count and its log record go to Redis in one
script call (`count_and_queue`); a Celery beat task (`flush`) moves records in batches from the queue to a
processing list, COPYs them into a temporary table and inserts them once each (ON CONFLICT on the lookup's
request id), and only then drops the processing list. A flusher killed at any point leaves its batch in the
processing list, which the next flush inserts again without doubling a row; a web node that dies has already handed
its records to Redis. Without Redis or on SQLite the lookup inserts its row itself (certificates.services.lookup).
"""

import functools
import hashlib
import json
import logging
import os
import threading
import uuid
import weakref
from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError, NoScriptError

from portal.ratelimit import CACHE_UNAVAILABLE

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

# KEYS: counter, queue, then cache keys to read. ARGV: window, limit, the record, the refusal's request id and asked
# number. The first refusal in a window is logged (the record made a refusal: its own id, what was asked, nothing
# found, rate_limited), later ones only counted, so a flood costs the database nothing (as the direct path does).
# Returns the count, then each key's value (false when absent) in the same round trip.
_COUNT_AND_QUEUE = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
local limit = tonumber(ARGV[2])
if n <= limit then redis.call('RPUSH', KEYS[2], ARGV[3])
elseif n == limit + 1 then
  local r = cjson.decode(ARGV[3])
  r[1], r[4], r[7], r[8], r[10] = ARGV[4], ARGV[5], 0, cjson.null, true
  redis.call('RPUSH', KEYS[2], cjson.encode(r))
end
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


_SHA = hashlib.sha1(_COUNT_AND_QUEUE.encode()).hexdigest().encode()  # noqa: S324 - the script's name in Redis


class _Line(threading.local):
    """This thread's own connection to the cache's Redis, for count_and_queue: the command goes out packed as it
    is and the answer is read straight back. Through the Redis client (its pool, retry and encoder layers) the same
    call cost about 100 µs of processor time a lookup, on the connection alone about 25 µs (docs/performance.md)."""

    connection: Any = None
    owner: Any = None  # the cache's client the connection was made for (a new one after settings change)
    pid = 0


_line = _Line()


def _own_connection(cache_client: Any) -> Any:
    line = _line
    if line.owner is not cache_client or line.pid != os.getpid():  # first call, another cache, or a forked process
        pool = queue_client().connection_pool
        line.connection = pool.connection_class(**pool.connection_kwargs)
        line.owner, line.pid = cache_client, os.getpid()
    return line.connection


def _bulk(value: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(value), value)


def _evalsha(cache_client: Any, keys: Sequence[str], args: Sequence[bytes]) -> Any:
    """EVALSHA of the count-and-queue script on this thread's connection. A connection that fails is reopened and
    the command sent once more (a stale socket after a Redis restart); a script Redis no longer has (restarted,
    SCRIPT FLUSH) is loaded again."""
    packed = b"".join([b"*%d\r\n$7\r\nEVALSHA\r\n" % (3 + len(keys) + len(args)), _bulk(_SHA),
                       _bulk(b"%d" % len(keys)), *(_bulk(k.encode()) for k in keys), *(_bulk(a) for a in args)])
    connection = _own_connection(cache_client)
    for attempt in range(3):
        try:
            connection.send_packed_command([packed], check_health=False)
            return connection.read_response()
        except NoScriptError:
            queue_client().script_load(_COUNT_AND_QUEUE)
        except RedisConnectionError:
            connection.disconnect()
            if attempt:
                raise
        except BaseException:
            connection.disconnect()  # a reply left half read would answer the next command
            raise
    raise QueueUnavailable("the count-and-queue script could not be loaded")


def count_and_queue(scope: str, key: str, *, limit: int, window: int, record: Sequence[Any], refusal_id: str,
                    refusal_number: str, reads: Sequence[str] = ()) -> tuple[int, list[Any]]:
    """Count one hit of `key` (the same counter as portal.ratelimit.count_hit) and queue `record` (or, for the first
    hit past `limit`, the refusal made from it: `refusal_id`, `refusal_number`, nothing found, rate_limited) in one
    round trip; return the count and the cache's values under `reads` (full cache keys, as
    cache.make_and_validate_key gives them; None where absent), decoded as cache.get would. Raises QueueUnavailable
    when Redis is down."""
    backend = caches["default"]  # once: each use of django.core.cache.cache looks it up again
    cache_client = backend._cache  # type: ignore[attr-defined]  # RedisCache's client: its pool and serializer
    counter = backend.make_key(f"ratelimit:{scope}:{key}")  # the scope is ours, the key a hex digest: nothing to validate
    try:
        hits, *values = _evalsha(cache_client, [counter, QUEUE_KEY, *reads], [
            b"%d" % window, b"%d" % limit, _encode(record).encode(), refusal_id.encode(), refusal_number.encode()])
        decode = cache_client._serializer.loads  # decoded as cache.get would
        return int(hits), [None if value is None else decode(value) for value in values]
    except CACHE_UNAVAILABLE as exc:
        raise QueueUnavailable(str(exc)) from exc


def _encode(record: Sequence[Any]) -> str:
    """The record as a JSON array. PostgreSQL's text (and jsonb) cannot hold U+0000: it is dropped here, so that no
    record can stop a batch (the forms refuse it before a lookup anyway)."""
    return json.dumps([value.isoformat() if hasattr(value, "isoformat")
                       else value.replace("\x00", "") if type(value) is str else value for value in record],
                      ensure_ascii=False, separators=(",", ":"))


# Each queued record is a JSON array in LOG_COLUMNS order (_encode): PostgreSQL reads the batch as one JSON array
# and casts each element's fields, so the flusher neither decodes nor re-encodes a record.
_CASTS = ("::uuid", "::timestamptz", "", "", "", "", "::smallint", "::bigint", "", "::boolean")


@functools.cache
def _insert_sql() -> str:
    table = connection.ops.quote_name(LookupLog._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LOG_COLUMNS)
    fields = ", ".join(f"(r->>{i}){cast}" for i, cast in enumerate(_CASTS))
    return (f"INSERT INTO {table} ({columns}) SELECT {fields} FROM jsonb_array_elements(%s::jsonb) AS r "  # noqa: S608
            "ON CONFLICT (request_id) DO NOTHING")


def _insert_batch(items: Sequence[bytes | str]) -> int:
    """Insert the records, each lookup once (ON CONFLICT on its request id: a batch flushed again, or a record
    queued twice, adds nothing); return how many rows were new. One statement: the batch goes to PostgreSQL as one
    JSON array. Decoding each record and COPYing it through a temporary table cost 4 times as much (about 50 µs
    of processor time per lookup; docs/performance.md)."""
    batch = b"[" + b",".join(item.encode() if isinstance(item, str) else item for item in items) + b"]"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_insert_sql(), [batch.decode()])
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
