"""W3C Verifiable Credentials 2.0 of certificates and status lists, secured as VC-JOSE-COSE (compact JWS, EdDSA).

Pure functions, no database: the services build the documents from rows and sign them with the province's key.

Why JOSE and not a Data Integrity proof: the signed bytes are exactly the bytes shipped (base64url of the JSON), so a
verifier needs base64url and Ed25519 only — the offline browser verifier does it with WebCrypto, a test with
joserfc — and no canonicalization (JCS or RDF) can disagree between signer and verifier.

    token   = base64url(header) "." base64url(credential JSON) "." base64url(Ed25519 signature)
    header  = {"alg": "EdDSA", "kid": <province key id>, "typ": "vc+jwt", "cty": "vc"}

The key id is the same as in the QR payload (signing.py), published in /verify/keys/<province>.json.
"""

import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .signing import PayloadError, b64url, unb64url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
JOSE_ALG = "EdDSA"
VC_TYPE = "vc+jwt"
MEDIA_TYPE = "application/vc+jwt"
REVOCATION, SUSPENSION = "revocation", "suspension"
PURPOSES = (REVOCATION, SUSPENSION)


def header(key_id: str) -> dict[str, str]:
    return {"alg": JOSE_ALG, "kid": key_id, "typ": VC_TYPE, "cty": "vc"}


def _json_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")


def sign_credential(credential: Mapping[str, Any], *, key_id: str, private_raw: bytes) -> str:
    """The compact JWS (vc+jwt) of a credential, signed with the province's Ed25519 key."""
    signing_input = f"{b64url(_json_bytes(header(key_id)))}.{b64url(_json_bytes(credential))}"
    signature = Ed25519PrivateKey.from_private_bytes(private_raw).sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def verify_credential(token: str, public_keys: Mapping[str, bytes]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, credential) of a vc+jwt whose signature verifies with the published key it names; PayloadError
    (code payload_malformed / payload_unknown_key / payload_bad_signature) otherwise."""
    parts = (token or "").strip().split(".")
    if len(parts) != 3:
        raise PayloadError("a vc+jwt is three base64url parts joined by '.'", "payload_malformed")
    try:
        head = json.loads(unb64url(parts[0]))
        credential = json.loads(unb64url(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError("the header or the credential is not JSON", "payload_malformed") from exc
    if not isinstance(head, dict) or not isinstance(credential, dict) or head.get("alg") != JOSE_ALG:
        raise PayloadError("not an EdDSA vc+jwt", "payload_malformed")
    raw = public_keys.get(str(head.get("kid", "")))
    if raw is None:
        raise PayloadError(f"unknown key id {head.get('kid')!r}", "payload_unknown_key")
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(unb64url(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature as exc:
        raise PayloadError("the signature does not verify", "payload_bad_signature") from exc
    return head, credential


def status_entry(*, list_url: str, purpose: str, index: int) -> dict[str, str]:
    """One `credentialStatus` entry (BitstringStatusListEntry); the index is a string, as the specification's."""
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_url}


def status_list_credential(*, list_url: str, issuer: Mapping[str, str], purpose: str, encoded_list: str,
                           valid_from: str, context_url: str) -> dict[str, Any]:
    """The BitstringStatusListCredential published at `list_url`."""
    return {
        "@context": [VC_CONTEXT, context_url],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": dict(issuer),
        "validFrom": valid_from,
        "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encoded_list},
    }
