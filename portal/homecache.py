"""The home pages' worklists and panels, kept per person and per part until an event of what the part reads arrives.

A home page asks every app for its counts: some thirty queries. Every change a service makes records an audit event
(portal.audit), so the province's events mark its changes. Two levels use them:

- the whole rendering of a person's sections is keyed by a token that changes with every event of the province:
  while nothing changes a view reads it in one cache look-up;
- each provider's part (a worklist provider, a panel provider, a part of a panel) is keyed by a token that changes
  with the events of the apps or models it declares it reads (``reads=("filings", "certificates.examplan")``): after
  a change only the parts that read what changed are computed again, the others come from the cache. A part that
  declares nothing (``reads=None``) depends on every change in the province, as the whole rendering does.

The tokens come from a small snapshot of the province's marks kept in the cache: each view reads the events of the
last LOOK_BACK before the newest it has seen and after it (one query through the province's time index; a few rows)
and folds in those not seen yet, so an event whose transaction commits after newer ones were seen still counts.
Events of a read (personal data viewed) change nothing. A snapshot lost from the cache starts again with new tokens,
which only makes every part compute once.

What changes with no event (a deadline passing) shows within HOME_CACHE_SECONDS for the whole rendering and the
undeclared parts; a declared part is keyed by the day as well (date deadlines turn at midnight) and kept at most
HOME_PART_SECONDS (600), so a provider declares what it reads only when every change to it records an event of
those apps or models in the province and its deadlines are dates (the exceptions say so where they are declared).
An event committed more than LOOK_BACK after its time shows within those same limits. HOME_CACHE_SECONDS = 0
computes every part every time.
"""

import datetime as dt
import logging
import secrets
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from .audit import PERSONAL_DATA_VIEWED
from .models import AuditEvent
from .roles import ProvinceAccess

log = logging.getLogger(__name__)

Sections = tuple[list[dict[str, Any]], str]  # the sections and their rendering
Reads = tuple[str, ...] | None  # app labels ("filings") or model labels ("filings.application"); None: everything

SNAPSHOT_EVENTS = 500  # more events than this in the window: start a new snapshot rather than read them all
LOOK_BACK = dt.timedelta(seconds=30)  # events are read again this far back: a transaction commits after its event's time
READ_ACTIONS = frozenset({PERSONAL_DATA_VIEWED})  # events of a read, not a change: they move no mark


@dataclass
class Marks:
    """A province's marks: a token per app and model that changes whenever an event of it is seen, and one that
    changes with every event. `seen` holds the events of the look-back window, read again at each look so that one
    committed late (its time earlier than events already seen) still counts."""

    epoch: str  # a snapshot started afresh never reuses the tokens of one before
    serial: int  # bumped at each look that finds new events
    newest_at: dt.datetime | None
    seen: frozenset[int] = frozenset()
    by_type: dict[str, int] = field(default_factory=dict)  # model label → the serial its newest event was seen at

    @property
    def token(self) -> str:
        """Changes with every event of the province."""
        return f"{self.epoch}.{self.serial}"

    def of(self, reads: Reads) -> str:
        """The mark of a part that reads `reads`: changes whenever an event of one of them is seen."""
        if reads is None:
            return self.token
        found = 0
        for name in reads:
            if "." in name:
                found = max(found, self.by_type.get(name, 0))
            else:
                prefix = name + "."
                found = max([found, *(mark for label, mark in self.by_type.items() if label.startswith(prefix))])
        return f"{self.epoch}.{found}"


def _fresh_marks(province_id: int) -> Marks:
    key = f"home-marks:{province_id}"
    try:
        snapshot = cache.get(key)
    except Exception:
        log.warning("home cache unreachable; marks start afresh", exc_info=True)
        snapshot = None
    events = (AuditEvent.objects.filter(province_id=province_id).exclude(action__in=READ_ACTIONS)
              .order_by("-at", "-id"))
    if isinstance(snapshot, Marks):
        # One query through the province's time index: the events of the look-back window before the newest seen
        # and after it (all of them while the province has none).
        window = events if snapshot.newest_at is None else events.filter(at__gte=snapshot.newest_at - LOOK_BACK)
        rows = list(window.values_list("id", "at", "object_type")[:SNAPSHOT_EVENTS + 1])
        if len(rows) <= SNAPSHOT_EVENTS:
            new = [row for row in rows if row[0] not in snapshot.seen]
            if not new:
                return snapshot
            serial = snapshot.serial + 1
            by_type = {**snapshot.by_type, **{object_type: serial for _id, _at, object_type in new}}
            return _keep(key, _marks(snapshot.epoch, serial, rows, by_type, snapshot.newest_at))
    # No snapshot (evicted, or the first look), or too many events in the window: start again with new tokens.
    rows = list(events.values_list("id", "at", "object_type")[:SNAPSHOT_EVENTS])
    return _keep(key, _marks(secrets.token_hex(6), 0, rows, {}, None))


def _marks(epoch: str, serial: int, rows: list[tuple[int, dt.datetime, str]], by_type: dict[str, int],
           newest_at: dt.datetime | None) -> Marks:
    newest_at = max([at for at in (newest_at, rows[0][1] if rows else None) if at is not None], default=None)
    seen = frozenset(event_id for event_id, at, _type in rows if newest_at and at >= newest_at - LOOK_BACK)
    return Marks(epoch, serial, newest_at, seen, by_type)


def _keep(key: str, marks: Marks) -> Marks:
    try:
        cache.set(key, marks, None)
    except Exception:
        log.warning("home marks not cached", exc_info=True)
    return marks


_request_marks: dict[int, tuple["weakref.ref[ProvinceAccess]", Marks]] = {}


def marks_for(access: ProvinceAccess) -> Marks:
    """The province's marks, read once per ProvinceAccess (one request) however many parts ask."""
    held = _request_marks.get(id(access))
    if held is not None and held[0]() is access:
        return held[1]
    marks = _fresh_marks(access.province.pk)
    key = id(access)
    _request_marks[key] = (weakref.ref(access, lambda _ref: _request_marks.pop(key, None)), marks)
    return marks


def _person(access: ProvinceAccess) -> str:
    memberships = ",".join(sorted(f"{m.pk}" for m in access.memberships))
    return f"{access.province.pk}:{access.user.pk}:{memberships}:{get_language()}"


def _seconds() -> int:
    return int(getattr(settings, "HOME_CACHE_SECONDS", 60))


def cached_sections(access: ProvinceAccess, compute: Callable[[], Sections]) -> Sections:
    """The sections `compute` gives, from the cache while the province records no change; the cache being
    unreachable only costs the computation."""
    seconds = _seconds()
    if not seconds:
        return compute()
    # Read the mark before the sections are computed, so what is stored is never older than its mark.
    key = f"home:{marks_for(access).token}:{_person(access)}"
    try:
        hit = cache.get(key)
    except Exception:  # a cache that does not answer must not cost the page
        log.warning("home cache unreachable; computing the sections", exc_info=True)
        return compute()
    if isinstance(hit, tuple):
        return hit
    sections = compute()
    try:
        cache.set(key, sections, seconds)
    except Exception:  # unpicklable context or a cache that went away: next time computes again
        log.warning("home sections not cached", exc_info=True)
    return sections


@dataclass(frozen=True)
class Part:
    """One piece of a home page computed apart: its name (unique on the page), what it reads and how to compute it."""

    name: str
    reads: Reads
    compute: Callable[[], Any]


def cached_parts(access: ProvinceAccess, parts: Sequence[Part]) -> list[Any]:
    """Each part's value, from the cache while no event of what it reads was recorded since (one cache round trip
    for all of them, one for those computed); the cache being unreachable only costs the computation."""
    seconds = _seconds()
    if not seconds:
        return [part.compute() for part in parts]
    marks = marks_for(access)
    person, today = _person(access), timezone.localdate().isoformat()
    keys = [f"home-part:{part.name}:{marks.of(part.reads)}:{today}:{person}" for part in parts]
    try:
        hits = cache.get_many(keys)
    except Exception:
        log.warning("home cache unreachable; computing the parts", exc_info=True)
        return [part.compute() for part in parts]
    values: list[Any] = []
    computed: dict[int, dict[str, Any]] = {}
    for key, part in zip(keys, parts, strict=True):
        if key in hits:
            values.append(hits[key][0])  # stored in a 1-tuple: a part may be None or empty
            continue
        value = part.compute()
        values.append(value)
        ttl = seconds if part.reads is None else max(seconds, int(getattr(settings, "HOME_PART_SECONDS", 600)))
        computed.setdefault(ttl, {})[key] = (value,)
    for ttl, batch in computed.items():
        try:
            cache.set_many(batch, ttl)
        except Exception:
            log.warning("home parts not cached", exc_info=True)
    return values


def reads_union(*reads: Iterable[str] | None) -> Reads:
    """What a part built of parts reads: everything when one of them does."""
    if any(r is None for r in reads):
        return None
    return tuple(sorted({name for r in reads if r is not None for name in r}))
