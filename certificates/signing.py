"""The signed payload of a certificate's QR code (Ed25519), the published key file, and private-key encryption.

Payload (what the QR code carries after the verification URL's `/verify/q/`), version CV1:

    token = base64url(body) "." base64url(signature)            (no padding, canonical: unused bits zero)
    body  = UTF-8 of "CV1|<key id>|<number>|<holder name>|<masked ID>|<occupation code>|<level>|<YYYYMMDD>|<organization>"
    signature = Ed25519(province private key, body)

The masked ID (4401**********123X) is printed in the payload rather than a hash: an 18-digit ID number has too few
possibilities for an unsalted hash to hide it, and a verifier compares the masked form with the card in front of
them. The key id inside the signed body names the province key; keys rotate, and every key that ever signed stays
published (with its validity) at /verify/keys/<province>.json, so old certificates keep verifying.

Everything here except `fernet()` is pure: `verify_token` with a key file is what `manage.py verify_certificate_qr`
runs offline, without the database.

Private keys are stored encrypted (Fernet) with a key derived by HKDF-SHA256 from settings.CERTIFICATE_KEY_SECRET
(the environment variable CERTIFICATE_KEY_SECRET in production, which refuses to start without it). There is no
fallback to SECRET_KEY: rotating SECRET_KEY leaves the signing keys readable, and an empty secret is an error rather
than a key derived from nothing. A changed CERTIFICATE_KEY_SECRET makes the stored keys unreadable (old certificates
still verify — only the public keys are needed for that — but new ones cannot be signed until a new key is made with
`manage.py rotate_signing_key`).
"""

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

PAYLOAD_VERSION = "CV1"
ALGORITHM = "Ed25519"
FIELD_SEPARATOR = "|"
FIELD_COUNT = 9
QR_PATH = "/verify/q/"


class PayloadError(ValueError):
    """A payload that is not well formed, names an unknown key, or whose signature does not verify."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Payload:
    key_id: str
    number: str
    holder_name: str
    masked_id: str
    occupation_code: str
    level: int
    issued_on: dt.date
    organization: str

    def body(self) -> bytes:
        fields = [PAYLOAD_VERSION, self.key_id, self.number, self.holder_name, self.masked_id, self.occupation_code,
                  str(self.level), self.issued_on.strftime("%Y%m%d"), self.organization]
        if any(FIELD_SEPARATOR in f for f in fields[:-1]):
            raise ValueError("a payload field other than the organization may not contain '|'")
        return FIELD_SEPARATOR.join(fields).encode()

    def as_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "number": self.number, "holder_name": self.holder_name,
                "masked_id": self.masked_id, "occupation_code": self.occupation_code, "level": self.level,
                "issued_on": self.issued_on.isoformat(), "organization": self.organization}


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")  # ASCII only: no re.ASCII needed, the class names ASCII characters
_DATE = re.compile(r"[0-9]{8}")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """The bytes of unpadded base64url text, refused unless the text is the one encoding of them.

    The last character of a segment whose length is not a multiple of 3 bytes carries 2 or 4 unused bits; a decoder
    ignores them, so without this check 4 or 16 spellings of one token would verify.
    """
    if not _BASE64URL.fullmatch(text or ""):
        raise PayloadError("not base64url", "payload_malformed")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise PayloadError("not base64url", "payload_malformed") from exc
    if b64url(data) != text:
        raise PayloadError("not canonical base64url", "payload_malformed")
    return data


def parse_body(body: bytes) -> Payload:
    try:
        fields = body.decode("utf-8").split(FIELD_SEPARATOR, FIELD_COUNT - 1)
    except UnicodeDecodeError as exc:
        raise PayloadError("payload is not UTF-8", "payload_malformed") from exc
    if len(fields) != FIELD_COUNT or fields[0] != PAYLOAD_VERSION:
        raise PayloadError("unknown payload format", "payload_malformed")
    _, key_id, number, name, masked_id, occupation, level, issued, organization = fields
    try:
        if not _DATE.fullmatch(issued):  # what strptime("%Y%m%d") accepted of an 8-digit date, at a tenth of its cost
            raise ValueError(issued)
        issued_on = dt.date(int(issued[:4]), int(issued[4:6]), int(issued[6:]))
        level_digit = int(level)
    except ValueError as exc:
        raise PayloadError("bad date or level", "payload_malformed") from exc
    return Payload(key_id, number, name, masked_id, occupation, level_digit, issued_on, organization)


def split_token(token: str) -> tuple[bytes, bytes]:
    """(body, signature) of a token, or of a verification URL that ends with one."""
    text = (token or "").strip()
    if QR_PATH in text:
        text = text.split(QR_PATH, 1)[1]
    text = text.split("?", 1)[0].split("#", 1)[0].strip("/")
    parts = text.split(".")
    if len(parts) != 2:
        raise PayloadError("a payload is two base64url parts joined by '.'", "payload_malformed")
    body, signature = unb64url(parts[0]), unb64url(parts[1])
    if len(signature) != 64:
        raise PayloadError("an Ed25519 signature is 64 bytes", "payload_malformed")
    return body, signature


# --- keys ---

def generate_private_key() -> bytes:
    """32 raw bytes of a new Ed25519 private key."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def public_key_of(private_raw: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_raw).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def public_key_pem(public_raw: bytes) -> str:
    return Ed25519PublicKey.from_public_bytes(public_raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def signer(private_raw: bytes) -> Callable[[Payload], str]:
    """A signing function bound to one key, for a batch (the key object is built once)."""
    key = Ed25519PrivateKey.from_private_bytes(private_raw)

    def sign_payload(payload: Payload) -> str:
        body = payload.body()
        return f"{b64url(body)}.{b64url(key.sign(body))}"

    return sign_payload


def sign(payload: Payload, private_raw: bytes) -> str:
    return signer(private_raw)(payload)


def verify_token(token: str, public_keys: Mapping[str, bytes]) -> Payload:
    """The payload of a token whose signature verifies with the key it names; PayloadError otherwise."""
    body, signature = split_token(token)
    payload = parse_body(body)
    raw = public_keys.get(payload.key_id)
    if raw is None:
        raise PayloadError(f"unknown key id {payload.key_id!r}", "payload_unknown_key")
    try:
        _verify_key(raw).verify(body, signature)
    except BadSignatureError as exc:
        raise PayloadError("the signature does not verify", "payload_bad_signature") from exc
    return payload


@lru_cache(maxsize=256)
def _verify_key(raw: bytes) -> VerifyKey:
    """A published key, ready to verify with: libsodium (PyNaCl) checks an Ed25519 signature in about half the time
    OpenSSL takes (48 against 97 µs here), and every lookup checks one (docs/performance.md). Signing stays with
    `cryptography`; the two implement the same RFC 8032 signatures."""
    return VerifyKey(raw)


# --- the published key file ---

def key_file_entry(*, key_id: str, public_raw: bytes, valid_from: dt.datetime, valid_until: dt.datetime | None,
                   active: bool) -> dict[str, Any]:
    return {
        "kid": key_id,
        "alg": ALGORITHM,
        "public_key": b64url(public_raw),
        "public_key_pem": public_key_pem(public_raw),
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64url(public_raw), "kid": key_id, "use": "sig"},
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "active": active,
    }


def key_file(*, province_slug: str, province_code: str, province_name: str,
             entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "province": province_slug,
        "province_code": province_code,
        "province_name": province_name,
        "algorithm": ALGORITHM,
        "payload_format": (
            "token = base64url(body) '.' base64url(Ed25519 signature of body); body = UTF-8 of "
            "'CV1|kid|number|holder name|masked ID|occupation code|level|YYYYMMDD|organization'"
        ),
        "keys": entries,
    }


def public_keys_from_file(data: Mapping[str, Any] | str | bytes) -> dict[str, bytes]:
    """{key id: raw public key} of a published key file (its parsed JSON, or the JSON text)."""
    parsed = json.loads(data) if isinstance(data, str | bytes) else data
    keys: dict[str, bytes] = {}
    for entry in parsed.get("keys", []):
        if entry.get("alg") == ALGORITHM and entry.get("kid") and entry.get("public_key"):
            keys[str(entry["kid"])] = unb64url(str(entry["public_key"]))
    return keys


# --- private keys at rest ---

def fernet() -> Fernet:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    secret = str(getattr(settings, "CERTIFICATE_KEY_SECRET", "") or "").strip()
    if not secret:
        raise ImproperlyConfigured("CERTIFICATE_KEY_SECRET is not set: signing keys are never encrypted with "
                                   "SECRET_KEY.")
    material = secret.encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"skills-portal",
                   info=b"certificate-signing-keys").derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_private_key(private_raw: bytes) -> str:
    return fernet().encrypt(private_raw).decode("ascii")


def decrypt_private_key(stored: str) -> bytes:
    try:
        return fernet().decrypt(stored.encode("ascii"))
    except InvalidToken as exc:
        raise PayloadError(
            "the signing key cannot be decrypted: CERTIFICATE_KEY_SECRET changed", "key_unreadable"
        ) from exc
