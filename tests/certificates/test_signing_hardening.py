"""The signing secret and the QR token without slack: no SECRET_KEY fallback, and only canonical base64url verifies."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from certificates import signing

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PRIVATE = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
KEYS = {"gd-20261122-1": signing.public_key_of(PRIVATE)}
# a body of 122 bytes (122 % 3 == 2): its last base64url character carries 2 unused bits; the 64-byte signature's 4
PAYLOAD = signing.Payload(
    key_id="gd-20261122-1", number="S000044000123263000045", holder_name="张伟", masked_id="4401**********123X",
    occupation_code="6-18-02-04", level=3, issued_on=dt.date(2026, 11, 22), organization="广东省智能制造产业协会",
)


def with_unused_bits_set(segment: str) -> str:
    """The same bytes spelled differently: the last character with its unused low bits set."""
    unused = {2: 4, 3: 2}[len(segment) % 4]
    last = ALPHABET.index(segment[-1]) | ((1 << unused) - 1)
    return segment[:-1] + ALPHABET[last]


def test_the_payload_leaves_unused_bits_in_both_segments() -> None:
    assert len(PAYLOAD.body()) % 3 != 0


def test_a_canonical_token_verifies() -> None:
    token = signing.sign(PAYLOAD, PRIVATE)

    assert signing.verify_token(token, KEYS) == PAYLOAD


@pytest.mark.parametrize("edited", ["body", "signature"])
def test_a_padding_bit_edit_is_refused(edited: str) -> None:
    # given a valid token, and one segment re-spelled with the same bytes (a lenient decoder reads it unchanged)
    body, signature = signing.sign(PAYLOAD, PRIVATE).split(".")
    if edited == "body":
        body = with_unused_bits_set(body)
    else:
        signature = with_unused_bits_set(signature)
    assert base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)) == PAYLOAD.body()

    # when it is verified, then it is refused as malformed
    with pytest.raises(signing.PayloadError) as refused:
        signing.verify_token(f"{body}.{signature}", KEYS)
    assert refused.value.code == "payload_malformed"


def test_the_signing_secret_never_falls_back_to_the_secret_key() -> None:
    with override_settings(CERTIFICATE_KEY_SECRET="", SECRET_KEY="a-secret-key-that-must-not-be-used"):
        with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_KEY_SECRET"):
            signing.encrypt_private_key(PRIVATE)


def test_the_key_is_encrypted_with_the_signing_secret_not_the_secret_key() -> None:
    stored = signing.encrypt_private_key(PRIVATE)

    with override_settings(SECRET_KEY="another-secret-key"):
        assert signing.decrypt_private_key(stored) == PRIVATE
