"""The RFC 3797 draw: the RFC's own example exactly, the key's form, weights, the campaign replay and its limits."""

import pytest

from supervision.services import draw

RFC_SOURCES = [[9319], [2, 5, 8, 10, 12], [9, 18, 26, 34, 41, 45]]
RFC_PICKS = [17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22, 5, 18, 9, 1, 4]


def test_the_key_is_built_from_each_source_sorted_with_dots_and_slashes() -> None:
    assert draw.make_key([[12, 2, 10, 8, 5], [9319]]) == "2.5.8.10.12./9319./"
    assert draw.make_key(RFC_SOURCES) == "9319./2.5.8.10.12./9.18.26.34.41.45./"


def test_the_rfc_example_gives_its_sixteen_positions_in_order() -> None:
    names = [str(n) for n in range(1, 26)]
    picks = draw.select(draw.make_key(RFC_SOURCES), names, 16)
    assert [int(p.member) for p in picks] == RFC_PICKS
    assert [p.index for p in picks] == list(range(16))
    assert [p.remaining for p in picks] == list(range(25, 9, -1))


def test_each_pick_is_md5_of_a_two_byte_big_endian_index_around_the_key() -> None:
    import hashlib

    key = draw.make_key(RFC_SOURCES)
    assert draw.digest(key, 1) == hashlib.md5(b"\x00\x01" + key.encode() + b"\x00\x01", usedforsecurity=False).digest()
    with pytest.raises(ValueError):
        draw.digest(key, 65536)
    with pytest.raises(ValueError):
        draw.make_key([[-1]])


def test_a_weighted_member_leaves_with_all_its_copies() -> None:
    picks = draw.select(draw.make_key(RFC_SOURCES), ["A", "B", "B", "B", "C"], 3)
    assert sorted(p.member for p in picks) == ["A", "B", "C"]
    assert picks[0].remaining == 5


def _data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "format": draw.FORMAT, "sources": RFC_SOURCES, "frame": ["甲", "乙", "乙", "丙", "丁"],
        "organizations_to_draw": 2, "pool": ["JC-1", "JC-2", "JC-3"], "inspectors_per_organization": 2,
        "ineligible": [["甲", "JC-1"], ["乙", "JC-1"], ["丙", "JC-1"], ["丁", "JC-1"]], "replacements": []}
    data.update(overrides)
    return data


def test_the_campaign_replay_pairs_inspectors_without_the_ineligible() -> None:
    result = draw.draw_campaign(_data())
    assert len(result.organizations) == 2
    for org in result.organizations:
        assert sorted(result.pairs[org]) == ["JC-2", "JC-3"]
    assert [p.index for p in result.picks] == list(range(6))
    assert result.frame_sha256 == draw.list_sha256(["甲", "乙", "乙", "丙", "丁"])


def test_a_replacement_takes_the_next_index_and_never_brings_back_the_replaced() -> None:
    first = draw.draw_campaign(_data(ineligible=[]))
    org = first.organizations[0]
    gone = first.pairs[org][0]
    again = draw.draw_campaign(_data(ineligible=[], replacements=[{"organization": org, "inspector": gone,
                                                                   "reason": "生病"}]))
    assert again.picks[:len(first.picks)] == first.picks
    assert again.picks[-1].index == len(first.picks)
    assert gone not in again.pairs[org]
    assert len(again.pairs[org]) == 2
    with pytest.raises(ValueError):
        draw.draw_campaign(_data(replacements=[{"organization": org, "inspector": "JC-9", "reason": "x"}]))
