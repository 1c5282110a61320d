"""The W3C Bitstring Status List's bitstring: its size, bit order and encoding (GZIP, then multibase base64url).

Pure functions, no database. From the specification (https://www.w3.org/TR/vc-bitstring-status-list/):

- a list holds at least 131,072 entries (16 KB uncompressed), so that one holder's index hides in a crowd;
- index 0 is the left-most bit of the first byte (the most significant bit), index 7 the right-most of that byte;
- `encodedList` is the multibase form ('u' prefix) of the unpadded base64url encoding (RFC 4648 §5: '-' and '_',
  never '+' or '/') of the GZIP (RFC 1952) compression of the bitstring.
"""

import base64
import gzip

MIN_ENTRIES = 131_072
MULTIBASE_BASE64URL = "u"
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class BitstringError(ValueError):
    """An encodedList that is not multibase base64url of GZIP data, or an index outside the list."""


def bitstring(set_indexes: set[int] | list[int], *, size: int = MIN_ENTRIES) -> bytes:
    """The bytes of a list of `size` entries with the given indexes set."""
    if size < MIN_ENTRIES or size % 8:
        raise BitstringError(f"a status list holds at least {MIN_ENTRIES} entries, a multiple of 8")
    data = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise BitstringError(f"index {index} is outside a list of {size}")
        data[index // 8] |= 0x80 >> (index % 8)
    return bytes(data)


def is_set(data: bytes, index: int) -> bool:
    if not 0 <= index < len(data) * 8:
        raise BitstringError(f"index {index} is outside a list of {len(data) * 8}")
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def set_indexes(data: bytes) -> list[int]:
    """Every index whose bit is 1, in order."""
    return [i * 8 + bit for i, byte in enumerate(data) if byte for bit in range(8) if byte & (0x80 >> bit)]


def encode(data: bytes) -> str:
    """The `encodedList` value of a bitstring. mtime=0 keeps the GZIP header (and so the list's ETag) stable."""
    compressed = gzip.compress(data, compresslevel=6, mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded_list: str) -> bytes:
    """The bitstring of an `encodedList`; BitstringError unless it is multibase base64url of GZIP data."""
    if not encoded_list.startswith(MULTIBASE_BASE64URL):
        raise BitstringError("encodedList must start with the multibase prefix 'u' (base64url, no padding)")
    text = encoded_list[1:]
    if not text or any(c not in _ALPHABET for c in text):
        raise BitstringError("encodedList is not unpadded base64url")
    try:
        return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (OSError, ValueError, EOFError) as exc:
        raise BitstringError("encodedList is not GZIP-compressed") from exc
