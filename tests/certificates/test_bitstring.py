"""The Bitstring Status List encoding: the specification's own example, the bit order, the base64url alphabet, the
minimum size."""

import base64
import gzip

import pytest

from certificates import bitstring

# The specification's example of an encodedList: 131,072 entries, none set
# (https://www.w3.org/TR/vc-bitstring-status-list/, "Example: Example BitstringStatusListCredential").
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_the_specifications_example_decodes_to_16_kb_of_zero_bits() -> None:
    data = bitstring.decode(SPEC_EXAMPLE)

    assert len(data) == 16_384 == bitstring.MIN_ENTRIES // 8
    assert bitstring.set_indexes(data) == []


def test_an_empty_list_encodes_like_the_specifications_example() -> None:
    assert bitstring.encode(bitstring.bitstring([])) == SPEC_EXAMPLE


def test_index_zero_is_the_left_most_bit_of_the_first_byte() -> None:
    data = bitstring.bitstring([0, 7, 8, 131_071])

    assert data[0] == 0b1000_0001
    assert data[1] == 0b1000_0000
    assert data[-1] == 0b0000_0001
    assert bitstring.set_indexes(data) == [0, 7, 8, 131_071]
    assert [bitstring.is_set(data, i) for i in (0, 1, 6, 7, 8, 9)] == [True, False, False, True, True, False]


def test_the_encoding_is_multibase_base64url_without_padding_of_gzip() -> None:
    # a list dense enough that the standard alphabet's '+' and '/' would appear
    data = bitstring.bitstring(list(range(0, 131_072, 3)) + list(range(5, 131_072, 7)))

    encoded = bitstring.encode(data)

    assert encoded[0] == "u"
    body = encoded[1:]
    assert "=" not in body and "+" not in body and "/" not in body
    assert "-" in body or "_" in body
    assert gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) == data
    assert bitstring.decode(encoded) == data


def test_the_standard_alphabet_and_a_missing_prefix_are_refused() -> None:
    standard = "u" + base64.b64encode(gzip.compress(bitstring.bitstring([1, 2, 3]))).decode().rstrip("=")
    for bad in (standard.replace("-", "+").replace("_", "/") + "+/", SPEC_EXAMPLE[1:], "u" + "A" * 20):
        with pytest.raises(bitstring.BitstringError):
            bitstring.decode(bad)


def test_a_list_holds_at_least_131072_entries() -> None:
    with pytest.raises(bitstring.BitstringError):
        bitstring.bitstring([], size=8 * 1024)
    with pytest.raises(bitstring.BitstringError):
        bitstring.bitstring([131_072])
