"""The audit log's hash chains: sealing committed events into their chain after commit, and walking a chain to verify.

Each province's events form one chain, and events without a province one more. A sealed event stores `seq`, its
place in the chain (1, 2, …), `prev_hash`, the `entry_hash` of its predecessor (GENESIS for the first), and its own
`entry_hash`:

    entry_hash = SHA-256( UTF-8( JSON of the row's stored fields ) ), as lowercase hex, where the JSON is
    json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False) of the object
    {"at", "actor_id", "province_id", "object_type", "object_id", "object_repr", "action", "from_state",
     "to_state", "reason", "changes", "ip_address", "prev_hash"}:
    integers (or null) for actor_id and province_id; `at` in UTC as "YYYY-MM-DDTHH:MM:SS.ffffffZ"; `changes` the stored JSON value
    (its keys sorted at every depth); `ip_address` the stored text or null; every other field the stored text.

Why after commit: an event is inserted inside its service's transaction, unsealed (seq null), and takes no lock of
the chain. Locking the chain's head row there made the head a lock every transaction took in the middle of its own
locks (a filing, a counter …), and two transactions taking the two in opposite orders deadlocked. Sealing instead runs
in a short transaction of its own once the business transaction has committed (an on-commit callback per chain
touched), and a beat sweep (`portal.seal_audit_chains`) seals whatever a crash between the commit and the callback
left: it locks the chain's head row (SELECT … FOR UPDATE, the only lock it takes before the event rows, which no other
transaction locks once committed), links the committed unsealed events in id order and moves the head. Two sealers at
once wait on the head, and the second finds the events already sealed. A rolled-back event never existed and is
never sealed. docs/audit.md describes the same, for an auditor.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Min

from .models import AuditChainHead, AuditEvent, Province

GENESIS = "0" * 64
HASHED_FIELDS = (
    "at", "actor_id", "province_id", "object_type", "object_id", "object_repr", "action", "from_state",
    "to_state", "reason", "changes", "ip_address", "prev_hash",
)
NO_PROVINCE = "none"
SEAL_BATCH = 500


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


class SealOnCommit:
    """The on-commit callback sealing one chain; one per chain and transaction (see `seal_after_commit`)."""

    def __init__(self, province_id: int | None) -> None:
        self.province_id = province_id

    def __call__(self) -> None:
        seal_chain(self.province_id)


def seal_after_commit(province_id: int | None) -> None:
    """Seal the chain once the current transaction commits (at once in autocommit), unless already queued.

    Robust: a failing seal is logged and left to the beat sweep; the committed change stands either way."""
    queued = (isinstance(entry[1], SealOnCommit) and entry[1].province_id == province_id
              for entry in connection.run_on_commit)
    if connection.in_atomic_block and any(queued):
        return
    transaction.on_commit(SealOnCommit(province_id), robust=True)


def _events(province_id: int | None) -> Any:
    if province_id is None:
        return AuditEvent.objects.filter(province__isnull=True)
    return AuditEvent.objects.filter(province_id=province_id)


def _locked_head(key: str) -> AuditChainHead:
    """The chain's head row, locked until the transaction ends (created for the chain's first seal)."""
    head = AuditChainHead.objects.select_for_update().filter(key=key).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(key=key, last_hash=GENESIS)
        except IntegrityError:  # another sealer created it at the same moment
            pass
        head = AuditChainHead.objects.select_for_update().get(key=key)
    return head


def _seal_batch(province_id: int | None) -> int:
    """Link up to SEAL_BATCH committed unsealed events of one chain, in id order; how many were sealed."""
    with transaction.atomic():
        head = _locked_head(chain_key(province_id))
        rows = list(
            _events(province_id).filter(seq__isnull=True).order_by("id")
            .values("id", *[f for f in HASHED_FIELDS if f != "prev_hash"])[:SEAL_BATCH]
        )
        sealed = []
        for row in rows:
            row["prev_hash"] = head.last_hash
            head.length += 1
            head.last_hash, head.last_event_id = event_hash(row), row["id"]
            sealed.append(AuditEvent(pk=row["id"], seq=head.length, prev_hash=row["prev_hash"],
                                     entry_hash=head.last_hash))
        if sealed:
            AuditEvent.objects.bulk_update(sealed, ["seq", "prev_hash", "entry_hash"])
            head.save(update_fields=["length", "last_hash", "last_event_id"])
        return len(sealed)


def seal_chain(province_id: int | None) -> int:
    """Seal every committed unsealed event of one chain (province id, or None); the number sealed."""
    total = 0
    while (count := _seal_batch(province_id)) > 0:
        total += count
        if count < SEAL_BATCH:
            break
    return total


def pending_chains() -> list[int | None]:
    """The chains (province ids, None for "none") holding unsealed events, through the unsealed-events index."""
    return list(AuditEvent.objects.filter(seq__isnull=True).values_list("province_id", flat=True).distinct())


def seal_all() -> int:
    """Seal every chain's committed unsealed events (the beat sweep's work); the number sealed."""
    return sum(seal_chain(province_id) for province_id in pending_chains())


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain: the event (or the head) where the stored and the expected value differ."""

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
    pending: int = 0
    oldest_pending: dt.datetime | None = None


def _rows(province_id: int | None) -> Iterator[dict[str, Any]]:
    sealed = _events(province_id).filter(seq__isnull=False).order_by("seq")
    return sealed.values("id", "seq", *HASHED_FIELDS, "entry_hash").iterator(chunk_size=2000)


def _link_problem(name: str, row: dict[str, Any], count: int, previous: str) -> Break | None:
    if row["prev_hash"] != previous:
        return Break(name, row["id"], "prev_hash differs from its predecessor's hash (a row before it is missing or "
                     "was rewritten)", previous, row["prev_hash"])
    expected = event_hash(row)
    if row["entry_hash"] != expected:
        return Break(name, row["id"], "entry_hash differs from the hash of the stored row (the row was edited)",
                     expected, row["entry_hash"])
    if row["seq"] != count:
        return Break(name, row["id"], "seq is not the next place in the chain (renumbered)", str(count),
                     str(row["seq"]))
    return None


def verify_chain(province: Province | None) -> ChainReport:
    """Walk one chain's sealed events in seq order; the first link that is not what it should be, and how many
    events still await their seal."""
    province_id = province.pk if province is not None else None
    name = province.slug if province is not None else NO_PROVINCE
    pending = _events(province_id).filter(seq__isnull=True).aggregate(oldest=Min("at"), n=Count("id"))
    waiting = pending["n"]
    previous, count = GENESIS, 0
    for row in _rows(province_id):
        count += 1
        problem = _link_problem(name, row, count, previous)
        if problem is not None:
            return ChainReport(name, count, problem, waiting, pending["oldest"])
        previous = row["entry_hash"]
    head = _check_head(name, chain_key(province_id), previous, count)
    return ChainReport(name, count, head, waiting, pending["oldest"])


def _check_head(name: str, key: str, last_hash: str, count: int) -> Break | None:
    """The head names the last event sealed: a missing last row (or missing head) shows here."""
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
