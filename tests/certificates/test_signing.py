"""The QR payload: its exact bytes, Ed25519 signatures that verify with the published key (also with OpenSSL, an
implementation independent of the portal's), tampering and unknown keys refused, private keys encrypted at rest."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import override_settings
from nacl.exceptions import BadSignatureError

from certificates import signing

# RFC 8032 test vector 1 (the empty message): a fixed key, so the public key has an exact value
RFC8032_PRIVATE = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")

PAYLOAD = signing.Payload(
    key_id="gd-20261122-1", number="S000044000123263000045", holder_name="张伟", masked_id="4401**********123X",
    occupation_code="6-18-02-04", level=3, issued_on=dt.date(2026, 11, 22), organization="广东省智能制造产业协会",
)


def test_the_body_is_the_documented_fields_in_order() -> None:
    assert PAYLOAD.body() == (
        "CV1|gd-20261122-1|S000044000123263000045|张伟|4401**********123X|6-18-02-04|3|20261122|广东省智能制造产业协会"
    ).encode()


def test_the_public_key_of_the_rfc_8032_vector() -> None:
    assert signing.public_key_of(RFC8032_PRIVATE) == RFC8032_PUBLIC


def test_a_signed_token_verifies_and_gives_the_payload_back() -> None:
    token = signing.sign(PAYLOAD, RFC8032_PRIVATE)

    assert signing.verify_token(token, {"gd-20261122-1": RFC8032_PUBLIC}) == PAYLOAD
    assert signing.verify_token(f"https://portal.example.cn/verify/q/{token}/", {"gd-20261122-1": RFC8032_PUBLIC}) \
        == PAYLOAD


def test_ed25519_signatures_are_deterministic() -> None:
    assert signing.sign(PAYLOAD, RFC8032_PRIVATE) == signing.signer(RFC8032_PRIVATE)(PAYLOAD)


def _flip(text: str, position: int) -> str:
    replacement = "A" if text[position] != "A" else "B"
    return text[:position] + replacement + text[position + 1:]


@pytest.mark.parametrize("position", [5, 40, 120, -20])
def test_one_changed_character_fails(position: int) -> None:
    token = signing.sign(PAYLOAD, RFC8032_PRIVATE)

    with pytest.raises(signing.PayloadError) as refused:
        signing.verify_token(_flip(token, position), {"gd-20261122-1": RFC8032_PUBLIC})

    assert refused.value.code in {"payload_bad_signature", "payload_malformed", "payload_unknown_key"}


def test_a_changed_name_with_the_old_signature_fails() -> None:
    token = signing.sign(PAYLOAD, RFC8032_PRIVATE)
    _, signature = token.split(".")
    forged_body = signing.b64url(PAYLOAD.body().replace("张伟".encode(), "李伟".encode()))

    with pytest.raises(signing.PayloadError) as refused:
        signing.verify_token(f"{forged_body}.{signature}", {"gd-20261122-1": RFC8032_PUBLIC})

    assert refused.value.code == "payload_bad_signature"


def test_a_key_id_the_file_does_not_publish_is_refused() -> None:
    token = signing.sign(PAYLOAD, RFC8032_PRIVATE)

    with pytest.raises(signing.PayloadError) as refused:
        signing.verify_token(token, {"gd-20990101-9": RFC8032_PUBLIC})

    assert refused.value.code == "payload_unknown_key"


@pytest.mark.parametrize("text", ["", "no-dot", "a.b.c", "!!!.???", "Q1Yx.AAAA"])
def test_malformed_tokens_are_refused(text: str) -> None:
    with pytest.raises(signing.PayloadError):
        signing.verify_token(text, {"gd-20261122-1": RFC8032_PUBLIC})


@pytest.mark.parametrize("issued", ["20261131", "2026112", "202611220", "2026-1-22", "２０２６１１２２", ""])
def test_a_signed_body_whose_date_is_not_an_8_digit_calendar_date_is_refused(issued: str) -> None:
    fields = PAYLOAD.body().decode().split("|")
    fields[7] = issued
    body = "|".join(fields).encode()
    signature = Ed25519PrivateKey.from_private_bytes(RFC8032_PRIVATE).sign(body)
    token = f"{signing.b64url(body)}.{signing.b64url(signature)}"

    # the signature is good, the body is not one the portal signs
    with pytest.raises(signing.PayloadError) as refused:
        signing.verify_token(token, {"gd-20261122-1": RFC8032_PUBLIC})
    assert refused.value.code == "payload_malformed"


def test_the_rfc_8032_vector_verifies_and_one_flipped_bit_does_not() -> None:
    # RFC 8032, 7.1, test 1: the empty message and its signature under RFC8032_PUBLIC
    signature = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    key = signing._verify_key(RFC8032_PUBLIC)
    assert key.verify(b"", signature) == b""
    with pytest.raises(BadSignatureError):
        key.verify(b"", bytes([signature[0] ^ 1]) + signature[1:])


def test_the_key_file_publishes_raw_pem_and_jwk_forms_of_the_key() -> None:
    valid_from = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    entry = signing.key_file_entry(key_id="gd-20260101-1", public_raw=RFC8032_PUBLIC, valid_from=valid_from,
                                   valid_until=None, active=True)
    document = signing.key_file(province_slug="gd", province_code="44", province_name="广东省", entries=[entry])

    assert entry["public_key"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert entry["jwk"] == {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                            "kid": "gd-20260101-1", "use": "sig"}
    assert entry["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA")
    assert signing.public_keys_from_file(json.dumps(document)) == {"gd-20260101-1": RFC8032_PUBLIC}


def test_openssl_verifies_the_signature_independently(tmp_path: Path) -> None:
    # given a token and the PEM the key file publishes
    token = signing.sign(PAYLOAD, RFC8032_PRIVATE)
    body, signature = (signing.unb64url(part) for part in token.split("."))
    (tmp_path / "key.pem").write_text(signing.public_key_pem(RFC8032_PUBLIC))
    (tmp_path / "body").write_bytes(body)
    (tmp_path / "sig").write_bytes(signature)
    (tmp_path / "forged").write_bytes(body.replace(b"|3|", b"|2|"))

    def openssl_verify(message: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "key.pem"), "-rawin",
             "-in", str(tmp_path / message), "-sigfile", str(tmp_path / "sig")],
            capture_output=True, text=True, check=False)

    # then OpenSSL accepts the body and refuses a changed one
    good, forged = openssl_verify("body"), openssl_verify("forged")
    assert good.returncode == 0, good.stderr
    assert "Signature Verified Successfully" in good.stdout
    assert forged.returncode != 0


def test_private_keys_are_encrypted_at_rest_and_tied_to_the_secret() -> None:
    stored = signing.encrypt_private_key(RFC8032_PRIVATE)

    assert RFC8032_PRIVATE.hex() not in stored
    assert signing.decrypt_private_key(stored) == RFC8032_PRIVATE
    with override_settings(CERTIFICATE_KEY_SECRET="another deployment's secret"):
        with pytest.raises(signing.PayloadError) as refused:
            signing.decrypt_private_key(stored)
    assert refused.value.code == "key_unreadable"


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"PORTAL_PUBLIC_URL": "https://skills.gd.gov.example/"}, "https://skills.gd.gov.example"),
    ({"PORTAL_PUBLIC_URL": "", "DEBUG": False, "ALLOWED_HOSTS": ["portal.example.cn", "www.portal.example.cn"]},
     "https://portal.example.cn"),
    ({"PORTAL_PUBLIC_URL": "", "ALLOWED_HOSTS": ["*"]}, "http://127.0.0.1:8000"),
])
def test_the_address_printed_in_qr_codes(overrides: dict[str, object], expected: str) -> None:
    from certificates.pdf import public_url

    with override_settings(**overrides):
        assert public_url() == expected


def test_make_run_prints_the_address_it_serves_on() -> None:
    """scripts/run.sh exports PORTAL_PUBLIC_URL from HOST and PORT; the local settings take it (and accept the host)."""
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert 'export PORTAL_PUBLIC_URL=${PORTAL_PUBLIC_URL:-http://$PUBLIC_HOST:$PORT}' in script
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.local",
           "PORTAL_PUBLIC_URL": "http://192.168.1.20:8080"}
    code = ("import django; django.setup(); from django.conf import settings; from certificates.pdf import public_url;"
            " print(public_url(), '192.168.1.20' in settings.ALLOWED_HOSTS)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])

    assert out.stdout.split() == ["http://192.168.1.20:8080", "True"]
