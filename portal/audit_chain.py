"""The audit log's hash chains: appending an event under its chain's head lock, and walking a chain to verify it.

Each province's events form one chain, and events without a province one more. An event stores `prev_hash`, the
`entry_hash` of its predecessor in the chain (GENESIS for the first), and its own `entry_hash`:

    entry_hash = SHA-256( UTF-8( JSON of the row's stored fields ) ), as lowercase hex, where the JSON is
    json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False) of the object
    {"at", "actor_id", "province_id", "object_type", "object_id", "object_repr", "action", "from_state",
     "to_state", "reason", "changes", "ip_address", "prev_hash"}:
    integers (or null) for actor_id and province_id; `at` in UTC as "YYYY-MM-DDTHH:MM:SS.ffffffZ"; `changes` the stored JSON value
    (its keys sorted at every depth); `ip_address` the stored text or null; every other field the stored text.

The event's own id is not hashed (it is known only after the insert); the chain's order is the id order, and a
moved, removed or inserted row breaks a prev_hash link. The values are normalized as the database stores them before
hashing, so the hash made at the insert is the one verify computes from the row read back.
Appending reads the chain's head row with SELECT ... FOR UPDATE (a row lock on PostgreSQL, held until the caller's
transaction commits; SQLite runs one writing transaction at a time and refuses a write made on a stale read), so two
events at once in one chain never link to the same predecessor. docs/audit.md describes the same, for an auditor.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import AuditChainHead, AuditEvent, Province

GENESIS = "0" * 64
HASHED_FIELDS = (
    "at", "actor_id", "province_id", "object_type", "object_id", "object_repr", "action", "from_state",
    "to_state", "reason", "changes", "ip_address", "prev_hash",
)
NO_PROVINCE = "none"


def chain_key(province_id: int | None) -> str:
    """The head row's key of a chain: "province:<id>", or "none" for the events without a province."""
    return NO_PROVINCE if province_id is None else f"province:{province_id}"


def canonical(row: dict[str, Any]) -> bytes:
    """The exact bytes hashed for a row (a dict holding at least HASHED_FIELDS, as the database returns them)."""
    fields = {name: row[name] for name in HASHED_FIELDS}
    at: dt.datetime = fields["at"]
    fields["at"] = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def event_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def _locked_head(key: str) -> tuple[int, str]:
    """(pk, last hash) of the chain's head row, locked until the transaction ends (created on the first event).

    Read again for every event, even when this transaction holds the lock already: one indexed read, and nothing to
    go stale when a savepoint rolls back."""
    head = AuditChainHead.objects.select_for_update().filter(key=key).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(key=key, last_hash=GENESIS)
        except IntegrityError:  # another transaction created it at the same moment
            pass
        head = AuditChainHead.objects.select_for_update().get(key=key)
    return head.pk, head.last_hash


def _as_stored(event: AuditEvent) -> None:
    """Give the event's fields the values the database will hand back, so the hash made now is the one verified."""
    event.changes = json.loads(json.dumps(event.changes if event.changes is not None else {}))
    ip = AuditEvent._meta.get_field("ip_address").get_prep_value(event.ip_address)
    event.ip_address = ip or None


def append(event: AuditEvent, insert: Callable[[], None]) -> None:
    """Insert a new event (`insert` saves it) as the last link of its chain; sets prev_hash and entry_hash first.

    Three statements: the head read under its lock, the insert, the head's move.
    """
    key = chain_key(event.province_id)
    with transaction.atomic(savepoint=False):
        head_pk, last_hash = _locked_head(key)
        _as_stored(event)
        event.prev_hash = last_hash
        event.entry_hash = event_hash({name: getattr(event, name) for name in HASHED_FIELDS})
        insert()
        AuditChainHead.objects.filter(pk=head_pk).update(
            last_event_id=event.pk, last_hash=event.entry_hash, length=F("length") + 1
        )


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain: the event (or the head) where the stored and the expected hash differ."""

    chain: str
    event_id: int | None
    problem: str
    expected: str
    stored: str

    def __str__(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "the chain's head"
        return f"chain {self.chain}: {where}: {self.problem}: expected {self.expected}, stored {self.stored}"


@dataclass(frozen=True)
class ChainReport:
    chain: str
    length: int
    broken: Break | None


def _rows(province_id: int | None) -> Iterator[dict[str, Any]]:
    events = AuditEvent.objects.filter(province_id=province_id) if province_id is not None else AuditEvent.objects.filter(
        province__isnull=True
    )
    return events.order_by("id").values("id", *HASHED_FIELDS, "entry_hash").iterator(chunk_size=2000)


def verify_chain(province: Province | None) -> ChainReport:
    """Walk one chain in id order; the first link whose prev_hash or entry_hash is not what it should be."""
    province_id = province.pk if province is not None else None
    name = province.slug if province is not None else NO_PROVINCE
    previous, count = GENESIS, 0
    for row in _rows(province_id):
        count += 1
        if row["prev_hash"] != previous:
            return ChainReport(name, count, Break(
                name, row["id"], "prev_hash differs from its predecessor's hash (a row before it is missing or "
                "was rewritten)", previous, row["prev_hash"]))
        expected = event_hash(row)
        if row["entry_hash"] != expected:
            return ChainReport(name, count, Break(
                name, row["id"], "entry_hash differs from the hash of the stored row (the row was edited)",
                expected, row["entry_hash"]))
        previous = row["entry_hash"]
    return ChainReport(name, count, _check_head(name, chain_key(province_id), previous, count))


def _check_head(name: str, key: str, last_hash: str, count: int) -> Break | None:
    """The head names the last event appended: a missing last row (or missing head) shows here."""
    head = AuditChainHead.objects.filter(key=key).first()
    if head is None:
        return None if count == 0 else Break(name, None, "the chain's head row is missing", last_hash, "")
    if head.last_hash != last_hash or head.length != count:
        return Break(name, head.last_event_id, f"the chain's last event ({head.length} appended, {count} found) is "
                     "missing or was rewritten", head.last_hash, last_hash)
    return None


def verify_all() -> list[ChainReport]:
    """Every chain: each province's that has events or a head, then the one of events without a province."""
    heads = set(AuditChainHead.objects.values_list("key", flat=True))
    with_events = set(AuditEvent.objects.values_list("province_id", flat=True).distinct())
    provinces = Province.objects.filter(pk__in={p for p in with_events if p is not None} | {
        int(k.split(":", 1)[1]) for k in heads if k.startswith("province:")
    }).order_by("slug")
    reports = [verify_chain(p) for p in provinces]
    if None in with_events or NO_PROVINCE in heads:
        reports.append(verify_chain(None))
    return reports
