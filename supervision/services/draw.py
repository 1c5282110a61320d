"""The RFC 3797 draw of an inspection campaign (双随机), in plain Python: the portal draws with it and the public downloads
this very file as the verifier (python3 verify_draw.py draw.json) — so it imports nothing but the standard library.

RFC 3797 section 4: each source's numbers are sorted, written in decimal each followed by "." and each source followed
by "/"; that string is the key. Pick i (i = 0, 1, 2, …) is MD5(i ‖ key ‖ i), i as a two-byte big-endian counter, read
as a 128-bit big-endian number, modulo the number of entries left; the entry at that position (counting from 0) is
picked and leaves the list. One counter runs through the whole campaign: the organizations first, then the
inspectors of each drawn organization in the order drawn, then each replacement in the order recorded.

A weighted frame lists an organization as many times as its weight (consecutively, in sorted order); when one copy
is picked every copy leaves the list. The inspectors of an organization are drawn from the pool less those
ineligible for it (a declared conflict, or the own-city rule) and less those already drawn or replaced for it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "rfc3797-campaign/1"
ORGANIZATIONS = "organizations"
INSPECTORS = "inspectors"


def make_key(sources: Sequence[Sequence[int]]) -> str:
    """The RFC 3797 key: each source's numbers sorted, "." after each number, "/" after each source."""
    parts = []
    for numbers in sources:
        if any(int(n) < 0 for n in numbers):
            raise ValueError("random source numbers must be non-negative integers")
        parts.append("".join(f"{int(n)}." for n in sorted(int(n) for n in numbers)) + "/")
    return "".join(parts)


def digest(key: str, index: int) -> bytes:
    """MD5 of the two-byte big-endian index, the key, and the index again."""
    if not 0 <= index <= 0xFFFF:
        raise ValueError("the RFC 3797 index is a two-byte counter")
    counter = index.to_bytes(2, "big")
    return hashlib.md5(counter + key.encode("utf-8") + counter, usedforsecurity=False).digest()  # RFC 3797 names MD5


def list_sha256(items: Sequence[str]) -> str:
    """SHA-256 of a published list: its entries, one per line, each ending in a newline (UTF-8)."""
    return hashlib.sha256("".join(f"{item}\n" for item in items).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Pick:
    index: int
    sequence: str  # "organizations" or "inspectors"
    digest: str  # hex
    remaining: int
    position: int  # 0-based position in the list as it stood
    member: str
    organization: str = ""  # for an inspector: the organization they were drawn for


@dataclass
class Drawer:
    """The campaign's one counter: each call of choose() uses the next index."""

    key: str
    next_index: int = 0
    picks: list[Pick] = field(default_factory=list)

    def choose(self, entries: Sequence[str], sequence: str, organization: str = "") -> Pick | None:
        if not entries:
            return None
        raw = digest(self.key, self.next_index)
        position = int.from_bytes(raw, "big") % len(entries)
        pick = Pick(self.next_index, sequence, raw.hex(), len(entries), position, entries[position], organization)
        self.next_index += 1
        self.picks.append(pick)
        return pick


def select(key: str, entries: Sequence[str], count: int) -> list[Pick]:
    """Pick `count` entries (1-based positions in the RFC's example are position + 1 of the original list)."""
    drawer = Drawer(key)
    left = list(entries)
    for _ in range(count):
        pick = drawer.choose(left, ORGANIZATIONS)
        if pick is None:
            break
        left = [e for e in left if e != pick.member]
    return drawer.picks


@dataclass
class Result:
    key: str
    frame_sha256: str
    pool_sha256: str
    picks: list[Pick]
    organizations: list[str]
    pairs: dict[str, list[str]]


def _draw_organizations(drawer: Drawer, frame: list[str], count: int) -> list[str]:
    left, drawn = list(frame), []
    for _ in range(count):
        pick = drawer.choose(left, ORGANIZATIONS)
        if pick is None:
            break
        drawn.append(pick.member)
        left = [e for e in left if e != pick.member]
    return drawn


def _eligible(pool: list[str], ineligible: set[tuple[str, str]], organization: str, taken: set[str]) -> list[str]:
    return [i for i in pool if (organization, i) not in ineligible and i not in taken]


def draw_campaign(data: dict[str, Any]) -> Result:
    """Recompute a campaign's whole draw from its published data (the JSON the public page offers)."""
    key = make_key(data["sources"])
    frame, pool = list(data["frame"]), list(data["pool"])
    ineligible = {(org, inspector) for org, inspector in data.get("ineligible", [])}
    drawer = Drawer(key)
    organizations = _draw_organizations(drawer, frame, int(data["organizations_to_draw"]))
    pairs: dict[str, list[str]] = {org: [] for org in organizations}
    taken: dict[str, set[str]] = {org: set() for org in organizations}
    for org in organizations:
        for _ in range(int(data["inspectors_per_organization"])):
            pick = drawer.choose(_eligible(pool, ineligible, org, taken[org]), INSPECTORS, org)
            if pick is not None:
                pairs[org].append(pick.member)
                taken[org].add(pick.member)
    for replacement in data.get("replacements", []):
        org, gone = replacement["organization"], replacement["inspector"]
        if gone not in pairs.get(org, []):
            raise ValueError(f"{gone} was not drawn for {org}")
        pairs[org].remove(gone)
        pick = drawer.choose(_eligible(pool, ineligible, org, taken[org]), INSPECTORS, org)
        if pick is not None:
            pairs[org].append(pick.member)
            taken[org].add(pick.member)
    return Result(key, list_sha256(frame), list_sha256(pool), drawer.picks, organizations, pairs)


def result_json(result: Result) -> dict[str, Any]:
    return {"key": result.key, "frame_sha256": result.frame_sha256, "pool_sha256": result.pool_sha256,
            "picks": [asdict(p) for p in result.picks], "organizations": result.organizations,
            "pairs": result.pairs}


def main(argv: Sequence[str]) -> int:
    """python3 verify_draw.py draw.json: print the key, the hashes, every pick and the result, as JSON."""
    if len(argv) != 2:
        sys.stderr.write("usage: python3 verify_draw.py draw.json\n")
        return 2
    with open(argv[1], encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != FORMAT:
        sys.stderr.write(f"unknown data format: {data.get('format')!r}\n")
        return 2
    json.dump(result_json(draw_campaign(data)), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
