"""The home pages' worklists and panels, kept per person and per part until an event of what the part reads arrives.

A home page asks every app for its counts: some thirty queries. Every change a service makes records an audit event
(portal.audit), so the province's newest event is a mark that moves with each change. Two levels use it:

- the whole rendering of a person's sections is keyed by the province's newest event: while nothing changes in the
  province a view reads it in one cache look-up;
- each provider's part (a worklist provider, a panel provider, a part of a panel) is keyed by the newest event of the
  apps or models it declares it reads (``reads=("filings", "certificates.examplan")``): after a change only the parts
  that read what changed are computed again, the others come from the cache. A part that declares nothing
  (``reads=None``) depends on every change in the province, as the whole rendering does.

The newest event of each app and model comes from a small snapshot kept in the cache beside the province's newest
event: a view that finds the province moved on reads only the events recorded since the snapshot (through the
province's time index) and folds them in. A snapshot lost from the cache starts again at the newest event, which
only makes every part compute once.

What changes with no event (a deadline passing) shows within HOME_CACHE_SECONDS for the whole rendering and the
undeclared parts; a declared part is keyed by the day as well (date deadlines turn at midnight) and kept at most
HOME_PART_SECONDS, so a provider declares what it reads only when every change to it records an event of those apps
or models and its deadlines are dates. HOME_CACHE_SECONDS = 0 computes every part every time.
"""

import datetime as dt
import logging
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from .models import AuditEvent
from .roles import ProvinceAccess

log = logging.getLogger(__name__)

Sections = tuple[list[dict[str, Any]], str]  # the sections and their rendering
Reads = tuple[str, ...] | None  # app labels ("filings") or model labels ("filings.application"); None: everything

SNAPSHOT_EVENTS = 500  # more events than this since the snapshot: start a new one rather than read them all


@dataclass
class Marks:
    """The newest audit event of a province, and the newest of each app and model since the snapshot began (ids);
    anything older than the snapshot counts as `base`."""

    newest: int
    at: dt.datetime | None
    base: int
    by_type: dict[str, int] = field(default_factory=dict)

    def of(self, reads: Reads) -> int:
        """The mark of a part that reads `reads`: moves whenever an event of one of them is recorded."""
        if reads is None:
            return self.newest
        found = self.base
        for name in reads:
            if "." in name:
                found = max(found, self.by_type.get(name, 0))
            else:
                prefix = name + "."
                found = max([found, *(mark for label, mark in self.by_type.items() if label.startswith(prefix))])
        return found


def province_mark(province_id: int) -> int:
    """The id of the province's newest audit event (through the province's time index): 0 before the first."""
    newest = (AuditEvent.objects.filter(province_id=province_id).order_by("-at")
              .values_list("id", flat=True).first())
    return newest or 0


def _fresh_marks(province_id: int) -> Marks:
    row = AuditEvent.objects.filter(province_id=province_id).order_by("-at").values_list("id", "at").first()
    newest, at = row if row else (0, None)
    key = f"home-marks:{province_id}"
    try:
        snapshot = cache.get(key)
    except Exception:
        log.warning("home cache unreachable; marks start afresh", exc_info=True)
        return Marks(newest, at, newest)
    if isinstance(snapshot, Marks) and snapshot.newest == newest:
        return snapshot
    marks = Marks(newest, at, newest)
    if isinstance(snapshot, Marks) and newest:
        # Events at or after the snapshot's newest (a few, through the province's time index; all of them when the
        # province had none then); one seen before again changes nothing, the marks being the newest id of each.
        events = AuditEvent.objects.filter(province_id=province_id)
        if snapshot.at is not None:
            events = events.filter(at__gte=snapshot.at)
        since = list(events.values_list("id", "object_type")[:SNAPSHOT_EVENTS + 1])
        if len(since) <= SNAPSHOT_EVENTS:
            marks = Marks(newest, at, snapshot.base, dict(snapshot.by_type))
            for event_id, object_type in since:
                if event_id > marks.by_type.get(object_type, 0):
                    marks.by_type[object_type] = event_id
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
    key = f"home:{marks_for(access).newest}:{_person(access)}"
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
